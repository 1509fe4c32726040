"""The HTML page: one section per model with its charts and tables (templates/report.html.j2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .charts import (
    STATUS_COLORS,
    alert_timeline_chart,
    auc_chart,
    line_chart,
    plotly_js,
    reliability_chart,
    score_distribution_chart,
    slug,
    top_features_chart,
)
from .readers import Row
from .snapshot import ReportData, decomposition_rows, estimate_on_date, format_number, score_drift_checks

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TOP_FEATURES = 10
TOP_SEGMENT_GAPS = 10
TOP_SEGMENTS = 10  # per model, largest segment PSI first
SEGMENT_CHECKS = {"psi_status": "segment_score_psi", "share_status": "segment_volume_shift"}
# The version checks naming a challenger version (subject), and the model-wide one of score_stability_daily.
VERSION_CHECKS = {"spearman_status": "spearman_correlation", "agreement_status": "decision_agreement"}
STABILITY_CHECK = "decision_flip_rate"


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
        health = next(
            (row for row in data.health if row["model_name"] == model and row["score_date"] == data.monitoring_date),
            None,
        )
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
