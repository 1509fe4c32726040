"""Render the BigQuery plan: datasets, least-privilege IAM and the scheduled monitoring query.

The query is the compiled analysis (dbt compile --target bigquery), which reads @run_date. Without
--score-date the plan creates a daily scheduled query (BigQuery Data Transfer) that runs as the
service account and replaces the run date's partition of the destination table; with --score-date
it runs the query once with @run_date pinned to that date instead.

Example:
  python scripts/render_bigquery_plan.py --project my-project --source-dataset ml_scores \\
      --service-account monitoring-runner@my-project.iam.gserviceaccount.com > bigquery_plan.sh
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from pathlib import Path

import plan_lib
from plan_lib import Plan, PlanError, Step

PARTITION_FIELD = "score_date"
LEADING_COMMENTS = re.compile(r"\A(?:\s*--[^\n]*(?:\n|\Z))+")


def build_parser() -> argparse.ArgumentParser:
    parser = plan_lib.base_parser(__doc__.split("\n\n")[0])
    parser.add_argument(
        "--location", type=plan_lib.bigquery_location, default="EU", help="dataset location (default: EU)"
    )
    parser.add_argument(
        "--source-dataset", required=True, type=plan_lib.bigquery_name, help="dataset of the score/label tables"
    )
    parser.add_argument(
        "--dataset", type=plan_lib.bigquery_name, default="score_monitoring", help="monitoring dataset (dbt target)"
    )
    parser.add_argument(
        "--table", type=plan_lib.bigquery_name, default="scheduled_monitoring_daily", help="destination table"
    )
    parser.add_argument(
        "--service-account", required=True, type=plan_lib.service_account, help="runs the scheduled query"
    )
    parser.add_argument(
        "--schedule-time",
        type=plan_lib.utc_time,
        default="07:15",
        help="daily run time in UTC, BigQuery's schedule clock (default: 07:15, after the 06:30 London dbt run)",
    )
    parser.add_argument(
        "--query-file", type=Path, default=Path(plan_lib.DEFAULT_QUERY_FILE), help="compiled analysis SQL"
    )
    parser.add_argument(
        "--score-date", type=plan_lib.score_date, help="YYYY-MM-DD: run once for this date (default: daily)"
    )
    return parser


def load_query(path: Path, project: str, dataset: str) -> str:
    """Read the compiled query and refuse one that cannot be what the plan expects."""
    if not path.is_file():
        raise PlanError(f"query file {path} not found: run `dbt compile --target bigquery` first, or pass --query-file")
    # Drop leading '--' comment lines: bq would parse a positional query starting with '--' as a flag.
    sql = LEADING_COMMENTS.sub("", path.read_text(encoding="utf-8")).strip()
    if "@run_date" not in sql:
        raise PlanError(f"query file {path} has no @run_date parameter: compile it with --target bigquery")
    # dbt-bigquery writes fully qualified `project`.`dataset` names; another pair means another target.
    if f"`{project}`.`{dataset}`" not in sql:
        raise PlanError(f"query file {path} does not read `{project}`.`{dataset}`: it was compiled for another target")
    return sql


def build_plan(args: argparse.Namespace, sql: str) -> Plan:
    project, location, dataset, table = args.project, args.location, args.dataset, args.table
    # bq takes its global flags after the command as well; keeping them there keeps the command word first.
    scope = (f"--project_id={project}", f"--location={location}")
    steps = [
        plan_lib.enable_services(project, ["bigquery.googleapis.com", "bigquerydatatransfer.googleapis.com"]),
        plan_lib.create_dataset(project, location, "source", args.source_dataset),
        plan_lib.create_dataset(project, location, "monitoring", dataset),
        *plan_lib.bigquery_access_steps(
            project, location, args.service_account, (project, args.source_dataset), [("monitoring", dataset)]
        ),
    ]
    if args.score_date is None:
        params = {
            "query": sql,
            # {run_date} renders as YYYYMMDD: the $ decorator makes WRITE_TRUNCATE replace one partition only.
            "destination_table_name_template": f"{table}${{run_date}}",
            "write_disposition": "WRITE_TRUNCATE",
            "partitioning_field": PARTITION_FIELD,
        }
        steps.append(
            Step(
                "scheduled-query",
                f"Schedule the monitoring query every day at {args.schedule_time} UTC into {dataset}.{table}",
                (
                    "bq",
                    "mk",
                    *scope,
                    "--transfer_config",
                    "--data_source=scheduled_query",
                    f"--target_dataset={dataset}",
                    f"--display_name=score-monitoring {dataset}.{table}",
                    f"--schedule=every day {args.schedule_time}",
                    f"--service_account_name={args.service_account}",
                    f"--params={json.dumps(params)}",
                ),
            )
        )
    else:
        partition = args.score_date.replace("-", "")
        steps.append(
            Step(
                "pinned-query",
                f"Run the monitoring query once with @run_date = {args.score_date} into {dataset}.{table}",
                (
                    "bq",
                    "query",
                    *scope,
                    "--use_legacy_sql=false",
                    f"--parameter=run_date:DATE:{args.score_date}",
                    f"--destination_table={project}:{dataset}.{table}${partition}",
                    f"--time_partitioning_field={PARTITION_FIELD}",
                    "--time_partitioning_type=DAY",
                    "--replace=true",
                    sql,
                ),
            )
        )
    return Plan(
        name="bigquery",
        title=f"BigQuery plan for score-monitoring in {project} ({location})",
        parameters={
            "project": project,
            "location": location,
            "source_dataset": args.source_dataset,
            "dataset": dataset,
            "table": table,
            "service_account": args.service_account,
            "schedule_time_utc": args.schedule_time,
            "score_date": args.score_date,
        },
        steps=tuple(steps),
    )


def main(argv: Sequence[str] | None = None) -> int:
    def build(args: argparse.Namespace) -> Plan:
        return build_plan(args, load_query(args.query_file, args.project, args.dataset))

    return plan_lib.run(build_parser(), build, argv)


if __name__ == "__main__":
    raise SystemExit(main())
