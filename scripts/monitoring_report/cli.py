"""Write the monitoring report of one monitoring date.

Reads the monitoring tables (data contract, section 2) from the DuckDB file the project builds, or
from BigQuery, in the schema (BigQuery: dataset) --schema or, by default, the one the dbt manifest
puts the package's tables in: <target schema>_score_monitoring, also when the project that ran dbt
installs this one as a package. Writes into --out-dir:
  monitoring_snapshot.json  each model's status, counts, attention items (every warn and fail), all checks, the
                            score mean decomposition of the models whose score_psi or score_ks is not pass, each
                            model's estimated performance of the date and its version comparison rows, its
                            latency p95 and error rate, capacity use (models with a capacity) and business
                            value (models with values or costs)
  monitoring_snapshot.md    the same for people (a chat message, a ticket, a PR comment)
  monitoring_report.html    one self-contained page, plotly charts (plotly.js inlined): no server, opens offline;
                            per model also estimated and realized AUC, version comparison and stability,
                            latency and error rate, capacity use and value per decision over the history window

Examples:
  python -m scripts.monitoring_report                                # target/score_monitoring.duckdb
  python -m scripts.monitoring_report --duckdb /tmp/x.duckdb --schema main_score_monitoring --monitoring-date 2026-01-16
  python -m scripts.monitoring_report --bigquery-project my-proj --schema analytics_score_monitoring

Exit codes: 0 written; 2 bad input (a missing database file, manifest or table, a monitoring date
without rows, no schema to read), with a message naming the file, schema.table or date.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .html import render_html
from .readers import (
    BigQueryReader,
    DuckDBReader,
    Reader,
    ReportInputError,
    add_warehouse_arguments,
    monitoring_schema,
    resolve_warehouse_arguments,
)
from .snapshot import build_snapshot, load_report_data, render_markdown

EXIT_OK = 0
EXIT_BAD_INPUT = 2
SNAPSHOT_JSON = "monitoring_snapshot.json"
SNAPSHOT_MD = "monitoring_snapshot.md"
REPORT_HTML = "monitoring_report.html"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.monitoring_report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_warehouse_arguments(parser)
    parser.add_argument(
        "--monitoring-date", type=date.fromisoformat, help="YYYY-MM-DD (default: latest in monitoring_status_daily)"
    )
    parser.add_argument("--history-days", type=int, default=90, help="days of history in the trend charts (default 90)")
    parser.add_argument(
        "--out-dir", type=Path, default=Path("reports"), help="where the three files go (default reports/)"
    )
    args = parser.parse_args(argv)
    resolve_warehouse_arguments(parser, args)
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
        f"monitoring report for {snapshot['monitoring_date']}: "
        + ", ".join(f"{model['model_name']} {model['overall_status']}" for model in snapshot["models"])
        + f" ({counts['fail']} fail, {counts['warn']} warn, {counts['pass']} pass) -> {args.out_dir}/"
        f"{{{SNAPSHOT_JSON},{SNAPSHOT_MD},{REPORT_HTML}}}"
    )
    return EXIT_OK
