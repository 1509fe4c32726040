"""scripts/notify_alerts.py against a local webhook server and a local SMTP server (both on 127.0.0.1).

The events table is written into a temporary DuckDB file as the dbt model monitoring_alert_events
lays it out. Checked: the Slack, Google Chat and e-mail content (one Slack message against
golden/alert_slack.txt), routing (model, check pattern, min_status, the default route, unrouted), the
ledger (a rerun of the same date and the next date send nothing twice), the dry run (no request, no
ledger), the exit codes of bad input and of a webhook answering 4xx, 5xx or too late, and that the
next run with a healthy webhook delivers what failed. Then the events of a real dbt build (test_alerts'
history, routed by the package's seed), and the ledger on the BigQuery emulator. After an intended
change of the message, rewrite the golden file with UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest
from bq_emulator_fixture import EMULATOR_PROJECT, bigquery_client, bq_emulator
from conftest import MONITORING_SCHEMA, ROOT, DbtProject, load_script, write_parquet
from test_alerts import day as alert_day
from test_alerts import scores_frame as alert_scores

__all__ = ["bq_emulator"]  # the session fixture used by this module

notify = load_script("notify_alerts")

GOLDEN = Path(__file__).parent / "golden"
DAY = date(2026, 3, 10)
SLACK_VAR, CHAT_VAR = "TEST_SLACK_WEBHOOK", "TEST_CHAT_WEBHOOK"
REPORT_URL = "https://reports.example.com/monitoring_report.html"
EVENT_COLUMNS = """event_id varchar, event_date date, known_on date, event varchar, alert_id varchar, model_name varchar,
    check_name varchar, subject varchar, first_seen date, status varchar, worst_status varchar, metric_value double,
    direction varchar, warn_threshold double, fail_threshold double, message varchar"""


# --- local servers ------------------------------------------------------------------------------


@dataclass
class Webhook:
    """An HTTP server recording each POST (path, JSON body); answers `status` after `delay` seconds."""

    server: ThreadingHTTPServer
    requests: list[tuple[str, Any]] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def bodies(self, path: str) -> list[Any]:
        return [body for request_path, body in self.requests if request_path == path]


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook: Webhook

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(hook.delay)
            hook.requests.append((self.path, body))
            self.send_response(hook.status)
            self.end_headers()
            self.wfile.write(b"ok" if hook.status == 200 else b"no_service")

        def log_message(self, *args: Any) -> None:  # keep pytest's output clean
            pass

    hook = Webhook(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    thread = threading.Thread(target=hook.server.serve_forever, daemon=True)
    thread.start()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


@dataclass
class Smtp:
    """A minimal SMTP server (no TLS): records each mail's envelope, AUTH line and parsed message."""

    server: socketserver.ThreadingTCPServer
    mails: list[tuple[str, list[str], Message]] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    fake: Smtp

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 fake ESMTP")
            sender, recipients = "", []
            while line := self.rfile.readline().decode().rstrip("\r\n"):
                verb = line.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    self.reply("250-fake")
                    self.reply("250 AUTH PLAIN")
                elif verb == "AUTH":
                    fake.auth.append(line)
                    self.reply("235 ok")
                elif verb == "MAIL":
                    sender, recipients = line.split(":", 1)[1].split()[0].strip("<>"), []
                    self.reply("250 ok")
                elif verb == "RCPT":
                    recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 go on")
                    data = b""
                    while (chunk := self.rfile.readline()) != b".\r\n":
                        data += chunk
                    fake.mails.append((sender, recipients, message_from_bytes(data)))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    fake = Smtp(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler))
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


# --- a monitoring schema with alert events ------------------------------------------------------


def event(
    model: str = "fraud",
    check: str = "duplicate_rate",
    kind: str = "opened",
    on: date = DAY,
    status: str = "fail",
    worst: str | None = None,
    subject: str | None = None,
    first_seen: date | None = None,
    known_on: date | None = None,
) -> dict[str, Any]:
    first = first_seen or on
    alert_id = f"{model}|{check}|{subject or ''}|{first}"
    return {
        "event_id": f"{alert_id}|{kind}|{on}",
        "event_date": on,
        "known_on": known_on or on,
        "event": kind,
        "alert_id": alert_id,
        "model_name": model,
        "check_name": check,
        "subject": subject,
        "first_seen": first,
        "status": status,
        "worst_status": worst or status,
        "metric_value": 0.02,
        "direction": "above",
        "warn_threshold": 0.0,
        "fail_threshold": 0.01,
        "message": f"{check} = 0.02 is above the fail threshold 0.01",
    }


def write_events(db: Path, events: list[dict[str, Any]], checks_through: date = DAY) -> None:
    """(Re)create monitoring_checks (score dates only, up to checks_through) and monitoring_alert_events."""
    with duckdb.connect(str(db)) as connection:
        connection.execute(f"create schema if not exists {MONITORING_SCHEMA}")
        connection.execute(
            f"create or replace table {MONITORING_SCHEMA}.monitoring_checks as "
            f"select range::date as score_date from range(date '2026-03-01', date '{checks_through}' + 1, interval 1 day)"
        )
        connection.execute(f"create or replace table {MONITORING_SCHEMA}.monitoring_alert_events ({EVENT_COLUMNS})")
        for row in events:
            connection.execute(
                f"insert into {MONITORING_SCHEMA}.monitoring_alert_events ({', '.join(row)}) "
                f"values ({', '.join('?' for _ in row)})",
                list(row.values()),
            )


def write_routes(path: Path, *rows: str) -> Path:
    path.write_text("model_name,check_pattern,channel,target,min_status\n" + "".join(f"{row}\n" for row in rows))
    return path


def ledger(db: Path) -> list[tuple[str, str, str]]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(
            f"select event_id, channel, target from {MONITORING_SCHEMA}.monitoring_notifications order by all"
        ).fetchall()


def has_ledger(db: Path) -> bool:
    with duckdb.connect(str(db), read_only=True) as connection:
        found = connection.execute(
            "select count(*) from information_schema.tables where table_name = 'monitoring_notifications'"
        ).fetchone()
    return bool(found and found[0])


@dataclass
class Setup:
    db: Path
    routes: Path
    env: dict[str, str]

    def args(self, *extra: str) -> list[str]:
        return ["--duckdb", str(self.db), "--schema", MONITORING_SCHEMA, "--routes", str(self.routes), *extra]

    def run(self, *extra: str, env: dict[str, str] | None = None) -> int:
        return int(notify.main(self.args(*extra), environ={**self.env, **(env or {})}))

    def subprocess(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "notify_alerts.py"), *self.args(*extra)],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )


@pytest.fixture
def setup(tmp_path: Path, webhook: Webhook) -> Setup:
    """One fail event, a Slack route and a Google Chat route to the local webhook server."""
    db = tmp_path / "monitoring.duckdb"
    write_events(db, [event(subject=None)])
    routes = write_routes(
        tmp_path / "routes.csv", f"fraud,*,slack,{SLACK_VAR},warn", f"fraud,dup*,google_chat,{CHAT_VAR},fail"
    )
    env = {SLACK_VAR: webhook.url("/slack"), CHAT_VAR: webhook.url("/chat")}
    return Setup(db, routes, env)


# --- content ------------------------------------------------------------------------------------


def test_slack_and_google_chat_payloads(setup: Setup, webhook: Webhook, capsys: pytest.CaptureFixture[str]) -> None:
    assert setup.run("--report-url", REPORT_URL) == 0
    (slack,) = webhook.bodies("/slack")
    assert slack["text"] == "FAIL opened: fraud duplicate_rate"
    assert [block["type"] for block in slack["blocks"]] == ["section"]
    text = slack["blocks"][0]["text"]
    assert text["type"] == "mrkdwn"
    golden = GOLDEN / "alert_slack.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text["text"])
    assert text["text"] == golden.read_text()
    (chat,) = webhook.bodies("/chat")
    assert set(chat) == {"text"}
    assert chat["text"] == text["text"]  # Slack and Google Chat share the markup (no escape needed here)
    out = capsys.readouterr()
    assert "127.0.0.1" not in out.out + out.err  # a webhook URL is a secret: never printed
    assert "sent 2, failed 0" in out.out


def test_message_names_subject_resolution_and_omits_the_link_without_a_url(tmp_path: Path, webhook: Webhook) -> None:
    db = tmp_path / "m.duckdb"
    resolved = {**event(check="feature_psi", kind="resolved", subject="age<30 & co", first_seen=DAY - timedelta(3))}
    resolved.update(status="pass", worst_status="fail", message="feature_psi = 0.01 passes", fail_threshold=None)
    write_events(db, [resolved])
    routes = write_routes(tmp_path / "r.csv", f"*,*,slack,{SLACK_VAR},fail")
    assert Setup(db, routes, {SLACK_VAR: webhook.url("/s")}).run() == 0
    (body,) = webhook.bodies("/s")
    assert body["text"] == "Resolved: fraud feature_psi (age<30 & co)"
    text = body["blocks"][0]["text"]["text"]
    assert "Check: feature_psi on age&lt;30 &amp; co" in text  # Slack's escaping of &, <, >
    assert "Event: resolved on 2026-03-10 (status pass; the alert's worst was fail)" in text
    assert "Value: 0.02 (warn above 0)" in text  # no fail threshold: only the warn one
    assert "Since: 2026-03-07" in text
    assert "Report" not in text


def test_email_subject_body_and_smtp_login(tmp_path: Path, smtp: Smtp) -> None:
    db = tmp_path / "m.duckdb"
    write_events(db, [event(check="score_psi", status="warn", first_seen=DAY - timedelta(1))])
    routes = write_routes(tmp_path / "r.csv", '*,score_*,email,"ml@example.com, oncall@example.com",warn')
    env = {
        "SCORE_MONITORING_SMTP_HOST": "127.0.0.1",
        "SCORE_MONITORING_SMTP_PORT": str(smtp.port),
        "SCORE_MONITORING_SMTP_FROM": "monitoring@example.com",
        "SCORE_MONITORING_SMTP_STARTTLS": "false",
        "SCORE_MONITORING_SMTP_USER": "bot",
        "SCORE_MONITORING_SMTP_PASSWORD": "s3cret",
    }
    assert Setup(db, routes, env).run("--report-url", REPORT_URL) == 0
    ((sender, recipients, mail),) = smtp.mails
    assert (sender, recipients) == ("monitoring@example.com", ["ml@example.com", "oncall@example.com"])
    assert mail["Subject"] == "[score-monitoring] WARN opened: fraud score_psi"
    assert mail["To"] == "ml@example.com, oncall@example.com"
    body = mail.get_payload(decode=True).decode()
    assert body.splitlines()[0] == "WARN opened: fraud score_psi"  # plain text: no chat markup
    for line in (
        "Model: fraud",
        "Check: score_psi",
        "Event: opened on 2026-03-10 (status warn, worst so far warn)",
        "Message: score_psi = 0.02 is above the fail threshold 0.01",
        "Value: 0.02 (warn above 0, fail above 0.01)",
        "Since: 2026-03-09",
        f"Report: {REPORT_URL}",
    ):
        assert line in body.splitlines()
    assert len(smtp.auth) == 1 and smtp.auth[0].startswith("AUTH PLAIN")
    assert ledger(db) == [(event(check="score_psi", first_seen=DAY - timedelta(1), status="warn")["event_id"],
                           "email", "ml@example.com, oncall@example.com")]  # fmt: skip


# --- routing ------------------------------------------------------------------------------------


def routes(*rows: str) -> list[Any]:
    return notify.parse_routes(
        [(f"row {i}", dict(zip(notify.ROUTE_COLUMNS, row.split(","), strict=True))) for i, row in enumerate(rows)]
    )


def routed(events: list[dict[str, Any]], route_rows: list[str]) -> tuple[set[tuple[str, str]], list[str]]:
    deliveries, unrouted = notify.route_events([notify.Event.from_row(e) for e in events], routes(*route_rows))
    return {(d.event.check_name, d.route.target) for d in deliveries}, [e.check_name for e in unrouted]


def test_routing_by_model_pattern_and_min_status() -> None:
    events = [
        event(check="score_psi", status="warn"),
        event(check="score_ks", status="fail"),
        event(model="churn", check="score_psi", status="fail"),
        event(check="duplicate_rate", status="warn"),
    ]
    rows = ["fraud,score_*,slack,SCORES_WARN,warn", "fraud,score_*,slack,SCORES_FAIL,fail", "churn,*,slack,CHURN,warn"]
    assert routed(events, rows) == (
        {
            ("score_psi", "SCORES_WARN"),
            ("score_ks", "SCORES_WARN"),
            ("score_ks", "SCORES_FAIL"),
            ("score_psi", "CHURN"),
        },
        ["duplicate_rate"],  # no route's model and pattern match it
    )


def test_default_route_takes_only_what_no_other_route_matches() -> None:
    events = [event(check="score_psi", status="warn"), event(check="duplicate_rate", status="warn")]
    rows = ["*,*,slack,DEFAULT,warn", "fraud,score_*,slack,SCORES,fail"]
    # score_psi matches the SCORES route, whose min_status drops the warn: the default does not take it.
    assert routed(events, rows) == ({("duplicate_rate", "DEFAULT")}, [])


def test_a_resolution_is_as_severe_as_what_it_resolves() -> None:
    resolved_fail = {**event(check="score_psi", kind="resolved"), "status": "pass", "worst_status": "fail"}
    resolved_warn = {**event(check="score_ks", kind="resolved"), "status": "pass", "worst_status": "warn"}
    assert routed([resolved_fail, resolved_warn], ["*,*,slack,ONLY_FAILS,fail"]) == ({("score_psi", "ONLY_FAILS")}, [])


def test_unrouted_event_is_named_and_not_sent(
    tmp_path: Path, webhook: Webhook, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "m.duckdb"
    write_events(db, [event(model="churn")])
    setup = Setup(
        db, write_routes(tmp_path / "r.csv", f"fraud,*,slack,{SLACK_VAR},warn"), {SLACK_VAR: webhook.url("/s")}
    )
    assert setup.run() == 0
    assert webhook.requests == []
    assert f"unrouted: {event(model='churn')['event_id']}" in capsys.readouterr().err


def test_routes_come_from_the_warehouse_seed_table(tmp_path: Path, webhook: Webhook) -> None:
    db = tmp_path / "m.duckdb"
    write_events(db, [event()])
    with duckdb.connect(str(db)) as connection:
        connection.execute(
            f"create table {MONITORING_SCHEMA}.alert_routes as select * from (values "
            f"('fraud', 'duplicate_*', 'google_chat', '{CHAT_VAR}', 'warn')) "
            "as t(model_name, check_pattern, channel, target, min_status)"
        )
    args = ["--duckdb", str(db), "--schema", MONITORING_SCHEMA]
    assert notify.main(args, environ={CHAT_VAR: webhook.url("/chat")}) == 0
    assert len(webhook.bodies("/chat")) == 1


# --- once only ----------------------------------------------------------------------------------


def test_rerun_and_next_day_send_nothing_twice(setup: Setup, webhook: Webhook) -> None:
    first = event()
    assert setup.run() == 0
    assert len(webhook.requests) == 2
    assert ledger(setup.db) == [(first["event_id"], "google_chat", CHAT_VAR), (first["event_id"], "slack", SLACK_VAR)]
    assert setup.run() == 0  # the same date again
    assert len(webhook.requests) == 2
    opened = event(check="score_psi", on=DAY + timedelta(1), status="warn")
    write_events(setup.db, [first, opened], checks_through=DAY + timedelta(1))
    assert setup.run() == 0  # the next date: only its new event, to the one route it matches
    assert [(path, body["text"]) for path, body in webhook.requests[2:]] == [("/slack", "WARN opened: fraud score_psi")]
    assert len(ledger(setup.db)) == 3


def test_lookback_sends_unsent_events_of_the_days_before_only(setup: Setup, webhook: Webhook) -> None:
    old, recent = event(check="a_check", on=DAY - timedelta(8)), event(check="b_check", on=DAY - timedelta(7))
    write_events(setup.db, [old, recent])
    assert setup.run("--date", str(DAY)) == 0
    assert [body["text"] for _, body in webhook.requests] == ["FAIL opened: fraud b_check"]
    assert setup.run("--date", str(DAY), "--lookback-days", "8") == 0
    assert [body["text"] for _, body in webhook.requests][1:] == ["FAIL opened: fraud a_check"]


def test_a_label_event_is_sent_once_known(setup: Setup, webhook: Webhook) -> None:
    """A label check's change on an old score date is known on its cohort's due date (known_on)."""
    due = event(check="auc", on=DAY - timedelta(30), known_on=DAY)
    not_yet = event(check="ece", on=DAY - timedelta(29), known_on=DAY + timedelta(1))
    write_events(setup.db, [due, not_yet])
    assert setup.run() == 0
    assert [body["text"] for _, body in webhook.requests] == ["FAIL opened: fraud auc"]


def test_dry_run_sends_and_records_nothing(setup: Setup, webhook: Webhook, capsys: pytest.CaptureFixture[str]) -> None:
    assert setup.run("--dry-run", env={SLACK_VAR: "", CHAT_VAR: ""}) == 0
    out = capsys.readouterr().out
    assert webhook.requests == [] and not has_ledger(setup.db)
    assert f"-> slack ${SLACK_VAR} (not configured: {SLACK_VAR} is unset)" in out
    assert f"-> google_chat ${CHAT_VAR}" in out
    assert "*FAIL opened: fraud duplicate_rate*" in out
    assert "would send 2" in out
    assert setup.run("--dry-run") == 0  # configured: the URL is still never printed
    assert "127.0.0.1" not in capsys.readouterr().out


# --- failures and exit codes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "delay", "error"), [(404, 0, "HTTP 404"), (500, 0, "HTTP 500"), (200, 3, "timed out")]
)
def test_failed_delivery_exits_3_and_is_sent_by_the_next_run(
    setup: Setup, webhook: Webhook, status: int, delay: float, error: str
) -> None:
    webhook.status, webhook.delay = status, delay
    failed = setup.subprocess("--timeout", "0.5")
    assert failed.returncode == 3, failed.stderr
    lines = [line for line in failed.stderr.splitlines() if "failed:" in line]
    assert len(lines) == 2  # both routes tried: a failure does not stop the others
    assert all(error in line and "routes.csv line" in line for line in lines)
    assert f"slack ${SLACK_VAR}" in failed.stderr and "127.0.0.1" not in failed.stderr + failed.stdout
    assert not has_ledger(setup.db) or ledger(setup.db) == []
    webhook.status, webhook.delay = 200, 0
    time.sleep(max(delay - 0.5, 0))  # let the late answers finish before counting requests
    before = len(webhook.requests)
    healed = setup.subprocess("--timeout", "0.5")
    assert healed.returncode == 0, healed.stderr
    assert sorted(path for path, _ in webhook.requests[before:]) == ["/chat", "/slack"]
    assert len(ledger(setup.db)) == 2


def test_one_failing_route_does_not_stop_the_others(setup: Setup, webhook: Webhook) -> None:
    assert setup.run(env={CHAT_VAR: "http://127.0.0.1:9/closed"}) == 3  # nothing listens on port 9
    assert ledger(setup.db) == [(event()["event_id"], "slack", SLACK_VAR)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"*,*,teams,{SLACK_VAR},warn", "line 2: unknown channel 'teams': use one of slack, google_chat, email"),
        (f"*,*,slack,{SLACK_VAR},error", "line 2: min_status 'error' is not warn or fail"),
        ("*,*,slack,,warn", "line 2: target is empty: name the environment variable"),
        ("*,*,slack,https://hooks.slack.com/services/T/B/X,warn", "is not an environment variable name"),
        ("*,*,email,not-an-address,warn", "is not a comma-separated list of e-mail addresses"),
    ],
)
def test_bad_route_exits_2_naming_the_row(setup: Setup, row: str, message: str) -> None:
    write_routes(setup.routes, row)
    result = setup.subprocess()
    assert result.returncode == 2
    assert message in result.stderr and "routes.csv" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_table_exits_2(tmp_path: Path, setup: Setup) -> None:
    with duckdb.connect(str(setup.db)) as connection:
        connection.execute(f"drop table {MONITORING_SCHEMA}.monitoring_alert_events")
    result = setup.subprocess()
    assert result.returncode == 2
    assert f"table not found: {MONITORING_SCHEMA}.monitoring_alert_events" in result.stderr
    routes_missing = notify.main(["--duckdb", str(setup.db), "--schema", MONITORING_SCHEMA], environ={})
    assert routes_missing == 2


def test_unset_webhook_variable_exits_2_and_the_other_routes_deliver(
    setup: Setup, webhook: Webhook, capsys: pytest.CaptureFixture[str]
) -> None:
    assert setup.run(env={SLACK_VAR: ""}) == 2
    assert f"({'slack'} ${SLACK_VAR}) is not configured: {SLACK_VAR} is unset" in capsys.readouterr().err
    assert [path for path, _ in webhook.requests] == ["/chat"]
    assert setup.run() == 0  # once set, the next run sends what waited
    assert [path for path, _ in webhook.requests] == ["/chat", "/slack"]


# --- a real build, and BigQuery -----------------------------------------------------------------


def test_notifies_the_events_of_a_real_build_once(tmp_path: Path, webhook: Webhook) -> None:
    """test_alerts' duplicate-rate history built by dbt, routed by the package's own seed (its default
    route to SCORE_MONITORING_SLACK_WEBHOOK): the lookback's events, then nothing after a rebuild."""
    scores = write_parquet(alert_scores(), tmp_path / "scores.parquet")
    project = DbtProject(workdir=tmp_path, base_vars={"scores_path": str(scores)})
    project.build_ok(vars={"monitoring_date": alert_day(10)})
    args = ["--duckdb", str(project.db_path), "--schema", MONITORING_SCHEMA, "--report-url", REPORT_URL]
    environ = {"SCORE_MONITORING_SLACK_WEBHOOK": webhook.url("/slack")}
    assert notify.main(args, environ=environ) == 0
    # Known from 2026-03-03 (10 minus the 7 lookback days) to 2026-03-10, in date order.
    assert [body["text"] for _, body in webhook.requests] == [
        "FAIL escalated: alerting duplicate_rate",
        "Resolved: alerting duplicate_rate",
        "WARN reopened: alerting duplicate_rate",
        "Resolved: alerting duplicate_rate",
        "Resolved: alerting row_count_zscore",
        "Resolved: alerting score_mean_zscore",
        "WARN opened: alerting duplicate_rate",
    ]
    escalated = project.table("monitoring_alert_events").query("event == 'escalated'").iloc[0]
    text = webhook.requests[0][1]["blocks"][0]["text"]["text"]
    assert f"Message: {escalated['message']}" in text
    assert "Value: 0.02 (warn above 0, fail above 0.01)" in text and "Since: 2026-03-02" in text
    project.build_ok(vars={"monitoring_date": alert_day(10)})  # dbt leaves the ledger in its schema alone
    assert notify.main(args, environ=environ) == 0
    assert len(webhook.requests) == 7


def test_bigquery_ledger_on_the_emulator(bq_emulator: str, tmp_path: Path, webhook: Webhook) -> None:
    """The same once-only run on BigQuery: CREATE TABLE IF NOT EXISTS and parameterized INSERTs."""
    client = bigquery_client(bq_emulator)
    dataset = "notify_alerts_test"
    client.create_dataset(dataset, exists_ok=True)

    def literal(value: Any, sql_type: str) -> str:
        if value is None:
            return f"cast(null as {sql_type})"
        return f"date '{value}'" if sql_type == "date" else repr(value) if sql_type == "float64" else f"'{value}'"

    types = dict(column.strip().split() for column in EVENT_COLUMNS.replace("varchar", "string").split(","))
    types = {name: sql_type.replace("double", "float64") for name, sql_type in types.items()}
    rows = [event(), event(check="score_psi", status="warn")]
    selects = " union all ".join(
        "select " + ", ".join(f"{literal(row[name], sql_type)} as {name}" for name, sql_type in types.items())
        for row in rows
    )
    client.query(f"create or replace table {dataset}.monitoring_alert_events as {selects}").result()
    client.query(f"create or replace table {dataset}.monitoring_checks as select date '{DAY}' as score_date").result()
    routes = write_routes(tmp_path / "r.csv", f"fraud,*,slack,{SLACK_VAR},warn")
    args = ["--bigquery-project", EMULATOR_PROJECT, "--schema", dataset, "--bigquery-api-endpoint", bq_emulator]
    environ = {SLACK_VAR: webhook.url("/slack")}
    assert notify.main([*args, "--routes", str(routes)], environ=environ) == 0
    assert notify.main([*args, "--routes", str(routes)], environ=environ) == 0
    assert sorted(body["text"] for _, body in webhook.requests) == [
        "FAIL opened: fraud duplicate_rate",
        "WARN opened: fraud score_psi",
    ]
    recorded = client.query(
        f"select event_id, channel, target, sent_at from {dataset}.monitoring_notifications"
    ).result()
    recorded_rows = sorted(
        (row["event_id"], row["channel"], row["target"], row["sent_at"] is not None) for row in recorded
    )
    assert recorded_rows == sorted((row["event_id"], "slack", SLACK_VAR, True) for row in rows)
