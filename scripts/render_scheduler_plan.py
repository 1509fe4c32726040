"""Render the Cloud Scheduler plan: daily triggers for the scoring and monitoring jobs, alerts, a budget.

Each trigger POSTs to the Cloud Run Jobs API (…/jobs/JOB:run) with an OAuth token of the scheduler
service account, which gets roles/run.invoker on those two jobs only. Job failures (Cloud Run job
logs at severity ERROR or above) feed a log-based metric with an alert policy on it; a budget alerts
at 50% and 90% of the amount.

Example:
  python scripts/render_scheduler_plan.py --project my-project --scoring-job score-models \\
      --scheduler-service-account scheduler@my-project.iam.gserviceaccount.com \\
      --billing-account 012345-6789AB-CDEF01 --budget-amount 100GBP > scheduler_plan.sh
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

import plan_lib
from plan_lib import Plan, Step

FAILURE_METRIC = "score-monitoring-job-failures"


def build_parser() -> argparse.ArgumentParser:
    parser = plan_lib.base_parser(__doc__.split("\n\n")[0])
    parser.add_argument(
        "--region", type=plan_lib.region, default="europe-west2", help="region of the jobs and triggers"
    )
    parser.add_argument("--scoring-job", required=True, type=plan_lib.resource_name, help="Cloud Run job that scores")
    parser.add_argument("--monitoring-job", type=plan_lib.resource_name, default="score-monitoring-dbt")
    parser.add_argument("--scheduler-service-account", required=True, type=plan_lib.service_account)
    parser.add_argument(
        "--time-zone", type=plan_lib.time_zone, default="Europe/London", help="IANA zone of the schedules"
    )
    parser.add_argument("--scoring-schedule", type=plan_lib.cron, default="0 6 * * *", help="cron (default: 0 6 * * *)")
    parser.add_argument(
        "--monitoring-schedule", type=plan_lib.cron, default="30 6 * * *", help="cron (default: 30 6 * * *)"
    )
    parser.add_argument("--billing-account", required=True, type=plan_lib.billing_account)
    parser.add_argument(
        "--budget-amount", required=True, type=plan_lib.budget_amount, help="monthly budget, e.g. 100GBP"
    )
    parser.add_argument(
        "--notification-channel",
        action="append",
        default=[],
        type=plan_lib.notification_channel,
        help="alert policy channel (repeatable)",
    )
    return parser


def build_plan(args: argparse.Namespace) -> Plan:
    project, region, account = args.project, args.region, args.scheduler_service_account
    jobs = {
        "scoring": (args.scoring_job, args.scoring_schedule),
        "monitoring": (args.monitoring_job, args.monitoring_schedule),
    }
    job_names = " OR ".join(f'"{job}"' for job, _ in jobs.values())
    log_filter = f'resource.type="cloud_run_job" AND severity>=ERROR AND resource.labels.job_name=({job_names})'
    policy = {
        "displayName": "score-monitoring: Cloud Run job failed",
        "combiner": "OR",
        "conditions": [
            {
                "displayName": "Cloud Run job logged an error",
                "conditionThreshold": {
                    "filter": f'metric.type="logging.googleapis.com/user/{FAILURE_METRIC}" AND resource.type="cloud_run_job"',
                    "comparison": "COMPARISON_GT",
                    "thresholdValue": 0,
                    "duration": "0s",
                    "aggregations": [{"alignmentPeriod": "300s", "perSeriesAligner": "ALIGN_SUM"}],
                },
            }
        ],
        "notificationChannels": list(args.notification_channel),
        "documentation": {
            "content": f"A score-monitoring job failed. Logs: filter `{log_filter}` in project {project}.",
            "mimeType": "text/markdown",
        },
    }
    steps = [
        plan_lib.enable_services(
            project,
            [
                "cloudscheduler.googleapis.com",
                "run.googleapis.com",
                "logging.googleapis.com",
                "monitoring.googleapis.com",
                "billingbudgets.googleapis.com",
            ],
        )
    ]
    for role, (job, _) in jobs.items():
        steps.append(
            Step(
                f"grant-invoker-{role}",
                f"Let {account} run job {job} (roles/run.invoker on that job only)",
                (
                    "gcloud",
                    "run",
                    "jobs",
                    "add-iam-policy-binding",
                    job,
                    f"--region={region}",
                    f"--member=serviceAccount:{account}",
                    "--role=roles/run.invoker",
                    f"--project={project}",
                ),
            )
        )
    for role, (job, schedule) in jobs.items():
        uri = f"https://{region}-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/{project}/jobs/{job}:run"
        steps.append(
            Step(
                f"schedule-{role}",
                f"Trigger {job} at '{schedule}' ({args.time_zone})",
                (
                    "gcloud",
                    "scheduler",
                    "jobs",
                    "create",
                    "http",
                    f"{job}-daily",
                    f"--location={region}",
                    f"--schedule={schedule}",
                    f"--time-zone={args.time_zone}",
                    f"--uri={uri}",
                    "--http-method=POST",
                    f"--oauth-service-account-email={account}",
                    f"--description=Daily {role} run of {job}",
                    f"--project={project}",
                ),
            )
        )
    steps += [
        Step(
            "failure-metric",
            "Count failed-job log entries in a log-based metric",
            (
                "gcloud",
                "logging",
                "metrics",
                "create",
                FAILURE_METRIC,
                "--description=score-monitoring Cloud Run job errors",
                f"--log-filter={log_filter}",
                f"--project={project}",
            ),
        ),
        Step(
            "failure-alert",
            "Alert when the failure metric is above zero",
            ("gcloud", "monitoring", "policies", "create", f"--policy={json.dumps(policy)}", f"--project={project}"),
        ),
        Step(
            "budget",
            f"Budget of {args.budget_amount} on {project}, alerting at 50% and 90%",
            (
                "gcloud",
                "billing",
                "budgets",
                "create",
                f"--billing-account={args.billing_account}",
                f"--display-name=score-monitoring {project}",
                f"--budget-amount={args.budget_amount}",
                "--threshold-rule=percent=0.5",
                "--threshold-rule=percent=0.9",
                f"--filter-projects=projects/{project}",
            ),
        ),
    ]
    return Plan(
        name="scheduler",
        title=f"Cloud Scheduler plan for score-monitoring in {project} ({region}, {args.time_zone})",
        parameters={
            "project": project,
            "region": region,
            "time_zone": args.time_zone,
            "scoring_job": args.scoring_job,
            "scoring_schedule": args.scoring_schedule,
            "monitoring_job": args.monitoring_job,
            "monitoring_schedule": args.monitoring_schedule,
            "scheduler_service_account": account,
            "billing_account": args.billing_account,
            "budget_amount": args.budget_amount,
        },
        steps=tuple(steps),
    )


def main(argv: Sequence[str] | None = None) -> int:
    return plan_lib.run(build_parser(), build_plan, argv)


if __name__ == "__main__":
    raise SystemExit(main())
