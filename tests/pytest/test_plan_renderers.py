"""Tests for the GCP plan renderers in scripts/render_{bigquery,cloud_run,scheduler}_plan.py.

The renderers run as subprocesses (python scripts/...), as a user would run them. Each case renders a
shell script and a JSON plan that must equal the golden files in tests/pytest/golden/. After an
intended change, regenerate them and review the diff:

    UPDATE_GOLDEN=1 pytest tests/pytest/test_plan_renderers.py

Beyond the goldens: the JSON validates against plan_schema.json; every shell command parses with
shlex into exactly the plan's argv, and bash itself passes the same argv to stub gcloud/bq binaries;
every flag is one the gcloud/bq command documents (KNOWN_FLAGS); bad input exits with code 2.
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
SCHEMA = json.loads((Path(__file__).parent / "plan_schema.json").read_text())
# A stand-in for the compiled analysis; not .sql, so dbt (test-paths: tests) never runs it as a test.
QUERY = str(Path(__file__).parent / "fixtures" / "scheduled_query_stand_in.sql.txt")
SA = "monitoring-runner@my-project.iam.gserviceaccount.com"

BIGQUERY = ["--project", "my-project", "--source-dataset", "ml_scores", "--service-account", SA, "--query-file", QUERY]
CLOUD_RUN = [
    "--project",
    "my-project",
    "--source-dataset",
    "ml_scores",
    "--service-account",
    SA,
    "--image-tag",
    "abc123",
]
# The notifier's settings as Secret Manager references (never values) and the report link.
NOTIFY = [
    "--notify-secret", "SCORE_MONITORING_SLACK_WEBHOOK=score-monitoring-slack-webhook",
    "--notify-secret", "SCORE_MONITORING_SMTP_PASSWORD=smtp-password",
    "--report-url", "https://storage.googleapis.com/acme-reports/monitoring_report.html",
]  # fmt: skip
SCHEDULER = [
    "--project", "my-project", "--scoring-job", "score-models",
    "--scheduler-service-account", "scheduler@my-project.iam.gserviceaccount.com",
    "--billing-account", "012345-6789AB-CDEF01", "--budget-amount", "100GBP",
    "--notification-channel", "projects/my-project/notificationChannels/123",
]  # fmt: skip
CASES = {
    "bigquery_daily": ("render_bigquery_plan.py", BIGQUERY),
    "bigquery_pinned": ("render_bigquery_plan.py", [*BIGQUERY, "--score-date", "2026-01-21"]),
    "cloud_run_daily": ("render_cloud_run_plan.py", CLOUD_RUN),
    "cloud_run_pinned": ("render_cloud_run_plan.py", [*CLOUD_RUN, "--score-date", "2026-01-21"]),
    "cloud_run_notify": ("render_cloud_run_plan.py", [*CLOUD_RUN, *NOTIFY]),
    "scheduler": ("render_scheduler_plan.py", SCHEDULER),
}

# Flags each command documents, from the Google Cloud SDK reference pages
# (cloud.google.com/sdk/gcloud/reference/<command path>) and the bq reference
# (cloud.google.com/bigquery/docs/reference/bq-cli-reference). Only documented flags may appear.
GCLOUD_WIDE = {"--project", "--quiet", "--format", "--account", "--billing-project", "--verbosity"}
BQ_GLOBAL = {"--project_id", "--location", "--format", "--dataset_id", "--api"}
KNOWN_FLAGS: dict[tuple[str, ...], set[str]] = {
    ("gcloud", "services", "enable"): {"--async"},
    ("gcloud", "projects", "add-iam-policy-binding"): {"--member", "--role", "--condition", "--condition-from-file"},
    ("gcloud", "artifacts", "repositories", "create"): {
        "--location", "--repository-format", "--allow-snapshot-overwrites", "--async", "--description",
        "--immutable-tags", "--kms-key", "--labels", "--mode", "--version-policy",
    },
    ("gcloud", "builds", "submit"): {
        "--no-source", "--async", "--no-cache", "--default-buckets-behavior", "--dir", "--disk-size",
        "--gcs-log-dir", "--gcs-source-staging-dir", "--git-source-dir", "--git-source-revision", "--ignore-file",
        "--machine-type", "--polling-interval", "--region", "--revision", "--service-account", "--substitutions",
        "--suppress-logs", "--timeout", "--worker-pool", "--config", "--pack", "--tag",
    },
    ("gcloud", "run", "jobs", "deploy"): {
        "--args", "--binary-authorization", "--breakglass", "--command", "--cpu", "--key", "--labels",
        "--max-retries", "--memory", "--parallelism", "--region", "--service-account", "--set-cloudsql-instances",
        "--set-secrets", "--task-timeout", "--tasks", "--vpc-connector", "--vpc-egress", "--async", "--execute-now",
        "--wait", "--clear-env-vars", "--env-vars-file", "--set-env-vars", "--remove-env-vars", "--update-env-vars",
        "--clear-network", "--network", "--subnet", "--clear-network-tags", "--network-tags", "--image", "--source",
    },
    ("gcloud", "run", "jobs", "execute"): {
        "--container", "--region", "--task-timeout", "--tasks", "--args", "--update-env-vars", "--async", "--wait",
    },
    ("gcloud", "run", "jobs", "add-iam-policy-binding"): {"--member", "--role", "--region"},
    ("gcloud", "secrets", "add-iam-policy-binding"): {"--member", "--role", "--condition", "--condition-from-file"},
    ("gcloud", "scheduler", "jobs", "create", "http"): {
        "--location", "--schedule", "--uri", "--attempt-deadline", "--description", "--headers", "--http-method",
        "--max-backoff", "--max-doublings", "--max-retry-attempts", "--max-retry-duration", "--min-backoff",
        "--time-zone", "--message-body", "--message-body-from-file", "--oauth-service-account-email",
        "--oauth-token-scope", "--oidc-service-account-email", "--oidc-token-audience",
    },
    ("gcloud", "logging", "metrics", "create"): {"--config-from-file", "--description", "--log-filter", "--bucket-name"},
    ("gcloud", "monitoring", "policies", "create"): {
        "--notification-channels", "--aggregation", "--condition-display-name", "--condition-filter", "--duration",
        "--if", "--trigger-count", "--trigger-percent", "--combiner", "--display-name", "--no-enabled",
        "--user-labels", "--documentation-format", "--documentation", "--documentation-from-file", "--policy",
        "--policy-from-file",
    },
    ("gcloud", "billing", "budgets", "create"): {
        "--billing-account", "--display-name", "--budget-amount", "--last-period-amount", "--credit-types-treatment",
        "--disable-default-iam-recipients", "--filter-credit-types", "--filter-labels", "--filter-projects",
        "--filter-resource-ancestors", "--filter-services", "--filter-subaccounts",
        "--notifications-rule-monitoring-notification-channels", "--notifications-rule-pubsub-topic",
        "--ownership-scope", "--threshold-rule", "--calendar-period", "--start-date", "--end-date",
    },
    ("bq", "mk", "--dataset"): {
        "--dataset", "--force", "--description", "--default_table_expiration", "--default_partition_expiration",
        "--label", "--max_time_travel_hours", "--storage_billing_model",
    },
    # --schedule: documented for scheduled queries (cloud.google.com/bigquery/docs/scheduling-queries).
    ("bq", "mk", "--transfer_config"): {
        "--transfer_config", "--data_source", "--display_name", "--no_auto_scheduling", "--params",
        "--refresh_window_days", "--service_account_name", "--target_dataset", "--table_filter",
        "--destination_kms_key", "--schedule",
    },
    ("bq", "query"): {
        "--allow_large_results", "--append_table", "--batch", "--clustering_fields", "--destination_table",
        "--dry_run", "--label", "--maximum_bytes_billed", "--parameter", "--replace", "--require_partition_filter",
        "--schedule", "--target_dataset", "--time_partitioning_expiration", "--time_partitioning_field",
        "--time_partitioning_type", "--use_cache", "--use_legacy_sql",
    },
}  # fmt: skip


def run_script(script: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@functools.cache  # rendering is deterministic; one subprocess per case and format is enough
def render(case: str, output_format: str) -> str:
    script, args = CASES[case]
    result = run_script(script, *args, "--format", output_format)
    assert result.returncode == 0, result.stderr
    return result.stdout


def plan_argvs(case: str) -> list[list[str]]:
    return [step["argv"] for step in json.loads(render(case, "json"))["steps"]]


def shell_commands(script: str) -> list[list[str]]:
    """Split a rendered script into commands: skip comments, join '\\' continuations, keep quoted newlines."""
    commands, buffer = [], ""
    for line in script.split("\n"):
        if not buffer and (not line.strip() or line.startswith("#") or line == "set -euo pipefail"):
            continue
        buffer += line + "\n"
        try:
            shlex.split(buffer)
        except ValueError:  # still inside a quoted argument that spans lines (the SQL)
            continue
        if line.endswith(" \\"):
            buffer = buffer[: -len("\\\n")]
            continue
        commands.append(shlex.split(buffer))
        buffer = ""
    assert not buffer, f"unterminated command: {buffer!r}"
    return commands


def command_key(argv: list[str]) -> tuple[str, ...]:
    """The KNOWN_FLAGS entry for a command line; bq mk's flag set depends on the resource-type flag."""
    words = tuple(arg for arg in argv if not arg.startswith("-"))
    if words[:2] == ("bq", "mk"):
        return ("bq", "mk", next(arg for arg in argv if arg in ("--dataset", "--transfer_config")))
    return max((key for key in KNOWN_FLAGS if words[: len(key)] == key), key=len)


@pytest.mark.parametrize("output_format", ["shell", "json"])
@pytest.mark.parametrize("case", CASES)
def test_matches_golden(case: str, output_format: str) -> None:
    golden = GOLDEN / f"{case}.{'sh' if output_format == 'shell' else 'json'}"
    rendered = render(case, output_format)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(rendered)
    assert rendered == golden.read_text(), f"{golden.name} differs; regenerate with UPDATE_GOLDEN=1 and review"


@pytest.mark.parametrize("case", CASES)
def test_json_validates_against_schema(case: str) -> None:
    plan = json.loads(render(case, "json"))
    jsonschema.validate(plan, SCHEMA)
    ids = [step["id"] for step in plan["steps"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES)
def test_every_shell_command_parses_to_the_plan_argv(case: str) -> None:
    assert shell_commands(render(case, "shell")) == plan_argvs(case)


@pytest.mark.parametrize("case", CASES)
def test_bash_passes_exactly_the_plan_argv(case: str, tmp_path: Path) -> None:
    """Run the script under bash with stub gcloud/bq that record their argv: quoting survives a real shell."""
    bin_dir, log = tmp_path / "bin", tmp_path / "argv.jsonl"
    bin_dir.mkdir()
    for tool in ("gcloud", "bq"):
        stub = bin_dir / tool
        stub.write_text(
            f"#!{sys.executable}\nimport json, os, sys\n"
            f"open(os.environ['ARGV_LOG'], 'a').write(json.dumps([{tool!r}, *sys.argv[1:]]) + '\\n')\n"
        )
        stub.chmod(0o755)
    script = tmp_path / "plan.sh"
    script.write_text(render(case, "shell"))
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "ARGV_LOG": str(log)}
    subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, check=True)
    assert [json.loads(line) for line in log.read_text().splitlines()] == plan_argvs(case)


@pytest.mark.parametrize("case", CASES)
def test_every_flag_is_documented(case: str) -> None:
    for argv in plan_argvs(case):
        key = command_key(argv)
        allowed = KNOWN_FLAGS[key] | (GCLOUD_WIDE if argv[0] == "gcloud" else BQ_GLOBAL)
        used = {arg.split("=", 1)[0] for arg in argv if arg.startswith("--")}
        assert used <= allowed, f"{' '.join(key)}: undocumented {sorted(used - allowed)}"


@pytest.mark.parametrize("case", CASES)
def test_plans_carry_no_credentials(case: str) -> None:
    text = render(case, "shell") + render(case, "json")
    for marker in ("keyfile", "private_key", "PRIVATE KEY", "keys create", "CREDENTIALS", "token=", "hooks.slack"):
        assert marker not in text
    # Secrets only as Secret Manager references, which only --notify-secret adds.
    references = [flag_value(argv, "--set-secrets") for argv in plan_argvs(case) if "--set-secrets" in str(argv)]
    assert references == (
        [
            "SCORE_MONITORING_SLACK_WEBHOOK=score-monitoring-slack-webhook:latest,SCORE_MONITORING_SMTP_PASSWORD=smtp-password:latest"
        ]
        if case == "cloud_run_notify"
        else []
    )


def flag_value(argv: list[str], flag: str) -> str:
    return next(arg for arg in argv if arg.startswith(f"{flag}=")).split("=", 1)[1]


def job_args(argv: list[str]) -> list[str]:
    """The container args of a gcloud run jobs deploy/execute (their list delimiter switched to '|')."""
    return flag_value(argv, "--args").removeprefix("^|^").split("|")


def container_run(argv: list[str], tmp_path: Path) -> Callable[..., tuple[int, list[list[str]]]]:
    """Runs the job's container command with stub dbt and python that record their argv and exit with
    FAIL_DEPS / FAIL_BUILD / FAIL_NOTIFY; returns (exit status, the recorded argvs)."""
    bin_dir, log = tmp_path / "bin", tmp_path / "argv.jsonl"
    bin_dir.mkdir(exist_ok=True)
    for tool, exit_code in (
        ("dbt", "os.environ.get('FAIL_DEPS' if sys.argv[1:] == ['deps'] else 'FAIL_BUILD', '0')"),
        ("python", "os.environ.get('FAIL_NOTIFY', '0')"),
    ):
        stub = bin_dir / tool
        stub.write_text(
            f"#!{sys.executable}\nimport json, os, sys\n"
            f"open(os.environ['ARGV_LOG'], 'a').write(json.dumps([{tool!r}, *sys.argv[1:]]) + '\\n')\n"
            f"sys.exit(int({exit_code}))\n"
        )
        stub.chmod(0o755)
    command = ["/bin/sh", *job_args(argv)]  # the deployed --command; an execution overrides only the args

    def run(**failures: str) -> tuple[int, list[list[str]]]:
        log.unlink(missing_ok=True)
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "ARGV_LOG": str(log), **failures}
        status = subprocess.run(command, env=env, check=False).returncode
        return status, [json.loads(line) for line in log.read_text().splitlines()]

    return run


NOTIFY_DAILY = ["python", "scripts/notify_alerts.py", "--bigquery-project", "my-project", "--schema",
                "score_monitoring_score_monitoring"]  # fmt: skip


def test_cloud_run_job_runs_dbt_deps_build_then_notifies_with_dbts_status(tmp_path: Path) -> None:
    deploy = next(argv for argv in plan_argvs("cloud_run_daily") if argv[:4] == ["gcloud", "run", "jobs", "deploy"])
    env = dict(pair.split("=", 1) for pair in flag_value(deploy, "--set-env-vars").split(","))
    assert env["SCORE_MONITORING_TARGET"] == "bigquery" and env["SCORE_MONITORING_BQ_METHOD"] == "oauth"
    assert env["SCORE_MONITORING_BQ_DATASET"] == "score_monitoring"  # the target; dbt adds _score_monitoring
    assert flag_value(deploy, "--command") == "/bin/sh"
    run = container_run(deploy, tmp_path)
    status, (deps, build, notify) = run()
    assert status == 0 and deps == ["dbt", "deps"]
    assert build[:5] == ["dbt", "build", "--target", "bigquery", "--vars"]
    assert "monitoring_date" not in json.loads(build[5])  # the deployed job stays a rolling daily run
    assert notify == NOTIFY_DAILY
    # A failed gate still notifies, and the job fails with dbt's status, not the notifier's.
    assert run(FAIL_BUILD="1") == (1, [deps, build, notify])
    assert run(FAIL_NOTIFY="3") == (0, [deps, build, notify])
    assert run(FAIL_BUILD="1", FAIL_NOTIFY="2") == (1, [deps, build, notify])
    assert run(FAIL_DEPS="3") == (3, [deps])  # no build without the packages, and nothing to notify


def test_pinned_execution_notifies_for_its_date_and_secrets_are_readable(tmp_path: Path) -> None:
    execute = plan_argvs("cloud_run_pinned")[-1]
    assert container_run(execute, tmp_path)()[1][-1] == [*NOTIFY_DAILY, "--date", "2026-01-21"]
    steps = {step["id"]: step["argv"] for step in json.loads(render("cloud_run_notify", "json"))["steps"]}
    assert "secretmanager.googleapis.com" in steps["enable-apis"]
    assert "secretmanager.googleapis.com" not in plan_argvs("cloud_run_daily")[0]
    for number, secret in enumerate(("score-monitoring-slack-webhook", "smtp-password"), start=1):
        assert steps[f"grant-secret-accessor-{number}"][:4] == ["gcloud", "secrets", "add-iam-policy-binding", secret]
        assert f"--member=serviceAccount:{SA}" in steps[f"grant-secret-accessor-{number}"]
    env = dict(pair.split("=", 1) for pair in flag_value(steps["deploy-job"], "--set-env-vars").split(","))
    assert env["SCORE_MONITORING_REPORT_URL"] == "https://storage.googleapis.com/acme-reports/monitoring_report.html"


def test_plan_for_a_consumer_project(tmp_path: Path) -> None:
    """Rendered next to a project acme_analytics that installs the package: its Dockerfile is built,
    and the job may write its target dataset and the package's <target>_score_monitoring."""
    (tmp_path / "acme_analytics").mkdir()
    (tmp_path / "acme_analytics" / "Dockerfile").write_text("FROM python:3.11-slim\n")
    args = [*CLOUD_RUN, "--project-dir", "acme_analytics", "--dataset", "analytics", "--format", "json"]
    result = run_script("render_cloud_run_plan.py", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    steps = {step["id"]: step["argv"] for step in plan["steps"]}
    assert steps["build-image"][:4] == ["gcloud", "builds", "submit", "acme_analytics"]
    assert (plan["parameters"]["dataset"], plan["parameters"]["monitoring_dataset"]) == (
        "analytics",
        "analytics_score_monitoring",
    )
    for role, dataset in (("target", "analytics"), ("monitoring", "analytics_score_monitoring")):
        assert steps[f"create-{role}-dataset"][-1] == f"my-project:{dataset}"
        assert f"ON SCHEMA `my-project`.{dataset} TO" in steps[f"grant-{role}-editor"][-1]
    assert "SCORE_MONITORING_BQ_DATASET=analytics" in flag_value(steps["deploy-job"], "--set-env-vars")
    # The consumer has no scripts/: the notifier is the package's copy that dbt deps installs.
    notify = job_args(steps["deploy-job"])[1].split("; ")[2]
    assert notify.startswith("python dbt_packages/score_monitoring/scripts/notify_alerts.py --bigquery-project")
    result = run_script(
        "render_cloud_run_plan.py", *args, "--monitoring-dataset", "monitoring", cwd=tmp_path
    )  # a consumer's own +schema for the package
    steps = {step["id"]: step["argv"] for step in json.loads(result.stdout)["steps"]}
    assert steps["create-monitoring-dataset"][-1] == "my-project:monitoring"


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("--project-dir=acme_analytics", "no Dockerfile in acme_analytics"),
        ("--project-dir=--no-source", "invalid directory"),  # gcloud would read it as its flag
    ],
)
def test_project_dir_without_a_dockerfile_or_like_a_flag_exits_2(tmp_path: Path, arg: str, message: str) -> None:
    result = run_script("render_cloud_run_plan.py", *CLOUD_RUN, arg, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_score_date_pins_run_date_and_monitoring_date() -> None:
    assert "--parameter=run_date:DATE:2026-01-21" in plan_argvs("bigquery_pinned")[-1]
    assert not any("--transfer_config" in argv for argv in plan_argvs("bigquery_pinned"))
    execute = plan_argvs("cloud_run_pinned")[-1]
    assert execute[:4] == ["gcloud", "run", "jobs", "execute"]
    assert json.loads(job_args(execute)[-1])["monitoring_date"] == "2026-01-21"


def test_dockerfile_runs_dbt_build_on_bigquery() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for line in (
        "FROM python:3.11-slim",
        "RUN pip install --no-cache-dir -r requirements.lock",
        'ENTRYPOINT ["dbt"]',
        'CMD ["build", "--target", "bigquery"]',
        "DBT_PROFILES_DIR=/app/profiles",
    ):
        assert line in dockerfile
    assert "KEYFILE=" not in dockerfile and "GOOGLE_APPLICATION_CREDENTIALS" not in dockerfile


BAD_INPUT = [
    ("render_bigquery_plan.py", BIGQUERY, "--project", "My-Project", "invalid project id"),
    ("render_bigquery_plan.py", BIGQUERY, "--project", "short", "invalid project id"),
    ("render_bigquery_plan.py", BIGQUERY, "--project", "trailing-hyphen-", "invalid project id"),
    ("render_bigquery_plan.py", BIGQUERY, "--location", "europe west2", "invalid BigQuery location"),
    ("render_bigquery_plan.py", BIGQUERY, "--dataset", "x; rm -rf /", "invalid BigQuery dataset/table name"),
    ("render_bigquery_plan.py", BIGQUERY, "--table", "t" * 1025, "invalid BigQuery dataset/table name"),
    ("render_bigquery_plan.py", BIGQUERY, "--source-dataset", "ml-scores", "invalid BigQuery dataset/table name"),
    ("render_bigquery_plan.py", BIGQUERY, "--service-account", "runner@gmail.com", "invalid service-account email"),
    ("render_bigquery_plan.py", BIGQUERY, "--score-date", "2026-02-30", "invalid score date"),
    ("render_bigquery_plan.py", BIGQUERY, "--score-date", "21/01/2026", "invalid score date"),
    ("render_bigquery_plan.py", BIGQUERY, "--schedule-time", "24:00", "invalid time"),
    ("render_bigquery_plan.py", BIGQUERY, "--query-file", "no/such/file.sql", "not found"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--job", "$(touch /tmp/pwned)", "invalid resource name"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--job", "job-", "invalid resource name"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--region", "europe-west2\n", "invalid region"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--image-tag", "v1`id`", "invalid image tag"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--score-date", "2026-1-5", "invalid score date"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--project-dir", "acme analytics", "invalid directory"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--monitoring-dataset", "acme-monitoring", "invalid BigQuery dataset"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--notify-secret", "slack_webhook=x", "invalid secret reference"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--notify-secret", "HOOK=https://hooks.slack.com/x", "invalid secret"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--report-url", "https://x.example.com/a,b", "invalid URL"),
    ("render_cloud_run_plan.py", CLOUD_RUN, "--report-url", "ftp://x.example.com/r", "invalid URL"),
    ("render_scheduler_plan.py", SCHEDULER, "--scoring-schedule", "0 6 * *", "exactly 5 fields"),
    ("render_scheduler_plan.py", SCHEDULER, "--scoring-schedule", "0 6 * * * *", "exactly 5 fields"),
    ("render_scheduler_plan.py", SCHEDULER, "--scoring-schedule", "60 6 * * *", "minute field"),
    ("render_scheduler_plan.py", SCHEDULER, "--monitoring-schedule", "30 24 * * *", "hour field"),
    ("render_scheduler_plan.py", SCHEDULER, "--monitoring-schedule", "30 6 0 * *", "day-of-month field"),
    ("render_scheduler_plan.py", SCHEDULER, "--monitoring-schedule", "30 6 * 13 *", "month field"),
    ("render_scheduler_plan.py", SCHEDULER, "--monitoring-schedule", "30 6 * * 8", "day-of-week field"),
    ("render_scheduler_plan.py", SCHEDULER, "--monitoring-schedule", "30 6 * * 5-1", "descending range"),
    ("render_scheduler_plan.py", SCHEDULER, "--monitoring-schedule", "30 6 * * $(id)", "may only contain"),
    ("render_scheduler_plan.py", SCHEDULER, "--time-zone", "Europe/Londn", "invalid time zone"),
    ("render_scheduler_plan.py", SCHEDULER, "--scheduler-service-account", "a@b", "invalid service-account email"),
    ("render_scheduler_plan.py", SCHEDULER, "--billing-account", "0123-ABCD", "invalid billing account"),
    ("render_scheduler_plan.py", SCHEDULER, "--budget-amount", "100", "invalid budget amount"),
    ("render_scheduler_plan.py", SCHEDULER, "--scoring-job", "Score_Models", "invalid resource name"),
]


def replace_arg(args: list[str], flag: str, value: str) -> list[str]:
    if flag in args:
        index = args.index(flag)
        return [*args[: index + 1], value, *args[index + 2 :]]
    return [*args, flag, value]


@pytest.mark.parametrize(("script", "base", "flag", "value", "message"), BAD_INPUT, ids=lambda v: str(v)[:30])
def test_bad_input_exits_2_with_a_clear_message(
    script: str, base: list[str], flag: str, value: str, message: str
) -> None:
    result = run_script(script, *replace_arg(base, flag, value))
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""  # no partial plan


def test_query_compiled_for_duckdb_is_refused(tmp_path: Path) -> None:
    duckdb_sql = tmp_path / "q.sql"
    duckdb_sql.write_text('select * from "db"."main"."stg_scores" where score_date = date \'2026-01-21\'')
    result = run_script("render_bigquery_plan.py", *replace_arg(BIGQUERY, "--query-file", str(duckdb_sql)))
    assert result.returncode == 2 and "compile it with --target bigquery" in result.stderr


def test_hostile_query_text_stays_one_argument(tmp_path: Path) -> None:
    """The query file is free text: whatever it holds reaches bq as data inside one quoted argument."""
    hostile = tmp_path / "q.sql"
    hostile.write_text(
        "select '$(touch pwned)' || `my-project`.`score_monitoring`.x || \"'; rm -rf / #\" where d = @run_date"
    )
    args = [*replace_arg(BIGQUERY, "--query-file", str(hostile)), "--score-date", "2026-01-21"]
    result = run_script("render_bigquery_plan.py", *args)
    assert result.returncode == 0, result.stderr
    assert shell_commands(result.stdout)[-1][-1] == hostile.read_text()
