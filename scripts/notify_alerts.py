"""Send the alert events of a monitoring date to Slack, Google Chat or e-mail, each once.

Reads monitoring_alert_events (opened, escalated, reopened, resolved) from the DuckDB file the project
builds or from BigQuery, in the schema (BigQuery: dataset) the monitoring report reads: --schema or the
dbt manifest's. Sends the events known on --date (column known_on; default: the latest score_date of
monitoring_checks) and every event known in the --lookback-days before it that no earlier run
delivered, so a failed send is retried by the next run. Routes come from the seed table alert_routes (seeds/alert_routes.csv, or a
project's own seed of that name) or --routes FILE.csv: an event goes to every route whose model_name
('*': any) and check_pattern (fnmatch glob) match and whose min_status it reaches (resolved: its
worst_status); the default route (model '*', pattern '*') gets only the events no other route matches.
An event no route matches is printed to stderr as unrouted.

Each delivery is recorded in monitoring_notifications (event_id, event_date, channel, target, sent_at),
created if absent in the monitoring schema; a recorded (event_id, channel, target) is never sent again.
Secrets come only from environment variables, never from the routes:
  slack, google_chat  target is the NAME of the variable holding the incoming-webhook URL
  email               target is a comma-separated list of addresses; the SMTP server comes from
                      SCORE_MONITORING_SMTP_HOST, _PORT (587), _USER, _PASSWORD, _FROM, _STARTTLS (true)
The report link is --report-url or SCORE_MONITORING_REPORT_URL (omitted without either).

Examples:
  python scripts/notify_alerts.py --dry-run                            # target/score_monitoring.duckdb
  python scripts/notify_alerts.py --duckdb /tmp/x.duckdb --date 2026-01-16 --routes my_routes.csv
  python scripts/notify_alerts.py --bigquery-project my-proj --schema analytics_score_monitoring

Exit codes: 0 every delivery made, or nothing to send; 2 bad input (a missing database file, manifest
or table, an invalid route, a route that matched an event without its environment variables: the
other routes still deliver), with a message naming it; 3 one or more deliveries failed (an HTTP error
status, a timeout, an SMTP error), each printed with its route: the next run sends them again.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import os
import re
import smtplib
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import jinja2
from monitoring_report.readers import (
    BigQueryReader,
    DuckDBReader,
    Reader,
    ReportInputError,
    Row,
    add_warehouse_arguments,
    monitoring_schema,
    resolve_warehouse_arguments,
)

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_DELIVERY_FAILED = 3

EVENTS = "monitoring_alert_events"
CHECKS = "monitoring_checks"
ROUTES = "alert_routes"
LEDGER = "monitoring_notifications"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
REPORT_URL_VAR = "SCORE_MONITORING_REPORT_URL"
SMTP_VAR = "SCORE_MONITORING_SMTP_"

CHANNELS = ("slack", "google_chat", "email")
WEBHOOK_CHANNELS = ("slack", "google_chat")
LEVELS = {"warn": 1, "fail": 2}
ROUTE_COLUMNS = ("model_name", "check_pattern", "channel", "target", "min_status")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ADDRESS = re.compile(r"[^@\s,]+@[^@\s,]+")


class Warehouse(Reader):
    """The report's Reader, plus reading a whole (small) table and the ledger's two statements."""

    STRING: str
    TIMESTAMP: str
    NOW: str

    def table(self, table: str) -> list[Row]:
        return self._query(f"select * from {self._relation(table)}", {})

    def create_ledger(self) -> None:
        self._query(
            f"create table if not exists {self._relation(LEDGER)} (event_id {self.STRING}, event_date date, "
            f"channel {self.STRING}, target {self.STRING}, sent_at {self.TIMESTAMP})",
            {},
        )

    def record(self, delivery: Delivery) -> None:
        p = self.PARAMETER
        self._query(
            f"insert into {self._relation(LEDGER)} (event_id, event_date, channel, target, sent_at) "
            f"values ({p}event_id, {p}event_date, {p}channel, {p}target, {self.NOW})",
            {
                "event_id": delivery.event.event_id,
                "event_date": delivery.event.event_date,
                "channel": delivery.route.channel,
                "target": delivery.route.target,
            },
        )


class DuckDBWarehouse(Warehouse, DuckDBReader):
    STRING, TIMESTAMP, NOW = "varchar", "timestamptz", "current_timestamp"

    def __init__(self, path: Path, schema: str, writable: bool) -> None:
        super().__init__(path, schema)
        if writable:
            # The report opens the file read-only; the ledger is written into it, and DuckDB allows
            # one configuration per file and process, so the connection is replaced, not added.
            import duckdb

            self._connection.close()
            try:
                self._connection = duckdb.connect(str(path))
            except duckdb.Error as error:
                raise ReportInputError(f"cannot open database file {path} for writing: {error}") from error


class BigQueryWarehouse(Warehouse, BigQueryReader):
    STRING, TIMESTAMP, NOW = "STRING", "TIMESTAMP", "CURRENT_TIMESTAMP()"


@dataclass(frozen=True)
class Event:
    """One row of monitoring_alert_events."""

    event_id: str
    event_date: date
    event: str
    alert_id: str
    model_name: str
    check_name: str
    subject: str | None
    first_seen: date
    status: str
    worst_status: str
    metric_value: float | None
    direction: str
    warn_threshold: float | None
    fail_threshold: float | None
    message: str

    @classmethod
    def from_row(cls, row: Row) -> Event:
        return cls(**{field.name: row[field.name] for field in fields(cls)})

    @property
    def level(self) -> str:
        """The status a route's min_status is compared with: a resolution is as severe as what it resolves."""
        return self.worst_status if self.event == "resolved" else self.status


@dataclass(frozen=True)
class Route:
    where: str  # the row, for messages: "alert_routes row (...)" or "routes.csv line 3"
    model_name: str
    check_pattern: str
    channel: str
    target: str
    min_status: str

    @property
    def is_default(self) -> bool:
        return self.model_name == "*" and self.check_pattern == "*"

    @property
    def label(self) -> str:
        """channel and target as they may be printed: a webhook's variable name, never its value."""
        shown = f"${self.target}" if self.channel in WEBHOOK_CHANNELS else self.target
        return f"{self.channel} {shown}"

    def matches(self, event: Event) -> bool:
        model = self.model_name in ("*", event.model_name)
        return model and fnmatch.fnmatchcase(event.check_name, self.check_pattern)

    def admits(self, event: Event) -> bool:
        return LEVELS.get(event.level, 0) >= LEVELS[self.min_status]


@dataclass(frozen=True)
class Delivery:
    event: Event
    route: Route

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.event.event_id, self.route.channel, self.route.target)


@dataclass(frozen=True)
class Message:
    title: str
    text: str


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    starttls: bool


def route_problem(route: Route) -> str | None:
    """What is wrong with a route row and how to fix it, or None."""
    if route.channel not in CHANNELS:
        return f"unknown channel {route.channel!r}: use one of {', '.join(CHANNELS)}"
    if route.min_status not in LEVELS:
        return f"min_status {route.min_status!r} is not warn or fail"
    if not route.model_name or not route.check_pattern:
        return "model_name and check_pattern may not be empty: use '*' for any"
    if not route.target:
        return "target is empty: " + (
            "name the environment variable that holds the webhook URL"
            if route.channel in WEBHOOK_CHANNELS
            else "give comma-separated e-mail addresses"
        )
    if route.channel in WEBHOOK_CHANNELS and not ENV_NAME.fullmatch(route.target):
        # Also catches a URL pasted into the seed: the seed is committed, the URL is a secret.
        return f"target {route.target!r} is not an environment variable name: put the webhook URL in one and name it"
    if route.channel == "email" and not all(ADDRESS.fullmatch(a.strip()) for a in route.target.split(",")):
        return f"target {route.target!r} is not a comma-separated list of e-mail addresses"
    return None


def parse_routes(rows: Sequence[tuple[str, Mapping[str, Any]]]) -> list[Route]:
    """Routes from (where, row) pairs; raises ReportInputError naming the first bad row."""
    routes = []
    for where, row in rows:
        missing = [column for column in ROUTE_COLUMNS if column not in row]
        if missing:
            raise ReportInputError(
                f"{where}: missing column(s) {', '.join(missing)} (expected {', '.join(ROUTE_COLUMNS)})"
            )
        route = Route(where, **{column: str(row[column] or "").strip() for column in ROUTE_COLUMNS})
        problem = route_problem(route)
        if problem:
            raise ReportInputError(f"{where}: {problem}")
        routes.append(route)
    return routes


def read_routes_csv(path: Path) -> list[Route]:
    if not path.is_file():
        raise ReportInputError(f"routes file not found: {path}")
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        # Line numbers as an editor shows them: the header is line 1.
        return parse_routes([(f"{path} line {number}", row) for number, row in enumerate(reader, start=2)])


def read_routes_table(warehouse: Warehouse) -> list[Route]:
    if not warehouse.has_table(ROUTES):
        raise ReportInputError(
            f"routes table not found: {warehouse.describe(ROUTES)} (run dbt seed or dbt build, or pass --routes FILE.csv)"
        )
    # A table has no line numbers: a row is named by its values, in a stable order.
    rows = sorted(warehouse.table(ROUTES), key=lambda row: tuple(str(row.get(c) or "") for c in ROUTE_COLUMNS))
    return parse_routes(
        [(f"{ROUTES} row ({', '.join(f'{c}={row.get(c)!r}' for c in ROUTE_COLUMNS)})", row) for row in rows]
    )


def route_events(events: Sequence[Event], routes: Sequence[Route]) -> tuple[list[Delivery], list[Event]]:
    """Each event's deliveries; the default route takes the events no other route matches.
    Returns the deliveries and the events no route matches (unrouted)."""
    deliveries, unrouted = [], []
    specific = [route for route in routes if not route.is_default]
    default = [route for route in routes if route.is_default]
    for event in events:
        matched = [route for route in specific if route.matches(event)] or default
        if not matched:
            unrouted.append(event)
        deliveries += [Delivery(event, route) for route in matched if route.admits(event)]
    return deliveries, unrouted


def number(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def slack_escape(text: object) -> str:
    """Slack mrkdwn reads &, < and > as markup (api.slack.com/reference/surfaces/formatting#escaping)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def template_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=False,  # chat markup and plain text, not HTML: the esc filter is Slack's escaping
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = number
    return environment


def render_message(environment: jinja2.Environment, event: Event, channel: str, report_url: str | None) -> Message:
    """Title and text of one event for a channel: chat markup (bold, <url|link>) for Slack and Google
    Chat, which share it, and plain text for e-mail."""
    environment.filters["esc"] = slack_escape if channel == "slack" else str
    context = {"event": event, "chat": channel in WEBHOOK_CHANNELS, "report_url": report_url}
    title = environment.get_template("alert_title.txt.j2").render(context).strip()
    text = environment.get_template("alert_message.txt.j2").render(context, title=title)
    return Message(title=title, text=text)


def webhook_payload(channel: str, message: Message) -> dict[str, Any]:
    if channel == "slack":
        # text is the notification's preview; the block holds the message.
        return {
            "text": message.title,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": message.text}}],
        }
    return {"text": message.text}


def email_message(message: Message, sender: str, recipients: str) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = f"[score-monitoring] {message.title}"
    email["From"] = sender
    email["To"] = ", ".join(address.strip() for address in recipients.split(","))
    email.set_content(message.text)
    return email


def smtp_settings(environ: Mapping[str, str]) -> SmtpSettings | str:
    """The SMTP settings from the environment, or what is missing or wrong."""
    missing = [f"{SMTP_VAR}{name}" for name in ("HOST", "FROM") if not environ.get(f"{SMTP_VAR}{name}")]
    if missing:
        return f"{' and '.join(missing)} unset"
    port = environ.get(f"{SMTP_VAR}PORT", "587")
    starttls = environ.get(f"{SMTP_VAR}STARTTLS", "true").lower()
    if not port.isdigit() or starttls not in ("true", "false", "1", "0", "yes", "no"):
        return f"{SMTP_VAR}PORT must be a number and {SMTP_VAR}STARTTLS true or false"
    return SmtpSettings(
        host=environ[f"{SMTP_VAR}HOST"],
        port=int(port),
        user=environ.get(f"{SMTP_VAR}USER") or None,
        password=environ.get(f"{SMTP_VAR}PASSWORD") or None,
        sender=environ[f"{SMTP_VAR}FROM"],
        starttls=starttls in ("true", "1", "yes"),
    )


def configuration_problem(route: Route, environ: Mapping[str, str]) -> str | None:
    """Why a route cannot send in this environment (an unset variable), or None."""
    if route.channel in WEBHOOK_CHANNELS:
        return None if environ.get(route.target) else f"{route.target} is unset"
    settings = smtp_settings(environ)
    return settings if isinstance(settings, str) else None


def post_webhook(url: str, payload: dict[str, Any], timeout: float) -> str | None:
    """POST the payload; None when the webhook accepted it, else the HTTP status or error (URL redacted)."""
    try:
        response = httpx.post(url, json=payload, timeout=timeout)
    except httpx.TimeoutException:
        return f"timed out after {timeout:g} s"
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {str(error).replace(url, '<webhook URL>')}"
    if response.is_success:
        return None
    return f"HTTP {response.status_code} {response.reason_phrase}: {response.text[:200]}"


def send_email(settings: SmtpSettings, email: EmailMessage, timeout: float) -> str | None:
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(email)
    except (smtplib.SMTPException, OSError) as error:
        return f"SMTP error: {error}"
    return None


def deliver(delivery: Delivery, message: Message, environ: Mapping[str, str], timeout: float) -> str | None:
    """Send one message; None on success, else the error."""
    route = delivery.route
    if route.channel in WEBHOOK_CHANNELS:
        return post_webhook(environ[route.target], webhook_payload(route.channel, message), timeout)
    settings = smtp_settings(environ)
    assert isinstance(settings, SmtpSettings)  # configuration_problem() passed
    return send_email(settings, email_message(message, settings.sender, route.target), timeout)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python scripts/notify_alerts.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_warehouse_arguments(parser)
    parser.add_argument(
        "--date", type=date.fromisoformat, help="monitoring date YYYY-MM-DD (default: latest in monitoring_checks)"
    )
    parser.add_argument(
        "--lookback-days", type=int, default=7, help="also send the unsent events of this many days before (default 7)"
    )
    parser.add_argument("--routes", type=Path, help="routes CSV, instead of the warehouse's alert_routes seed")
    parser.add_argument("--report-url", help=f"link to the monitoring report (default: ${REPORT_URL_VAR})")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per webhook or SMTP call (default 10)")
    parser.add_argument("--dry-run", action="store_true", help="print the messages; send and record nothing")
    args = parser.parse_args(argv)
    resolve_warehouse_arguments(parser, args)
    if args.lookback_days < 0:
        parser.error("--lookback-days must be 0 or more")
    return args


def open_warehouse(args: argparse.Namespace) -> Warehouse:
    schema = monitoring_schema(args.schema, args.manifest, "bigquery" if args.bigquery_project else "duckdb")
    if args.bigquery_project:
        return BigQueryWarehouse(args.bigquery_project, schema, args.bigquery_api_endpoint)
    return DuckDBWarehouse(args.duckdb, schema, writable=not args.dry_run)


def pending_deliveries(
    warehouse: Warehouse, routes_file: Path | None, monitoring_date: date | None, lookback_days: int
) -> tuple[date, list[Delivery], list[Event]]:
    """The monitoring date, the deliveries its window's events still need, and the unrouted events."""
    for table in (CHECKS, EVENTS):
        if not warehouse.has_table(table):
            raise ReportInputError(f"table not found: {warehouse.describe(table)} (run dbt build first)")
    routes = read_routes_csv(routes_file) if routes_file else read_routes_table(warehouse)
    monitoring_date = monitoring_date or warehouse.latest_date(CHECKS)
    if monitoring_date is None:
        raise ReportInputError(f"no rows in {warehouse.describe(CHECKS)}: nothing is monitored yet")
    # known_on, not event_date: a label check's change is known only once its cohort is due.
    rows = warehouse.rows(EVENTS, monitoring_date - timedelta(days=lookback_days), monitoring_date, "known_on")
    events = sorted(
        (Event.from_row(row) for row in rows),
        key=lambda e: (e.event_date, e.model_name, e.check_name, e.subject or "", e.event),
    )
    deliveries, unrouted = route_events(events, routes)
    if deliveries and warehouse.has_table(LEDGER):
        dates = [delivery.event.event_date for delivery in deliveries]
        sent = {
            (row["event_id"], row["channel"], row["target"])
            for row in warehouse.rows(LEDGER, min(dates), max(dates), "event_date")
        }
        deliveries = [delivery for delivery in deliveries if delivery.key not in sent]
    return monitoring_date, deliveries, unrouted


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] = os.environ) -> int:
    args = parse_args(argv)
    try:
        warehouse = open_warehouse(args)
        monitoring_date, deliveries, unrouted = pending_deliveries(
            warehouse, args.routes, args.date, args.lookback_days
        )
    except ReportInputError as error:
        print(f"notify_alerts: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for event in unrouted:
        print(f"notify_alerts: unrouted: {event.event_id} (no route matches; add a row to {ROUTES})", file=sys.stderr)
    report_url = args.report_url or environ.get(REPORT_URL_VAR) or None
    environment = template_environment()
    problems = {d.route: configuration_problem(d.route, environ) for d in deliveries}
    if args.dry_run:
        for delivery in deliveries:
            message = render_message(environment, delivery.event, delivery.route.channel, report_url)
            problem = problems[delivery.route]
            note = f" (not configured: {problem})" if problem else ""
            print(f"--- {delivery.event.event_id} -> {delivery.route.label}{note}\n{message.text}")
        print(f"notify_alerts for {monitoring_date}: dry run, would send {len(deliveries)}, unrouted {len(unrouted)}")
        return EXIT_OK
    unconfigured = sorted((route for route, problem in problems.items() if problem), key=lambda route: route.where)
    for route in unconfigured:
        print(
            f"notify_alerts: error: {route.where} ({route.label}) is not configured: {problems[route]}; "
            "its events stay unsent",
            file=sys.stderr,
        )
    if deliveries:
        warehouse.create_ledger()
    sent = failed = 0
    for delivery in (d for d in deliveries if not problems[d.route]):
        message = render_message(environment, delivery.event, delivery.route.channel, report_url)
        error = deliver(delivery, message, environ, args.timeout)
        if error:
            failed += 1
            print(
                f"notify_alerts: failed: {delivery.event.event_id} -> {delivery.route.label} "
                f"({delivery.route.where}): {error}",
                file=sys.stderr,
            )
        else:
            # Recorded only once delivered: what failed is sent again by the next run.
            warehouse.record(delivery)
            sent += 1
    print(
        f"notify_alerts for {monitoring_date} (and {args.lookback_days} days before): sent {sent}, failed {failed}, "
        f"unrouted {len(unrouted)}, routes not configured {len(unconfigured)}"
    )
    if failed:
        return EXIT_DELIVERY_FAILED
    return EXIT_BAD_INPUT if unconfigured else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
