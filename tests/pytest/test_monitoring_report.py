"""python -m scripts.monitoring_report against a real build of the demo data: the snapshot carries exactly
what the monitoring tables hold, the HTML has its charts, the label tables are optional, bad input
exits 2 with a message naming the file, schema.table or date, and the BigQuery reader runs the same
queries. The schema read is --schema, else the manifest's (also a consumer project's manifest, where
the package is not the root project), else main_score_monitoring on DuckDB.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import MONITORING_SCHEMA, ROOT, DbtProject, demo_project, write_parquet
from google.api_core.exceptions import NotFound
from plotly.offline import get_plotlyjs_version

from scripts.monitoring_report import readers
from scripts.monitoring_report.charts import STATUS_COLORS
from scripts.monitoring_report.snapshot import build_snapshot, format_number, load_report_data

DAYS = 12
DEMO_LABEL_HORIZON_DAYS = 7  # the label_horizon_days default; scripts/demo_vars.yml keeps it
DRIFT_DAY = date(2026, 1, 7)  # generate_demo_data.py: day index days - 6 of a start on 2026-01-01
LABEL_TABLES = ("model_performance_daily", "calibration_bins_daily", "segment_calibration_daily")
CORE_TABLES = ("score_health_daily", "monitoring_checks", "monitoring_status_daily")
CHART_KINDS = (
    "score-distribution", "psi-trend", "volume-trend", "auc-trend", "reliability", "top-features", "alert-timeline",
    "latency-trend", "error-rate-trend", "capacity-trend", "value-trend",
)  # fmt: skip
SEGMENT_TABLES = ("segment_drift_daily", "score_mean_decomposition_daily")
# Estimated performance, model versions and re-scoring (issue 13): optional, like the segment tables.
ESTIMATE_TABLES = ("estimated_performance_daily", "version_comparison_daily", "score_stability_daily")
TOP_SEGMENTS = 10  # scripts/monitoring_report/html.py
# Serving health, capacity use and business value (issue 14): optional tables and columns.
OPERATION_TABLES = ("operating_point_daily", "business_value_daily")
SERVING_COLUMNS = ("latency_p50", "latency_p95", "latency_p99", "error_count", "error_rate")
ROWS_PER_DAY = 1200
# scripts/demo_vars.yml sizes the decision capacities for generate_demo_data.py's default rows per day.
DEMO_DEFAULT_ROWS_PER_DAY = 5000


@dataclass(frozen=True)
class DemoBuild:
    project: DbtProject
    models: tuple[str, ...]

    @property
    def db_path(self) -> Path:
        return self.project.db_path

    @property
    def manifest(self) -> Path:
        return self.project.workdir / "target" / "manifest.json"

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.db_path), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()


def build_demo(workdir: Path) -> DemoBuild:
    """The demo data (small), built by dbt with the demo's features, segments, values and costs, and
    its decision capacities scaled to the small demo's rows per day (so churn's drift overflows its
    offers budget here too, and the capacity thresholds are scores of the day)."""
    project = demo_project(workdir, rows_per_day=ROWS_PER_DAY, days=DAYS)
    scale = ROWS_PER_DAY / DEMO_DEFAULT_ROWS_PER_DAY
    demo_models = cast(dict[str, dict[str, Any]], project.base_vars["monitored_models"])
    monitored_models = {
        model: {**settings, "decision_capacity": round(settings["decision_capacity"] * scale)}
        for model, settings in demo_models.items()
    }
    project.build_ok(vars={"monitored_models": monitored_models})
    return DemoBuild(project=project, models=("activation", "churn"))


def gated_checks(build: DemoBuild, monitoring_date: date) -> list[tuple[Any, ...]]:
    """What the release gate judges on a date: its checks, plus the label checks of the cohort that
    came due on it (score_date = the date - label_horizon_days; the demo keeps the default)."""
    return build.query(
        f"""
        select model_name, check_name, subject, status, metric_value, warn_threshold, fail_threshold, message
        from {MONITORING_SCHEMA}.monitoring_checks
        where (check_family <> 'label' and score_date = ?)
            or (check_family = 'label' and score_date = ?)
        order by model_name, check_name, coalesce(subject, '')
        """,
        [monitoring_date, monitoring_date - timedelta(days=DEMO_LABEL_HORIZON_DAYS)],
    )


def label_check_names(build: DemoBuild) -> set[str]:
    return {
        row[0]
        for row in build.query(
            f"select distinct check_name from {MONITORING_SCHEMA}.monitoring_checks where check_family = 'label'"
        )
    }


def run_report(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    # cwd may be elsewhere (a test's own target/): the package is found through PYTHONPATH.
    return subprocess.run(
        [sys.executable, "-m", "scripts.monitoring_report", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )


def consumer_manifest(adapter: str, schema: str) -> dict[str, Any]:
    """What the report reads of the manifest dbt writes for a project acme_analytics installing the
    package: the package's score_health_daily in schema, and a root-project model of the same name."""

    def model(package: str, model_schema: str) -> dict[str, Any]:
        return {"resource_type": "model", "package_name": package, "name": "score_health_daily", "schema": model_schema}

    return {
        "metadata": {"project_name": "acme_analytics", "adapter_type": adapter},
        "nodes": {
            "model.acme_analytics.score_health_daily": model("acme_analytics", "analytics"),
            "model.score_monitoring.score_health_daily": model("score_monitoring", schema),
        },
    }


def write_json(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(json.dumps(content))
    return path


def copy_without(build: DemoBuild, destination: Path, tables: tuple[str, ...]) -> Path:
    """A copy of the built database with some tables dropped."""
    shutil.copy(build.db_path, destination)
    with duckdb.connect(str(destination)) as connection:
        for table in tables:
            connection.execute(f"drop table {MONITORING_SCHEMA}.{table}")
    return destination


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    return build_demo(tmp_path_factory.mktemp("report_demo"))


@pytest.fixture(scope="module")
def drift_day_report(demo: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("report_drift_day")
    result = run_report(
        "--duckdb", demo.db_path, "--schema", MONITORING_SCHEMA, "--monitoring-date", DRIFT_DAY.isoformat(),
        "--out-dir", out_dir,
    )  # fmt: skip
    # The report describes a failing day; it is not a gate, so it exits 0.
    assert result.returncode == 0, result.stderr
    return out_dir


def test_snapshot_of_the_latest_date_matches_the_tables(demo: DemoBuild, tmp_path: Path) -> None:
    # The schema is the one the build's manifest gives.
    result = run_report("--duckdb", demo.db_path, "--manifest", demo.manifest, "--out-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    snapshot = json.loads((tmp_path / "monitoring_snapshot.json").read_text())

    latest = demo.query(f"select max(score_date) from {MONITORING_SCHEMA}.monitoring_status_daily")[0][0]
    assert snapshot["monitoring_date"] == latest.isoformat()
    status = demo.query(
        "select model_name, overall_status, pass_count, warn_count, fail_count "
        f"from {MONITORING_SCHEMA}.monitoring_status_daily where score_date = ? order by model_name",
        [latest],
    )
    rank = {"pass": 0, "warn": 1, "fail": 2}
    checks = gated_checks(demo, latest)
    # No top line over models: there is none in SQL, and the report derives no status.
    assert "overall_status" not in snapshot
    # Per model: monitoring_status_daily's counts plus the label checks the gate adds for the model.
    label_names = label_check_names(demo)
    expected_models = []
    for model_name, _, pass_count, warn_count, fail_count in status:
        label_statuses = [check[3] for check in checks if check[0] == model_name and check[1] in label_names]
        statuses = [check[3] for check in checks if check[0] == model_name]
        expected_models.append(
            (
                model_name,
                max(statuses, key=rank.__getitem__),
                pass_count + label_statuses.count("pass"),
                warn_count + label_statuses.count("warn"),
                fail_count + label_statuses.count("fail"),
            )
        )
    assert [tuple(model.values()) for model in snapshot["models"]] == expected_models
    fields = (
        "model_name",
        "check_name",
        "subject",
        "status",
        "metric_value",
        "warn_threshold",
        "fail_threshold",
        "message",
    )
    assert [tuple(check[name] for name in fields) for check in snapshot["checks"]] == checks
    assert snapshot["counts"] == {
        "models": len(status),
        "checks": len(checks),
        **{name: sum(1 for check in checks if check[3] == name) for name in ("pass", "warn", "fail")},
    }
    assert snapshot["counts"]["pass"] == sum(model[2] for model in expected_models)


def test_attention_items_are_every_warn_and_fail(demo: DemoBuild, drift_day_report: Path) -> None:
    snapshot = json.loads((drift_day_report / "monitoring_snapshot.json").read_text())
    breaches = [check for check in gated_checks(demo, DRIFT_DAY) if check[3] in ("warn", "fail")]
    fields = (
        "model_name",
        "check_name",
        "subject",
        "status",
        "metric_value",
        "warn_threshold",
        "fail_threshold",
        "message",
    )
    attention = [tuple(item[name] for name in fields) for item in snapshot["attention"]]
    assert sorted(attention, key=repr) == sorted(breaches, key=repr)
    assert {model["model_name"]: model["overall_status"] for model in snapshot["models"]} == {
        "activation": "warn",
        "churn": "fail",
    }
    assert ("churn", "score_psi", None, "fail") in {item[:4] for item in attention}
    # Fails first, then warns.
    statuses = [item["status"] for item in snapshot["attention"]]
    assert statuses == sorted(statuses, key=lambda status: status != "fail")

    markdown = (drift_day_report / "monitoring_snapshot.md").read_text()
    assert f"# Score monitoring: {DRIFT_DAY}" in markdown
    assert "activation: **WARN**, churn: **FAIL**." in markdown
    attention_part = markdown.split("## Attention items")[1].split("## All checks")[0]
    for item in snapshot["attention"]:
        assert item["message"] in attention_part
    assert markdown.split("## All checks")[1].count("\n| ") == len(snapshot["checks"]) + 1  # + the header row


def test_html_has_every_chart_and_needs_nothing_online(demo: DemoBuild, drift_day_report: Path) -> None:
    html = (drift_day_report / "monitoring_report.html").read_text()
    for model in demo.models:
        for kind in CHART_KINDS:
            assert f'<div class="chart {kind}" id="{kind}-{model}"><div' in html, (kind, model)
            assert re.search(rf'Plotly\.newPlot\(\s*"{kind}-{model}-plot"', html), (kind, model)
    # plotly.js inlined once, nothing loaded: no script or stylesheet from a file or the network.
    assert html.count(f"* plotly.js v{get_plotlyjs_version()}") == 1
    assert "<script src" not in html and "<link" not in html
    assert "content=\"default-src 'none'; script-src 'unsafe-inline';" in html
    assert "score_psi = " in html  # the attention table


def chart_figure(html: str, chart_id: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The traces and the layout plotly.js draws in a chart: the data and layout arguments of its
    Plotly.newPlot call."""
    call = re.search(rf'Plotly\.newPlot\(\s*"{chart_id}-plot",\s*', html)
    assert call, chart_id
    decoder = json.JSONDecoder()
    traces, end = decoder.raw_decode(html, call.end())
    separator = re.compile(r"\s*,\s*").match(html, end)
    assert separator, chart_id
    layout, _ = decoder.raw_decode(html, separator.end())
    return traces, layout


def chart_traces(html: str, chart_id: str) -> list[dict[str, Any]]:
    """The traces plotly.js draws in a chart."""
    return chart_figure(html, chart_id)[0]


def threshold_lines(layout: dict[str, Any]) -> list[tuple[str, float]]:
    """The dashed threshold lines of a chart's layout: (the annotation's label, y)."""
    labels = [annotation["text"].split()[0] for annotation in layout.get("annotations", [])]
    return list(zip(labels, [shape["y0"] for shape in layout.get("shapes", [])], strict=True))


def test_alert_timeline_shows_the_alerts_of_the_window_in_their_states(demo: DemoBuild, tmp_path: Path) -> None:
    """A window of two days (2026-01-03 and -04): the timeline shows exactly the alerts of
    monitoring_alerts opened by 2026-01-04 and not resolved before 2026-01-03, each in its alert_state
    trace, and the escalated ones as markers; alerts outside the window are left out."""
    monitoring_date, history_days = date(2026, 1, 4), 1
    result = run_report(
        "--duckdb", demo.db_path, "--schema", MONITORING_SCHEMA, "--monitoring-date", monitoring_date.isoformat(),
        "--history-days", history_days, "--out-dir", tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "monitoring_report.html").read_text()
    window_start = monitoring_date - timedelta(days=history_days)
    states_seen = set()
    for model in demo.models:
        alerts = demo.query(
            f"select alert_id, alert_state, escalated_on, first_seen <= ? and (resolved_on is null or resolved_on >= ?) "
            f"from {MONITORING_SCHEMA}.monitoring_alerts where model_name = ? order by alert_id",
            [monitoring_date, window_start, model],
        )
        in_window = [alert for alert in alerts if alert[3]]
        assert 0 < len(in_window) < len(alerts), model  # the window leaves some alerts out
        traces = {trace["name"]: trace for trace in chart_traces(html, f"alert-timeline-{model}")}
        assert set(traces) == {"open", "resolved", "escalated"}
        shown = sorted((item[0], state) for state in ("open", "resolved") for item in traces[state]["customdata"])
        assert shown == [(alert_id, state) for alert_id, state, _, _ in in_window]
        assert sorted(traces["escalated"]["customdata"]) == [alert[0] for alert in in_window if alert[2] is not None]
        states_seen |= {state for _, state in shown}
    assert states_seen == {"open", "resolved"}


def test_missing_label_tables_mean_no_label_metrics_yet(demo: DemoBuild, tmp_path: Path) -> None:
    db_path = copy_without(demo, tmp_path / "no_labels.duckdb", LABEL_TABLES)
    result = run_report("--duckdb", db_path, "--manifest", demo.manifest, "--out-dir", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "monitoring_report.html").read_text()
    assert "No label metrics yet" in html
    assert 'class="chart reliability"' not in html
    assert 'class="chart psi-trend"' in html


class TableCells(HTMLParser):
    """The body rows of the <table id=...> of a page, each a list of its cells' text."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.rows: list[list[str]] = []
        self._inside = self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self._inside = True
        elif self._inside and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if self._in_body and tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif self._inside and tag == "table":
            self._inside = self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_cells(html: str, table_id: str) -> list[list[str]]:
    parser = TableCells(table_id)
    parser.feed(html)
    return parser.rows


def formatted(rows: list[tuple[Any, ...]]) -> list[list[str]]:
    """Rows of a query as the report prints them."""
    return [[format_number(value) for value in row] for row in rows]


def not_passing_score_drift(build: DemoBuild, monitoring_date: date) -> set[str]:
    """The models whose score_psi or score_ks of the date is not pass, as monitoring_checks says."""
    rows = build.query(
        f"select distinct model_name from {MONITORING_SCHEMA}.monitoring_checks "
        "where score_date = ? and check_name in ('score_psi', 'score_ks') and status <> 'pass'",
        [monitoring_date],
    )
    return {row[0] for row in rows}


def test_critical_values_and_p_values_stand_beside_psi_and_ks(demo: DemoBuild, drift_day_report: Path) -> None:
    """The score drift table, the feature table, the PSI trend and the top-features chart of the drift
    day carry score_drift_daily's and feature_drift_daily's psi_critical_value and ks_p_value."""
    html = (drift_day_report / "monitoring_report.html").read_text()
    for model in demo.models:
        score_drift = demo.query(
            "select psi, psi_critical_value, js_distance, ks_statistic, ks_p_value "
            f"from {MONITORING_SCHEMA}.score_drift_daily where score_date = ? and model_name = ?",
            [DRIFT_DAY, model],
        )
        assert [row[2:] for row in table_cells(html, f"score-drift-{model}")] == formatted(score_drift)
        features = demo.query(
            "select feature_name, psi, psi_critical_value, js_distance, ks_statistic, ks_p_value "
            f"from {MONITORING_SCHEMA}.feature_drift_daily where score_date = ? and model_name = ? "
            "and psi is not null order by psi desc, feature_name",
            [DRIFT_DAY, model],
        )
        assert [[row[0], *row[2:7]] for row in table_cells(html, f"features-{model}")] == formatted(features)
        trend = demo.query(
            f"select score_date, psi_critical_value from {MONITORING_SCHEMA}.score_drift_daily "
            "where model_name = ? and score_date <= ? order by score_date",
            [model, DRIFT_DAY],
        )
        psi, critical = chart_traces(html, f"psi-trend-{model}")
        assert (psi["name"], critical["name"]) == ("PSI", "critical value")
        assert critical["y"] == [value for _, value in trend]
        _, ticks = chart_traces(html, f"top-features-{model}")
        assert dict(zip(ticks["y"], ticks["x"], strict=True)) == {row[0]: row[2] for row in features}
    # The drift day's churn scores moved: the p-value of its KS is tiny, its PSI far above the critical value.
    churn = table_cells(html, "score-drift-churn")[0]
    assert float(churn[6]) < 1e-6 and float(churn[2]) > float(churn[3])


def test_segment_drift_lists_the_worst_segments_with_their_checks(demo: DemoBuild, drift_day_report: Path) -> None:
    """Per model, the TOP_SEGMENTS segments of segment_drift_daily with the largest PSI on the drift
    day, and the status of the segment check that names a segment."""
    html = (drift_day_report / "monitoring_report.html").read_text()
    for model in demo.models:
        segments = demo.query(
            "select segment_column, segment_value, row_count, row_share, reference_row_share, row_share_critical_value, "
            "score_mean, reference_score_mean, psi, psi_critical_value "
            f"from {MONITORING_SCHEMA}.segment_drift_daily where score_date = ? and model_name = ? "
            "order by psi desc nulls last, segment_column, segment_value",
            [DRIFT_DAY, model],
        )
        assert len(segments) > TOP_SEGMENTS  # the table keeps the worst only
        shown = table_cells(html, f"segment-drift-{model}")
        assert [row[:-1] for row in shown] == formatted(segments[:TOP_SEGMENTS])
        assert f"{TOP_SEGMENTS} of {len(segments)} segments" in html
        named = demo.query(
            f"select check_name, subject, status from {MONITORING_SCHEMA}.monitoring_checks "
            "where score_date = ? and model_name = ? and check_family = 'segment'",
            [DRIFT_DAY, model],
        )
        checks_cells = {f"{row[0]}={row[1]}": row[-1] for row in shown}
        for check_name, subject, status in named:
            if subject in checks_cells:
                label = {"segment_score_psi": "PSI", "segment_volume_shift": "share"}[check_name]
                assert f"{label} {status}" in checks_cells[subject], (check_name, subject)
    # The drift day's worst churn segment fails its PSI check, and the table says so on its row.
    assert table_cells(html, "segment-drift-churn")[0][:2] == ["region", "south"]
    assert table_cells(html, "segment-drift-churn")[0][-1].startswith("PSI fail")


def test_score_mean_decomposition_only_where_score_drift_is_not_pass(
    demo: DemoBuild, drift_day_report: Path, tmp_path: Path
) -> None:
    """On the drift day churn's score_psi and score_ks fail and activation's pass: the snapshot, the
    Markdown and the HTML show churn's score_mean_decomposition_daily and not activation's. On the
    latest day every score drift check passes: no decomposition anywhere."""
    assert not_passing_score_drift(demo, DRIFT_DAY) == {"churn"}
    columns = (
        "model_name, segment_column, score_mean, reference_score_mean, score_mean_change, mix_effect, within_effect"
    )
    expected = demo.query(
        f"select {columns} from {MONITORING_SCHEMA}.score_mean_decomposition_daily "
        "where score_date = ? and model_name = 'churn' order by segment_column",
        [DRIFT_DAY],
    )
    assert len(expected) == 3  # the demo's segment columns
    snapshot = json.loads((drift_day_report / "monitoring_snapshot.json").read_text())
    names = columns.split(", ")
    assert [tuple(row[name] for name in names) for row in snapshot["score_mean_decomposition"]] == expected
    assert {row["score_date"] for row in snapshot["score_mean_decomposition"]} == {DRIFT_DAY.isoformat()}
    markdown = (drift_day_report / "monitoring_snapshot.md").read_text()
    section = markdown.split("## Score mean decomposition")[1].split("## All checks")[0]
    assert [line for line in section.splitlines() if line.startswith("| churn")] == [
        "| " + " | ".join(format_number(value) for value in row) + " |" for row in expected
    ]
    html = (drift_day_report / "monitoring_report.html").read_text()
    assert table_cells(html, "decomposition-churn") == formatted([row[1:] for row in expected])
    assert 'id="decomposition-activation"' not in html

    latest = demo.query(f"select max(score_date) from {MONITORING_SCHEMA}.monitoring_status_daily")[0][0]
    assert not_passing_score_drift(demo, latest) == set()
    result = run_report("--duckdb", demo.db_path, "--schema", MONITORING_SCHEMA, "--out-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "monitoring_snapshot.json").read_text())["score_mean_decomposition"] == []
    assert "Score mean decomposition" not in (tmp_path / "monitoring_snapshot.md").read_text()
    html = (tmp_path / "monitoring_report.html").read_text()
    assert "Score mean decomposition" not in html and 'class="decomposition-table"' not in html
    assert 'class="segment-drift-table"' in html


def test_a_project_without_segment_columns_has_no_segment_sections(demo: DemoBuild, tmp_path: Path) -> None:
    """The demo built without segment_columns: segment_drift_daily and score_mean_decomposition_daily are
    empty, so churn's failing score drift gets no decomposition and no model a segment table."""
    project = DbtProject(workdir=tmp_path, base_vars={**demo.project.base_vars, "segment_columns": []})
    project.build_ok()
    build = DemoBuild(project=project, models=demo.models)
    for table in SEGMENT_TABLES:
        assert build.query(f"select count(*) from {MONITORING_SCHEMA}.{table}") == [(0,)], table
    assert not_passing_score_drift(build, DRIFT_DAY) == {"churn"}
    result = run_report(
        "--duckdb", project.db_path, "--schema", MONITORING_SCHEMA, "--monitoring-date", DRIFT_DAY.isoformat(),
        "--out-dir", tmp_path / "out",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out" / "monitoring_snapshot.json").read_text())["score_mean_decomposition"] == []
    assert "Score mean decomposition" not in (tmp_path / "out" / "monitoring_snapshot.md").read_text()
    html = (tmp_path / "out" / "monitoring_report.html").read_text()
    assert html.count('class="note no-segment-drift"') == len(demo.models)
    assert "segment-drift-table" not in html and "decomposition-table" not in html
    assert table_cells(html, "score-drift-churn")  # the rest of the page is there


def test_a_database_built_before_segment_drift_still_reports(
    demo: DemoBuild, drift_day_report: Path, tmp_path: Path
) -> None:
    """A database of an older build: no segment tables, no psi_critical_value or ks_p_value. The report
    prints NULL for them, has no segment section, and says what the full build's report says of the checks."""
    db_path = copy_without(demo, tmp_path / "older.duckdb", SEGMENT_TABLES)
    with duckdb.connect(str(db_path)) as connection:
        for table in ("score_drift_daily", "feature_drift_daily"):
            for column in ("psi_critical_value", "ks_p_value"):
                connection.execute(f"alter table {MONITORING_SCHEMA}.{table} drop column {column}")
    result = run_report(
        "--duckdb", db_path, "--schema", MONITORING_SCHEMA, "--monitoring-date", DRIFT_DAY.isoformat(),
        "--out-dir", tmp_path / "out",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    snapshot = json.loads((tmp_path / "out" / "monitoring_snapshot.json").read_text())
    full = json.loads((drift_day_report / "monitoring_snapshot.json").read_text())
    assert full["score_mean_decomposition"] and snapshot["score_mean_decomposition"] == []
    assert {**snapshot, "source": None, "score_mean_decomposition": None} == {
        **full,
        "source": None,
        "score_mean_decomposition": None,
    }
    html = (tmp_path / "out" / "monitoring_report.html").read_text()
    (churn,) = table_cells(html, "score-drift-churn")
    assert (churn[3], churn[6]) == ("NULL", "NULL")
    assert {row[3] for row in table_cells(html, "features-churn")} == {"NULL"}
    assert html.count('class="note no-segment-drift"') == len(demo.models)


def test_auc_chart_puts_estimated_and_realized_auc_on_one_date_axis(demo: DemoBuild, drift_day_report: Path) -> None:
    """Per model: estimated_performance_daily's estimated_auc of every day of the window and
    model_performance_daily's auc of every due cohort, at its score_date; each realized point in the
    colour of its cohort's estimation_error status in monitoring_checks, with the check's message."""
    html = (drift_day_report / "monitoring_report.html").read_text()
    statuses_seen = set()
    for model in demo.models:
        estimated = demo.query(
            f"select score_date, estimated_auc from {MONITORING_SCHEMA}.estimated_performance_daily "
            "where model_name = ? and score_date <= ? order by score_date",
            [model, DRIFT_DAY],
        )
        realized = demo.query(
            f"""
            select performance.score_date, performance.auc, checks.status, checks.message
            from {MONITORING_SCHEMA}.model_performance_daily as performance
            left join {MONITORING_SCHEMA}.monitoring_checks as checks
                on checks.score_date = performance.score_date and checks.model_name = performance.model_name
                and checks.check_name = 'estimation_error'
            where performance.model_name = ? and performance.score_date <= ?
            order by performance.score_date
            """,
            [model, DRIFT_DAY],
        )
        # Every day of the window has an estimate; the build's due cohorts (score_date + 7 <= 2026-01-12) an AUC.
        assert (
            len(estimated) == (DRIFT_DAY - date(2026, 1, 1)).days + 1
            and len(realized) == DAYS - DEMO_LABEL_HORIZON_DAYS
        ), model
        estimate, cohorts = chart_traces(html, f"auc-trend-{model}")
        assert (estimate["name"], cohorts["name"]) == ("estimated AUC", "realized AUC (due cohorts)")
        assert list(zip(estimate["x"], estimate["y"], strict=True)) == [
            (day.isoformat(), auc) for day, auc in estimated
        ]
        assert list(zip(cohorts["x"], cohorts["y"], strict=True)) == [
            (day.isoformat(), auc) for day, auc, _, _ in realized
        ]
        assert cohorts["marker"]["color"] == [STATUS_COLORS[status] for _, _, status, _ in realized]
        assert cohorts["customdata"] == [message for _, _, _, message in realized]
        statuses_seen |= {status for _, _, status, _ in realized}
    assert statuses_seen == {"pass", "warn"}  # churn's cohort 2026-01-04 misses its estimate by more than 0.03


def test_estimate_and_stability_sections_show_the_rows_of_the_monitoring_date(
    demo: DemoBuild, drift_day_report: Path
) -> None:
    """Per model on the drift day: the estimated_performance_daily row with the statuses of the
    estimate checks, the score_stability_daily row with its decision_flip_rate status, and the
    one-line version note (the demo switches activation from v1 to v2 overnight: no day scores an
    entity under two versions, so version_comparison_daily is empty). The snapshot and the Markdown
    carry the estimates."""
    assert demo.query(f"select count(*) from {MONITORING_SCHEMA}.version_comparison_daily") == [(0,)]
    assert demo.query(f"select max(model_version_count) from {MONITORING_SCHEMA}.score_health_daily") == [(1,)]
    html = (drift_day_report / "monitoring_report.html").read_text()
    estimate_columns = (
        "calibration_method, calibration_row_count, scored_count, estimated_auc, estimated_precision, "
        "estimated_recall, estimated_f1, estimated_accuracy"
    )
    for model in demo.models:
        estimate = demo.query(
            f"select {estimate_columns} from {MONITORING_SCHEMA}.estimated_performance_daily "
            "where score_date = ? and model_name = ?",
            [DRIFT_DAY, model],
        )
        checks = demo.query(
            f"select check_name, status from {MONITORING_SCHEMA}.monitoring_checks "
            "where score_date = ? and model_name = ? and check_family = 'estimate' order by check_name",
            [DRIFT_DAY, model],
        )
        assert len(checks) == 3
        assert table_cells(html, f"estimate-{model}") == [
            [*formatted(estimate)[0], ", ".join(f"{name} {status}" for name, status in checks)]
        ]
        stability = demo.query(
            "select previous_score_date, rescored_count, mean_abs_score_change, abs_score_change_p50, "
            "abs_score_change_p90, abs_score_change_p99, decision_flip_rate "
            f"from {MONITORING_SCHEMA}.score_stability_daily where score_date = ? and model_name = ?",
            [DRIFT_DAY, model],
        )
        assert stability[0][1] > 0  # the demo's entities recur from day to day
        flip = demo.query(
            f"select status from {MONITORING_SCHEMA}.monitoring_checks "
            "where score_date = ? and model_name = ? and check_name = 'decision_flip_rate'",
            [DRIFT_DAY, model],
        )
        assert table_cells(html, f"stability-{model}") == [[*formatted(stability)[0], flip[0][0]]]
        assert f"{model} scored 1 model version on {DRIFT_DAY}: no version comparison." in html
    assert 'class="version-table"' not in html

    snapshot = json.loads((drift_day_report / "monitoring_snapshot.json").read_text())
    columns = (
        "model_name, scored_count, calibration_method, calibration_row_count, estimated_auc, estimated_precision, "
        "estimated_recall, estimated_f1, estimated_accuracy"
    )
    expected = demo.query(
        f"select {columns} from {MONITORING_SCHEMA}.estimated_performance_daily where score_date = ? order by model_name",
        [DRIFT_DAY],
    )
    assert_snapshot_part(drift_day_report, "estimated_performance", "Estimated performance", expected)
    assert snapshot["version_comparison"] == []
    assert "## Version comparison" not in (drift_day_report / "monitoring_snapshot.md").read_text()


def test_version_comparison_shows_each_challenger_against_the_baseline(tmp_path: Path) -> None:
    """The demo never scores one entity under two versions on a day, so a tiny case: model m scores 200
    entities under v1 every day and, on the second day, 150 of them under v2 (v1's scores plus noise)
    and 50 under v3 (unrelated scores). With label horizon 2 that cohort is due by the last day, so
    both AUCs are filled. On the second day the report lists version_comparison_daily's two rows with
    their version checks' statuses; on the first day (one version, no previous score date) it says so."""
    horizon, days = 2, [date(2024, 7, 1) + timedelta(days=offset) for offset in range(4)]
    shadow_day = days[1]
    rng = np.random.default_rng(11)

    def scored(day: date, version: str, scores: np.ndarray) -> pd.DataFrame:
        entities = [f"e{row:03d}" for row in range(len(scores))]
        return pd.DataFrame(
            {"score_date": day, "model_name": "m", "model_version": version, "entity_id": entities, "score": scores}
        )

    frames = []
    for day in days:
        baseline = rng.beta(2, 4, 200)
        frames.append(scored(day, "v1", baseline))
        if day == shadow_day:
            frames.append(scored(day, "v2", np.clip(baseline[:150] + rng.normal(0, 0.05, 150), 0, 1)))
            frames.append(scored(day, "v3", rng.random(50)))
    scores = pd.concat(frames, ignore_index=True)
    v1 = scores[scores["model_version"] == "v1"]
    labels = v1[["model_name", "score_date", "entity_id"]].assign(
        label=(rng.random(len(v1)) < v1["score"]).astype("int64")
    )
    project = DbtProject(
        workdir=tmp_path,
        base_vars={
            "scores_path": str(write_parquet(scores, tmp_path / "scores.parquet")),
            "labels_path": str(write_parquet(labels, tmp_path / "labels.parquet")),
            "label_horizon_days": horizon,
        },
    )
    project.build_gate_may_fail()
    build = DemoBuild(project=project, models=("m",))
    columns = (
        "model_version, baseline_version, row_count, baseline_row_count, shared_entity_count, spearman_correlation, "
        "decision_agreement, mean_score_change, labelled_entity_count, baseline_auc, version_auc"
    )
    expected = build.query(
        f"select {columns} from {MONITORING_SCHEMA}.version_comparison_daily order by score_date, model_version"
    )
    assert [row[:5] for row in expected] == [("v2", "v1", 150, 200, 150), ("v3", "v1", 50, 200, 50)]
    assert all(value is not None for row in expected for value in row)

    report = run_report(
        "--duckdb", project.db_path, "--schema", MONITORING_SCHEMA, "--monitoring-date", shadow_day.isoformat(),
        "--out-dir", tmp_path / "shadow",
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "shadow" / "monitoring_report.html").read_text()
    shown = table_cells(html, "versions-m")
    assert [row[:-1] for row in shown] == formatted(expected)
    checks = dict(
        (check[:2], check[2])
        for check in build.query(
            f"select check_name, subject, status from {MONITORING_SCHEMA}.monitoring_checks "
            "where score_date = ? and check_family = 'version' and subject is not null",
            [shadow_day],
        )
    )
    assert len(checks) == 4
    assert [row[-1] for row in shown] == [
        f"Spearman {checks['spearman_correlation', version]} agreement {checks['decision_agreement', version]}"
        for version, *_ in expected
    ]
    snapshot = json.loads((tmp_path / "shadow" / "monitoring_snapshot.json").read_text())
    assert [tuple(row.values()) for row in snapshot["version_comparison"]] == [("m", *row) for row in expected]
    markdown = (tmp_path / "shadow" / "monitoring_snapshot.md").read_text()
    section = markdown.split("## Version comparison")[1].split("\n## ")[0]
    assert [line for line in section.splitlines() if line.startswith("| m |")] == [
        "| " + " | ".join(format_number(value) for value in ("m", *row)) + " |" for row in expected
    ]

    report = run_report(
        "--duckdb", project.db_path, "--schema", MONITORING_SCHEMA, "--monitoring-date", days[0].isoformat(),
        "--out-dir", tmp_path / "first",
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "first" / "monitoring_report.html").read_text()
    assert f"m scored 1 model version on {days[0]}: no version comparison." in html
    assert 'class="note no-previous-date"' in html and 'id="stability-m"' not in html
    first = json.loads((tmp_path / "first" / "monitoring_snapshot.json").read_text())
    assert first["version_comparison"] == []
    # No latency_ms or error_flag column, no capacity, value or cost: notes, and nothing in the snapshot.
    assert (first["serving_health"], first["capacity"], first["business_value"]) == ([], [], [])
    assert all(f'class="note {note}"' in html for note in ("no-serving", "no-capacity", "no-value"))
    assert build.query(f"select count(*) from {MONITORING_SCHEMA}.operating_point_daily") != [(0,)]


def test_a_database_built_before_estimates_and_versions_still_reports(
    demo: DemoBuild, drift_day_report: Path, tmp_path: Path
) -> None:
    """Without estimated_performance_daily, version_comparison_daily and score_stability_daily the report
    still renders: notes instead of the estimate and stability tables, the AUC chart with the realized
    AUC only, and the full build's snapshot without estimates."""
    db_path = copy_without(demo, tmp_path / "older.duckdb", ESTIMATE_TABLES)
    result = run_report(
        "--duckdb", db_path, "--schema", MONITORING_SCHEMA, "--monitoring-date", DRIFT_DAY.isoformat(),
        "--out-dir", tmp_path / "out",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    snapshot = json.loads((tmp_path / "out" / "monitoring_snapshot.json").read_text())
    full = json.loads((drift_day_report / "monitoring_snapshot.json").read_text())
    assert full["estimated_performance"] and snapshot["estimated_performance"] == []
    assert {**snapshot, "source": None, "estimated_performance": None} == {
        **full,
        "source": None,
        "estimated_performance": None,
    }
    assert "## Estimated performance" not in (tmp_path / "out" / "monitoring_snapshot.md").read_text()
    html = (tmp_path / "out" / "monitoring_report.html").read_text()
    full_html = (drift_day_report / "monitoring_report.html").read_text()
    for model in demo.models:
        assert f"No estimated performance for {model} on {DRIFT_DAY}" in html
        assert f"No stability for {model} on {DRIFT_DAY}" in html
        estimate, cohorts = chart_traces(html, f"auc-trend-{model}")
        assert estimate["x"] == [] and cohorts == chart_traces(full_html, f"auc-trend-{model}")[1]
    assert 'class="estimate-table"' not in html and 'class="stability-table"' not in html


def assert_snapshot_part(report_dir: Path, key: str, title: str, expected: list[tuple[Any, ...]]) -> None:
    """The snapshot's key and the rows of the Markdown section title are the expected rows."""
    snapshot = json.loads((report_dir / "monitoring_snapshot.json").read_text())
    assert [tuple(row.values()) for row in snapshot[key]] == expected, key
    section = (report_dir / "monitoring_snapshot.md").read_text().split(f"## {title}\n")[1].split("\n## ")[0]
    assert [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| model")] == [
        "| " + " | ".join(format_number(value) for value in row) + " |" for row in expected
    ], title


def model_checks(build: DemoBuild, monitoring_date: date, model: str) -> dict[str, tuple[Any, ...]]:
    """The model's model-wide checks of the date in monitoring_checks: check_name -> (status, warn, fail)."""
    rows = build.query(
        f"select check_name, status, warn_threshold, fail_threshold from {MONITORING_SCHEMA}.monitoring_checks "
        "where score_date = ? and model_name = ? and subject is null",
        [monitoring_date, model],
    )
    return {row[0]: row[1:] for row in rows}


def expected_lines(checks: dict[str, tuple[Any, ...]], *names: str) -> list[tuple[str, float]]:
    """The threshold lines of checks names (warn, then fail, each once), as monitoring_checks sets them."""
    lines = [
        (label, checks[name][index])
        for name in names
        for index, label in ((1, "warn"), (2, "fail"))
        if checks[name][index] is not None
    ]
    return list(dict.fromkeys(lines))


def test_serving_health_charts_latency_and_errors(demo: DemoBuild, drift_day_report: Path) -> None:
    """Per model: score_health_daily's latency p50, p95 and p99 and its error_rate over the window, the
    thresholds of latency_p95 and error_rate as monitoring_checks applies them (none by default), and
    the drift day's latency_p95 and error_rate in the snapshot and the Markdown."""
    html = (drift_day_report / "monitoring_report.html").read_text()
    for model in demo.models:
        rows = demo.query(
            f"select score_date, latency_p50, latency_p95, latency_p99, error_rate from {MONITORING_SCHEMA}.score_health_daily "
            "where model_name = ? and score_date <= ? order by score_date",
            [model, DRIFT_DAY],
        )
        assert all(value is not None for row in rows for value in row)  # the demo records latency_ms and error_flag
        dates = [row[0].isoformat() for row in rows]
        traces, layout = chart_figure(html, f"latency-trend-{model}")
        assert [trace["name"] for trace in traces] == ["p50", "p95", "p99"]
        for index, trace in enumerate(traces, start=1):
            assert (trace["x"], trace["y"]) == (dates, [row[index] for row in rows]), (model, trace["name"])
        checks = model_checks(demo, DRIFT_DAY, model)
        assert threshold_lines(layout) == expected_lines(checks, "latency_p95")
        (errors,), layout = chart_figure(html, f"error-rate-trend-{model}")
        assert (errors["name"], errors["x"], errors["y"]) == ("error rate", dates, [row[4] for row in rows])
        assert threshold_lines(layout) == expected_lines(checks, "error_rate")

    expected = demo.query(
        f"select model_name, latency_p95, error_rate from {MONITORING_SCHEMA}.score_health_daily "
        "where score_date = ? order by model_name",
        [DRIFT_DAY],
    )
    assert_snapshot_part(drift_day_report, "serving_health", "Serving health", expected)


def test_capacity_use_against_the_capacity_check_thresholds(demo: DemoBuild, drift_day_report: Path) -> None:
    """Per model (both have capacities): operating_point_daily's decision and review capacity use over the
    window, with the warn and fail lines of decision_capacity_use and review_capacity_use from
    monitoring_checks (1 and 1.2 by the seed), and the drift day's row with capacity_threshold and the
    checks' statuses. Churn's drift overflows its (scaled) decision capacity: a warn."""
    html = (drift_day_report / "monitoring_report.html").read_text()
    columns = (
        "decision_count, decision_capacity, decision_capacity_use, capacity_threshold, review_count, review_capacity, "
        "review_capacity_use"
    )
    for model in demo.models:
        rows = demo.query(
            f"select score_date, decision_capacity_use, review_capacity_use from {MONITORING_SCHEMA}.operating_point_daily "
            "where model_name = ? and score_date <= ? order by score_date",
            [model, DRIFT_DAY],
        )
        traces, layout = chart_figure(html, f"capacity-trend-{model}")
        assert [trace["name"] for trace in traces] == ["decisions / decision capacity", "reviews / review capacity"]
        for index, trace in enumerate(traces, start=1):
            assert trace["x"] == [row[0].isoformat() for row in rows]
            assert trace["y"] == [row[index] for row in rows], (model, trace["name"])
        checks = model_checks(demo, DRIFT_DAY, model)
        lines = expected_lines(checks, "decision_capacity_use", "review_capacity_use")
        assert threshold_lines(layout) == lines and ("warn", 1.0) in lines
        on_date = demo.query(
            f"select {columns} from {MONITORING_SCHEMA}.operating_point_daily where score_date = ? and model_name = ?",
            [DRIFT_DAY, model],
        )
        assert on_date[0][3] is not None  # the day has more valid scores than the capacity
        statuses = f"decisions {checks['decision_capacity_use'][0]} reviews {checks['review_capacity_use'][0]}"
        assert table_cells(html, f"capacity-{model}") == [[*formatted(on_date)[0], statuses]]
    assert model_checks(demo, DRIFT_DAY, "churn")["decision_capacity_use"][0] == "warn"
    assert table_cells(html, "capacity-churn")[0][-1] == "decisions warn reviews pass"

    expected = demo.query(
        f"select model_name, {columns} from {MONITORING_SCHEMA}.operating_point_daily "
        "where score_date = ? order by model_name",
        [DRIFT_DAY],
    )
    assert_snapshot_part(drift_day_report, "capacity", "Capacity", expected)


def test_value_per_decision_realized_where_due_and_estimated_always(demo: DemoBuild, drift_day_report: Path) -> None:
    """Per model: business_value_daily's estimated value per decision on every day of the window and the
    realized one on the due cohorts (2026-01-01 to -05 of the build), the value_per_decision thresholds,
    and the drift day's row (estimated: not due) with the check's status; a due day's snapshot says realized."""
    html = (drift_day_report / "monitoring_report.html").read_text()
    columns = (
        "decision_count, review_count, labelled_count, realized_value, estimated_value, value_basis, value_per_decision"
    )
    for model in demo.models:
        rows = demo.query(
            f"select score_date, estimated_value / decision_count, realized_value / decision_count "
            f"from {MONITORING_SCHEMA}.business_value_daily where model_name = ? and score_date <= ? order by score_date",
            [model, DRIFT_DAY],
        )
        traces, layout = chart_figure(html, f"value-trend-{model}")
        assert [trace["name"] for trace in traces] == ["estimated", "realized (due cohorts)"]
        estimated, realized = traces
        assert list(zip(estimated["x"], estimated["y"], strict=True)) == [(row[0].isoformat(), row[1]) for row in rows]
        due = [(row[0].isoformat(), row[2]) for row in rows if row[2] is not None]
        assert list(zip(realized["x"], realized["y"], strict=True)) == due
        assert [day for day, _ in due] == [
            (date(2026, 1, 1) + timedelta(days=offset)).isoformat() for offset in range(5)
        ]
        checks = model_checks(demo, DRIFT_DAY, model)
        assert threshold_lines(layout) == expected_lines(checks, "value_per_decision")
        on_date = demo.query(
            f"select {columns} from {MONITORING_SCHEMA}.business_value_daily where score_date = ? and model_name = ?",
            [DRIFT_DAY, model],
        )
        assert on_date[0][5] == "estimated"
        assert table_cells(html, f"value-{model}") == [[*formatted(on_date)[0], checks["value_per_decision"][0]]]

    value_columns = (
        "model_name, decision_count, labelled_count, value_basis, realized_value, estimated_value, value_per_decision"
    )

    def expected(day: date) -> list[tuple[Any, ...]]:
        return demo.query(
            f"select {value_columns} from {MONITORING_SCHEMA}.business_value_daily where score_date = ? order by model_name",
            [day],
        )

    assert_snapshot_part(drift_day_report, "business_value", "Business value", expected(DRIFT_DAY))
    due_day = date(2026, 1, 3)
    due = build_snapshot(load_report_data(readers.DuckDBReader(demo.db_path, MONITORING_SCHEMA), due_day, 90))
    assert [tuple(row.values()) for row in due["business_value"]] == expected(due_day)
    assert {row["value_basis"] for row in due["business_value"]} == {"realized"}


def test_a_database_built_before_serving_capacity_and_value_still_reports(
    demo: DemoBuild, drift_day_report: Path, tmp_path: Path
) -> None:
    """Without operating_point_daily, business_value_daily and score_health_daily's latency and error
    columns the report still renders: notes instead of the serving, capacity and value charts, and the
    full build's snapshot without those parts."""
    db_path = copy_without(demo, tmp_path / "older.duckdb", OPERATION_TABLES)
    with duckdb.connect(str(db_path)) as connection:
        for column in SERVING_COLUMNS:
            connection.execute(f"alter table {MONITORING_SCHEMA}.score_health_daily drop column {column}")
    result = run_report(
        "--duckdb", db_path, "--schema", MONITORING_SCHEMA, "--monitoring-date", DRIFT_DAY.isoformat(),
        "--out-dir", tmp_path / "out",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    snapshot = json.loads((tmp_path / "out" / "monitoring_snapshot.json").read_text())
    full = json.loads((drift_day_report / "monitoring_snapshot.json").read_text())
    parts = {"source": None, "serving_health": None, "capacity": None, "business_value": None}
    assert all(full[part] for part in ("serving_health", "capacity", "business_value"))
    assert all(snapshot[part] == [] for part in ("serving_health", "capacity", "business_value"))
    assert {**snapshot, **parts} == {**full, **parts}
    markdown = (tmp_path / "out" / "monitoring_snapshot.md").read_text()
    assert all(f"## {title}" not in markdown for title in ("Serving health", "Capacity", "Business value"))
    html = (tmp_path / "out" / "monitoring_report.html").read_text()
    for note in ("no-serving", "no-capacity", "no-value"):
        assert html.count(f'class="note {note}"') == len(demo.models), note
    for kind in ("latency-trend", "error-rate-trend", "capacity-trend", "value-trend"):
        assert f'class="chart {kind}"' not in html, kind
    assert 'class="capacity-table"' not in html and 'class="value-table"' not in html


def test_missing_database_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    result = run_report("--duckdb", missing, "--out-dir", tmp_path / "out")
    assert result.returncode == 2
    assert "database file not found" in result.stderr and str(missing) in result.stderr
    assert not (tmp_path / "out").exists()


def test_monitoring_date_without_rows_exits_2(demo: DemoBuild, tmp_path: Path) -> None:
    result = run_report(
        "--duckdb", demo.db_path, "--manifest", demo.manifest, "--monitoring-date", "2030-01-01", "--out-dir", tmp_path
    )
    assert result.returncode == 2
    assert "2030-01-01" in result.stderr and f"{MONITORING_SCHEMA}.score_health_daily" in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("table", [*CORE_TABLES, "score_drift_daily"])
def test_missing_table_exits_2_naming_it(demo: DemoBuild, tmp_path: Path, table: str) -> None:
    db_path = copy_without(demo, tmp_path / "partial.duckdb", (table,))
    result = run_report("--duckdb", db_path, "--manifest", demo.manifest, "--out-dir", tmp_path / "out")
    assert result.returncode == 2
    assert f"table not found: {MONITORING_SCHEMA}.{table} in {db_path}" in result.stderr


def test_tables_in_another_schema_read_through_schema_or_a_consumer_manifest(demo: DemoBuild, tmp_path: Path) -> None:
    """The tables moved to acme_score_monitoring (as a consumer's target schema acme would put them):
    --schema and a consumer's manifest both find them and give the snapshot of the demo build."""
    db_path = tmp_path / "acme.duckdb"
    shutil.copy(demo.db_path, db_path)
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("create schema acme_score_monitoring")
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = ?",
            [MONITORING_SCHEMA],
        ).fetchall()
        for (table,) in tables:
            connection.execute(
                f"create table acme_score_monitoring.{table} as select * from {MONITORING_SCHEMA}.{table}"
            )
        connection.execute(f"drop schema {MONITORING_SCHEMA} cascade")
    manifest = write_json(tmp_path / "manifest.json", consumer_manifest("duckdb", "acme_score_monitoring"))

    def snapshot_without_source(out: str, *args: str | Path) -> dict[str, Any]:
        result = run_report(*args, "--out-dir", tmp_path / out)
        assert result.returncode == 0, result.stderr
        return {**json.loads((tmp_path / out / "monitoring_snapshot.json").read_text()), "source": None}

    expected = snapshot_without_source("demo", "--duckdb", demo.db_path, "--schema", MONITORING_SCHEMA)
    assert snapshot_without_source("schema", "--duckdb", db_path, "--schema", "acme_score_monitoring") == expected
    assert snapshot_without_source("manifest", "--duckdb", db_path, "--manifest", manifest) == expected


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A DuckDB file without the monitoring tables: every read stops at the first table, naming it."""
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    return path


@pytest.mark.parametrize(
    ("args", "schema"),
    [
        (("--schema", "custom"), "custom"),
        (("--manifest", "duckdb_manifest.json"), "acme_score_monitoring"),
        ((), MONITORING_SCHEMA),  # no --schema and no target/manifest.json: the default
    ],
    ids=["explicit", "manifest", "default"],
)
def test_schema_read_is_named_in_table_not_found(
    empty_db: Path, tmp_path: Path, args: tuple[str, ...], schema: str
) -> None:
    write_json(tmp_path / "duckdb_manifest.json", consumer_manifest("duckdb", "acme_score_monitoring"))
    result = run_report("--duckdb", empty_db, *args, "--out-dir", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2
    assert f"table not found: {schema}.score_health_daily in {empty_db}" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--manifest", "nowhere.json"), "dbt manifest not found: nowhere.json"),
        (("--manifest", "bigquery_manifest.json"), "is for bigquery, not duckdb: pass --schema or --manifest"),
        (("--manifest", "other_manifest.json"), "has no model.score_monitoring.score_health_daily: pass --schema"),
        (("--bigquery-project", "proj"), "no dbt manifest says which dataset holds the monitoring tables"),
        (("--bigquery-dataset", "monitoring"), "--bigquery-dataset needs --bigquery-project"),
        (("--schema", "a", "--bigquery-dataset", "b"), "not allowed with argument --schema"),
    ],
    ids=["missing", "other-adapter", "no-package-node", "bigquery-without-dataset", "dataset-alone", "both"],
)
def test_no_schema_to_read_exits_2(empty_db: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    write_json(tmp_path / "bigquery_manifest.json", consumer_manifest("bigquery", "analytics_score_monitoring"))
    other = consumer_manifest("duckdb", "unused")
    del other["nodes"]["model.score_monitoring.score_health_daily"]
    write_json(tmp_path / "other_manifest.json", other)
    result = run_report("--duckdb", empty_db, *args, "--out-dir", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


class FakeBigQueryClient:
    """Answers the BigQuery reader's calls from the DuckDB build: backquoted `project.dataset.table`
    names become MONITORING_SCHEMA.table and @parameters become DuckDB's $parameters."""

    def __init__(self, db_path: Path, dataset: str) -> None:
        self._connection = duckdb.connect(str(db_path), read_only=True)
        self._dataset = dataset
        self.queries: list[str] = []

    def get_table(self, reference: str) -> None:
        table = reference.removeprefix(self._dataset + ".")
        found = self._connection.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [MONITORING_SCHEMA, table],
        ).fetchall()
        if not found[0][0]:
            raise NotFound(reference)

    def query(self, sql: str, job_config: Any) -> FakeBigQueryClient:
        self.queries.append(sql)
        duckdb_sql = sql.replace(f"`{self._dataset}.", f"{MONITORING_SCHEMA}.").replace("`", "").replace("@", "$")
        parameters = {parameter.name: parameter.value for parameter in job_config.query_parameters}
        cursor = self._connection.execute(duckdb_sql, parameters)
        names = [column[0] for column in cursor.description]
        self._rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        return self

    def result(self) -> list[dict[str, Any]]:
        return self._rows


def test_bigquery_reader_gives_the_same_snapshot(demo: DemoBuild, tmp_path: Path) -> None:
    """The dataset from a consumer's BigQuery manifest, the rows from the fake client."""
    manifest = write_json(tmp_path / "manifest.json", consumer_manifest("bigquery", "analytics_score_monitoring"))
    dataset = readers.monitoring_schema(None, manifest, "bigquery")
    assert dataset == "analytics_score_monitoring"
    client = FakeBigQueryClient(demo.db_path, f"proj.{dataset}")
    bigquery = readers.BigQueryReader("proj", dataset, client=client)
    from_bigquery = build_snapshot(load_report_data(bigquery, DRIFT_DAY, 90))
    from_duckdb = build_snapshot(load_report_data(readers.DuckDBReader(demo.db_path, MONITORING_SCHEMA), DRIFT_DAY, 90))
    assert from_bigquery["source"] == "bigquery:proj.analytics_score_monitoring"
    assert {**from_bigquery, "source": None} == {**from_duckdb, "source": None}
    assert all("`proj.analytics_score_monitoring." in sql for sql in client.queries)
    assert any("@date_from" in sql for sql in client.queries)


def test_gate_status_table_and_report_agree_when_a_model_skipped_its_due_cohort(tmp_path: Path) -> None:
    """skipper did not score on M - h, so no label cohort of skipper comes due on M: the gate judges
    none of its label checks, its status equals monitoring_status_daily's, and the report shows
    exactly what the gate judges (not skipper's latest earlier cohort)."""
    horizon, days = 2, [date(2024, 7, 1) + timedelta(days=offset) for offset in range(6)]
    monitoring_date, skipped = days[-1], days[-1] - timedelta(days=horizon)
    rng = np.random.default_rng(3)
    frames = [
        pd.DataFrame(
            {
                "score_date": day,
                "model_name": model,
                "model_version": "v1",
                "entity_id": [f"{model}-{row}" for row in range(200)],
                "score": rng.beta(2, 4, 200),
            }
        )
        for model in ("skipper", "steady")
        for day in days
        if not (model == "skipper" and day == skipped)
    ]
    scores = pd.concat(frames, ignore_index=True)
    labels = scores[["model_name", "score_date", "entity_id"]].assign(
        label=(rng.random(len(scores)) < scores["score"]).astype("int64")
    )
    project = DbtProject(
        workdir=tmp_path,
        base_vars={
            "scores_path": str(write_parquet(scores, tmp_path / "scores.parquet")),
            "labels_path": str(write_parquet(labels, tmp_path / "labels.parquet")),
            "label_horizon_days": horizon,
        },
    )
    project.build_gate_may_fail()
    result = run_report("--duckdb", project.db_path, "--schema", MONITORING_SCHEMA, "--out-dir", tmp_path / "report")
    assert result.returncode == 0, result.stderr
    snapshot = json.loads((tmp_path / "report" / "monitoring_snapshot.json").read_text())

    gate_checks = project.table("monitoring_gate_checks")
    judged = gate_checks[gate_checks["gate_date"] == pd.Timestamp(monitoring_date)]
    assert judged[(judged["model_name"] == "skipper") & (judged["check_family"] == "label")].empty
    assert not judged[(judged["model_name"] == "steady") & (judged["check_family"] == "label")].empty
    report_checks = sorted(
        (check["model_name"], check["check_name"], check["subject"], check["score_date"])
        for check in snapshot["checks"]
    )
    assert report_checks == sorted(
        (
            row.model_name,
            row.check_name,
            None if pd.isna(row.subject) else row.subject,
            row.score_date.date().isoformat(),
        )
        for row in judged.itertuples()
    )
    gate_status = project.table("monitoring_gate_status")
    status_daily = project.table("monitoring_status_daily")
    columns = ["model_name", "overall_status", "pass_count", "warn_count", "fail_count"]
    on_date = gate_status[gate_status["gate_date"] == pd.Timestamp(monitoring_date)][columns]
    assert [tuple(model.values()) for model in snapshot["models"]] == [
        tuple(row) for row in on_date.itertuples(index=False)
    ]
    skipper_daily = status_daily[
        (status_daily["score_date"] == pd.Timestamp(monitoring_date)) & (status_daily["model_name"] == "skipper")
    ]
    assert [tuple(row) for row in skipper_daily[columns].itertuples(index=False)] == [
        tuple(row) for row in on_date[on_date["model_name"] == "skipper"].itertuples(index=False)
    ]
    gate = project.table("monitoring_gate")
    breaches = sorted((check["model_name"], check["check_name"]) for check in snapshot["attention"])
    assert breaches == sorted(zip(gate["model_name"], gate["check_name"], strict=True))
