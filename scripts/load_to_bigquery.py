"""Load parquet prediction logs (scores) and outcomes (labels) into BigQuery source tables.

The tables are created when missing, partitioned by score_date (DAY) and clustered by model_name,
with the schema read from the parquet file and checked against the data contract (section 1).
The dataset is created when missing, in --location. The dbt bigquery targets then read them through
the vars source_project, source_dataset, scores_table and labels_table.

Credentials: Application Default Credentials (gcloud auth application-default login, the attached
service account, or a keyfile named by the GOOGLE_APPLICATION_CREDENTIALS env var). There is no
keyfile flag on purpose. With --api-endpoint (a local emulator) the client is anonymous.

Examples:
  python scripts/load_to_bigquery.py --project my-proj --dataset score_sources \\
      --scores-path data/demo/scores.parquet --labels-path data/demo/labels.parquet
  python scripts/load_to_bigquery.py --project test-project --dataset score_sources \\
      --scores-path /tmp/bqdemo/scores.parquet --labels-path /tmp/bqdemo/labels.parquet \\
      --api-endpoint http://127.0.0.1:9050
  ... --dry-run   prints the load plan as JSON and touches nothing.

Exit codes: 0 loaded, 1 BigQuery or credentials error, 2 invalid input (names, files, schema).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq

EXIT_OK = 0
EXIT_BIGQUERY_ERROR = 1
EXIT_INVALID = 2

# Project ids: 6-30 chars, lowercase letters, digits and hyphens, starting with a letter and not
# ending with a hyphen; optionally domain-scoped ("example.com:my-project").
PROJECT_ID_RE = re.compile(r"^(?:[a-z0-9][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$")
# Datasets: letters, digits and underscores, up to 1024 characters (BigQuery's own rule).
DATASET_RE = re.compile(r"^[A-Za-z0-9_]{1,1024}$")
# Tables and columns: stricter than BigQuery allows (no spaces, dashes or unicode), because these
# names reach dbt SQL through vars and are interpolated as identifiers there.
TABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,1023}$")
COLUMN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,299}$")
# Multi-regions (US, EU) or regions such as europe-west2, us-central1, northamerica-northeast1.
LOCATION_RE = re.compile(r"^(?:US|EU|[a-z]+-[a-z]+[0-9]+)$")

WRITE_DISPOSITIONS = {"truncate": "WRITE_TRUNCATE", "append": "WRITE_APPEND", "empty": "WRITE_EMPTY"}
PARTITION_FIELD = "score_date"
CLUSTER_FIELDS = ("model_name",)
# Required columns and their BigQuery types (data contract, section 1).
CONTRACT_COLUMNS: dict[str, dict[str, str]] = {
    "scores": {
        "score_date": "DATE",
        "model_name": "STRING",
        "model_version": "STRING",
        "entity_id": "STRING",
        "score": "FLOAT64",
    },
    "labels": {"model_name": "STRING", "score_date": "DATE", "entity_id": "STRING", "label": "INT64"},
}


class InvalidInput(ValueError):
    """Input the script refuses (exit code 2)."""


@dataclass(frozen=True)
class Column:
    name: str
    field_type: str  # BigQuery standard SQL type name; every column is NULLABLE


@dataclass(frozen=True)
class TableLoad:
    kind: str  # "scores" or "labels"
    source: str
    table_id: str  # project.dataset.table
    columns: tuple[Column, ...]
    write_disposition: str
    partition_field: str = PARTITION_FIELD
    partition_type: str = "DAY"
    cluster_fields: tuple[str, ...] = CLUSTER_FIELDS


@dataclass(frozen=True)
class LoadPlan:
    project: str
    dataset: str
    location: str
    api_endpoint: str | None
    loads: tuple[TableLoad, ...]

    @property
    def dataset_id(self) -> str:
        return f"{self.project}.{self.dataset}"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load scores and labels parquet files into partitioned, clustered BigQuery tables.",
        epilog="Credentials: Application Default Credentials (keyfile only via GOOGLE_APPLICATION_CREDENTIALS).",
    )
    parser.add_argument("--project", required=True, help="GCP project id of the source tables")
    parser.add_argument("--dataset", required=True, help="dataset of the source tables (created if missing)")
    parser.add_argument("--location", default="US", help="dataset location when it is created (default: US)")
    parser.add_argument("--scores-path", required=True, type=Path, help="prediction log parquet file")
    parser.add_argument("--labels-path", required=True, type=Path, help="outcomes parquet file")
    parser.add_argument("--scores-table", default="scores", help="table name for scores (default: scores)")
    parser.add_argument("--labels-table", default="labels", help="table name for labels (default: labels)")
    parser.add_argument(
        "--write-disposition",
        choices=sorted(WRITE_DISPOSITIONS),
        default="truncate",
        help="truncate (default) replaces the table's rows, append adds, empty refuses a non-empty table",
    )
    parser.add_argument(
        "--api-endpoint", help="BigQuery API endpoint, e.g. http://127.0.0.1:9050 (emulator; anonymous)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the load plan as JSON and exit")
    return parser.parse_args(argv)


def validate_name(kind: str, value: str, pattern: re.Pattern[str]) -> str:
    if not pattern.fullmatch(value):
        raise InvalidInput(f"invalid {kind} {value!r}: must match {pattern.pattern}")
    return value


def validate_api_endpoint(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise InvalidInput(
            f"invalid api endpoint {value!r}: expected http(s)://host[:port] with no path or credentials"
        )
    return value.rstrip("/")


def bigquery_type(arrow_type: pa.DataType) -> str:
    """The BigQuery type a parquet column of this Arrow type loads into."""
    if pa.types.is_dictionary(arrow_type):
        return bigquery_type(arrow_type.value_type)
    if pa.types.is_boolean(arrow_type):
        return "BOOL"
    if pa.types.is_signed_integer(arrow_type) or arrow_type in (pa.uint8(), pa.uint16(), pa.uint32()):
        return "INT64"
    if pa.types.is_floating(arrow_type):
        return "FLOAT64"
    if pa.types.is_decimal(arrow_type):
        return "NUMERIC" if arrow_type.precision - arrow_type.scale <= 29 and arrow_type.scale <= 9 else "BIGNUMERIC"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "STRING"
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return "BYTES"
    if pa.types.is_date(arrow_type):
        return "DATE"
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMP" if arrow_type.tz is not None else "DATETIME"
    if pa.types.is_time(arrow_type):
        return "TIME"
    raise InvalidInput(f"unsupported parquet column type {arrow_type} (the source tables hold flat scalar columns)")


def columns_from_arrow(schema: pa.Schema, source: str) -> tuple[Column, ...]:
    columns = []
    for arrow_field in schema:
        try:
            validate_name("column name", arrow_field.name, COLUMN_RE)
            columns.append(Column(arrow_field.name, bigquery_type(arrow_field.type)))
        except InvalidInput as error:
            raise InvalidInput(f"{source}: column {arrow_field.name!r}: {error}") from None
    return tuple(columns)


def check_contract(kind: str, columns: Sequence[Column], source: str) -> None:
    """Refuse a file that lacks a contract column or carries it with another type."""
    types = {column.name: column.field_type for column in columns}
    for name, expected in CONTRACT_COLUMNS[kind].items():
        if name not in types:
            raise InvalidInput(f"{source}: {kind} needs column {name!r} ({expected}); found {sorted(types)}")
        if types[name] != expected:
            raise InvalidInput(f"{source}: column {name!r} is {types[name]}, the contract needs {expected}")


def build_table_load(kind: str, source: Path, table_id: str, schema: pa.Schema, write_disposition: str) -> TableLoad:
    columns = columns_from_arrow(schema, str(source))
    check_contract(kind, columns, str(source))
    return TableLoad(
        kind=kind,
        source=str(source),
        table_id=table_id,
        columns=columns,
        write_disposition=WRITE_DISPOSITIONS[write_disposition],
    )


def read_parquet_schema(path: Path) -> pa.Schema:
    if not path.is_file():
        raise InvalidInput(f"parquet file not found: {path}")
    try:
        return pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise InvalidInput(f"{path} is not a readable parquet file: {error}") from None


def build_plan(args: argparse.Namespace, read_schema: Callable[[Path], pa.Schema] = read_parquet_schema) -> LoadPlan:
    """Validate every name and file and return what to create and load; touches no BigQuery API."""
    project = validate_name("project id", args.project, PROJECT_ID_RE)
    dataset = validate_name("dataset", args.dataset, DATASET_RE)
    location = validate_name("location", args.location, LOCATION_RE)
    scores_table = validate_name("table name", args.scores_table, TABLE_RE)
    labels_table = validate_name("table name", args.labels_table, TABLE_RE)
    if scores_table == labels_table:
        raise InvalidInput(f"--scores-table and --labels-table must differ (both {scores_table!r})")
    api_endpoint = validate_api_endpoint(args.api_endpoint)
    loads = tuple(
        build_table_load(kind, path, f"{project}.{dataset}.{table}", read_schema(path), args.write_disposition)
        for kind, path, table in (
            ("scores", args.scores_path, scores_table),
            ("labels", args.labels_path, labels_table),
        )
    )
    return LoadPlan(project=project, dataset=dataset, location=location, api_endpoint=api_endpoint, loads=loads)


def plan_as_dict(plan: LoadPlan) -> dict[str, Any]:
    return {**asdict(plan), "dataset_id": plan.dataset_id}


# --- BigQuery side: the only code that talks to the API -------------------------------------------


def make_client(plan: LoadPlan) -> Any:
    from google.cloud import bigquery

    if plan.api_endpoint is None:
        # Application Default Credentials; a keyfile only through GOOGLE_APPLICATION_CREDENTIALS.
        return bigquery.Client(project=plan.project, location=plan.location)
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials

    return bigquery.Client(
        project=plan.project,
        location=plan.location,
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        client_options=ClientOptions(api_endpoint=plan.api_endpoint),
    )


def execute(plan: LoadPlan, client: Any) -> dict[str, int]:
    """Create the dataset and tables when missing, then run one load job per file; rows per table."""
    from google.cloud import bigquery

    dataset = bigquery.Dataset(plan.dataset_id)
    dataset.location = plan.location
    dataset = client.create_dataset(dataset, exists_ok=True)
    if dataset.location and dataset.location.upper() != plan.location.upper():
        raise InvalidInput(f"dataset {plan.dataset_id} exists in {dataset.location}, not in --location {plan.location}")
    row_counts = {}
    for load in plan.loads:
        schema = [bigquery.SchemaField(column.name, column.field_type, mode="NULLABLE") for column in load.columns]
        partitioning = bigquery.TimePartitioning(type_=load.partition_type, field=load.partition_field)
        table = bigquery.Table(load.table_id, schema=schema)
        table.time_partitioning = partitioning
        table.clustering_fields = list(load.cluster_fields)
        client.create_table(table, exists_ok=True)
        job_config = bigquery.LoadJobConfig(
            source_format=bigquery.SourceFormat.PARQUET,
            write_disposition=load.write_disposition,
            create_disposition=bigquery.CreateDisposition.CREATE_NEVER,
            schema=schema,
            time_partitioning=partitioning,
            clustering_fields=list(load.cluster_fields),
        )
        with open(load.source, "rb") as source:
            job = client.load_table_from_file(source, load.table_id, job_config=job_config, location=plan.location)
        job.result()
        row_counts[load.table_id] = int(client.get_table(load.table_id).num_rows or 0)
        print(f"loaded {load.source} -> {load.table_id} ({load.write_disposition}): {row_counts[load.table_id]} rows")
    return row_counts


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        plan = build_plan(args)
    except InvalidInput as error:
        print(f"load_to_bigquery: {error}", file=sys.stderr)
        return EXIT_INVALID
    if args.dry_run:
        print(json.dumps(plan_as_dict(plan), indent=2))
        return EXIT_OK
    from google.api_core.exceptions import GoogleAPIError
    from google.auth.exceptions import GoogleAuthError

    try:
        execute(plan, make_client(plan))
    except InvalidInput as error:
        print(f"load_to_bigquery: {error}", file=sys.stderr)
        return EXIT_INVALID
    except (GoogleAPIError, GoogleAuthError) as error:
        print(f"load_to_bigquery: BigQuery error: {error}", file=sys.stderr)
        return EXIT_BIGQUERY_ERROR
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
