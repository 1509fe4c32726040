"""Write the monitoring report of one monitoring date.

Reads the monitoring tables (data contract, section 2) from the DuckDB file the project builds, or
from BigQuery, in the schema (BigQuery: dataset) --schema or, by default, the one the dbt manifest
puts the package's tables in: <target schema>_score_monitoring, also when the project that ran dbt
installs this one as a package. Writes into --out-dir:
  monitoring_snapshot.json  overall status, counts, attention items (every warn and fail) and all checks
  monitoring_snapshot.md    the same for people (a chat message, a ticket, a PR comment)
  monitoring_report.html    a static page with inline SVG charts: no server, no scripts, opens offline

Examples:
  python scripts/monitoring_report.py                                  # target/score_monitoring.duckdb
  python scripts/monitoring_report.py --duckdb /tmp/x.duckdb --schema main_score_monitoring --monitoring-date 2026-01-16
  python scripts/monitoring_report.py --bigquery-project my-proj --schema analytics_score_monitoring

Exit codes: 0 written; 2 bad input (a missing database file, manifest or table, a monitoring date
without rows, no schema to read), with a message naming the file, schema.table or date.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

Row = dict[str, Any]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
# The node whose schema the manifest gives: the package's, whichever project installs the package.
HEALTH_NODE = "model.score_monitoring.score_health_daily"
DEFAULT_MANIFEST = Path("target/manifest.json")
# Without a manifest: the schema of the DuckDB target in profiles/profiles.yml (main) + the package's suffix.
DEFAULT_DUCKDB_SCHEMA = "main_score_monitoring"

# The report cannot say anything without these; a missing one is an error naming it.
CORE_TABLES = ("score_health_daily", "monitoring_checks", "monitoring_status_daily")
# The views of the gate rule and of the status over it (one rule each, in SQL).
GATE_CHECKS, GATE_STATUS = "monitoring_gate_checks", "monitoring_gate_status"
DRIFT_TABLES = ("score_drift_daily", "score_bins_daily", "feature_drift_daily")
# Label metrics appear only once outcomes arrive (and in projects without labels, never):
# their absence is a state to report, not an error.
LABEL_TABLES = ("model_performance_daily", "calibration_bins_daily", "segment_calibration_daily")

STATUS_RANK = {"pass": 0, "warn": 1, "fail": 2}
ATTENTION_STATUSES = ("fail", "warn")
TOP_FEATURES = 10
TOP_SEGMENT_GAPS = 10
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
SNAPSHOT_JSON = "monitoring_snapshot.json"
SNAPSHOT_MD = "monitoring_snapshot.md"
REPORT_HTML = "monitoring_report.html"


class ReportInputError(Exception):
    """Bad input the user can fix (file, table, date); the message names it."""


# --- readers: the same few queries against DuckDB or BigQuery -------------------------------------


class Reader(Protocol):
    source: str  # the database, for the report header

    def describe(self, table: str) -> str:
        """Where the table lives, for messages."""
        ...

    def has_table(self, table: str) -> bool: ...

    def latest_date(self, table: str) -> date | None: ...

    def rows(self, table: str, date_from: date, date_to: date, date_column: str = "score_date") -> list[Row]:
        """Every row with date_from <= date_column <= date_to."""
        ...


class DuckDBReader:
    def __init__(self, path: Path, schema: str) -> None:
        if not path.is_file():
            raise ReportInputError(f"database file not found: {path} (run dbt build first, or pass --duckdb PATH)")
        import duckdb

        self._path = path
        self._schema = schema
        self.source = f"duckdb:{path}"
        try:
            self._connection = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as error:
            raise ReportInputError(f"cannot open database file {path}: {error}") from error

    def describe(self, table: str) -> str:
        return f"{self._schema}.{table} in {self._path}"

    def has_table(self, table: str) -> bool:
        found = self._connection.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [self._schema, table],
        ).fetchall()
        return bool(found[0][0])

    def latest_date(self, table: str) -> date | None:
        value = self._connection.execute(f'select max(score_date) from "{self._schema}"."{table}"').fetchall()[0][0]
        return _as_date(value)

    def rows(self, table: str, date_from: date, date_to: date, date_column: str = "score_date") -> list[Row]:
        cursor = self._connection.execute(
            f'select * from "{self._schema}"."{table}" where {date_column} between ? and ?', [date_from, date_to]
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


class BigQueryReader:
    def __init__(self, project: str, dataset: str, api_endpoint: str | None = None, client: Any = None) -> None:
        # Imported here: the DuckDB path (the default, and CI) should not pay for loading the client.
        from google.cloud import bigquery

        self._bigquery = bigquery
        self._dataset = f"{project}.{dataset}"
        self.source = f"bigquery:{self._dataset}"
        if client is not None:
            self._client = client
        elif api_endpoint is None:
            self._client = bigquery.Client(project=project)
        else:
            # A local emulator: anonymous, like scripts/load_to_bigquery.py --api-endpoint.
            from google.api_core.client_options import ClientOptions
            from google.auth.credentials import AnonymousCredentials

            self._client = bigquery.Client(
                project=project,
                credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
                client_options=ClientOptions(api_endpoint=api_endpoint),
            )

    def describe(self, table: str) -> str:
        return f"{self._dataset}.{table}"

    def has_table(self, table: str) -> bool:
        from google.api_core.exceptions import NotFound

        try:
            self._client.get_table(f"{self._dataset}.{table}")
        except NotFound:
            return False
        return True

    def _query(self, sql: str, dates: dict[str, date]) -> list[Row]:
        parameters = [self._bigquery.ScalarQueryParameter(name, "DATE", value) for name, value in dates.items()]
        job = self._client.query(sql, job_config=self._bigquery.QueryJobConfig(query_parameters=parameters))
        return [dict(row.items()) for row in job.result()]

    def latest_date(self, table: str) -> date | None:
        rows = self._query(f"select max(score_date) as latest from `{self._dataset}.{table}`", {})
        return _as_date(rows[0]["latest"]) if rows else None

    def rows(self, table: str, date_from: date, date_to: date, date_column: str = "score_date") -> list[Row]:
        return self._query(
            f"select * from `{self._dataset}.{table}` where {date_column} between @date_from and @date_to",
            {"date_from": date_from, "date_to": date_to},
        )


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


# --- where the tables are --------------------------------------------------------------------------


def manifest_schema(manifest: dict[str, Any], adapter: str, path: Path) -> str:
    """The schema (BigQuery: dataset) in which the manifest at path puts the package's score_health_daily."""
    built_for = manifest.get("metadata", {}).get("adapter_type")
    if built_for != adapter:
        raise ReportInputError(f"dbt manifest {path} is for {built_for}, not {adapter}: pass --schema or --manifest")
    node = manifest.get("nodes", {}).get(HEALTH_NODE)
    if node is None:
        raise ReportInputError(f"dbt manifest {path} has no {HEALTH_NODE}: pass --schema")
    return str(node["schema"])


def monitoring_schema(schema: str | None, manifest_path: Path | None, adapter: str) -> str:
    """schema if given, else the manifest's; without a manifest, DEFAULT_DUCKDB_SCHEMA on DuckDB."""
    if schema is not None:
        return schema
    if manifest_path is None:
        if adapter == "duckdb":
            return DEFAULT_DUCKDB_SCHEMA
        raise ReportInputError("no dbt manifest says which dataset holds the monitoring tables: pass --schema")
    if not manifest_path.is_file():
        raise ReportInputError(f"dbt manifest not found: {manifest_path}")
    try:
        manifest = json.loads(manifest_path.read_text())
    except json.JSONDecodeError as error:
        raise ReportInputError(f"dbt manifest is not valid JSON: {manifest_path}: {error}") from error
    return manifest_schema(manifest, adapter, manifest_path)


# --- loading ---------------------------------------------------------------------------------------


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
    # None when the table does not exist (no label metrics yet); else the latest cohort per model.
    performance: list[Row] | None
    calibration: list[Row] | None
    segment_calibration: list[Row] | None
    models: list[str]


def load_report_data(reader: Reader, monitoring_date: date | None, history_days: int) -> ReportData:
    for table in (*CORE_TABLES, GATE_CHECKS, GATE_STATUS, *DRIFT_TABLES):
        if not reader.has_table(table):
            raise ReportInputError(f"table not found: {reader.describe(table)} (run dbt build first, or pass --schema)")
    if monitoring_date is None:
        monitoring_date = reader.latest_date("monitoring_status_daily")
        if monitoring_date is None:
            raise ReportInputError(f"no rows in {reader.describe('monitoring_status_daily')}: nothing to report")
    history_start = monitoring_date - timedelta(days=history_days)

    def on_date(table: str) -> list[Row]:
        return reader.rows(table, monitoring_date, monitoring_date)

    core = {table: on_date(table) for table in CORE_TABLES}
    for table, rows in core.items():
        if not rows:
            latest = reader.latest_date(table)
            raise ReportInputError(
                f"no rows for monitoring date {monitoring_date} in {reader.describe(table)} (latest score_date there: {latest})"
            )

    def latest_cohorts(table: str) -> list[Row] | None:
        # Label metrics exist only for due cohorts (score_date + label_horizon_days <= the build's
        # monitoring date), so the monitoring date itself has none: show each model's latest cohort.
        if not reader.has_table(table):
            return None
        rows = reader.rows(table, history_start, monitoring_date)
        latest: dict[str, date] = {}
        for row in rows:
            latest[row["model_name"]] = max(latest.get(row["model_name"], row["score_date"]), row["score_date"])
        return [row for row in rows if row["score_date"] == latest[row["model_name"]]]

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
        health=sorted(reader.rows("score_health_daily", history_start, monitoring_date), key=_date_order),
        drift=sorted(reader.rows("score_drift_daily", history_start, monitoring_date), key=_date_order),
        score_bins=sorted(on_date("score_bins_daily"), key=lambda row: (row["model_name"], row["bin_index"])),
        feature_drift=on_date("feature_drift_daily"),
        performance=latest_cohorts("model_performance_daily"),
        calibration=latest_cohorts("calibration_bins_daily"),
        segment_calibration=latest_cohorts("segment_calibration_daily"),
        models=sorted(row["model_name"] for row in status),
    )


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


def worst_status(statuses: Iterable[str]) -> str:
    return max(statuses, key=lambda status: STATUS_RANK.get(status, -1), default="pass")


def build_snapshot(data: ReportData) -> dict[str, Any]:
    checks = [{name: json_value(value) for name, value in row.items()} for row in data.checks]
    attention = sorted(
        (check for check in checks if check["status"] in ATTENTION_STATUSES),
        key=lambda check: (
            -STATUS_RANK[check["status"]],
            check["model_name"],
            check["check_name"],
            check["subject"] or "",
        ),
    )
    models = [{name: json_value(value) for name, value in row.items()} for row in data.status]
    return {
        "monitoring_date": data.monitoring_date.isoformat(),
        "source": data.source,
        "overall_status": worst_status(check["status"] for check in checks),
        "counts": {
            "models": len(models),
            "checks": len(checks),
            **{status: sum(check["status"] == status for check in checks) for status in STATUS_RANK},
        },
        "models": models,
        "attention": attention,
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


def render_markdown(snapshot: dict[str, Any]) -> str:
    counts = snapshot["counts"]
    headers = ("model", "check", "subject", "status", "value", "warn", "fail", "message")
    lines = [
        f"# Score monitoring: {snapshot['monitoring_date']}",
        "",
        (
            f"Overall status: **{snapshot['overall_status'].upper()}** for {counts['models']} models, "
            f"{counts['checks']} checks: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail."
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
    lines += [
        "",
        "## All checks",
        "",
        *_md_table(headers, (check_cells(check) for check in snapshot["checks"])),
    ]
    return "\n".join(lines) + "\n"


# --- SVG charts ---------------------------------------------------------------------------------------
# Small hand-written charts: the page must open offline and pass a strict content security policy,
# so there is no chart library; each function returns one <svg class="chart" id=...> element.

WIDTH, HEIGHT = 560, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 30, 48


@dataclass(frozen=True)
class Plot:
    """Maps data coordinates into the plot area of a WIDTH x HEIGHT chart."""

    x_min: float
    x_max: float
    y_min: float
    y_max: float

    def x(self, value: float) -> float:
        span = (self.x_max - self.x_min) or 1.0
        return MARGIN_LEFT + (value - self.x_min) / span * (WIDTH - MARGIN_LEFT - MARGIN_RIGHT)

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return HEIGHT - MARGIN_BOTTOM - (value - self.y_min) / span * (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)


def slug(name: str) -> str:
    """An HTML id fragment for a model name (ids must be stable for tests and links)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "model"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def percent(share: float) -> str:
    return f"{share * 100:g}%"


def _svg(chart_id: str, kind: str, title: str, body: list[str]) -> Markup:
    title_id = f"{chart_id}-title"
    return Markup(
        f'<svg class="chart {kind}" id="{chart_id}" role="img" aria-labelledby="{title_id}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<text class="chart-title" x="{MARGIN_LEFT}" y="18">{escape(title)}</text>' + "".join(body) + "</svg>"
    )


def _y_axis(plot: Plot, ticks: Sequence[float], label: Callable[[float], str] = "{:g}".format) -> list[str]:
    parts = []
    for tick in ticks:
        y = plot.y(tick)
        parts.append(f'<line class="grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label(tick)}</text>')
    return parts


def _x_label(x: float, text: str) -> str:
    return (
        f'<text class="tick" x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle">{escape(text)}</text>'
    )


def _legend(entries: Sequence[tuple[str, str]]) -> list[str]:
    parts, x = [], WIDTH - MARGIN_RIGHT
    for label, css in reversed(entries):
        x -= 8 * len(label) + 24
        parts.append(f'<rect class="{css}" x="{x}" y="{HEIGHT - 18}" width="12" height="10"/>')
        parts.append(f'<text class="legend" x="{x + 16}" y="{HEIGHT - 9}">{escape(label)}</text>')
    return parts


def score_distribution_chart(model: str, bins: Sequence[Row]) -> Markup:
    """Current vs reference share per score bin (the reference deciles of score_bins_daily)."""
    top = max(
        (share for row in bins for share in (row["current_share"], row["reference_share"]) if share is not None),
        default=0.0,
    )
    plot = Plot(0, len(bins), 0, nice_ticks(0, top or 0.1)[-1])
    body = _y_axis(plot, nice_ticks(0, plot.y_max), percent)
    slot = plot.x(1) - plot.x(0)
    for index, row in enumerate(bins):
        for offset, (name, css) in enumerate(
            (("reference_share", "series-reference"), ("current_share", "series-current"))
        ):
            share = row[name]
            if share is None:
                continue
            x = plot.x(index) + slot * (0.1 + 0.4 * offset)
            body.append(
                f'<rect class="{css}" x="{x:.1f}" y="{plot.y(share):.1f}" width="{slot * 0.4:.1f}" '
                f'height="{plot.y(0) - plot.y(share):.1f}"><title>bin {row["bin_index"]} {name}: {share:.2%}</title></rect>'
            )
        lower, upper = row["lower_edge"], row["upper_edge"]
        label = (
            f"<{upper:.2f}"
            if lower is None and upper is not None
            else f"≥{lower:.2f}"
            if upper is None and lower is not None
            else f"{lower:.2f}"
            if lower is not None
            else "all"
        )
        body.append(_x_label(plot.x(index + 0.5), label))
    body += _legend((("reference", "series-reference"), ("current", "series-current")))
    return _svg(
        f"score-distribution-{slug(model)}", "score-distribution", f"{model}: score distribution vs reference", body
    )


def line_chart(
    chart_id: str,
    kind: str,
    title: str,
    points: Sequence[tuple[date, float | None]],
    thresholds: Sequence[tuple[str, float]] = (),
    value_label: Callable[[float], str] = "{:g}".format,
) -> Markup:
    """One series over dates; a gap where the value is NULL; dashed threshold lines; the last date marked."""
    values = [value for _, value in points if value is not None] + [value for _, value in thresholds]
    days = [(day - points[0][0]).days for day, _ in points]
    ticks = nice_ticks(min([0.0, *values]), max(values, default=1.0) or 1.0)
    plot = Plot(0, max(days[-1], 1), ticks[0], ticks[-1])
    body = _y_axis(plot, ticks, value_label)
    for index in sorted({0, len(points) // 2, len(points) - 1}):
        body.append(_x_label(plot.x(days[index]), points[index][0].strftime("%m-%d")))
    for label, value in thresholds:
        y = plot.y(value)
        body.append(
            f'<line class="threshold threshold-{label}" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        body.append(
            f'<text class="threshold-label" x="{WIDTH - MARGIN_RIGHT - 2}" y="{y - 3:.1f}" text-anchor="end">{label} {value:g}</text>'
        )
    # Lines first, points on top; a NULL value (e.g. no reference on the first date) breaks the line.
    segments: list[list[str]] = [[]]
    circles = []
    for day, (when, value) in zip(days, points, strict=True):
        if value is None:
            segments.append([])
            continue
        segments[-1].append(f"{plot.x(day):.1f},{plot.y(value):.1f}")
        circles.append(
            f'<circle class="point" cx="{plot.x(day):.1f}" cy="{plot.y(value):.1f}" r="2.5"><title>{when}: {value:.4g}</title></circle>'
        )
    body += [
        f'<polyline class="series-line" points="{" ".join(segment)}"/>' for segment in segments if len(segment) > 1
    ]
    body += circles
    if not values:
        body.append(f'<text class="no-data" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">no values yet</text>')
    return _svg(chart_id, kind, title, body)


def reliability_chart(model: str, cohort: date, bins: Sequence[Row]) -> Markup:
    """Observed rate against mean score per calibration bin; on the diagonal means calibrated."""
    plot = Plot(0, 1, 0, 1)
    ticks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    body = _y_axis(plot, ticks)
    body += [_x_label(plot.x(tick), f"{tick:g}") for tick in ticks]
    body.append(
        f'<line class="diagonal" x1="{plot.x(0):.1f}" y1="{plot.y(0):.1f}" x2="{plot.x(1):.1f}" y2="{plot.y(1):.1f}"/>'
    )
    used = [
        row for row in bins if row["row_count"] and row["mean_score"] is not None and row["observed_rate"] is not None
    ]
    largest = max((row["row_count"] for row in used), default=1)
    if len(used) > 1:
        path = " ".join(f"{plot.x(row['mean_score']):.1f},{plot.y(row['observed_rate']):.1f}" for row in used)
        body.append(f'<polyline class="series-line" points="{path}"/>')
    for row in used:
        radius = 2.5 + 5.5 * math.sqrt(row["row_count"] / largest)
        body.append(
            f'<circle class="point" cx="{plot.x(row["mean_score"]):.1f}" cy="{plot.y(row["observed_rate"]):.1f}" r="{radius:.1f}">'
            f"<title>bin {row['bin_index']}: mean score {row['mean_score']:.3f}, observed {row['observed_rate']:.3f}, "
            f"{row['row_count']} rows</title></circle>"
        )
    body.append(f'<text class="axis-label" x="{WIDTH / 2}" y="{HEIGHT - 14}" text-anchor="middle">mean score</text>')
    body.append(
        f'<text class="axis-label" transform="rotate(-90)" x="{-HEIGHT / 2}" y="14" text-anchor="middle">observed rate</text>'
    )
    return _svg(f"reliability-{slug(model)}", "reliability", f"{model}: reliability, cohort {cohort}", body)


def top_features_chart(model: str, features: Sequence[Row], statuses: dict[str, str]) -> Markup:
    """Feature PSI on the monitoring date, largest first, each bar coloured by its feature_psi check."""
    row_height = (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / max(len(features), 1)
    top = max((row["psi"] for row in features), default=0.0)
    ticks = nice_ticks(0, top or 0.1)
    left = 150  # room for feature names
    span = WIDTH - MARGIN_RIGHT - left
    body = []
    for tick in ticks:
        x = left + tick / ticks[-1] * span
        body.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{MARGIN_TOP}" y2="{HEIGHT - MARGIN_BOTTOM}"/>')
        body.append(_x_label(x, f"{tick:g}"))
    for index, row in enumerate(features):
        y = MARGIN_TOP + index * row_height
        status = statuses.get(row["feature_name"], "unknown")
        width = row["psi"] / ticks[-1] * span
        body.append(
            f'<rect class="bar status-{escape(status)}" x="{left}" y="{y + row_height * 0.15:.1f}" width="{max(width, 1):.1f}" '
            f'height="{row_height * 0.7:.1f}"><title>{escape(row["feature_name"])}: PSI {row["psi"]:.4g} ({escape(status)})</title></rect>'
        )
        body.append(
            f'<text class="tick" x="{left - 6}" y="{y + row_height * 0.5 + 4:.1f}" text-anchor="end">{escape(row["feature_name"])}</text>'
        )
    body.append(f'<text class="axis-label" x="{(left + WIDTH) / 2}" y="{HEIGHT - 14}" text-anchor="middle">PSI</text>')
    return _svg(f"top-features-{slug(model)}", "top-features", f"{model}: top drifting features", body)


# --- HTML page ---------------------------------------------------------------------------------------


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
    features: list[Row]
    performance: Row | None


def _thresholds(checks: Sequence[Row], model: str, check_name: str) -> list[tuple[str, float]]:
    for check in checks:
        if check["model_name"] == model and check["check_name"] == check_name and check["subject"] is None:
            return [
                (label, check[f"{label}_threshold"])
                for label in ("warn", "fail")
                if check[f"{label}_threshold"] is not None
            ]
    return []


def build_model_sections(data: ReportData) -> list[ModelSection]:
    sections = []
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
        performance = next((row for row in data.performance or [] if row["model_name"] == model), None)
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
                )
                if drift
                else None,
                volume_trend=line_chart(
                    f"volume-trend-{slug(model)}",
                    "volume-trend",
                    f"{model}: rows scored per day",
                    volume,
                    (),
                    "{:,.0f}".format,
                )
                if volume
                else None,
                reliability=reliability_chart(model, calibration[0]["score_date"], calibration)
                if calibration
                else None,
                top_features=top_features_chart(model, features, feature_status) if features else None,
                features=[{**row, "status": feature_status.get(row["feature_name"])} for row in features],
                performance=performance,
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
        snapshot=snapshot,
        sections=build_model_sections(data),
        label_tables_present=data.performance is not None or data.calibration is not None,
        segment_gaps=segment_gaps,
    )


# --- command line ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duckdb", type=Path, default=Path("target/score_monitoring.duckdb"), help="DuckDB file")
    parser.add_argument(
        "--bigquery-project", help="read from BigQuery instead of DuckDB: the project of the monitoring tables"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--schema",
        help=f"DuckDB schema or BigQuery dataset of the monitoring tables (default: the manifest's; "
        f"without a manifest, on DuckDB, {DEFAULT_DUCKDB_SCHEMA})",
    )
    where.add_argument("--bigquery-dataset", help="--schema, with --bigquery-project")
    parser.add_argument(
        "--manifest",
        type=Path,
        help=f"dbt manifest of the build, for the default --schema (default: {DEFAULT_MANIFEST}, if it exists)",
    )
    parser.add_argument(
        "--bigquery-api-endpoint", help="a local BigQuery emulator (anonymous client), e.g. http://127.0.0.1:9050"
    )
    parser.add_argument(
        "--monitoring-date", type=date.fromisoformat, help="YYYY-MM-DD (default: latest in monitoring_status_daily)"
    )
    parser.add_argument("--history-days", type=int, default=90, help="days of history in the trend charts (default 90)")
    parser.add_argument(
        "--out-dir", type=Path, default=Path("reports"), help="where the three files go (default reports/)"
    )
    args = parser.parse_args(argv)
    if args.bigquery_dataset is not None:
        if args.bigquery_project is None:
            parser.error("--bigquery-dataset needs --bigquery-project")
        args.schema = args.bigquery_dataset
    if args.manifest is None and DEFAULT_MANIFEST.is_file():
        args.manifest = DEFAULT_MANIFEST
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        schema = monitoring_schema(args.schema, args.manifest, "bigquery" if args.bigquery_project else "duckdb")
        reader: Reader = (
            BigQueryReader(args.bigquery_project, schema, args.bigquery_api_endpoint)
            if args.bigquery_project
            else DuckDBReader(args.duckdb, schema)
        )
        data = load_report_data(reader, args.monitoring_date, args.history_days)
    except ReportInputError as error:
        print(f"monitoring_report: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    snapshot = build_snapshot(data)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / SNAPSHOT_JSON).write_text(json.dumps(snapshot, indent=2, allow_nan=False) + "\n")
    (args.out_dir / SNAPSHOT_MD).write_text(render_markdown(snapshot))
    (args.out_dir / REPORT_HTML).write_text(render_html(data, snapshot))
    counts = snapshot["counts"]
    print(
        f"monitoring report for {snapshot['monitoring_date']}: {snapshot['overall_status']} "
        f"({counts['fail']} fail, {counts['warn']} warn, {counts['pass']} pass) -> {args.out_dir}/"
        f"{{{SNAPSHOT_JSON},{SNAPSHOT_MD},{REPORT_HTML}}}"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
