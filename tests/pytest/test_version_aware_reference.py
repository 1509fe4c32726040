"""Version-aware drift baselines (issue 13, item 2): four models score the same data, v1 for three
days and a differently distributed v2 from the fourth day on, each with another reference setting.

- previous mode: the first v2 day warns (not fails) with "model version changed from v1 to v2";
  the next day compares v2 with v2 and passes;
- trailing mode (3 days): the first v2 day is capped the same way; later days compare with the v2
  rows of the window only (PSI equal to numpy's on those rows);
- version_aware_reference false: the first v2 day fails as before;
- fixed mode: the reference stays as set, so every v2 day fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, write_parquet
from oracles import numeric_bins, psi

DAYS = tuple(date(2024, 7, 1) + timedelta(days=offset) for offset in range(6))
FIRST_V2 = DAYS[3]
ROWS = 2000
MODELS = {
    "m_previous": {"drift_reference_mode": "previous"},
    "m_trailing": {"drift_reference_mode": "trailing", "drift_reference_days": 3},
    "m_off": {"drift_reference_mode": "previous", "version_aware_reference": False},
    "m_fixed": {
        "drift_reference_mode": "fixed",
        "drift_reference_start": "2024-07-01",
        "drift_reference_end": "2024-07-02",
    },
}


def scores_of(rng: np.random.Generator, model: str) -> pd.DataFrame:
    frames = []
    for day in DAYS:
        version = "v2" if day >= FIRST_V2 else "v1"
        values = rng.beta(5.0, 2.0, ROWS) if version == "v2" else rng.beta(2.0, 5.0, ROWS)
        frames.append(
            pd.DataFrame(
                {
                    "score_date": day,
                    "model_name": model,
                    "model_version": version,
                    "entity_id": [f"{model}-{day}-{index}" for index in range(ROWS)],
                    "score": values,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[pd.DataFrame, DbtProject]]:
    workdir = tmp_path_factory.mktemp("version_aware")
    rng = np.random.default_rng(13_200)
    scores = pd.concat([scores_of(rng, model) for model in MODELS], ignore_index=True)
    project = DbtProject(workdir=workdir)
    project.build_gate_may_fail(
        {"scores_path": str(write_parquet(scores, workdir / "scores.parquet")), "monitored_models": MODELS}
    )
    yield scores, project


def check(project: DbtProject, model: str, day: date, name: str = "score_psi") -> pd.Series:
    checks = project.table("monitoring_checks")
    rows = checks[
        (checks["model_name"] == model) & (checks["score_date"].dt.date == day) & (checks["check_name"] == name)
    ]
    assert len(rows) == 1, (model, day, name)
    return rows.iloc[0]


def drift(project: DbtProject, model: str, day: date) -> pd.Series:
    table = project.table("score_drift_daily")
    return table[(table["model_name"] == model) & (table["score_date"].dt.date == day)].iloc[0]


@pytest.mark.parametrize("model", ["m_previous", "m_trailing"])
def test_a_version_change_day_warns_and_does_not_fail(built: tuple[pd.DataFrame, DbtProject], model: str) -> None:
    _, project = built
    row = drift(project, model, FIRST_V2)
    assert (row["current_versions"], row["reference_versions"], row["is_version_change"]) == ("v2", "v1", True)
    for name in ("score_psi", "score_ks"):
        capped = check(project, model, FIRST_V2, name)
        assert capped["metric_value"] > capped["fail_threshold"]
        assert capped["status"] == "warn", capped["message"]
        assert capped["message"].endswith("(model version changed from v1 to v2: at most warn)"), capped["message"]


def test_previous_mode_compares_the_new_version_with_itself(built: tuple[pd.DataFrame, DbtProject]) -> None:
    _, project = built
    day = FIRST_V2 + timedelta(days=1)
    assert drift(project, "m_previous", day)["reference_versions"] == "v2"
    assert check(project, "m_previous", day)["status"] == "pass"


def test_trailing_mode_keeps_the_new_version_s_rows_of_the_window(built: tuple[pd.DataFrame, DbtProject]) -> None:
    scores, project = built
    rows = scores[scores["model_name"] == "m_trailing"]
    for day in DAYS[4:]:
        window = rows[(rows["score_date"] >= day - timedelta(days=3)) & (rows["score_date"] < day)]
        reference = window.loc[window["model_version"] == "v2", "score"].to_numpy()
        current = rows.loc[rows["score_date"] == day, "score"].to_numpy()
        bins = numeric_bins(current, reference)
        expected = psi(
            np.array([b.current_count for b in bins]) / len(current),
            np.array([b.reference_count for b in bins]) / len(reference),
        )
        row = drift(project, "m_trailing", day)
        assert row["reference_versions"] == ("v1, v2" if day - timedelta(days=3) < FIRST_V2 else "v2")
        assert row["reference_row_count"] == len(reference)
        assert row["psi"] == pytest.approx(expected, rel=1e-9)
        assert not row["is_version_change"]
        assert check(project, "m_trailing", day)["status"] == "pass"


def test_without_version_awareness_the_change_fails(built: tuple[pd.DataFrame, DbtProject]) -> None:
    _, project = built
    assert not drift(project, "m_off", FIRST_V2)["is_version_change"]
    assert check(project, "m_off", FIRST_V2)["status"] == "fail"


def test_a_fixed_reference_stays_as_set(built: tuple[pd.DataFrame, DbtProject]) -> None:
    _, project = built
    for day in DAYS[3:]:
        row = drift(project, "m_fixed", day)
        assert pd.isna(row["reference_versions"]) and not row["is_version_change"]
        assert check(project, "m_fixed", day)["status"] == "fail"
