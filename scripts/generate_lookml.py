"""Generate LookML views for the monitoring tables, and explores of the checks and the alerts.

Works from the dbt manifest only: the monitoring tables are the package's models with meta
contract_table, their columns and descriptions come from the yml, their grain (the primary key)
from their unique_combination / unique test, and, when present, the catalog next to the manifest
gives the warehouse's column types (`dbt docs generate` writes both). The manifest may be this
project's or that of a project installing the package: the tables are the models of package
score_monitoring either way.
  dbt docs generate && python scripts/generate_lookml.py
  python scripts/generate_lookml.py --manifest target/manifest.json --out-dir lookml --schema my_project.monitoring

Writes into --out-dir:
  manifest.lkml                          the constant monitoring_schema (every view's sql_table_name):
                                         --schema, or the manifest's database.schema of the tables
  <table>.view.lkml                      one view per monitoring table: a dimension per column, sum
                                         measures for counts, average measures for the other numbers
  score_monitoring.explore.lkml          explore monitoring_checks joined to monitoring_status_daily,
                                         explore monitoring_alerts
Copy the files into a Looker project (manifest.lkml at its root) and include the explore from a model.

Exit codes: 0 written; 2 bad input (a missing or unreadable manifest, no monitoring table in it or one
without a grain test, monitoring tables in more than one schema without --schema).
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

CONTRACT_META = "contract_table"  # the meta key dbt_project.yml sets on the tables users read
STATUS_COLUMNS = ("status", "overall_status")
STATUSES = ("pass", "warn", "fail")
STRING_NAMES = re.compile(
    r"(_name|_type|_method|category_value|segment_value|_column|_version|_versions|_id|_state|_reason|_note|_basis"
    r"|status|message|subject|direction|^event)$"
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
    """Monitoring table -> (unique_id, node): the package's models with meta contract_table, by name
    (a model of the same name in the project installing the package is not one)."""
    models = {
        node["name"]: (unique_id, node)
        for unique_id, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") == "model"
        and node.get("package_name") == PACKAGE
        and (node.get("config", {}).get("meta") or node.get("meta") or {}).get(CONTRACT_META)
    }
    if not models:
        raise LookmlInputError(f"no model of package {PACKAGE} with meta {CONTRACT_META} in the manifest")
    return dict(sorted(models.items()))


def grains(manifest: dict[str, Any], models: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, tuple[str, ...]]:
    """Monitoring table -> its grain, from the unique_combination (or single-column unique) test on it."""
    by_id = {unique_id: table for table, (unique_id, _) in models.items()}
    found: dict[str, tuple[str, ...]] = {}
    for node in manifest.get("nodes", {}).values():
        metadata = node.get("test_metadata") or {}
        table = by_id.get(node.get("attached_node") or "")
        if node.get("resource_type") != "test" or table is None:
            continue
        kwargs = metadata.get("kwargs", {})
        if metadata.get("name") == "unique_combination":
            found[table] = tuple(kwargs["columns"])
        elif metadata.get("name") == "unique" and table not in found:
            found[table] = (kwargs.get("column_name") or node["column_name"],)
    missing = [table for table in models if table not in found]
    if missing:
        raise LookmlInputError(f"monitoring table(s) without a unique_combination or unique test: {', '.join(missing)}")
    return found


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


def view_columns(node: dict[str, Any], catalog_columns: dict[str, Any]) -> list[Column]:
    """The view's columns: the catalog's in table order, then the yml's it does not list."""
    documented = {name.lower(): column for name, column in node.get("columns", {}).items()}
    catalog = {name.lower(): column for name, column in catalog_columns.items()}
    ordered = sorted(catalog, key=lambda name: catalog[name].get("index", 0))
    columns = []
    for name in dict.fromkeys([*ordered, *documented]):
        yml = documented.get(name, {})
        if name in catalog:
            kind = warehouse_kind(catalog[name]["type"])
        elif yml.get("data_type"):
            kind = warehouse_kind(yml["data_type"])
        else:
            kind = name_kind(name)
        columns.append(Column(name=name, kind=kind, description=" ".join((yml.get("description") or "").split())))
    return columns


def view_measures(columns: Sequence[Column], grain: Sequence[str]) -> list[Measure]:
    measures = [Measure("count", "count", None, "Number of rows.")]
    for column in columns:
        if column.kind != "number" or column.name in grain:
            continue
        if column.name.endswith("_count") or column.name == "duplicate_rows":
            measures.append(Measure(f"total_{column.name}", "sum", column.name, f"Sum of {column.name}.", "decimal_0"))
        elif column.name.endswith(("_rate", "_share", "_coverage", "_capacity_use")):
            measures.append(
                Measure(f"average_{column.name}", "average", column.name, f"Average of {column.name}.", "percent_2")
            )
        else:
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
    models: dict[str, tuple[str, dict[str, Any]]], grain: dict[str, tuple[str, ...]], catalog: dict[str, Any] | None
) -> list[View]:
    views = []
    for table, (unique_id, node) in models.items():
        catalog_columns = (catalog or {}).get("nodes", {}).get(unique_id, {}).get("columns", {})
        columns = view_columns(node, catalog_columns)
        description = " ".join((node.get("description") or "").split())
        views.append(
            View(
                name=table,
                description=description,
                grain=grain[table],
                columns=columns,
                measures=view_measures(columns, grain[table]),
            )
        )
    return views


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
        views = build_views(models, grains(manifest, models), catalog)
    except LookmlInputError as error:
        print(f"generate_lookml: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    args.out_dir.mkdir(parents=True, exist_ok=True)
    files = render_files(views, schema)
    for name, text in files.items():
        (args.out_dir / name).write_text(text)
    source = "catalog and manifest" if catalog else "manifest (no catalog: types from the yml or the column names)"
    print(f"generate_lookml: wrote {len(files)} files to {args.out_dir}/ from the {source}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
