"""The HTML page: one section per model with its charts and tables (templates/report.html.j2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .charts import (
    CRITICAL,
    DARK_SERIES,
    LIGHT_SERIES,
    SECOND_SERIES,
    SERIES,
    STATUS_COLORS,
    Series,
    alert_timeline_chart,
    auc_chart,
    line_chart,
    plotly_js,
    reliability_chart,
    score_distribution_chart,
    slug,
    top_features_chart,
    trend_chart,
)
from .readers import Row
from .snapshot import (
    ReportData,
    capacity_on_date,
    decomposition_rows,
    estimate_on_date,
    format_number,
    has_capacity,
    has_value,
    model_on_date,
    score_drift_checks,
    value_on_date,
)

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TOP_FEATURES = 10
TOP_SEGMENT_GAPS = 10
TOP_SEGMENTS = 10  # per model, largest segment PSI first
SEGMENT_CHECKS = {"psi_status": "segment_score_psi", "share_status": "segment_volume_shift"}
# The version checks naming a challenger version (subject), and the model-wide one of score_stability_daily.
VERSION_CHECKS = {"spearman_status": "spearman_correlation", "agreement_status": "decision_agreement"}
STABILITY_CHECK = "decision_flip_rate"
# score_health_daily's latencies, each a line of the latency chart (latency_p95 is the checked one).
LATENCY_SERIES = (
    ("latency_p50", "p50", LIGHT_SERIES),
    ("latency_p95", "p95", SERIES),
    ("latency_p99", "p99", DARK_SERIES),
)
# operating_point_daily's capacity use, each a line of the capacity chart, and the check of the same name.
CAPACITY_SERIES = (
    ("decision_capacity_use", "decisions / decision capacity", SERIES),
    ("review_capacity_use", "reviews / review capacity", SECOND_SERIES),
)
CAPACITY_CHECKS = {"decision_status": "decision_capacity_use", "review_status": "review_capacity_use"}
VALUE_CHECK = "value_per_decision"


@dataclass(frozen=True)
class ModelSection:
    name: str
    slug: str
    status: Row
    score_distribution: Markup | None
    psi_trend: Markup | None
    volume_trend: Markup | None
    reliability: Markup | None
    top_features: Markup | None
    alert_timeline: Markup | None
    features: list[Row]
    performance: Row | None
    score_drift: Row | None  # score_drift_daily on the monitoring date
    segments: list[Row]  # the TOP_SEGMENTS of segment_drift_daily, with their segment checks' statuses
    segment_count: int  # the model's rows in segment_drift_daily
    score_drift_checks: list[Row]
    decomposition: list[Row]  # empty unless a score drift check is not pass
    auc_trend: Markup | None  # estimated and realized AUC over the history window
    estimate: Row | None  # estimated_performance_daily on the monitoring date
    estimate_checks: list[Row]  # the model's estimate checks the gate judges on the monitoring date
    versions: list[Row]  # version_comparison_daily on the monitoring date, with the version checks' statuses
    version_count: int | None  # score_health_daily.model_version_count on the monitoring date
    stability: Row | None  # score_stability_daily on the monitoring date, with flip_status
    latency_trend: Markup | None  # latency p50, p95 and p99 over the history window (with latency_ms)
    error_trend: Markup | None  # error_rate over the history window (with error_flag)
    capacity_trend: Markup | None  # capacity use over the history window (a model with a capacity)
    capacity: Row | None  # operating_point_daily on the monitoring date, with the capacity checks' statuses
    value_trend: Markup | None  # value per decision, realized and estimated (a model with values or costs)
    value: Row | None  # business_value_daily on the monitoring date, with value_status


def _points(rows: Sequence[Row], column: str) -> list[tuple[date, Any]]:
    return [(row["score_date"], row[column]) for row in rows]


def _any_value(rows: Sequence[Row], column: str) -> bool:
    return any(row[column] is not None for row in rows)


def per_decision(value: float | None, decisions: int | None) -> float | None:
    """value / decisions; None without a value or a decision (business_value_daily's safe_divide)."""
    return None if value is None or not decisions else value / decisions


def _thresholds(checks: Sequence[Row], model: str, check_name: str) -> list[tuple[str, float]]:
    for check in checks:
        if check["model_name"] == model and check["check_name"] == check_name and check["subject"] is None:
            return [
                (label, check[f"{label}_threshold"])
                for label in ("warn", "fail")
                if check[f"{label}_threshold"] is not None
            ]
    return []


def segment_subject(row: Row) -> str:
    """The subject a segment check gives a segment (models/checks/segment_checks.sql): column=value, NULL as 'NULL'."""
    value = "NULL" if row["segment_value"] is None else row["segment_value"]
    return f"{row['segment_column']}={value}"


def check_statuses(data: ReportData, model: str) -> dict[tuple[str, str | None], str]:
    """The status of each of the model's checks the gate judges on the monitoring date, by (check_name, subject)."""
    return {
        (check["check_name"], check["subject"]): check["status"]
        for check in data.checks
        if check["model_name"] == model
    }


def model_segments(data: ReportData, model: str) -> list[Row]:
    """The model's segment_drift_daily rows, largest PSI first (NULL last), each with the status of the
    segment checks that name it (None where none does: those checks name the worst segment only)."""
    statuses = check_statuses(data, model)
    rows = sorted(
        (row for row in data.segment_drift if row["model_name"] == model),
        key=lambda row: (row["psi"] is None, -(row["psi"] or 0.0), row["segment_column"], row["segment_value"] or ""),
    )
    return [
        {**row, **{key: statuses.get((check, segment_subject(row))) for key, check in SEGMENT_CHECKS.items()}}
        for row in rows
    ]


def model_versions(data: ReportData, model: str) -> list[Row]:
    """The model's version_comparison_daily rows, each with the status of the version checks naming its
    model_version (None where the gate judges none)."""
    statuses = check_statuses(data, model)
    return [
        {**row, **{key: statuses.get((check, row["model_version"])) for key, check in VERSION_CHECKS.items()}}
        for row in data.version_comparison
        if row["model_name"] == model
    ]


def model_stability(data: ReportData, model: str) -> Row | None:
    """The model's score_stability_daily row, with the status of its decision_flip_rate check (flip_status)."""
    row = next((row for row in data.stability if row["model_name"] == model), None)
    return None if row is None else {**row, "flip_status": check_statuses(data, model).get((STABILITY_CHECK, None))}


def model_auc_chart(data: ReportData, model: str) -> Markup | None:
    """The estimated and realized AUC chart of the model; None when neither table has a row of it."""
    estimates = [row for row in data.estimates if row["model_name"] == model]
    cohorts = [row for row in data.performance_history if row["model_name"] == model]
    errors = {row["score_date"]: row for row in data.estimation_errors if row["model_name"] == model}
    return auc_chart(model, estimates, cohorts, errors) if estimates or cohorts else None


def serving_charts(data: ReportData, model: str) -> tuple[Markup | None, Markup | None]:
    """The latency chart (p50, p95, p99) and the error rate chart of the model, each with its check's
    thresholds; None where score_health_daily has no value (no latency_ms or error_flag column)."""
    rows = [row for row in data.health if row["model_name"] == model]
    latencies = [
        Series(label, _points(rows, column), color)
        for column, label, color in LATENCY_SERIES
        if _any_value(rows, column)
    ]
    latency = (
        trend_chart(
            f"latency-trend-{slug(model)}",
            "latency-trend",
            f"{model}: scoring latency (ms)",
            latencies,
            _thresholds(data.checks, model, "latency_p95"),
        )
        if latencies
        else None
    )
    errors = (
        line_chart(
            f"error-rate-trend-{slug(model)}",
            "error-rate-trend",
            f"{model}: scoring error rate",
            _points(rows, "error_rate"),
            _thresholds(data.checks, model, "error_rate"),
            ".2%",
            series_name="error rate",
        )
        if _any_value(rows, "error_rate")
        else None
    )
    return latency, errors


def capacity_chart(data: ReportData, model: str) -> Markup | None:
    """Decision and review capacity use of the model with the thresholds of their checks (the line at
    capacity among them); None for a model without a capacity."""
    rows = [row for row in data.operating_point if row["model_name"] == model and has_capacity(row)]
    series = [
        Series(label, _points(rows, column), color)
        for column, label, color in CAPACITY_SERIES
        if _any_value(rows, column)
    ]
    if not series:
        return None
    thresholds = [
        threshold for column, _, _ in CAPACITY_SERIES for threshold in _thresholds(data.checks, model, column)
    ]
    return trend_chart(
        f"capacity-trend-{slug(model)}",
        "capacity-trend",
        f"{model}: capacity use",
        series,
        list(dict.fromkeys(thresholds)),
        ".2%",
    )


def model_capacity(data: ReportData, model: str) -> Row | None:
    """The model's operating_point_daily row of the monitoring date with the statuses of its capacity
    checks; None for a model without a capacity."""
    row = capacity_on_date(data, model)
    if row is None:
        return None
    statuses = check_statuses(data, model)
    return {**row, **{key: statuses.get((check, None)) for key, check in CAPACITY_CHECKS.items()}}


def value_chart(data: ReportData, model: str) -> Markup | None:
    """Value per decision of the model: estimated on every day, realized on the due cohorts, with the
    thresholds of value_per_decision; None for a model without values or costs."""
    rows = [row for row in data.business_value if row["model_name"] == model]
    if not has_value(rows):
        return None
    estimated = [(row["score_date"], per_decision(row["estimated_value"], row["decision_count"])) for row in rows]
    realized = [
        (row["score_date"], per_decision(row["realized_value"], row["decision_count"]))
        for row in rows
        if row["realized_value"] is not None
    ]
    return trend_chart(
        f"value-trend-{slug(model)}",
        "value-trend",
        f"{model}: value per decision",
        [Series("estimated", estimated), Series("realized (due cohorts)", realized, CRITICAL, mode="markers")],
        _thresholds(data.checks, model, VALUE_CHECK),
        ",.2f",
    )


def model_value(data: ReportData, model: str) -> Row | None:
    """The model's business_value_daily row of the monitoring date with the status of its
    value_per_decision check; None for a model without values or costs."""
    row = value_on_date(data, model)
    return None if row is None else {**row, "value_status": check_statuses(data, model).get((VALUE_CHECK, None))}


def build_model_sections(data: ReportData) -> list[ModelSection]:
    sections = []
    decomposition = decomposition_rows(data)
    for model in data.models:
        status = next(row for row in data.status if row["model_name"] == model)
        bins = [row for row in data.score_bins if row["model_name"] == model]
        drift = [(row["score_date"], row["psi"]) for row in data.drift if row["model_name"] == model]
        volume = [(row["score_date"], row["row_count"]) for row in data.health if row["model_name"] == model]
        features = sorted(
            (row for row in data.feature_drift if row["model_name"] == model and row["psi"] is not None),
            key=lambda row: (-row["psi"], row["feature_name"]),
        )[:TOP_FEATURES]
        feature_status = {
            check["subject"]: check["status"]
            for check in data.checks
            if check["model_name"] == model and check["check_name"] == "feature_psi"
        }
        calibration = sorted(
            (row for row in data.calibration or [] if row["model_name"] == model), key=lambda row: row["bin_index"]
        )
        alerts = [row for row in data.alerts if row["model_name"] == model]
        performance = next((row for row in data.performance or [] if row["model_name"] == model), None)
        segments = model_segments(data, model)
        score_drift = next(
            (row for row in data.drift if row["model_name"] == model and row["score_date"] == data.monitoring_date),
            None,
        )
        health = model_on_date(data.health, model, data.monitoring_date)
        latency_trend, error_trend = serving_charts(data, model)
        sections.append(
            ModelSection(
                name=model,
                slug=slug(model),
                status=status,
                score_distribution=score_distribution_chart(model, bins) if bins else None,
                psi_trend=line_chart(
                    f"psi-trend-{slug(model)}",
                    "psi-trend",
                    f"{model}: score PSI",
                    drift,
                    _thresholds(data.checks, model, "score_psi"),
                    critical_values=[
                        (row["score_date"], row["psi_critical_value"])
                        for row in data.drift
                        if row["model_name"] == model
                    ],
                    series_name="PSI",
                )
                if drift
                else None,
                volume_trend=line_chart(
                    f"volume-trend-{slug(model)}",
                    "volume-trend",
                    f"{model}: rows scored per day",
                    volume,
                    (),
                    ",.0f",
                )
                if volume
                else None,
                reliability=reliability_chart(model, calibration[0]["score_date"], calibration)
                if calibration
                else None,
                top_features=top_features_chart(model, features, feature_status) if features else None,
                alert_timeline=alert_timeline_chart(model, alerts) if alerts else None,
                features=[{**row, "status": feature_status.get(row["feature_name"])} for row in features],
                performance=performance,
                score_drift=score_drift,
                segments=segments[:TOP_SEGMENTS],
                segment_count=len(segments),
                score_drift_checks=score_drift_checks(data, model),
                decomposition=[row for row in decomposition if row["model_name"] == model],
                auc_trend=model_auc_chart(data, model),
                estimate=estimate_on_date(data, model),
                estimate_checks=[
                    check
                    for check in data.checks
                    if check["model_name"] == model and check["check_family"] == "estimate"
                ],
                versions=model_versions(data, model),
                version_count=None if health is None else health["model_version_count"],
                stability=model_stability(data, model),
                latency_trend=latency_trend,
                error_trend=error_trend,
                capacity_trend=capacity_chart(data, model),
                capacity=model_capacity(data, model),
                value_trend=value_chart(data, model),
                value=model_value(data, model),
            )
        )
    return sections


def render_html(data: ReportData, snapshot: dict[str, Any]) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = format_number
    environment.filters["slug"] = slug
    segment_gaps = sorted(
        (row for row in data.segment_calibration or [] if row["calibration_gap"] is not None),
        key=lambda row: -row["calibration_gap"],
    )[:TOP_SEGMENT_GAPS]
    return environment.get_template("report.html.j2").render(
        plotly_js=plotly_js(),
        status_colors=STATUS_COLORS,
        snapshot=snapshot,
        sections=build_model_sections(data),
        label_tables_present=data.performance is not None or data.calibration is not None,
        segment_gaps=segment_gaps,
    )
