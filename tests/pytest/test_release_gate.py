"""The release gate (README.md: Checks, thresholds and the release gate) seen from `dbt build`: its exit code, what it logs,
that it only judges the monitoring date, that a failing gate still writes every monitoring table,
and that the thresholds it applies come from the seed (a named model overriding '*').
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from subprocess import CompletedProcess

import duckdb
import pandas as pd
import pytest
from conftest import MONITORING_SCHEMA, ROOT, DbtProject, write_parquet

DAYS = (date(2026, 1, 3), date(2026, 1, 4), date(2026, 1, 5), date(2026, 1, 6))
MODELS = ("churn", "fraud")
ROWS_PER_DAY = 400
# Tables with a row per segment column (segment_columns is [] here).
PER_SEGMENT_TABLES = {"segment_drift_daily", "score_mean_decomposition_daily"}
FEATURE_VARS: dict[str, object] = {
    "numeric_features": ["income"],
    "categorical_features": ["region"],
}
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Build:
    """One dbt build of a data set: the project state and dbt's output (ANSI colours removed)."""

    project: DbtProject
    returncode: int
    output: str


def model_day(day: date, model: str) -> pd.DataFrame:
    """The same evenly spread scores and features every day: no drift once a reference exists."""
    index = pd.RangeIndex(ROWS_PER_DAY)
    return pd.DataFrame(
        {
            "score_date": day,
            "model_name": model,
            "model_version": "v1",
            "entity_id": [f"{model}-{i}" for i in index],
            "score": (index + 0.5) / ROWS_PER_DAY,
            "review_flag": index % 10 == 0,
            "income": (index % 50).astype(float),
            "region": [("north", "south", "east")[i % 3] for i in index],
        }
    )


def clean_scores(days: tuple[date, ...]) -> pd.DataFrame:
    return pd.concat([model_day(day, model) for day in days for model in MODELS], ignore_index=True)


def rows_of(frame: pd.DataFrame, day: date, model: str) -> pd.Series:
    return (frame["score_date"] == day) & (frame["model_name"] == model)


def with_out_of_bounds_score(frame: pd.DataFrame, day: date, model: str) -> pd.DataFrame:
    """One churn score of 1.5 on `day`: out_of_bounds_rate = 1 / ROWS_PER_DAY, a fail."""
    frame = frame.copy()
    frame.loc[frame.index[rows_of(frame, day, model)][0], "score"] = 1.5
    return frame


def with_duplicate_entities(frame: pd.DataFrame, day: date, model: str) -> pd.DataFrame:
    """Two rows re-use another row's entity_id: duplicate_rate = 2 / ROWS_PER_DAY, a warn."""
    frame = frame.copy()
    positions = frame.index[rows_of(frame, day, model)]
    frame.loc[positions[1:3], "entity_id"] = frame.loc[positions[0], "entity_id"]
    return frame


def run_build(workdir: Path, scores: pd.DataFrame, dbt_vars: dict[str, object] | None = None) -> Build:
    project = DbtProject(
        workdir=workdir,
        base_vars={
            "scores_path": str(write_parquet(scores, workdir / "scores.parquet")),
            "labels_path": str(write_labels(scores, workdir / "labels.parquet")),
            **FEATURE_VARS,
        },
    )
    return finished(project, project.build(vars=dbt_vars))


def write_labels(scores: pd.DataFrame, path: Path) -> Path:
    """A labels file so that label-based models (if any) have an input; not checked here."""
    labels = scores[["model_name", "score_date", "entity_id"]].assign(label=1)
    return write_parquet(labels, path)


def finished(project: DbtProject, result: CompletedProcess[str]) -> Build:
    output = ANSI_ESCAPE.sub("", result.stdout + result.stderr)
    return Build(project, result.returncode, output)


def node_statuses(project: DbtProject) -> dict[str, str]:
    """'resource_type.name' (e.g. 'test.release_gate_fail') -> status, for the last dbt command."""
    run_results = json.loads((project.workdir / "target" / "run_results.json").read_text())
    statuses: dict[str, str] = {}
    for item in run_results["results"]:
        resource_type, _package, name = item["unique_id"].split(".")[:3]
        statuses[f"{resource_type}.{name}"] = item["status"]
    return statuses


def monitoring_tables(project: DbtProject) -> list[str]:
    """The models the project marks as monitoring state (the contract's output tables)."""
    manifest = json.loads((project.workdir / "target" / "manifest.json").read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["meta"].get("monitoring_state")
    )


def gate_lines(output: str, status: str) -> list[str]:
    """The release gate's log lines of one status ('FAIL' or 'WARN'), without dbt's timestamps."""
    marker = f"release gate {status} "
    return [line[line.index(marker) :] for line in output.splitlines() if marker in line]


def check_row(project: DbtProject, day: date, model: str, check_name: str) -> pd.Series:
    checks = project.table("monitoring_checks")
    selected = checks[
        (checks["score_date"] == pd.Timestamp(day))
        & (checks["model_name"] == model)
        & (checks["check_name"] == check_name)
        & checks["subject"].isna()
    ]
    assert len(selected) == 1, selected
    return selected.iloc[0]


def status_row(project: DbtProject, day: date, model: str) -> pd.Series:
    statuses = project.table("monitoring_status_daily")
    selected = statuses[(statuses["score_date"] == pd.Timestamp(day)) & (statuses["model_name"] == model)]
    assert len(selected) == 1, selected
    return selected.iloc[0]


# --- a fail on the monitoring date -------------------------------------------------------------


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Days 1-3; churn has one score of 1.5 on day 3, the monitoring date."""
    scores = with_out_of_bounds_score(clean_scores(DAYS[:3]), DAYS[2], "churn")
    return run_build(tmp_path_factory.mktemp("gate_failing"), scores)


def test_fail_on_monitoring_date_exits_non_zero_naming_check_model_and_value(
    failing: Build,
) -> None:
    assert failing.returncode != 0, failing.output[-6000:]
    assert (
        "release gate FAIL 2026-01-05 model=churn check=out_of_bounds_rate value=0.0025 :: "
        "out_of_bounds_rate = 0.0025 is above the fail threshold 0" in failing.output
    ), failing.output[-6000:]
    assert len(gate_lines(failing.output, "FAIL")) == 1, failing.output[-6000:]
    failed = {node for node, status in node_statuses(failing.project).items() if status == "fail"}
    assert failed == {"test.release_gate_fail"}, failing.output[-6000:]


def test_failing_gate_still_writes_every_monitoring_table(failing: Build) -> None:
    statuses = node_statuses(failing.project)
    not_built = {node for node, status in statuses.items() if node.startswith("model.") and status != "success"}
    assert not not_built, failing.output[-6000:]
    tables = monitoring_tables(failing.project)
    assert {"monitoring_checks", "monitoring_status_daily", "score_health_daily"} <= set(tables)
    for table in tables:
        frame = failing.project.table(table)
        on_failing_day = frame[(frame["score_date"] == pd.Timestamp(DAYS[2])) & (frame["model_name"] == "churn")]
        if table in PER_SEGMENT_TABLES:  # this project has no segment_columns: no segment, no row
            assert frame.empty, table
            continue
        assert not on_failing_day.empty, f"{table} has no row for the failing day"

    failed_check = check_row(failing.project, DAYS[2], "churn", "out_of_bounds_rate")
    assert failed_check["status"] == "fail"
    assert failed_check["metric_value"] == pytest.approx(1 / ROWS_PER_DAY)
    assert "above the fail threshold" in failed_check["message"]

    failing_day = status_row(failing.project, DAYS[2], "churn")
    assert failing_day["overall_status"] == "fail"
    assert failing_day["fail_count"] == 1
    assert status_row(failing.project, DAYS[2], "fraud")["fail_count"] == 0


def test_checks_carry_the_wildcard_thresholds_of_the_seed(failing: Build) -> None:
    seed = pd.read_csv(ROOT / "seeds" / "monitoring_thresholds.csv")
    wildcard = seed[(seed["model_name"] == "*") & seed["subject"].isna()]
    checks = failing.project.table("monitoring_checks")
    applied = checks.merge(wildcard, on="check_name", how="left", suffixes=("", "_seed"), validate="many_to_one")
    assert applied["direction_seed"].notna().all(), "a check without a '*' seed row"
    for column in ("direction", "warn_threshold", "fail_threshold"):
        same = (applied[column] == applied[f"{column}_seed"]) | (
            applied[column].isna() & applied[f"{column}_seed"].isna()
        )
        assert same.all(), column  # an empty threshold (an optional floor) is NULL on both sides


# --- old history with a fail, clean monitoring date --------------------------------------------


def test_old_fail_does_not_fail_a_build_whose_monitoring_date_is_clean(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Day 3 fails; the monitoring date (day 4, the latest) is clean: exit 0, history kept."""
    scores = with_out_of_bounds_score(clean_scores(DAYS), DAYS[2], "churn")
    build = run_build(tmp_path_factory.mktemp("gate_history"), scores)

    assert build.returncode == 0, build.output[-6000:]
    assert gate_lines(build.output, "FAIL") == []
    assert check_row(build.project, DAYS[2], "churn", "out_of_bounds_rate")["status"] == "fail"
    assert status_row(build.project, DAYS[2], "churn")["overall_status"] == "fail"
    checks = build.project.table("monitoring_checks")
    monitoring_day = checks[checks["score_date"] == pd.Timestamp(DAYS[3])]
    # Clean: every computable check passes (checks that need a longer history may warn).
    computable = monitoring_day[monitoring_day["metric_value"].notna()]
    assert (computable["status"] == "pass").all(), computable
    assert set(monitoring_day["status"]) <= {"pass", "warn"}


# --- warn only -----------------------------------------------------------------------------------


def warn_only_scores() -> pd.DataFrame:
    return with_duplicate_entities(clean_scores(DAYS[:3]), DAYS[2], "churn")


def test_warn_only_exits_zero_and_reports_the_warning(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    build = run_build(tmp_path_factory.mktemp("gate_warn"), warn_only_scores())

    assert build.returncode == 0, build.output[-6000:]
    assert (
        "release gate WARN 2026-01-05 model=churn check=duplicate_rate value=0.005 :: "
        "duplicate_rate = 0.005 is above the warn threshold 0" in build.output
    ), build.output[-6000:]
    assert re.search(r"WARN \d+ release_gate_warn", build.output), build.output[-6000:]
    assert re.search(r"PASS release_gate_fail", build.output), build.output[-6000:]
    assert gate_lines(build.output, "FAIL") == []
    warned = check_row(build.project, DAYS[2], "churn", "duplicate_rate")
    assert (warned["status"], warned["warn_threshold"], warned["fail_threshold"]) == (
        "warn",
        0,
        0.01,
    )
    assert status_row(build.project, DAYS[2], "churn")["overall_status"] == "warn"


def test_named_model_threshold_overrides_the_wildcard(dbt_project: DbtProject) -> None:
    """A stricter churn row for duplicate_rate (added to the loaded seed table, not the CSV) turns
    the warn-only data set into a fail for churn only; fraud keeps the '*' thresholds."""
    scores = warn_only_scores()
    dbt_project.base_vars = {
        "scores_path": str(write_parquet(scores, dbt_project.workdir / "scores.parquet")),
        "labels_path": str(write_labels(scores, dbt_project.workdir / "labels.parquet")),
        **FEATURE_VARS,
    }
    seeded = dbt_project.dbt("seed")
    assert seeded.returncode == 0, seeded.stdout[-6000:]
    with duckdb.connect(str(dbt_project.db_path)) as connection:
        connection.execute(
            f"insert into {MONITORING_SCHEMA}.monitoring_thresholds "
            "(model_name, check_name, subject, direction, warn_threshold, fail_threshold, description) "
            "values ('churn', 'duplicate_rate', null, 'above', 0, 0.001, 'stricter for churn')"
        )
    build = finished(
        dbt_project,
        dbt_project.dbt("build", "--exclude", "resource_type:unit_test", "resource_type:seed"),
    )

    assert build.returncode != 0, build.output[-6000:]
    assert (
        "release gate FAIL 2026-01-05 model=churn check=duplicate_rate value=0.005 :: "
        "duplicate_rate = 0.005 is above the fail threshold 0.001" in build.output
    ), build.output[-6000:]
    churn = check_row(dbt_project, DAYS[2], "churn", "duplicate_rate")
    assert (churn["status"], churn["fail_threshold"]) == ("fail", 0.001)
    fraud = check_row(dbt_project, DAYS[2], "fraud", "duplicate_rate")
    assert (fraud["status"], fraud["fail_threshold"]) == ("pass", 0.01)
