"""drift_reference_mode 'profile' (README.md: Reference profiles): the drift of a model against
stored bins, e.g. its training set's, compared with numpy / scipy on the same bins; KS NULL with
its reason; a model in another mode unaffected; a malformed profile refused naming the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, write_parquet
from oracles import TOLERANCE, psi, shares
from scipy.spatial.distance import jensenshannon

DATES = tuple(date(2024, 6, 1) + timedelta(days=offset) for offset in range(3))
PROFILED, OTHER_MODEL = "churn", "fraud"
REGIONS = ("north", "south", "east")
# The "training set" the profile summarises: a different distribution from the served scores.
TRAINING_ROWS = 5000


def served_scores() -> pd.DataFrame:
    rng = np.random.default_rng(20240601)
    frames = []
    for day in DATES:
        for model in (PROFILED, OTHER_MODEL):
            size = 400
            income = rng.normal(55, 12, size)
            income[:6] = [-50.0, 500.0, np.nan, np.nan, np.nan, 55.0]  # outside the range, missing
            region = rng.choice(np.array([*REGIONS, "west"], dtype=object), size, p=[0.4, 0.3, 0.2, 0.1])
            frames.append(
                pd.DataFrame(
                    {
                        "score_date": day,
                        "model_name": model,
                        "model_version": "v1",
                        "entity_id": [f"{model}-{index}" for index in range(size)],
                        "score": rng.beta(2, 4, size),
                        "income": income,
                        "region": region,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def numeric_profile(feature: str, values: np.ndarray, inner_edges: np.ndarray, missing: int) -> list[dict]:
    """Bins of `values` on the inner edges, bin 0 from the minimum, the last to the maximum."""
    bounds = [float(values.min()), *map(float, inner_edges), float(values.max())]
    counts = np.bincount(np.searchsorted(inner_edges, values, side="right"), minlength=len(inner_edges) + 1)
    rows = [
        {"feature_name": feature, "bin_index": index, "lower_edge": bounds[index], "upper_edge": bounds[index + 1],
         "category_value": None, "reference_count": int(count)}
        for index, count in enumerate(counts)
    ]  # fmt: skip
    if missing:
        rows.append(
            {"feature_name": feature, "bin_index": -1, "lower_edge": None, "upper_edge": None,
             "category_value": None, "reference_count": missing}
        )  # fmt: skip
    return rows


def training_profile() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    score = rng.beta(2, 5, TRAINING_ROWS)
    income = rng.normal(50, 10, TRAINING_ROWS)
    rows = numeric_profile("score", score, np.quantile(score, np.arange(1, 10) / 10), 0)
    rows += numeric_profile("income", income, np.array([40.0, 45.0, 50.0, 55.0, 60.0]), 250)
    rows += [
        {"feature_name": "region", "bin_index": index, "lower_edge": None, "upper_edge": None,
         "category_value": region, "reference_count": count}
        for index, (region, count) in enumerate(zip(REGIONS, (2500, 1500, 1000), strict=True))
    ]  # fmt: skip
    return pd.DataFrame(rows).assign(model_name=PROFILED)


def write_profile(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_parquet(path, index=False)
    return path


def project_vars(scores_path: Path, profile_path: Path) -> dict[str, object]:
    return {
        "scores_path": str(scores_path),
        "reference_profile_path": str(profile_path),
        "numeric_features": ["income"],
        "categorical_features": ["region"],
        "monitored_models": {PROFILED: {"drift_reference_mode": "profile"}},
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtProject, pd.DataFrame, pd.DataFrame]:
    workdir = tmp_path_factory.mktemp("reference_profile")
    scores, profile = served_scores(), training_profile()
    project = DbtProject(
        workdir=workdir,
        base_vars=project_vars(
            write_parquet(scores, workdir / "scores.parquet"), write_profile(profile, workdir / "profile.parquet")
        ),
    )
    project.build_gate_may_fail()
    return project, scores, profile


def expected_metrics(current: pd.Series, subject: pd.DataFrame) -> dict[str, float]:
    """Drift of the current values against the profile's bins, by the README's definitions."""
    bins = subject[subject["bin_index"] >= 0].sort_values("bin_index")
    reference_counts = bins["reference_count"].to_numpy()
    values = current.dropna()
    if bins["category_value"].notna().any():
        categories = list(bins["category_value"])
        new = sorted(set(values) - set(categories))
        current_counts = [int((values == category).sum()) for category in [*categories, *new]]
        reference_counts = np.concatenate([reference_counts, np.zeros(len(new), dtype=int)])
        extra = {"new_category_share": float((~values.isin(categories)).mean())}
    else:
        inner_edges = bins["lower_edge"].to_numpy()[1:]
        numbers = values.to_numpy(dtype=float)
        current_counts = list(np.bincount(np.searchsorted(inner_edges, numbers, side="right"), minlength=len(bins)))
        lowest, highest = bins["lower_edge"].iloc[0], bins["upper_edge"].iloc[-1]
        extra = {"out_of_reference_range_share": float(((numbers < lowest) | (numbers > highest)).mean())}
    current_shares = np.array(shares(current_counts), dtype=float)
    reference_shares = np.array(shares(list(reference_counts)), dtype=float)
    missing = subject.loc[subject["bin_index"] == -1, "reference_count"].sum()
    return extra | {
        "psi": psi(current_shares, reference_shares),
        "js_distance": float(jensenshannon(current_shares, reference_shares, base=2)),
        "reference_value_count": int(bins["reference_count"].sum()),
        "reference_missing_rate": float(missing / (missing + bins["reference_count"].sum())),
    }


def test_profiled_features_match_the_profile_oracle(built: tuple[DbtProject, pd.DataFrame, pd.DataFrame]) -> None:
    project, scores, profile = built
    drift = project.table("feature_drift_daily").set_index(["score_date", "model_name", "feature_name"])
    checked = 0
    for day in DATES:
        current = scores[(scores["score_date"] == day) & (scores["model_name"] == PROFILED)]
        for feature in ("income", "region"):
            row = drift.loc[(pd.Timestamp(day), PROFILED, feature)]
            expected = expected_metrics(current[feature], profile[profile["feature_name"] == feature])
            for column, value in expected.items():
                assert row[column] == pytest.approx(value, rel=TOLERANCE, abs=TOLERANCE), (day, feature, column)
            assert pd.isna(row["ks_statistic"])
            checked += 1
    assert checked == 2 * len(DATES)


def test_profiled_score_drift_matches_and_ks_says_why(built: tuple[DbtProject, pd.DataFrame, pd.DataFrame]) -> None:
    project, scores, profile = built
    drift = project.table("score_drift_daily").set_index(["score_date", "model_name"])
    checks = project.table("monitoring_checks").set_index(["score_date", "model_name", "check_name", "subject"])
    for day in DATES:
        current = scores[(scores["score_date"] == day) & (scores["model_name"] == PROFILED)]["score"]
        expected = expected_metrics(current, profile[profile["feature_name"] == "score"])
        row = drift.loc[(pd.Timestamp(day), PROFILED)]
        assert row["psi"] == pytest.approx(expected["psi"], rel=TOLERANCE)
        assert row["js_distance"] == pytest.approx(expected["js_distance"], rel=TOLERANCE)
        assert pd.isna(row["ks_statistic"])
        subjects = checks.loc[(pd.Timestamp(day), PROFILED)]
        for check_name in ("score_ks", "feature_ks"):
            reasons = subjects.xs(check_name, level="check_name")["message"]
            assert len(reasons) and all("drift_reference_mode profile" in reason for reason in reasons), check_name
        # Even the first day, with no previous date, is compared with the profile.
        assert subjects.xs("score_psi", level="check_name")["metric_value"].notna().all()


def test_a_model_in_another_mode_keeps_its_reference(built: tuple[DbtProject, pd.DataFrame, pd.DataFrame]) -> None:
    project, _, _ = built
    drift = project.table("feature_drift_daily")
    other = drift[drift["model_name"] == OTHER_MODEL].set_index("score_date")
    assert other.loc[pd.Timestamp(DATES[0]), "psi"].isna().all(), "no previous date, no reference"
    later = other.loc[[pd.Timestamp(day) for day in DATES[1:]]]
    assert later.loc[later["feature_type"] == "numeric", "ks_statistic"].notna().all() and later["psi"].notna().all()
    assert (later["reference_value_count"] < 1000).all(), "the previous day's rows, not the profile's"


@pytest.mark.parametrize(
    ("break_profile", "rule"),
    [
        (lambda frame: frame[frame["bin_index"] != 3], "bin_index must run 0, 1, 2"),
        (
            lambda frame: frame.assign(lower_edge=frame["lower_edge"].where(frame["bin_index"] != 0)),
            "bin 0 needs lower_edge",
        ),
        (
            lambda frame: frame.assign(
                lower_edge=np.where(
                    (frame["feature_name"] == "income") & (frame["bin_index"] == 2), 99.0, frame["lower_edge"]
                )
            ),
            "edges must increase",
        ),
        (
            lambda frame: frame.assign(
                category_value=frame["category_value"].where(frame["category_value"] != "east", "north")
            ),
            "its own category_value",
        ),
        (lambda frame: frame.assign(reference_count=frame["reference_count"] - 10_000), "reference_count must be a count"),
    ],
)  # fmt: skip
def test_a_malformed_profile_is_refused_naming_the_rule(
    tmp_path: Path, break_profile: Callable[[pd.DataFrame], pd.DataFrame], rule: str
) -> None:
    scores_path = write_parquet(served_scores(), tmp_path / "scores.parquet")
    profile_path = write_profile(break_profile(training_profile()), tmp_path / "profile.parquet")
    project = DbtProject(workdir=tmp_path, base_vars=project_vars(scores_path, profile_path))
    result = project.dbt("run", "--select", "+int_reference_profile")
    assert result.returncode != 0
    assert "the reference profile input breaks its format" in result.stdout and rule in result.stdout, result.stdout[
        -3000:
    ]
    assert f"model {PROFILED}, subject" in result.stdout


def test_profile_mode_without_a_profile_is_refused(tmp_path: Path) -> None:
    scores_path = write_parquet(served_scores(), tmp_path / "scores.parquet")
    project = DbtProject(
        workdir=tmp_path,
        base_vars=project_vars(scores_path, tmp_path / "unused.parquet") | {"reference_profile_path": ""},
    )
    result = project.dbt("run", "--select", "stg_scores")
    assert result.returncode != 0
    assert "drift_reference_mode 'profile' (monitored_models.churn.drift_reference_mode) needs a reference profile" in (
        result.stdout
    ), result.stdout[-3000:]
