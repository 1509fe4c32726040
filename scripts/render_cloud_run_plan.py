"""Render the Cloud Run Job plan: build a dbt project's Dockerfile and deploy a job running dbt on BigQuery.

The project (--project-dir) is this one or a project that installs the package; its Dockerfile makes an
image with dbt-bigquery and the project (this project's Dockerfile does), and its profile a target
bigquery that reads the SCORE_MONITORING_BQ_* variables (as profiles/profiles.yml does). The job runs
`dbt deps` (the project's packages, this one among them), then `dbt build --target bigquery` with the
source vars, then, whether the build passed or not, scripts/notify_alerts.py on the monitoring dataset
(the package's copy under dbt_packages/ in a project that installs it), and exits with dbt's status;
--score-date adds a one-off execution with var monitoring_date pinned to that day. dbt writes the
project's models to --dataset and the package's tables to --monitoring-dataset, which the plan creates
and lets the job edit. The job authenticates as its service account through the metadata server
(SCORE_MONITORING_BQ_METHOD=oauth), so no key is set on it; the notifier's webhook URLs and SMTP
settings come from Secret Manager (--notify-secret ENV_VAR=secret-name, the secret's latest version,
which the plan lets the job's service account read), never from the plan.

Example (from the project's root):
  python scripts/render_cloud_run_plan.py --project my-project --source-dataset ml_scores \\
      --service-account monitoring-runner@my-project.iam.gserviceaccount.com \\
      --notify-secret SCORE_MONITORING_SLACK_WEBHOOK=score-monitoring-slack-webhook > cloud_run_plan.sh
"""

from __future__ import annotations

import argparse
import json
import posixpath
import shlex
from collections.abc import Sequence
from pathlib import Path

import plan_lib
from plan_lib import Plan, PlanError, Step

# dbt names the package's schema <target schema>_<+schema>; the package's +schema is score_monitoring.
MONITORING_SUFFIX = "_score_monitoring"
SHELL = "/bin/sh"
NOTIFIER = "scripts/notify_alerts.py"
# Where `dbt deps` puts the package's copy in a project that installs it.
PACKAGE_NOTIFIER = "dbt_packages/score_monitoring/scripts/notify_alerts.py"


def build_parser() -> argparse.ArgumentParser:
    parser = plan_lib.base_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--region", type=plan_lib.region, default="europe-west2", help="Cloud Run region")
    parser.add_argument("--location", type=plan_lib.bigquery_location, default="EU", help="BigQuery location")
    parser.add_argument(
        "--project-dir", type=plan_lib.directory, default=".", help="the dbt project to build and run (default: .)"
    )
    parser.add_argument("--dataset", type=plan_lib.bigquery_name, default="score_monitoring", help="dbt target dataset")
    parser.add_argument(
        "--monitoring-dataset",
        type=plan_lib.bigquery_name,
        help=f"dataset of the package's tables (default: the target dataset + {MONITORING_SUFFIX})",
    )
    parser.add_argument(
        "--source-project", type=plan_lib.project_id, help="project of the source tables (default: --project)"
    )
    parser.add_argument(
        "--source-dataset", required=True, type=plan_lib.bigquery_name, help="dataset of the source tables"
    )
    parser.add_argument("--scores-table", type=plan_lib.bigquery_name, default="scores")
    parser.add_argument("--labels-table", type=plan_lib.bigquery_name, default="labels")
    parser.add_argument("--job", type=plan_lib.resource_name, default="score-monitoring-dbt", help="Cloud Run job name")
    parser.add_argument(
        "--repository", type=plan_lib.resource_name, default="score-monitoring", help="Artifact Registry repo"
    )
    parser.add_argument(
        "--image-tag", type=plan_lib.image_tag, default="latest", help="image tag (a commit sha is best)"
    )
    parser.add_argument("--service-account", required=True, type=plan_lib.service_account, help="identity of the job")
    parser.add_argument(
        "--score-date",
        type=plan_lib.score_date,
        help="YYYY-MM-DD: also run once with var monitoring_date pinned (default: daily only)",
    )
    parser.add_argument(
        "--notify-secret",
        type=plan_lib.secret_env,
        action="append",
        default=[],
        metavar="ENV_VAR=SECRET",
        help="an environment variable of the alert notifier (a webhook URL, SMTP setting) from a Secret Manager "
        "secret, e.g. SCORE_MONITORING_SLACK_WEBHOOK=score-monitoring-slack-webhook (repeatable)",
    )
    parser.add_argument("--report-url", type=plan_lib.https_url, help="the report link in alert messages")
    return parser


def container_args(notifier: str, project: str, monitoring_dataset: str, score_date: str | None) -> tuple[str, ...]:
    """sh -c: install the project's packages, run dbt with the dbt args after these ("$@"), then notify the
    alerts whatever dbt's outcome (a failed gate is when they matter most), and exit with dbt's status."""
    notify = ["python", notifier, "--bigquery-project", project, "--schema", monitoring_dataset]
    if score_date is not None:
        notify += ["--date", score_date]
    # Every word was validated (project id, dataset name, date): shlex.join only makes that explicit.
    return ("-c", f'dbt deps && {{ dbt "$@"; status=$?; {shlex.join(notify)}; exit $status; }}', "dbt")


def build_plan(args: argparse.Namespace) -> Plan:
    project, region = args.project, args.region
    source_project = args.source_project or project
    monitoring_dataset = args.monitoring_dataset or args.dataset + MONITORING_SUFFIX
    dockerfile = posixpath.join(args.project_dir, "Dockerfile")
    own_notifier = (Path(args.project_dir) / NOTIFIER).is_file()
    notifier = NOTIFIER if own_notifier else PACKAGE_NOTIFIER
    secrets = dict(reference.split("=", 1) for reference in args.notify_secret)
    image = f"{region}-docker.pkg.dev/{project}/{args.repository}/score-monitoring:{args.image_tag}"
    dbt_vars: dict[str, str] = {
        "source_project": source_project,
        "source_dataset": args.source_dataset,
        "scores_table": args.scores_table,
        "labels_table": args.labels_table,
    }

    def dbt_args(score_date: str | None) -> str:
        extra = {} if score_date is None else {"monitoring_date": score_date}
        dbt = ["build", "--target", "bigquery", "--vars", json.dumps({**dbt_vars, **extra}, sort_keys=True)]
        shell = container_args(notifier, project, monitoring_dataset, score_date)
        # ^|^ switches gcloud's list delimiter from ',' (which the --vars JSON contains) to '|'.
        return "--args=^|^" + "|".join([*shell, *dbt])

    env = {
        "SCORE_MONITORING_TARGET": "bigquery",
        "SCORE_MONITORING_BQ_PROJECT": project,
        "SCORE_MONITORING_BQ_DATASET": args.dataset,
        "SCORE_MONITORING_BQ_LOCATION": args.location,
        "SCORE_MONITORING_BQ_METHOD": "oauth",
    }
    if args.report_url:
        env["SCORE_MONITORING_REPORT_URL"] = args.report_url
    # Secret Manager references, not values: Cloud Run reads each secret's latest version at start.
    references = ",".join(f"{name}={secret}:latest" for name, secret in secrets.items())
    set_secrets = [f"--set-secrets={references}"] if secrets else []
    gcloud_run = ("gcloud", "run", "jobs", "deploy", args.job)
    steps = [
        plan_lib.enable_services(
            project,
            [
                "run.googleapis.com",
                "cloudbuild.googleapis.com",
                "artifactregistry.googleapis.com",
                "bigquery.googleapis.com",
                *(["secretmanager.googleapis.com"] if secrets else []),
            ],
        ),
        Step(
            "create-repository",
            f"Create the Docker repository {args.repository} in {region}",
            (
                "gcloud",
                "artifacts",
                "repositories",
                "create",
                args.repository,
                "--repository-format=docker",
                f"--location={region}",
                "--description=score-monitoring dbt images",
                f"--project={project}",
            ),
        ),
        Step(
            "build-image",
            f"Build the dbt project's {dockerfile} with Cloud Build and push {image}",
            (
                "gcloud",
                "builds",
                "submit",
                args.project_dir,
                f"--tag={image}",
                f"--region={region}",
                f"--project={project}",
            ),
        ),
        plan_lib.create_dataset(project, args.location, "target", args.dataset),
        plan_lib.create_dataset(project, args.location, "monitoring", monitoring_dataset),
        *plan_lib.bigquery_access_steps(
            project,
            args.location,
            args.service_account,
            (source_project, args.source_dataset),
            [("target", args.dataset), ("monitoring", monitoring_dataset)],
        ),
        *(
            Step(
                f"grant-secret-accessor-{number}",
                f"Let {args.service_account} read secret {secret} (the notifier's {name})",
                (
                    "gcloud",
                    "secrets",
                    "add-iam-policy-binding",
                    secret,
                    f"--member=serviceAccount:{args.service_account}",
                    "--role=roles/secretmanager.secretAccessor",
                    f"--project={project}",
                ),
            )
            for number, (name, secret) in enumerate(secrets.items(), start=1)
        ),
        Step(
            "deploy-job",
            f"Create or update job {args.job}: dbt deps, then dbt build --target bigquery (monitoring tables in "
            f"{project}:{monitoring_dataset}), then {notifier}, as {args.service_account}",
            (
                *gcloud_run,
                f"--image={image}",
                f"--region={region}",
                f"--project={project}",
                f"--service-account={args.service_account}",
                "--set-env-vars=" + ",".join(f"{key}={value}" for key, value in env.items()),
                *set_secrets,
                f"--command={SHELL}",
                dbt_args(None),
                "--tasks=1",
                "--max-retries=1",
                "--task-timeout=3600s",
            ),
        ),
    ]
    if args.score_date is not None:
        # A one-off execution with overridden args: the deployed job itself stays a rolling daily run.
        steps.append(
            Step(
                "execute-pinned",
                f"Run {args.job} once with var monitoring_date = {args.score_date}",
                (
                    "gcloud",
                    "run",
                    "jobs",
                    "execute",
                    args.job,
                    f"--region={region}",
                    f"--project={project}",
                    dbt_args(args.score_date),
                    "--wait",
                ),
            )
        )
    return Plan(
        name="cloud_run",
        title=f"Cloud Run Job plan for score-monitoring in {project} ({region})",
        parameters={
            "project": project,
            "region": region,
            "location": args.location,
            "project_dir": args.project_dir,
            "dataset": args.dataset,
            "monitoring_dataset": monitoring_dataset,
            "source_project": source_project,
            "source_dataset": args.source_dataset,
            "job": args.job,
            "image": image,
            "service_account": args.service_account,
            "score_date": args.score_date,
            "report_url": args.report_url,
            "notify_secrets": ",".join(args.notify_secret) or None,
        },
        steps=tuple(steps),
    )


def main(argv: Sequence[str] | None = None) -> int:
    def build(args: argparse.Namespace) -> Plan:
        if not (Path(args.project_dir) / "Dockerfile").is_file():
            raise PlanError(f"no Dockerfile in {args.project_dir}: the job's image is built from it")
        return build_plan(args)

    return plan_lib.run(build_parser(), build, argv)


if __name__ == "__main__":
    raise SystemExit(main())
