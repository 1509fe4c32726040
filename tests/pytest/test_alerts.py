"""Alert lifecycle across a run sequence: open, persist, escalate, resolve, reopen within the
cooldown, open anew after it; re-runs and day-by-day incremental runs give the same alerts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, write_parquet

START = dt.date(2026, 3, 1)
ROWS_PER_DAY = 1000
# Duplicate rows per day: 1 of 1000 is a warn (duplicate_rate 0.001 > 0), 20 a fail (0.02 > 0.01).
DUPLICATES_BY_DAY = {2: 1, 3: 20, 5: 1, 10: 1}


def day(number: int) -> str:
    return (START + dt.timedelta(days=number - 1)).isoformat()


def scores_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    frames = []
    for number in range(1, 11):
        entity_ids = [f"e{index}" for index in range(ROWS_PER_DAY)]
        for duplicate in range(DUPLICATES_BY_DAY.get(number, 0)):
            entity_ids[-1 - duplicate] = entity_ids[duplicate]
        frames.append(
            pd.DataFrame(
                {
                    "score_date": day(number),
                    "model_name": "alerting",
                    "model_version": "v1",
                    "entity_id": entity_ids,
                    "score": rng.uniform(0, 1, ROWS_PER_DAY),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def duplicate_alerts(project: DbtProject) -> pd.DataFrame:
    alerts = project.table("monitoring_alerts", order_by="first_seen")
    return alerts[alerts["check_name"] == "duplicate_rate"].reset_index(drop=True)


@pytest.fixture(scope="module")
def scores_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_parquet(scores_frame(), tmp_path_factory.mktemp("alerts") / "scores.parquet")


def test_lifecycle_open_escalate_resolve_reopen_and_new(tmp_path: Path, scores_path: Path) -> None:
    project = DbtProject(workdir=tmp_path, base_vars={"scores_path": str(scores_path), "alert_cooldown_days": 3})
    project.build(vars={"monitoring_date": day(10)})
    alerts = duplicate_alerts(project)

    assert len(alerts) == 2
    first, second = alerts.iloc[0], alerts.iloc[1]
    assert str(first["first_seen"])[:10] == day(2)
    assert str(first["last_seen"])[:10] == day(5)
    assert first["consecutive_runs"] == 3
    assert first["reopened_count"] == 1
    assert first["worst_status"] == "fail"
    assert bool(first["is_escalated"]) and str(first["escalated_on"])[:10] == day(3)
    assert str(first["resolved_on"])[:10] == day(6)
    assert first["alert_state"] == "resolved"
    assert str(second["first_seen"])[:10] == day(10)
    assert second["alert_state"] == "open"
    assert second["worst_status"] == "warn"
    assert not bool(second["is_escalated"])
    assert second["reopened_count"] == 0

    rerun = project.build(vars={"monitoring_date": day(10)})
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    pd.testing.assert_frame_equal(duplicate_alerts(project), alerts)


def test_incremental_run_sequence_matches_full_history(tmp_path: Path, scores_path: Path) -> None:
    full = DbtProject(workdir=tmp_path / "full", base_vars={"scores_path": str(scores_path)})
    full.build(vars={"monitoring_date": day(10)})

    daily = DbtProject(workdir=tmp_path / "daily", base_vars={"scores_path": str(scores_path)})
    daily.build(vars={"monitoring_date": day(4)}, full_refresh=True)
    after_resolution = duplicate_alerts(daily)
    assert len(after_resolution) == 1 and after_resolution.iloc[0]["alert_state"] == "resolved"
    daily.build(vars={"monitoring_date": day(5)})
    reopened = duplicate_alerts(daily)
    assert reopened.iloc[0]["alert_state"] == "open" and reopened.iloc[0]["reopened_count"] == 1
    daily.build(vars={"monitoring_date": day(10)})

    pd.testing.assert_frame_equal(duplicate_alerts(daily), duplicate_alerts(full))
