"""What the report says, read from the monitoring tables: ReportData, the snapshot (JSON) and its
Markdown rendering."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .readers import Reader, ReportInputError, Row

# The report cannot say anything without these; a missing one is an error naming it.
CORE_TABLES = ("score_health_daily", "monitoring_checks", "monitoring_status_daily")
# The views of the gate rule and of the status over it (one rule each, in SQL).
GATE_CHECKS, GATE_STATUS = "monitoring_gate_checks", "monitoring_gate_status"
# The alert lifecycle (open, escalated, resolved) over the check history, as the last build left it.
ALERTS = "monitoring_alerts"
DRIFT_TABLES = ("score_drift_daily", "score_bins_daily", "feature_drift_daily")
# Label metrics appear only once outcomes arrive (and in projects without labels, never):
# their absence is a state to report, not an error.
LABEL_TABLES = ("model_performance_daily", "calibration_bins_daily", "segment_calibration_daily")
# Segment drift and the split of the mean score change by segment: empty in a project without
# segment_columns, absent from a database built before they existed (both read as no rows).
SEGMENT_DRIFT, DECOMPOSITION = "segment_drift_daily", "score_mean_decomposition_daily"
# The drift significance beside PSI and KS; a database built before them lacks the columns (read as NULL).
SIGNIFICANCE_COLUMNS = ("psi_critical_value", "ks_p_value")
# A model with one of these checks not pass gets its score_mean_decomposition_daily rows in the report.
SCORE_DRIFT_CHECKS = ("score_psi", "score_ks")
# Performance estimated before labels, model versions compared on shared entities, and re-scored
# entities against the previous score date: absent from a database built before them (read as no
# rows). version_comparison_daily has rows only on the days a model scored two or more versions.
ESTIMATES, VERSION_COMPARISON, STABILITY = (
    "estimated_performance_daily",
    "version_comparison_daily",
    "score_stability_daily",
)
# The label check of a due cohort's stored estimated_auc against its realized auc (monitoring_checks
# keys it by the cohort's score_date).
ESTIMATION_ERROR = "estimation_error"
# What the snapshot keeps (compact): each model's estimate of the monitoring date, and its version comparison.
ESTIMATE_COLUMNS = (
    "model_name",
    "scored_count",
    "calibration_method",
    "calibration_row_count",
    "estimated_auc",
    "estimated_precision",
    "estimated_recall",
    "estimated_f1",
    "estimated_accuracy",
)
VERSION_COLUMNS = (
    "model_name",
    "model_version",
    "baseline_version",
    "row_count",
    "baseline_row_count",
    "shared_entity_count",
    "spearman_correlation",
    "decision_agreement",
    "mean_score_change",
    "labelled_entity_count",
    "baseline_auc",
    "version_auc",
)
# Serving health of score_health_daily: a database built before them lacks the columns (read as NULL);
# they are NULL in one built without a latency_ms (the latencies) or error_flag (error_rate) input column.
SERVING_COLUMNS = ("latency_p50", "latency_p95", "latency_p99", "error_count", "error_rate")
# Capacity use and the money of the decisions (issue 14): absent from a database built before them
# (read as no rows). operating_point_daily's capacity columns are NULL for a model without a capacity.
OPERATING_POINT, BUSINESS_VALUE = "operating_point_daily", "business_value_daily"
# What the snapshot keeps of the monitoring date: serving health of the models that record it, the
# operating point of the models with a capacity, and the value of the models with values or costs.
SERVING_SNAPSHOT_COLUMNS = ("model_name", "latency_p95", "error_rate")
CAPACITY_COLUMNS = (
    "model_name",
    "decision_count",
    "decision_capacity",
    "decision_capacity_use",
    "capacity_threshold",
    "review_count",
    "review_capacity",
    "review_capacity_use",
)
VALUE_COLUMNS = (
    "model_name",
    "decision_count",
    "labelled_count",
    "value_basis",
    "realized_value",
    "estimated_value",
    "value_per_decision",
)

# Statuses are read, never derived: each check's from monitoring_gate_checks, each model's
# overall_status from monitoring_gate_status. There is no top line over models in SQL, so none here.
STATUSES = ("pass", "warn", "fail")
ATTENTION_STATUSES = ("fail", "warn")  # in the order the attention items list them


@dataclass(frozen=True)
class ReportData:
    monitoring_date: date
    source: str
    status: list[Row]  # monitoring_gate_status of the monitoring date: per model, over `checks`
    checks: list[Row]  # monitoring_gate_checks of the monitoring date: what the release gate judges
    health: list[Row]  # score_health_daily over the history window
    drift: list[Row]  # score_drift_daily over the history window
    score_bins: list[Row]  # score_bins_daily on the monitoring date
    feature_drift: list[Row]  # feature_drift_daily on the monitoring date
    segment_drift: list[Row]  # segment_drift_daily on the monitoring date
    decomposition: list[Row]  # score_mean_decomposition_daily on the monitoring date, every model
    # None when the table does not exist (no label metrics yet); else the latest cohort per model.
    performance: list[Row] | None
    calibration: list[Row] | None
    segment_calibration: list[Row] | None
    # model_performance_daily over the history window: the due cohorts, by their score_date.
    performance_history: list[Row]
    # estimated_performance_daily over the history window, and the estimation_error checks of
    # monitoring_checks whose cohort (score_date) is in it.
    estimates: list[Row]
    estimation_errors: list[Row]
    # version_comparison_daily and score_stability_daily on the monitoring date.
    version_comparison: list[Row]
    stability: list[Row]
    # operating_point_daily and business_value_daily over the history window (empty before the tables existed).
    operating_point: list[Row]
    business_value: list[Row]
    # monitoring_alerts opened by the monitoring date and not resolved before the history window.
    alerts: list[Row]
    models: list[str]


def load_report_data(reader: Reader, monitoring_date: date | None, history_days: int) -> ReportData:
    for table in (*CORE_TABLES, GATE_CHECKS, GATE_STATUS, ALERTS, *DRIFT_TABLES):
        if not reader.has_table(table):
            raise ReportInputError(f"table not found: {reader.describe(table)} (run dbt build first, or pass --schema)")
    if monitoring_date is None:
        monitoring_date = reader.latest_date("monitoring_status_daily")
        if monitoring_date is None:
            raise ReportInputError(f"no rows in {reader.describe('monitoring_status_daily')}: nothing to report")
    history_start = monitoring_date - timedelta(days=history_days)

    def on_date(table: str) -> list[Row]:
        return reader.rows(table, monitoring_date, monitoring_date)

    def optional_on_date(table: str) -> list[Row]:
        return on_date(table) if reader.has_table(table) else []

    core = {table: on_date(table) for table in CORE_TABLES}
    for table, rows in core.items():
        if not rows:
            latest = reader.latest_date(table)
            raise ReportInputError(
                f"no rows for monitoring date {monitoring_date} in {reader.describe(table)} (latest score_date there: {latest})"
            )

    def in_window(table: str) -> list[Row] | None:
        return reader.rows(table, history_start, monitoring_date) if reader.has_table(table) else None

    performance_history = in_window("model_performance_daily")

    # What the gate judges, and each model's status over it, as the SQL says (one gate rule, one status rule).
    checks = reader.rows(GATE_CHECKS, monitoring_date, monitoring_date, date_column="gate_date")
    status = [
        {name: row[name] for name in ("model_name", "overall_status", "pass_count", "warn_count", "fail_count")}
        for row in reader.rows(GATE_STATUS, monitoring_date, monitoring_date, date_column="gate_date")
    ]

    return ReportData(
        monitoring_date=monitoring_date,
        source=reader.source,
        status=sorted(status, key=lambda row: row["model_name"]),
        checks=sorted(checks, key=_check_order),
        health=with_columns(
            sorted(reader.rows("score_health_daily", history_start, monitoring_date), key=_date_order),
            SERVING_COLUMNS,
        ),
        drift=with_columns(
            sorted(reader.rows("score_drift_daily", history_start, monitoring_date), key=_date_order),
            SIGNIFICANCE_COLUMNS,
        ),
        score_bins=sorted(on_date("score_bins_daily"), key=lambda row: (row["model_name"], row["bin_index"])),
        feature_drift=with_columns(on_date("feature_drift_daily"), SIGNIFICANCE_COLUMNS),
        segment_drift=optional_on_date(SEGMENT_DRIFT),
        decomposition=sorted(
            optional_on_date(DECOMPOSITION), key=lambda row: (row["model_name"], row["segment_column"])
        ),
        performance=latest_cohorts(performance_history),
        calibration=latest_cohorts(in_window("calibration_bins_daily")),
        segment_calibration=latest_cohorts(in_window("segment_calibration_daily")),
        performance_history=sorted(performance_history or [], key=_date_order),
        estimates=sorted(in_window(ESTIMATES) or [], key=_date_order),
        estimation_errors=reader.rows(
            "monitoring_checks", history_start, monitoring_date, equal={"check_name": ESTIMATION_ERROR}
        ),
        version_comparison=sorted(
            optional_on_date(VERSION_COMPARISON), key=lambda row: (row["model_name"], row["model_version"])
        ),
        stability=optional_on_date(STABILITY),
        operating_point=sorted(in_window(OPERATING_POINT) or [], key=_date_order),
        business_value=sorted(in_window(BUSINESS_VALUE) or [], key=_date_order),
        alerts=sorted(
            reader.spans(ALERTS, history_start, monitoring_date, "first_seen", "resolved_on"),
            key=lambda row: (*_check_order(row), row["first_seen"]),
        ),
        models=sorted(row["model_name"] for row in status),
    )


def latest_cohorts(rows: list[Row] | None) -> list[Row] | None:
    """Each model's rows of its latest score_date; None stays None (the table does not exist).

    Label metrics exist only for due cohorts (score_date + label_horizon_days <= the build's
    monitoring date), so the monitoring date itself has none: the report shows the latest cohort."""
    if rows is None:
        return None
    latest: dict[str, date] = {}
    for row in rows:
        latest[row["model_name"]] = max(latest.get(row["model_name"], row["score_date"]), row["score_date"])
    return [row for row in rows if row["score_date"] == latest[row["model_name"]]]


def estimate_on_date(data: ReportData, model: str) -> Row | None:
    """The model's estimated_performance_daily row of the monitoring date (None without one)."""
    return model_on_date(data.estimates, model, data.monitoring_date)


def model_on_date(rows: Sequence[Row], model: str, monitoring_date: date) -> Row | None:
    """The model's row of the monitoring date among rows (None without one)."""
    return next((row for row in rows if row["model_name"] == model and row["score_date"] == monitoring_date), None)


def has_capacity(row: Row) -> bool:
    """Whether an operating_point_daily row is of a model with a decision or review capacity."""
    return row["decision_capacity"] is not None or row["review_capacity"] is not None


def has_value(rows: Sequence[Row]) -> bool:
    """Whether business_value_daily rows are of a model with values or costs: without any, every
    value is 0 (decision_value() of settings that default to 0)."""
    return any(row[name] for row in rows for name in ("realized_value", "estimated_value"))


def serving_on_date(data: ReportData, model: str) -> Row | None:
    """The model's score_health_daily row of the monitoring date; None without a latency_p95 or error_rate."""
    row = model_on_date(data.health, model, data.monitoring_date)
    return row if row is not None and any(row[name] is not None for name in SERVING_SNAPSHOT_COLUMNS[1:]) else None


def capacity_on_date(data: ReportData, model: str) -> Row | None:
    """The model's operating_point_daily row of the monitoring date; None for a model without a capacity."""
    row = model_on_date(data.operating_point, model, data.monitoring_date)
    return row if row is not None and has_capacity(row) else None


def value_on_date(data: ReportData, model: str) -> Row | None:
    """The model's business_value_daily row of the monitoring date; None for a model without values or costs."""
    row = model_on_date(data.business_value, model, data.monitoring_date)
    rows = [other for other in data.business_value if other["model_name"] == model]
    return row if row is not None and has_value(rows) else None


def with_columns(rows: list[Row], columns: Sequence[str]) -> list[Row]:
    """rows with each of columns, NULL where the table has no such column (built by an older version)."""
    return [{**dict.fromkeys(columns), **row} for row in rows]


def score_drift_checks(data: ReportData, model: str) -> list[Row]:
    """The model's score drift checks (SCORE_DRIFT_CHECKS) the gate judges on the monitoring date."""
    return [row for row in data.checks if row["model_name"] == model and row["check_name"] in SCORE_DRIFT_CHECKS]


def decomposition_rows(data: ReportData) -> list[Row]:
    """score_mean_decomposition_daily of the models with a score drift check that is not pass (the
    statuses as monitoring_gate_checks gives them); none when every score drift check passes."""
    return [
        row
        for row in data.decomposition
        if any(check["status"] != "pass" for check in score_drift_checks(data, row["model_name"]))
    ]


def _check_order(row: Row) -> tuple[str, str, str]:
    return (row["model_name"], row["check_name"], row["subject"] or "")


def _date_order(row: Row) -> tuple[date, str]:
    return (row["score_date"], row["model_name"])


# --- snapshot (JSON and Markdown) -------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """A value JSON can carry: dates as ISO strings; NaN and infinities (no JSON for them) as null."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def compact(row: Row, columns: Sequence[str]) -> dict[str, Any]:
    """row's columns, JSON values."""
    return {name: json_value(row[name]) for name in columns}


def rows_on_date(
    data: ReportData, row_of: Callable[[ReportData, str], Row | None], columns: Sequence[str]
) -> list[dict[str, Any]]:
    """Each model's row of the monitoring date by row_of (none where it gives None), compact."""
    return [compact(row, columns) for row in (row_of(data, model) for model in data.models) if row is not None]


def build_snapshot(data: ReportData) -> dict[str, Any]:
    checks = [{name: json_value(value) for name, value in row.items()} for row in data.checks]
    attention = sorted(
        (check for check in checks if check["status"] in ATTENTION_STATUSES),
        key=lambda check: (
            ATTENTION_STATUSES.index(check["status"]),
            check["model_name"],
            check["check_name"],
            check["subject"] or "",
        ),
    )
    models = [{name: json_value(value) for name, value in row.items()} for row in data.status]
    decomposition = [{name: json_value(value) for name, value in row.items()} for row in decomposition_rows(data)]
    return {
        "monitoring_date": data.monitoring_date.isoformat(),
        "source": data.source,
        "counts": {
            "models": len(models),
            "checks": len(checks),
            **{status: sum(check["status"] == status for check in checks) for status in STATUSES},
        },
        "models": models,
        "attention": attention,
        # Empty when every score_psi and score_ks passes (or the model has no segment columns).
        "score_mean_decomposition": decomposition,
        # Each model's estimated_performance_daily of the monitoring date (none before the table existed).
        "estimated_performance": rows_on_date(data, estimate_on_date, ESTIMATE_COLUMNS),
        # version_comparison_daily of the monitoring date: empty unless a model scored two or more versions.
        "version_comparison": [compact(row, VERSION_COLUMNS) for row in data.version_comparison],
        # score_health_daily's latency_p95 and error_rate of the models that record latency_ms or error_flag.
        "serving_health": rows_on_date(data, serving_on_date, SERVING_SNAPSHOT_COLUMNS),
        # operating_point_daily of the models with a decision or review capacity.
        "capacity": rows_on_date(data, capacity_on_date, CAPACITY_COLUMNS),
        # business_value_daily of the models with values or costs: realized once due, else estimated.
        "business_value": rows_on_date(data, value_on_date, VALUE_COLUMNS),
        "checks": checks,
    }


def format_number(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "NULL"
    if isinstance(value, bool | int):
        return str(value)
    if isinstance(value, float | Decimal):
        return f"{float(value):.4g}"
    return str(value)


def _md_cell(value: Any) -> str:
    return format_number(value).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md_cell(value) for value in row) + " |" for row in rows]
    return lines


def check_cells(check: dict[str, Any]) -> list[Any]:
    # A model-wide check has no subject: an empty cell, where a NULL metric value reads "NULL".
    return [
        check["model_name"],
        check["check_name"],
        check["subject"] or "",
        check["status"],
        check["metric_value"],
        check["warn_threshold"],
        check["fail_threshold"],
        check["message"],
    ]


def _md_section(
    rows: Sequence[dict[str, Any]], title: str, note: str, headers: Sequence[str], columns: Sequence[str]
) -> list[str]:
    """A Markdown section of the snapshot's rows (their columns under headers); none without rows."""
    if not rows:
        return []
    return ["", f"## {title}", "", note, "", *_md_table(headers, ([row[name] for name in columns] for row in rows))]


def render_markdown(snapshot: dict[str, Any]) -> str:
    counts = snapshot["counts"]
    headers = ("model", "check", "subject", "status", "value", "warn", "fail", "message")
    lines = [
        f"# Score monitoring: {snapshot['monitoring_date']}",
        "",
        (
            f"{counts['models']} models, {counts['checks']} checks: "
            f"{counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail. "
            + ", ".join(f"{m['model_name']}: **{m['overall_status'].upper()}**" for m in snapshot["models"])
            + "."
        ),
        "",
        f"Source: `{snapshot['source']}`",
        "",
        "## Models",
        "",
        *_md_table(
            ("model", "status", "pass", "warn", "fail"),
            (
                [m["model_name"], m["overall_status"], m["pass_count"], m["warn_count"], m["fail_count"]]
                for m in snapshot["models"]
            ),
        ),
        "",
        "## Attention items",
        "",
    ]
    if snapshot["attention"]:
        lines += _md_table(headers, (check_cells(item) for item in snapshot["attention"]))
    else:
        lines.append("None: every check passes.")
    lines += _md_section(
        snapshot["estimated_performance"],
        "Estimated performance",
        f"Before labels, from the calibrated scores of {snapshot['monitoring_date']} (estimated_performance_daily).",
        ("model", "scored", "calibration", "calibration rows", "AUC", "precision", "recall", "F1", "accuracy"),
        ESTIMATE_COLUMNS,
    )
    lines += _md_section(
        snapshot["version_comparison"],
        "Version comparison",
        "Each challenger version against the day's baseline over their shared entities; the AUCs once the cohort is due.",
        (
            "model",
            "version",
            "baseline",
            "rows",
            "baseline rows",
            "shared",
            "Spearman",
            "decision agreement",
            "mean score change",
            "labelled",
            "baseline AUC",
            "version AUC",
        ),
        VERSION_COLUMNS,
    )
    lines += _md_section(
        snapshot["serving_health"],
        "Serving health",
        "The 95th percentile of latency_ms (ms) and the share of scoring errors (error_flag) per model.",
        ("model", "latency p95 (ms)", "error rate"),
        SERVING_SNAPSHOT_COLUMNS,
    )
    lines += _md_section(
        snapshot["capacity"],
        "Capacity",
        "Decisions and reviews against the model's capacities; the capacity threshold fills the decision capacity exactly.",
        (
            "model",
            "decisions",
            "decision capacity",
            "decision capacity use",
            "capacity threshold",
            "reviews",
            "review capacity",
            "review capacity use",
        ),
        CAPACITY_COLUMNS,
    )
    lines += _md_section(
        snapshot["business_value"],
        "Business value",
        "The money of the day's decisions: realized once the cohort is due, else estimated before labels.",
        ("model", "decisions", "labelled", "basis", "realized", "estimated", "value per decision"),
        VALUE_COLUMNS,
    )
    if snapshot["score_mean_decomposition"]:
        lines += [
            "",
            "## Score mean decomposition",
            "",
            (
                f"Models whose {' or '.join(SCORE_DRIFT_CHECKS)} is not pass: the change of the mean score against "
                "the reference, split per segment column into mix (segment shares moved) and within (scores "
                "moved inside the segments); mix + within = change."
            ),
            "",
            *_md_table(
                ("model", "segment column", "mean score", "reference", "change", "mix", "within"),
                (
                    [
                        row["model_name"],
                        row["segment_column"],
                        row["score_mean"],
                        row["reference_score_mean"],
                        row["score_mean_change"],
                        row["mix_effect"],
                        row["within_effect"],
                    ]
                    for row in snapshot["score_mean_decomposition"]
                ),
            ),
        ]
    lines += [
        "",
        "## All checks",
        "",
        *_md_table(headers, (check_cells(check) for check in snapshot["checks"])),
    ]
    return "\n".join(lines) + "\n"
