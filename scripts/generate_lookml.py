"""Generate LookML views for the monitoring tables, and an explore joining checks to status.

Works from the dbt manifest (model and column descriptions, yml data_type) and, when present,
the catalog next to it (the warehouse's column names and types; `dbt docs generate` writes both).
The manifest may be this project's or that of a project installing the package: the monitoring
tables are the models of package score_monitoring either way.
  dbt docs generate && python scripts/generate_lookml.py
  python scripts/generate_lookml.py --manifest target/manifest.json --out-dir lookml --schema my_project.monitoring

Writes into --out-dir:
  manifest.lkml                          the constant monitoring_schema (every view's sql_table_name):
                                         --schema, or the manifest's database.schema of the tables
  <table>.view.lkml                      one view per monitoring table: a dimension per column, sum
                                         measures for counts, average measures for rates and metrics
  score_monitoring.explore.lkml          explore monitoring_checks joined to monitoring_status_daily
Copy the files into a Looker project (manifest.lkml at its root) and include the explore from a model.

Exit codes: 0 written; 2 bad input (a missing or unreadable manifest, a monitoring table missing from it,
monitoring tables in more than one schema without --schema).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

EXIT_OK = 0
EXIT_BAD_INPUT = 2
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
PACKAGE = "score_monitoring"
SCHEMA_CONSTANT = "monitoring_schema"
EXPLORE_FILE = "score_monitoring.explore.lkml"

# The monitoring tables (data contract, section 2) and their grain: the grain makes the primary key,
# which Looker needs for correct sums and averages across joins (symmetric aggregates).
CONTRACT_GRAIN: dict[str, tuple[str, ...]] = {
    "score_health_daily": ("score_date", "model_name"),
    "score_drift_daily": ("score_date", "model_name"),
    "score_bins_daily": ("score_date", "model_name", "bin_index"),
    "feature_drift_daily": ("score_date", "model_name", "feature_name"),
    "feature_bins_daily": ("score_date", "model_name", "feature_name", "bin_index"),
    "model_performance_daily": ("score_date", "model_name"),
    "calibration_bins_daily": ("score_date", "model_name", "bin_index"),
    "segment_calibration_daily": ("score_date", "model_name", "segment_column", "segment_value"),
    "monitoring_checks": ("score_date", "model_name", "check_name", "subject"),
    "monitoring_status_daily": ("score_date", "model_name"),
}
# Contract columns the tables must carry (contract section 2); a view gets a dimension for each even
# when neither the catalog nor the yml lists it, so the Looker interface never loses a contract field.
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "score_health_daily": (
        "row_count", "entity_count", "duplicate_rows", "model_version_count", "null_score_count", "out_of_bounds_count",
        "score_mean", "score_stddev", "score_min", "score_max", "score_p01", "score_p05", "score_p10", "score_p25",
        "score_p50", "score_p75", "score_p90", "score_p95", "score_p99", "decision_count", "decision_rate",
        "review_count", "review_rate",
    ),
    "score_drift_daily": ("reference_start", "reference_end", "reference_row_count", "psi", "js_distance", "ks_statistic"),
    "score_bins_daily": ("lower_edge", "upper_edge", "current_count", "reference_count", "current_share", "reference_share"),
    "feature_drift_daily": (
        "feature_type", "psi", "js_distance", "ks_statistic", "l_inf", "missing_rate", "reference_missing_rate",
        "new_category_share",
    ),
    "feature_bins_daily": (
        "category_value", "lower_edge", "upper_edge", "current_count", "reference_count", "current_share", "reference_share",
    ),
    "model_performance_daily": (
        "scored_count", "labelled_count", "label_coverage", "base_rate", "mean_score", "bias", "brier", "log_loss", "ece",
        "mce", "auc", "precision", "recall", "f1", "accuracy",
    ),
    "calibration_bins_daily": ("lower_edge", "upper_edge", "row_count", "mean_score", "observed_rate"),
    "segment_calibration_daily": ("row_count", "mean_score", "observed_rate", "calibration_gap"),
    "monitoring_checks": ("metric_value", "warn_threshold", "fail_threshold", "status", "message"),
    "monitoring_status_daily": ("overall_status", "pass_count", "warn_count", "fail_count"),
}  # fmt: skip
# Averaging these across rows is meaningful (e.g. mean PSI over a month); summing them is not.
METRIC_COLUMNS = frozenset(
    ("psi", "js_distance", "ks_statistic", "l_inf", "auc", "brier", "log_loss", "ece", "mce", "precision", "recall",
     "f1", "accuracy", "bias", "calibration_gap", "metric_value", "score_mean", "mean_score")
)  # fmt: skip
STATUS_COLUMNS = ("status", "overall_status")
STATUSES = ("pass", "warn", "fail")
STRING_NAMES = re.compile(
    r"(_name|_type|category_value|segment_value|_column|_version|_id|_state|_reason|status|message|subject|direction)$"
)
DATE_NAMES = re.compile(r"(_date|_start|_end|_on|_seen)$")
BOOLEAN_NAMES = re.compile(r"^(is|has)_")


class LookmlInputError(Exception):
    """Bad input the user can fix; the message names the file or table."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # date, number, string or yesno (LookML dimension types)
    description: str


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str  # sum, average or count
    column: str | None
    description: str
    value_format_name: str | None = None
    filter: tuple[str, str] | None = None  # (dimension, value): a count of the rows matching it


@dataclass(frozen=True)
class View:
    name: str
    description: str
    grain: tuple[str, ...]
    columns: list[Column]
    measures: list[Measure]


def warehouse_kind(data_type: str) -> str:
    """The LookML dimension type of a warehouse column type (DuckDB or BigQuery spelling)."""
    upper = data_type.upper()
    if upper.startswith("DATE") and not upper.startswith("DATETIME"):
        return "date"
    if upper in {"BOOL", "BOOLEAN"}:
        return "yesno"
    if re.match(r"^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER|\d+)?|DOUBLE|FLOAT\d*|REAL|NUMERIC|BIGNUMERIC|DECIMAL)", upper):
        return "number"
    return "string"


def name_kind(name: str) -> str:
    """Type guessed from the column name, when neither the catalog nor the yml gives one."""
    if DATE_NAMES.search(name):
        return "date"
    if BOOLEAN_NAMES.search(name):
        return "yesno"
    if STRING_NAMES.search(name):
        return "string"
    return "number"


def load_json(path: Path, what: str) -> dict[str, Any]:
    if not path.is_file():
        raise LookmlInputError(f"{what} not found: {path} (run `dbt parse` or `dbt docs generate` first)")
    try:
        loaded: dict[str, Any] = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise LookmlInputError(f"{what} is not valid JSON: {path}: {error}") from error
    return loaded


def contract_models(manifest: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Monitoring table -> (unique_id, node) of the package's model, in contract order (a model of the
    same name in the project installing the package is not one)."""
    models = {
        node["name"]: (unique_id, node)
        for unique_id, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") == "model" and node.get("package_name") == PACKAGE
    }
    missing = [table for table in CONTRACT_GRAIN if table not in models]
    if missing:
        raise LookmlInputError(f"monitoring table(s) of package {PACKAGE} not in the manifest: {', '.join(missing)}")
    return {table: models[table] for table in CONTRACT_GRAIN}


def manifest_schema(nodes: Iterable[dict[str, Any]]) -> str:
    """The one database.schema the manifest puts the nodes in (the views share one constant)."""
    locations = sorted(
        {".".join(part for part in (node.get("database"), node.get("schema")) if part) for node in nodes}
    )
    if len(locations) != 1 or not locations[0]:
        raise LookmlInputError(
            f"the monitoring tables are not in one schema in the manifest ({', '.join(locations)}): pass --schema"
        )
    return locations[0]


def view_columns(table: str, node: dict[str, Any], catalog_columns: dict[str, Any]) -> tuple[list[Column], list[str]]:
    """The view's columns in table order (catalog, then yml, then contract), and the contract columns
    that neither source lists (reported, still given a dimension)."""
    documented = {name.lower(): column for name, column in node.get("columns", {}).items()}
    catalog = {name.lower(): column for name, column in catalog_columns.items()}
    ordered = sorted(catalog, key=lambda name: catalog[name].get("index", 0))
    contract = [*CONTRACT_GRAIN[table], *CONTRACT_COLUMNS[table]]
    names = list(dict.fromkeys([*ordered, *documented, *contract]))
    undocumented = [name for name in contract if name not in catalog and name not in documented]
    columns = []
    for name in names:
        yml = documented.get(name, {})
        if name in catalog:
            kind = warehouse_kind(catalog[name]["type"])
        elif yml.get("data_type"):
            kind = warehouse_kind(yml["data_type"])
        else:
            kind = name_kind(name)
        columns.append(Column(name=name, kind=kind, description=" ".join((yml.get("description") or "").split())))
    return columns, undocumented


def view_measures(columns: Sequence[Column]) -> list[Measure]:
    measures = [Measure("count", "count", None, "Number of rows.")]
    for column in columns:
        if column.kind != "number" or column.name == "bin_index":
            continue
        if column.name.endswith("_count") or column.name == "duplicate_rows":
            measures.append(Measure(f"total_{column.name}", "sum", column.name, f"Sum of {column.name}.", "decimal_0"))
        elif column.name.endswith(("_rate", "_share", "_coverage")):
            measures.append(
                Measure(f"average_{column.name}", "average", column.name, f"Average of {column.name}.", "percent_2")
            )
        elif column.name in METRIC_COLUMNS:
            measures.append(
                Measure(f"average_{column.name}", "average", column.name, f"Average of {column.name}.", "decimal_4")
            )
    for column in columns:
        if column.name in STATUS_COLUMNS:
            measures += [
                Measure(
                    f"count_{status}",
                    "count",
                    None,
                    f"Rows whose {column.name} is {status}.",
                    filter=(column.name, status),
                )
                for status in STATUSES
            ]
    return measures


def build_views(
    models: dict[str, tuple[str, dict[str, Any]]], catalog: dict[str, Any] | None
) -> tuple[list[View], dict[str, list[str]]]:
    views, undocumented = [], {}
    for table, grain in CONTRACT_GRAIN.items():
        unique_id, node = models[table]
        catalog_columns = (catalog or {}).get("nodes", {}).get(unique_id, {}).get("columns", {})
        columns, missing_columns = view_columns(table, node, catalog_columns)
        if missing_columns:
            undocumented[table] = missing_columns
        description = " ".join((node.get("description") or "").split())
        views.append(
            View(name=table, description=description, grain=grain, columns=columns, measures=view_measures(columns))
        )
    return views, undocumented


def lookml_string(text: str) -> str:
    """A double-quoted LookML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_files(views: Sequence[View], schema: str) -> dict[str, str]:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=False,  # LookML, not HTML: strings are quoted by the lookml_string filter
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["q"] = lookml_string
    files = {
        "manifest.lkml": environment.get_template("lookml_manifest.lkml.j2").render(
            constant=SCHEMA_CONSTANT, schema=schema
        )
    }
    view_template = environment.get_template("lookml_view.view.lkml.j2")
    for view in views:
        files[f"{view.name}.view.lkml"] = view_template.render(view=view, constant=SCHEMA_CONSTANT)
    files[EXPLORE_FILE] = environment.get_template("lookml_explore.explore.lkml.j2").render()
    return files


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--manifest",
        type=Path,
        default=Path("target/manifest.json"),
        help="dbt manifest (default target/manifest.json)",
    )
    parser.add_argument(
        "--catalog",
        type=Path,
        help="dbt catalog for column types (default: catalog.json next to the manifest, if present)",
    )
    parser.add_argument(
        "--out-dir", type=Path, default=Path("lookml"), help="where the LookML files go (default lookml/)"
    )
    parser.add_argument(
        "--schema",
        help="value of the LookML constant monitoring_schema: the schema (DuckDB) or project.dataset (BigQuery) "
        "of the tables (default: the manifest's database.schema of them)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        manifest = load_json(args.manifest, "dbt manifest")
        catalog_path = args.catalog or args.manifest.with_name("catalog.json")
        # An explicit --catalog must exist; the default one is optional (dbt parse writes no catalog).
        catalog = load_json(catalog_path, "dbt catalog") if args.catalog or catalog_path.is_file() else None
        models = contract_models(manifest)
        schema = args.schema or manifest_schema(node for _, node in models.values())
        views, undocumented = build_views(models, catalog)
    except LookmlInputError as error:
        print(f"generate_lookml: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for table, names in undocumented.items():
        print(
            f"generate_lookml: warning: {table}: contract columns neither in the catalog nor in the yml, typed by name: {', '.join(names)}",
            file=sys.stderr,
        )
    args.out_dir.mkdir(parents=True, exist_ok=True)
    files = render_files(views, schema)
    for name, text in files.items():
        (args.out_dir / name).write_text(text)
    source = "catalog and manifest" if catalog else "manifest (no catalog: types from the yml or the column names)"
    print(f"generate_lookml: wrote {len(files)} files to {args.out_dir}/ from the {source}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
