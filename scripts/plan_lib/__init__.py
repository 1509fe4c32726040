"""Shared pieces of the GCP plan renderers in scripts/render_*_plan.py.

A plan is data (a Plan of Steps, each an argv list) built by a pure function from validated
arguments; rendering is separate: JSON for machines, or a bash script from templates/plan.sh.j2
in which every argv element passes through shlex.quote. Validation happens in the argparse
`type=` callables below, so a bad value stops the renderer with exit code 2 before any plan exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shlex
import sys
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import jinja2

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
DEFAULT_QUERY_FILE = "target/compiled/score_monitoring/analyses/scheduled_monitoring_query.sql"


class PlanError(Exception):
    """An input problem found after argument parsing (e.g. a missing query file); exit code 2."""


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    argv: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    name: str
    title: str
    parameters: dict[str, str | None]
    steps: tuple[Step, ...]

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "steps": [{**asdict(step), "argv": list(step.argv)} for step in self.steps]}


# --- validators: argparse types that raise ArgumentTypeError (argparse turns it into exit code 2) ---


def _pattern(pattern: str, what: str, rule: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        # fullmatch, not match + $: '$' would accept a trailing newline, a shell-comment escape.
        if not compiled.fullmatch(value):
            raise argparse.ArgumentTypeError(f"invalid {what} {value!r}: {rule}")
        return value

    return check


_PROJECT = r"[a-z][a-z0-9-]{4,28}[a-z0-9]"
_REGION = r"[a-z]+-[a-z]+[0-9]{1,2}"

project_id = _pattern(
    _PROJECT,
    "project id",
    "6-30 characters of lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen",
)
region = _pattern(_REGION, "region", "expected a GCP region such as europe-west2")
bigquery_location = _pattern(
    rf"EU|US|{_REGION}", "BigQuery location", "expected EU, US or a region such as europe-west2"
)
bigquery_name = _pattern(
    r"[A-Za-z0-9_]{1,1024}", "BigQuery dataset/table name", "use 1-1024 letters, digits and underscores"
)
resource_name = _pattern(
    r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?",
    "resource name",
    "1-63 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen",
)
image_tag = _pattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", "image tag", "1-128 of letters, digits, '_', '.', '-'")
service_account = _pattern(
    rf"[a-z][a-z0-9-]{{4,28}}[a-z0-9]@{_PROJECT}\.iam\.gserviceaccount\.com",
    "service-account email",
    "expected NAME@PROJECT.iam.gserviceaccount.com",
)
billing_account = _pattern(
    r"[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}", "billing account", "expected XXXXXX-XXXXXX-XXXXXX (hex, upper case)"
)
budget_amount = _pattern(
    r"[0-9]{1,9}(?:\.[0-9]{1,2})?[A-Z]{3}", "budget amount", "expected an amount and ISO currency, e.g. 100GBP"
)
notification_channel = _pattern(
    rf"projects/{_PROJECT}/notificationChannels/[0-9]{{1,20}}",
    "notification channel",
    "expected projects/PROJECT/notificationChannels/ID",
)
utc_time = _pattern(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]", "time", "expected HH:MM (24-hour, UTC)")
# No leading '-': the path is a positional argument of gcloud, which would read it as a flag.
directory = _pattern(
    r"[A-Za-z0-9_./][A-Za-z0-9_./-]{0,1023}",
    "directory",
    "use letters, digits, '_', '.', '/' and '-', not a leading '-'",
)

# No ',' or '|': the URL travels in gcloud's --set-env-vars list; no quotes, spaces or backslashes.
https_url = _pattern(
    r"https?://[A-Za-z0-9._~:/?#@!$&()*+;=%\[\]-]{1,2000}",
    "URL",
    "expected http(s)://... without spaces, quotes, ',' or '|'",
)
secret_env = _pattern(
    r"[A-Z_][A-Z0-9_]{0,127}=[A-Za-z0-9_-]{1,255}",
    "secret reference",
    "expected ENV_VAR=secret-name (an upper-case variable name, a Secret Manager secret id)",
)


def score_date(value: str) -> str:
    """YYYY-MM-DD and a real calendar date; returned unchanged so plans carry the exact string."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid score date {value!r}: expected a real date as YYYY-MM-DD") from None
    return value


def time_zone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise argparse.ArgumentTypeError(f"invalid time zone {value!r}: expected an IANA name such as Europe/London")
    return value


_MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
_WEEKDAYS = {d: i for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}
# (name, lowest, highest, names allowed instead of numbers); day of week 7 is Sunday, as in unix-cron.
_CRON_FIELDS = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day-of-month", 1, 31, {}),
    ("month", 1, 12, _MONTHS),
    ("day-of-week", 0, 7, _WEEKDAYS),
)
_CRON_ITEM = re.compile(r"(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:/([0-9]{1,2}))?")


def cron(value: str) -> str:
    """A unix-cron expression as Cloud Scheduler accepts it: 5 fields of * / n / a-b / lists / steps."""
    fields = value.split(" ")
    if len(fields) != 5 or "" in fields:
        raise argparse.ArgumentTypeError(
            f"invalid cron expression {value!r}: expected exactly 5 fields separated by single spaces "
            "(minute hour day-of-month month day-of-week)"
        )
    for text, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
        for item in text.split(","):
            problem = _cron_item_problem(item, low, high, names)
            if problem:
                raise argparse.ArgumentTypeError(f"invalid cron expression {value!r}: {name} field {text!r} {problem}")
    return value


def _cron_item_problem(item: str, low: int, high: int, names: dict[str, int]) -> str | None:
    match = _CRON_ITEM.fullmatch(item)
    if not match:
        return "may only contain digits, names, '*', '-', ',' and '/'"
    base, step = match.groups()
    if step is not None and int(step) < 1:
        return "has a step below 1"
    if base == "*":
        return None
    bounds = []
    for part in base.split("-"):
        number = int(part) if part.isdigit() else names.get(part.upper())
        if number is None or not low <= number <= high:
            return f"has {part!r} outside {low}-{high}"
        bounds.append(number)
    if bounds != sorted(bounds):
        return f"has a descending range {base!r}"
    return None


# --- shared steps ---


def enable_services(project: str, services: Sequence[str]) -> Step:
    return Step(
        "enable-apis",
        "Enable the APIs this plan uses",
        ("gcloud", "services", "enable", *services, f"--project={project}"),
    )


def create_dataset(project: str, location: str, role: str, dataset: str) -> Step:
    return Step(
        f"create-{role}-dataset",
        f"Create the {role} dataset {project}:{dataset} in {location} (--force: keep it if it exists)",
        (
            "bq",
            "mk",
            f"--project_id={project}",
            f"--location={location}",
            "--force",
            "--dataset",
            f"--description=score-monitoring {role} data",
            f"{project}:{dataset}",
        ),
    )


def bigquery_access_steps(
    project: str, location: str, account: str, source: tuple[str, str], editable: Sequence[tuple[str, str]]
) -> list[Step]:
    """Least privilege for a runner: run jobs in the project, read the source, write the datasets of
    editable, (role, dataset) pairs in the project.

    Dataset-level roles use BigQuery DCL (GRANT ... ON SCHEMA) because bq add-iam-policy-binding does not
    cover datasets in every bq release; every identifier in the SQL has already passed validation.
    """
    member = f"serviceAccount:{account}"
    source_project, source_dataset = source

    def grant(step_id: str, role: str, dataset_project: str, dataset: str) -> Step:
        sql = f'GRANT `{role}` ON SCHEMA `{dataset_project}`.{dataset} TO "{member}"'
        return Step(
            step_id,
            f"Grant {role} on {dataset_project}:{dataset} to {account}",
            ("bq", "query", f"--project_id={project}", f"--location={location}", "--use_legacy_sql=false", sql),
        )

    return [
        Step(
            "grant-job-user",
            f"Grant roles/bigquery.jobUser on project {project} to {account} (run query jobs, nothing else)",
            (
                "gcloud",
                "projects",
                "add-iam-policy-binding",
                project,
                f"--member={member}",
                "--role=roles/bigquery.jobUser",
                "--condition=None",
            ),
        ),
        grant("grant-source-viewer", "roles/bigquery.dataViewer", source_project, source_dataset),
        *(grant(f"grant-{role}-editor", "roles/bigquery.dataEditor", project, dataset) for role, dataset in editable),
    ]


# --- CLI plumbing ---


def base_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--project", required=True, type=project_id, help="GCP project id")
    parser.add_argument("--format", choices=("shell", "json"), default="shell", help="output format (default: shell)")
    return parser


def shell_command(argv: Sequence[str]) -> str:
    """Quote every element; keep the command words on the first line and put each flag on its own."""
    words = [shlex.quote(arg) for arg in argv]
    head = next((i for i, arg in enumerate(argv) if arg.startswith("-")), len(argv))
    return " \\\n    ".join([" ".join(words[:head]), *words[head:]])


def render(plan: Plan, output_format: str) -> str:
    if output_format == "json":
        return json.dumps(plan.to_dict(), indent=2) + "\n"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # the output is a shell script, not HTML; shquote is the escaping that matters
    )
    env.filters["shcommand"] = shell_command
    # Titles land in '#' comments: collapsing whitespace keeps a newline from ending the comment.
    env.filters["shcomment"] = lambda text: " ".join(str(text).split())
    return env.get_template("plan.sh.j2").render(plan=plan)


def run(
    parser: argparse.ArgumentParser, build: Callable[[argparse.Namespace], Plan], argv: Sequence[str] | None
) -> int:
    args = parser.parse_args(argv)
    try:
        plan = build(args)
    except PlanError as error:
        parser.error(str(error))  # prints usage and exits with code 2
    sys.stdout.write(render(plan, args.format))
    return 0
