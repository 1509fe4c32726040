"""Incremental behaviour of the monitoring tables (README.md: Incremental runs): re-running a date
replaces its rows, day-by-day runs equal one full build, an old date can be redone on its own, and
--full-refresh recomputes every date.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, write_parquet

DAYS = tuple(date(2026, 3, day) for day in range(1, 6))
MODELS = ("churn", "fraud")
GAP = ("fraud", DAYS[3])  # fraud scores nothing on day 4: an expected day with row_count 0
REDONE = ("churn", DAYS[1])  # the model and date the old-date tests change
EXTRA_ROWS = 10
FEATURE_VARS: dict[str, object] = {
    "numeric_features": ["income"],
    "categorical_features": ["region"],
    # A capacity: operating_point_daily ranks each processed day's scores (capacity_threshold).
    "decision_capacity": 200,
}
# The grain of every contract table (section 2); a monitoring table missing here fails the tests.
GRAIN = {
    "score_health_daily": ["score_date", "model_name"],
    "score_drift_daily": ["score_date", "model_name"],
    "score_bins_daily": ["score_date", "model_name", "bin_index"],
    "feature_drift_daily": ["score_date", "model_name", "feature_name"],
    "feature_bins_daily": ["score_date", "model_name", "feature_name", "bin_index"],
    "model_performance_daily": ["score_date", "model_name"],
    "calibration_bins_daily": ["score_date", "model_name", "bin_index"],
    "segment_calibration_daily": ["score_date", "model_name", "segment_column", "segment_value"],
    "segment_drift_daily": ["score_date", "model_name", "segment_column", "segment_value"],
    "score_mean_decomposition_daily": ["score_date", "model_name", "segment_column"],
    "estimated_performance_daily": ["score_date", "model_name"],
    "operating_point_daily": ["score_date", "model_name"],
    "score_stability_daily": ["score_date", "model_name"],
    "version_comparison_daily": ["score_date", "model_name", "model_version"],
    "monitoring_checks": ["score_date", "model_name", "check_name", "subject"],
    "monitoring_status_daily": ["score_date", "model_name"],
}

Snapshot = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Inputs:
    """Scores and labels as written, the same with REDONE changed, and the vars naming them."""

    original: dict[str, object]
    changed: dict[str, object]


def model_day(rng: np.random.Generator, day: date, model: str, rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "score_date": day,
            "model_name": model,
            "model_version": "v1",
            "entity_id": [f"{model}-{i}" for i in range(rows)],
            "score": rng.beta(2, 5, rows),
            "decision": rng.random(rows) < 0.3,
            "review_flag": rng.random(rows) < 0.1,
            "income": rng.normal(50, 10, rows),
            "region": rng.choice(["north", "south", "east"], rows),
        }
    )


def scores() -> pd.DataFrame:
    rng = np.random.default_rng(20260301)
    return pd.concat(
        [
            model_day(rng, day, model, int(rng.integers(280, 320)))
            for day in DAYS
            for model in MODELS
            if (model, day) != GAP
        ],
        ignore_index=True,
    )


def with_extra_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """EXTRA_ROWS more valid rows for REDONE, with entity ids no other row uses."""
    model, day = REDONE
    extra = model_day(np.random.default_rng(7), day, model, EXTRA_ROWS)
    extra["entity_id"] = [f"{model}-extra-{i}" for i in range(EXTRA_ROWS)]
    return pd.concat([frame, extra], ignore_index=True)


def write_inputs(frame: pd.DataFrame, directory: Path) -> dict[str, object]:
    labels = frame[["model_name", "score_date", "entity_id"]].assign(label=1)
    return {
        "scores_path": str(write_parquet(frame, directory / "scores.parquet")),
        "labels_path": str(write_parquet(labels, directory / "labels.parquet")),
        **FEATURE_VARS,
    }


def at(monitoring_date: date, input_vars: dict[str, object]) -> dict[str, object]:
    return {**input_vars, "monitoring_date": monitoring_date.isoformat()}


def monitoring_tables(project: DbtProject) -> list[str]:
    """The models the project marks as monitoring state (the contract's output tables)."""
    manifest = json.loads((project.workdir / "target" / "manifest.json").read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["meta"].get("monitoring_state")
    )


def snapshot(project: DbtProject, tables: list[str]) -> Snapshot:
    return {table: project.table(table, order_by=", ".join(GRAIN[table])).reset_index(drop=True) for table in tables}


def assert_same_tables(actual: Snapshot, expected: Snapshot) -> None:
    assert actual.keys() == expected.keys()
    for table, frame in expected.items():
        pd.testing.assert_frame_equal(actual[table], frame, check_exact=False, rtol=1e-9, obj=table)


def copy_state(source: DbtProject, target: DbtProject) -> None:
    """Start `target` from the monitoring tables `source` has written."""
    shutil.copyfile(source.db_path, target.db_path)


def rows_for(frame: pd.DataFrame, model: str, day: date) -> pd.DataFrame:
    return frame[(frame["model_name"] == model) & (frame["score_date"] == pd.Timestamp(day))]


@dataclass(frozen=True)
class FullBuild:
    project: DbtProject
    tables: list[str]
    snapshot: Snapshot


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    directory = tmp_path_factory.mktemp("incremental_inputs")
    original = scores()
    return Inputs(
        original=write_inputs(original, directory / "original"),
        changed=write_inputs(with_extra_rows(original), directory / "changed"),
    )


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory, inputs: Inputs) -> FullBuild:
    """One build of every date up to day 5 into an empty database."""
    project = DbtProject(workdir=tmp_path_factory.mktemp("incremental_full"))
    project.build_ok(vars=at(DAYS[-1], inputs.original))
    tables = monitoring_tables(project)
    assert set(tables) <= GRAIN.keys(), "a monitoring table without a grain in GRAIN"
    return FullBuild(project, tables, snapshot(project, tables))


def test_full_build_has_unique_keys_and_every_expected_day(full: FullBuild) -> None:
    for table, frame in full.snapshot.items():
        assert not frame.duplicated(GRAIN[table]).any(), table
    health = full.snapshot["score_health_daily"]
    assert len(health) == len(DAYS) * len(MODELS)
    assert rows_for(health, *GAP)["row_count"].tolist() == [0]


def test_rerun_of_the_monitoring_date_changes_nothing(full: FullBuild, inputs: Inputs) -> None:
    full.project.build_ok(vars=at(DAYS[-1], inputs.original))

    assert_same_tables(snapshot(full.project, full.tables), full.snapshot)


def test_day_by_day_builds_equal_one_full_build(dbt_project: DbtProject, full: FullBuild, inputs: Inputs) -> None:
    for day in DAYS[2:]:
        result = dbt_project.build(vars=at(day, inputs.original))
        # The gap day fails the gate (fraud scored nothing); the tables are written regardless.
        expected_returncode = 1 if day == GAP[1] else 0
        assert result.returncode == expected_returncode, result.stdout[-6000:]

    assert_same_tables(snapshot(dbt_project, full.tables), full.snapshot)


def test_rerun_of_an_old_date_replaces_only_that_date(dbt_project: DbtProject, full: FullBuild, inputs: Inputs) -> None:
    copy_state(full.project, dbt_project)
    dbt_project.build_ok(vars=at(REDONE[1], inputs.changed))

    redone = snapshot(dbt_project, full.tables)
    for table, frame in redone.items():
        assert not frame.duplicated(GRAIN[table]).any(), table
        expected = full.snapshot[table]
        pd.testing.assert_frame_equal(
            frame[frame["score_date"] != pd.Timestamp(REDONE[1])].reset_index(drop=True),
            expected[expected["score_date"] != pd.Timestamp(REDONE[1])].reset_index(drop=True),
            check_exact=False,
            rtol=1e-9,
            obj=table,
        )
    before = rows_for(full.snapshot["score_health_daily"], *REDONE)["row_count"].item()
    after = rows_for(redone["score_health_daily"], *REDONE)["row_count"].item()
    assert after == before + EXTRA_ROWS


def test_full_refresh_recomputes_every_date(dbt_project: DbtProject, full: FullBuild, inputs: Inputs) -> None:
    """From day 5's state, a full refresh on changed day-2 data updates day 2 and day 3 (whose
    reference is day 2), which no incremental run at day 5 would touch."""
    copy_state(full.project, dbt_project)
    dbt_project.build_ok(vars=at(DAYS[-1], inputs.changed), full_refresh=True)

    rebuilt = snapshot(dbt_project, full.tables)
    for table, frame in rebuilt.items():
        assert not frame.duplicated(GRAIN[table]).any(), table
        assert frame[GRAIN[table][:2]].drop_duplicates().shape == (
            full.snapshot[table][GRAIN[table][:2]].drop_duplicates().shape
        ), table
    model, day = REDONE
    for table, column, following_day in [
        ("score_health_daily", "row_count", day),
        ("score_drift_daily", "reference_row_count", DAYS[DAYS.index(day) + 1]),
    ]:
        before = rows_for(full.snapshot[table], model, following_day)[column].item()
        after = rows_for(rebuilt[table], model, following_day)[column].item()
        assert after == before + EXTRA_ROWS, (table, column)


# --- partition pruning bounds (issue 5, item 1) ------------------------------------------------

TIGHT_SCAN_VARS: dict[str, object] = {
    "previous_reference_max_gap_days": 1,
    "label_lookback_days": 1,
    "label_horizon_days": 1,
}
SILENT_MODEL = "fraud"  # scores on day 1 only: silent for longer than the 1-day reference scan


def gate_only_failures(project: DbtProject, result: subprocess.CompletedProcess[str]) -> None:
    """The build may fail the release gate (a silent model), nothing else."""
    run_results = json.loads((project.workdir / "target" / "run_results.json").read_text())
    failed = [
        item["unique_id"]
        for item in run_results["results"]
        if item["status"] not in ("success", "pass", "warn", "no-op")
    ]
    assert all("release_gate" in unique_id for unique_id in failed), (failed, result.stdout[-6000:])


def test_day_by_day_builds_with_tight_scan_bounds_equal_one_full_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """With the smallest scan bounds (1-day previous-reference gap, 1-day label lookback and
    horizon) the daily runs read only a few partitions, yet equal one full build: the silent model
    keeps its row_count-0 rows (known from score_health_daily, not from the scan), and every
    cohort gets its label metrics on the run it becomes due."""
    directory = tmp_path_factory.mktemp("tight_scan")
    frame = scores()
    frame = frame[(frame["model_name"] != SILENT_MODEL) | (frame["score_date"] == DAYS[0])]
    input_vars = {**write_inputs(frame.reset_index(drop=True), directory / "inputs"), **TIGHT_SCAN_VARS}
    full_project = DbtProject(workdir=directory / "full")
    gate_only_failures(full_project, full_project.build(vars=at(DAYS[-1], input_vars)))
    daily_project = DbtProject(workdir=directory / "daily")
    for day in DAYS:
        gate_only_failures(daily_project, daily_project.build(vars=at(day, input_vars)))

    tables = [*monitoring_tables(full_project), "model_performance_daily"]
    expected = snapshot(full_project, tables)
    assert_same_tables(snapshot(daily_project, tables), expected)
    health = expected["score_health_daily"]
    silent_days = health[health["model_name"] == SILENT_MODEL].set_index("score_date")["row_count"]
    assert silent_days.tolist() == [(frame["model_name"] == SILENT_MODEL).sum(), 0, 0, 0, 0]
    assert len(expected["model_performance_daily"]) == 5  # due cohorts: churn days 1-4, fraud day 1
