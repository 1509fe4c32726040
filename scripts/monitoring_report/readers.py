"""The same few queries against DuckDB or BigQuery, and which schema (BigQuery: dataset) to read."""

from __future__ import annotations

import argparse
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

Row = dict[str, Any]

# The node whose schema the manifest gives: the package's, whichever project installs the package.
HEALTH_NODE = "model.score_monitoring.score_health_daily"
DEFAULT_MANIFEST = Path("target/manifest.json")
# Without a manifest: the schema of the DuckDB target in profiles/profiles.yml (main) + the package's suffix.
DEFAULT_DUCKDB_SCHEMA = "main_score_monitoring"


class ReportInputError(Exception):
    """Bad input the user can fix (file, table, date); the message names it."""


class Reader(ABC):
    """The report's queries, written once; a warehouse gives its table names, parameters and client."""

    source: str  # the database, for the report header
    PARAMETER: str  # the prefix of a named query parameter

    @abstractmethod
    def describe(self, table: str) -> str:
        """Where the table lives, for messages."""

    @abstractmethod
    def has_table(self, table: str) -> bool: ...

    @abstractmethod
    def _relation(self, table: str) -> str:
        """The table's quoted name in SQL."""

    @abstractmethod
    def _query(self, sql: str, parameters: dict[str, date | str]) -> list[Row]: ...

    def latest_date(self, table: str) -> date | None:
        rows = self._query(f"select max(score_date) as latest from {self._relation(table)}", {})
        return _as_date(rows[0]["latest"]) if rows else None

    def rows(
        self,
        table: str,
        date_from: date,
        date_to: date,
        date_column: str = "score_date",
        equal: Mapping[str, str] | None = None,
    ) -> list[Row]:
        """Every row with date_from <= date_column <= date_to and, for each column of equal, column = its value."""
        p = self.PARAMETER
        equal = equal or {}
        conditions = "".join(f" and {column} = {p}{column}" for column in equal)
        return self._query(
            f"select * from {self._relation(table)} where {date_column} between {p}date_from and {p}date_to{conditions}",
            {"date_from": date_from, "date_to": date_to, **equal},
        )

    def spans(self, table: str, date_from: date, date_to: date, start_column: str, end_column: str) -> list[Row]:
        """Every row whose span from start_column to end_column (NULL: not ended) meets [date_from, date_to]."""
        p = self.PARAMETER
        return self._query(
            f"select * from {self._relation(table)} where {start_column} <= {p}date_to "
            f"and ({end_column} is null or {end_column} >= {p}date_from)",
            {"date_from": date_from, "date_to": date_to},
        )


class DuckDBReader(Reader):
    PARAMETER = "$"

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

    def _relation(self, table: str) -> str:
        return f'"{self._schema}"."{table}"'

    def _query(self, sql: str, parameters: dict[str, date | str]) -> list[Row]:
        cursor = self._connection.execute(sql, parameters)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


class BigQueryReader(Reader):
    PARAMETER = "@"

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

    def _query(self, sql: str, parameters: dict[str, date | str]) -> list[Row]:
        typed = [
            self._bigquery.ScalarQueryParameter(name, "DATE" if isinstance(value, date) else "STRING", value)
            for name, value in parameters.items()
        ]
        job = self._client.query(sql, job_config=self._bigquery.QueryJobConfig(query_parameters=typed))
        return [dict(row.items()) for row in job.result()]

    def _relation(self, table: str) -> str:
        return f"`{self._dataset}.{table}`"


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


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


def add_warehouse_arguments(parser: argparse.ArgumentParser) -> None:
    """Where the monitoring tables are: a DuckDB file, or a BigQuery project and dataset (the scripts' shared options)."""
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


def resolve_warehouse_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """--bigquery-dataset as --schema (it needs --bigquery-project), and the default manifest if it exists."""
    if args.bigquery_dataset is not None:
        if args.bigquery_project is None:
            parser.error("--bigquery-dataset needs --bigquery-project")
        args.schema = args.bigquery_dataset
    if args.manifest is None and DEFAULT_MANIFEST.is_file():
        args.manifest = DEFAULT_MANIFEST
