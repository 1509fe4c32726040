"""scripts/generate_lookml.py on the project's own manifest: every generated file parses with lkml,
every column the manifest documents for a contract table is a dimension of its view, and so is
every contract column (the README's output tables, copied here as the spec), the grain comes from
the tables' tests, the explores join checks to status and show the alerts, catalog types win over
names, the schema defaults to where the manifest puts the tables, and bad input exits 2 naming it. On a consumer's manifest (a project
installing the package): the package's models are the tables, wherever the root project is.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import lkml
import pytest
import yaml
from conftest import MONITORING_SCHEMA, ROOT, DbtProject

SCRIPT = ROOT / "scripts" / "generate_lookml.py"
GRAIN = ("score_date", "model_name")
CONTRACT: dict[str, tuple[str, ...]] = {
    "score_health_daily": (
        *GRAIN, "row_count", "entity_count", "duplicate_rows", "model_version_count", "null_score_count",
        "out_of_bounds_count", "valid_score_count", "score_mean", "score_stddev", "score_min", "score_max", "score_p01", "score_p05",
        "score_p10", "score_p25", "score_p50", "score_p75", "score_p90", "score_p95", "score_p99", "decision_count",
        "decision_rate", "review_count", "review_rate", "latency_p50", "latency_p95", "latency_p99", "error_count",
        "error_rate",
    ),
    "score_drift_daily": (
        *GRAIN, "reference_start", "reference_end", "reference_row_count", "psi", "js_distance", "ks_statistic",
        "ks_p_value", "psi_critical_value",
    ),
    "score_bins_daily": (
        *GRAIN, "bin_index", "lower_edge", "upper_edge", "current_count", "reference_count", "current_share", "reference_share",
    ),
    "feature_drift_daily": (
        *GRAIN, "feature_name", "feature_type", "psi", "js_distance", "ks_statistic", "l_inf", "missing_rate",
        "reference_missing_rate", "out_of_reference_range_share", "new_category_share", "ks_p_value", "psi_critical_value",
    ),
    "feature_bins_daily": (
        *GRAIN, "feature_name", "bin_index", "category_value", "lower_edge", "upper_edge", "current_count",
        "reference_count", "current_share", "reference_share",
    ),
    "model_performance_daily": (
        *GRAIN, "scored_count", "labelled_count", "label_coverage", "base_rate", "mean_score", "bias", "brier", "log_loss",
        "ece", "mce", "auc", "precision", "recall", "f1", "accuracy",
    ),
    "calibration_bins_daily": (*GRAIN, "bin_index", "lower_edge", "upper_edge", "row_count", "mean_score", "observed_rate"),
    "segment_calibration_daily": (
        *GRAIN, "segment_column", "segment_value", "row_count", "mean_score", "observed_rate", "calibration_gap",
    ),
    "segment_drift_daily": (
        *GRAIN, "segment_column", "segment_value", "row_count", "reference_row_count", "row_share", "reference_row_share",
        "score_mean", "reference_score_mean", "bin_count", "psi", "js_distance", "psi_critical_value",
        "row_share_critical_value",
    ),
    "score_mean_decomposition_daily": (
        *GRAIN, "segment_column", "score_mean", "reference_score_mean", "score_mean_change", "mix_effect", "within_effect",
    ),
    "estimated_performance_daily": (
        *GRAIN, "scored_count", "calibration_method", "calibration_row_count", "estimated_auc", "estimated_precision",
        "estimated_recall", "estimated_f1", "estimated_accuracy", "expected_tp", "expected_fp", "expected_fn", "expected_tn",
        "expected_positive_total",
    ),
    "version_comparison_daily": (
        *GRAIN, "model_version", "baseline_version", "row_count", "baseline_row_count", "shared_entity_count",
        "spearman_correlation", "decision_agreement", "mean_score_change", "labelled_entity_count", "baseline_auc",
        "version_auc", "label_state",
    ),
    "score_stability_daily": (
        *GRAIN, "previous_score_date", "rescored_count", "mean_abs_score_change", "abs_score_change_p50",
        "abs_score_change_p90", "abs_score_change_p99", "decision_flip_rate",
    ),
    "operating_point_daily": (
        *GRAIN, "decision_count", "decision_capacity", "decision_capacity_use", "review_count", "review_capacity",
        "review_capacity_use", "capacity_threshold",
    ),
    "business_value_daily": (
        *GRAIN, "decision_count", "review_count", "labelled_count", "realized_value", "estimated_value", "value_basis",
        "value_per_decision",
    ),
    "monitoring_checks": (
        *GRAIN, "check_name", "subject", "metric_value", "warn_threshold", "fail_threshold", "status", "message",
    ),
    "monitoring_status_daily": (*GRAIN, "overall_status", "pass_count", "warn_count", "fail_count"),
    "monitoring_alerts": (
        "alert_id", "model_name", "check_name", "subject", "first_seen", "last_seen", "consecutive_runs",
        "reopened_count", "worst_status", "latest_status", "latest_metric_value", "latest_message", "is_escalated",
        "escalated_on", "resolved_on", "alert_state",
    ),
    "monitoring_alert_events": (
        "event_id", "event_date", "known_on", "event", "alert_id", "model_name", "check_name", "subject", "first_seen",
        "status", "worst_status", "metric_value", "direction", "warn_threshold", "fail_threshold", "message",
    ),
    "monitoring_gate_checks": (
        "gate_date", *GRAIN, "check_family", "check_name", "subject", "status", "metric_value", "warn_threshold",
        "fail_threshold", "message",
    ),
    "monitoring_gate_status": ("gate_date", "model_name", "overall_status", "pass_count", "warn_count", "fail_count"),
}  # fmt: skip


def run_generator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False
    )


def load_views(out_dir: Path) -> dict[str, dict[str, Any]]:
    views = {}
    for path in sorted(out_dir.glob("*.view.lkml")):
        (view,) = lkml.load(path.read_text())["views"]
        views[view["name"]] = view
    return views


def fields(view: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for field in view.get(kind, [])}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's manifest from `dbt parse` with the demo's vars (no catalog: parse does not query
    the warehouse)."""
    project = DbtProject(workdir=tmp_path_factory.mktemp("lookml_parse"))
    result = project.dbt("parse", vars=yaml.safe_load((ROOT / "scripts" / "demo_vars.yml").read_text()))
    assert result.returncode == 0, result.stdout[-4000:]
    return project.workdir / "target" / "manifest.json"


@pytest.fixture(scope="module")
def generated(manifest: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("lookml")
    result = run_generator("--manifest", manifest, "--out-dir", out_dir, "--schema", "my-project.monitoring")
    assert result.returncode == 0, result.stderr
    return out_dir


def contract_tables(manifest: Path) -> dict[str, dict[str, Any]]:
    """The manifest's contract tables, read here independently of the script."""
    return {
        node["name"]: node
        for node in json.loads(manifest.read_text())["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["meta"].get("contract_table")
    }


def test_every_file_parses(manifest: Path, generated: Path) -> None:
    files = sorted(generated.glob("*.lkml"))
    assert len(files) == len(contract_tables(manifest)) + 2  # the views, the explores and the manifest
    for path in files:
        assert lkml.load(path.read_text()), path


def test_every_manifest_column_of_a_contract_table_is_a_dimension(manifest: Path, generated: Path) -> None:
    views = load_views(generated)
    tables = contract_tables(manifest)
    assert set(views) == set(tables)
    for table, node in tables.items():
        dimensions = {*fields(views[table], "dimensions"), *fields(views[table], "dimension_groups")}
        assert node["columns"] and set(node["columns"]) <= dimensions, table


def test_every_contract_column_is_a_dimension(generated: Path) -> None:
    views = load_views(generated)
    assert set(CONTRACT) <= set(views)
    for table, columns in CONTRACT.items():
        view = views[table]
        dimensions = {*fields(view, "dimensions"), *fields(view, "dimension_groups")}
        missing = [column for column in columns if column not in dimensions]
        assert missing == [], f"{table}: contract columns without a dimension: {missing}"
        assert view["sql_table_name"] == f"@{{monitoring_schema}}.{table}"
        (primary_key,) = [dimension for dimension in view["dimensions"] if dimension.get("primary_key") == "yes"]
        assert primary_key["hidden"] == "yes"
        if "score_date" not in columns:
            continue
        score_date = fields(view, "dimension_groups")["score_date"]
        assert (score_date["type"], score_date["timeframes"], score_date["datatype"]) == (
            "time",
            ["date", "week", "month"],
            "date",
        )


def test_grain_comes_from_the_tables_tests(generated: Path) -> None:
    views = load_views(generated)
    for table, grain in {
        "monitoring_checks": ("score_date", "model_name", "check_name", "subject"),
        "monitoring_alerts": ("alert_id",),
        "segment_calibration_daily": ("score_date", "model_name", "segment_column", "segment_value"),
        "segment_drift_daily": ("score_date", "model_name", "segment_column", "segment_value"),
        "score_mean_decomposition_daily": ("score_date", "model_name", "segment_column"),
        "estimated_performance_daily": ("score_date", "model_name"),
        "version_comparison_daily": ("score_date", "model_name", "model_version"),
        "score_stability_daily": ("score_date", "model_name"),
        "operating_point_daily": ("score_date", "model_name"),
        "business_value_daily": ("score_date", "model_name"),
        "monitoring_alert_events": ("event_id",),
    }.items():
        key = fields(views[table], "dimensions")["primary_key"]["sql"]
        assert tuple(re.findall(r"\$\{TABLE\}\.(\w+)", key)) == grain, key
    assert fields(views["monitoring_alerts"], "dimensions")["first_seen"]["type"] == "date"


def test_types_measures_and_status(generated: Path) -> None:
    views = load_views(generated)
    health = views["score_health_daily"]
    assert fields(health, "dimensions")["model_name"]["type"] == "string"
    assert fields(health, "dimensions")["row_count"]["type"] == "number"
    assert fields(views["score_drift_daily"], "dimensions")["reference_start"]["type"] == "date"
    measures = fields(health, "measures")
    assert (measures["total_row_count"]["type"], measures["total_row_count"]["sql"]) == ("sum", "${row_count}")
    assert (measures["average_decision_rate"]["type"], measures["average_decision_rate"]["sql"]) == (
        "average",
        "${decision_rate}",
    )
    assert fields(views["model_performance_daily"], "measures")["average_label_coverage"]["type"] == "average"
    status = views["monitoring_status_daily"]
    assert fields(status, "dimensions")["overall_status"]["type"] == "string"
    assert fields(status, "measures")["count_fail"]["filters__all"] == [[{"overall_status": "fail"}]]
    checks = fields(views["monitoring_checks"], "dimensions")
    assert (checks["status"]["type"], checks["subject"]["type"], checks["metric_value"]["type"]) == (
        "string",
        "string",
        "number",
    )
    # Numbers are averaged, counts summed; grain columns get no measure.
    bins = fields(views["calibration_bins_daily"], "measures")
    assert (bins["average_mean_score"]["type"], bins["total_row_count"]["type"]) == ("average", "sum")
    assert "average_bin_index" not in bins and "total_bin_index" not in bins


def test_serving_capacity_value_and_alert_event_types(generated: Path) -> None:
    """Issue 14's columns: latencies, error rates, capacities and values are numbers (averaged, counts
    summed, capacity use as a percentage); value_basis and the alert events' event and statuses are
    strings, their dates dates."""
    views = load_views(generated)
    health = fields(views["score_health_daily"], "dimensions")
    assert {health[name]["type"] for name in ("latency_p50", "latency_p95", "latency_p99", "error_rate")} == {"number"}
    health_measures = fields(views["score_health_daily"], "measures")
    assert (health_measures["average_latency_p95"]["type"], health_measures["total_error_count"]["type"]) == (
        "average",
        "sum",
    )
    assert health_measures["average_error_rate"]["value_format_name"] == "percent_2"
    operating = fields(views["operating_point_daily"], "dimensions")
    assert {operating[name]["type"] for name in ("decision_capacity_use", "capacity_threshold")} == {"number"}
    operating_measures = fields(views["operating_point_daily"], "measures")
    assert operating_measures["average_decision_capacity_use"]["value_format_name"] == "percent_2"
    assert operating_measures["average_capacity_threshold"]["value_format_name"] == "decimal_4"
    value = fields(views["business_value_daily"], "dimensions")
    assert value["value_basis"]["type"] == "string"
    assert {value[name]["type"] for name in ("realized_value", "estimated_value", "value_per_decision")} == {"number"}
    assert "average_value_basis" not in fields(views["business_value_daily"], "measures")
    events = views["monitoring_alert_events"]
    dimensions = fields(events, "dimensions")
    assert {
        dimensions[name]["type"] for name in ("event", "event_id", "alert_id", "status", "worst_status", "direction")
    } == {"string"}
    assert {dimensions[name]["type"] for name in ("known_on", "first_seen")} == {"date"}
    assert dimensions["metric_value"]["type"] == "number"
    assert fields(events, "measures")["count_fail"]["filters__all"] == [[{"status": "fail"}]]


def test_descriptions_come_from_the_manifest(manifest: Path, generated: Path) -> None:
    nodes = {
        node["name"]: node
        for node in json.loads(manifest.read_text())["nodes"].values()
        if node["resource_type"] == "model"
    }
    views = load_views(generated)
    described = 0
    for table in CONTRACT:
        dimensions = {**fields(views[table], "dimensions"), **fields(views[table], "dimension_groups")}
        for name, column in nodes[table]["columns"].items():
            if column["description"]:
                assert dimensions[name]["description"] == " ".join(column["description"].split()), (table, name)
                described += 1
    assert described > 0


def test_explores_join_checks_to_status_and_show_alerts(generated: Path) -> None:
    parsed = lkml.load((generated / "score_monitoring.explore.lkml").read_text())
    assert parsed["includes"] == ["*.view.lkml"]
    explore, alerts = parsed["explores"]
    assert (explore["name"], alerts["name"]) == ("monitoring_checks", "monitoring_alerts")
    (join,) = explore["joins"]
    assert (join["name"], join["relationship"], join["type"]) == (
        "monitoring_status_daily",
        "many_to_one",
        "left_outer",
    )
    for key in ("score_date_date", "model_name"):
        assert f"${{monitoring_checks.{key}}} = ${{monitoring_status_daily.{key}}}" in join["sql_on"]
    assert constant_value(generated) == "my-project.monitoring"


def constant_value(out_dir: Path) -> str:
    (constant,) = lkml.load((out_dir / "manifest.lkml").read_text())["constants"]
    assert constant["name"] == "monitoring_schema"
    return str(constant["value"])


def test_schema_defaults_to_the_manifests(manifest: Path, tmp_path: Path) -> None:
    nodes = json.loads(manifest.read_text())["nodes"]
    health = nodes["model.score_monitoring.score_health_daily"]
    assert health["schema"] == MONITORING_SCHEMA
    result = run_generator("--manifest", manifest, "--out-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    assert constant_value(tmp_path) == f"{health['database']}.{MONITORING_SCHEMA}"


def consumer_manifest() -> dict[str, Any]:
    """A manifest as dbt writes it on BigQuery for a project acme_analytics that installs the package:
    the package's models in acme-prod.analytics_score_monitoring, next to the root project's own
    models, one of them named like a monitoring table."""

    def model(package: str, name: str, schema: str, columns: dict[str, str]) -> dict[str, Any]:
        return {
            "resource_type": "model",
            "package_name": package,
            "name": name,
            "database": "acme-prod",
            "schema": schema,
            "description": f"{name} of {package}.",
            "columns": {column: {"name": column, "description": text} for column, text in columns.items()},
            "config": {"meta": {"contract_table": True} if package == "score_monitoring" else {}},
        }

    def grain_test(table: str) -> dict[str, Any]:
        return {
            "resource_type": "test",
            "attached_node": f"model.score_monitoring.{table}",
            "test_metadata": {"name": "unique_combination", "kwargs": {"columns": ["score_date", "model_name"]}},
        }

    nodes = {
        f"model.score_monitoring.{table}": model("score_monitoring", table, "analytics_score_monitoring", {})
        for table in CONTRACT
    }
    nodes |= {f"test.score_monitoring.grain_{table}": grain_test(table) for table in CONTRACT}
    nodes["model.score_monitoring.score_health_daily"]["columns"] = {
        "row_count": {"name": "row_count", "description": "Rows scored on the day."}
    }
    nodes["model.acme_analytics.score_health_daily"] = model(
        "acme_analytics", "score_health_daily", "analytics", {"row_count": "Acme's own count.", "acme_only": "Acme's."}
    )
    return {"metadata": {"project_name": "acme_analytics", "adapter_type": "bigquery"}, "nodes": nodes}


def test_consumer_manifest_gives_the_package_models_and_their_schema(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps(consumer_manifest()))
    result = run_generator("--manifest", tmp_path / "manifest.json", "--out-dir", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert constant_value(tmp_path / "out") == "acme-prod.analytics_score_monitoring"
    views = load_views(tmp_path / "out")
    assert set(views) == set(CONTRACT)
    health = fields(views["score_health_daily"], "dimensions")
    assert health["row_count"]["description"] == "Rows scored on the day."
    assert "acme_only" not in health


def test_consumer_manifest_with_tables_in_two_schemas_needs_schema(tmp_path: Path) -> None:
    loaded = consumer_manifest()
    loaded["nodes"]["model.score_monitoring.monitoring_checks"]["schema"] = "elsewhere"
    (tmp_path / "manifest.json").write_text(json.dumps(loaded))
    result = run_generator("--manifest", tmp_path / "manifest.json", "--out-dir", tmp_path / "out")
    assert result.returncode == 2
    assert "acme-prod.analytics_score_monitoring, acme-prod.elsewhere" in result.stderr
    assert "pass --schema" in result.stderr
    assert not (tmp_path / "out").exists()
    result = run_generator(
        "--manifest", tmp_path / "manifest.json", "--out-dir", tmp_path / "out", "--schema", "acme-prod.monitoring"
    )
    assert result.returncode == 0, result.stderr
    assert constant_value(tmp_path / "out") == "acme-prod.monitoring"


def test_catalog_types_win_over_names(manifest: Path, tmp_path: Path) -> None:
    nodes = json.loads(manifest.read_text())["nodes"]
    (unique_id,) = [
        key for key, node in nodes.items() if node["resource_type"] == "model" and node["name"] == "monitoring_checks"
    ]
    catalog = {
        "nodes": {
            unique_id: {
                "columns": {
                    "score_date": {"type": "DATE", "index": 1},
                    "model_name": {"type": "STRING", "index": 2},
                    "metric_value": {"type": "FLOAT64", "index": 3},
                    "message": {"type": "INT64", "index": 4},  # a name says string; the warehouse wins
                    "is_muted": {"type": "BOOL", "index": 5},  # a column only the warehouse knows
                }
            }
        }
    }
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    result = run_generator(
        "--manifest", manifest, "--catalog", tmp_path / "catalog.json", "--out-dir", tmp_path / "out"
    )
    assert result.returncode == 0, result.stderr
    dimensions = fields(load_views(tmp_path / "out")["monitoring_checks"], "dimensions")
    assert dimensions["message"]["type"] == "number"
    assert dimensions["is_muted"]["type"] == "yesno"
    assert dimensions["metric_value"]["type"] == "number"
    assert dimensions["status"]["type"] == "string"  # not in this catalog: typed by its name


def test_missing_manifest_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "target" / "manifest.json"
    result = run_generator("--manifest", missing, "--out-dir", tmp_path / "out")
    assert result.returncode == 2
    assert "dbt manifest not found" in result.stderr and str(missing) in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_catalog_named_explicitly_exits_2(manifest: Path, tmp_path: Path) -> None:
    result = run_generator(
        "--manifest", manifest, "--catalog", tmp_path / "catalog.json", "--out-dir", tmp_path / "out"
    )
    assert result.returncode == 2
    assert f"dbt catalog not found: {tmp_path / 'catalog.json'}" in result.stderr


def test_manifest_without_a_monitoring_table_exits_2(manifest: Path, tmp_path: Path) -> None:
    loaded = json.loads(manifest.read_text())
    loaded["nodes"] = {key: node for key, node in loaded["nodes"].items() if node["resource_type"] != "model"}
    (tmp_path / "manifest.json").write_text(json.dumps(loaded))
    result = run_generator("--manifest", tmp_path / "manifest.json", "--out-dir", tmp_path / "out")
    assert result.returncode == 2
    assert "no model of package score_monitoring with meta contract_table" in result.stderr


def test_table_without_a_grain_test_exits_2(manifest: Path, tmp_path: Path) -> None:
    loaded = json.loads(manifest.read_text())
    loaded["nodes"] = {
        key: node
        for key, node in loaded["nodes"].items()
        if node.get("attached_node") != "model.score_monitoring.monitoring_status_daily"
    }
    (tmp_path / "manifest.json").write_text(json.dumps(loaded))
    result = run_generator("--manifest", tmp_path / "manifest.json", "--out-dir", tmp_path / "out")
    assert result.returncode == 2
    assert "without a unique_combination or unique test: monitoring_status_daily" in result.stderr


def test_unreadable_manifest_exits_2(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    result = run_generator("--manifest", tmp_path / "manifest.json", "--out-dir", tmp_path / "out")
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr
