"""End-to-end oracle for feature_drift_daily and feature_bins_daily.

Builds the project on synthetic features with known properties (a shifted numeric feature, one
with 30% NULLs, a constant one, a heavily tied integer one, a categorical feature with a new and a
vanished category, and a high-cardinality categorical one that hits the top-K cap) under every
drift reference mode, and compares every metric with an independent numpy / scipy implementation
of the definitions in README.md's data contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, write_parquet
from oracles import (
    OTHER,
    TOP_K,
    FeatureDay,
    assert_rows_match,
    expected_bin_rows,
    expected_drift_row,
    index_rows,
    read_rows,
    rows_between,
)

DATES = (date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3), date(2024, 3, 5))
MODELS = ("churn", "fraud")
FIXED_REFERENCE = (date(2024, 3, 1), date(2024, 3, 2))
TRAILING_DAYS = 2
NUMERIC_FEATURES = ("income", "tenure", "constant_feature", "product_count")
CATEGORICAL_FEATURES = ("region", "merchant")
MERCHANTS = tuple(f"m{index:02d}" for index in range(30))
MODES = ("previous", "trailing", "fixed")


@dataclass(frozen=True)
class Built:
    mode: str
    scores: pd.DataFrame
    project: DbtProject


# --- input data ---------------------------------------------------------------------------


def regions(rng: np.random.Generator, size: int, day_index: int) -> np.ndarray:
    """'west' vanishes and 'central' appears from the fourth date on; 5% NULL."""
    names = ["north", "south", "east", "central" if day_index >= 3 else "west"]
    values = rng.choice(np.array(names, dtype=object), size, p=[0.4, 0.3, 0.2, 0.1])
    values[rng.random(size) < 0.05] = None
    return values


def merchants(rng: np.random.Generator, size: int, day_index: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, len(MERCHANTS) + 1) ** (1.0 + 0.1 * day_index)
    return rng.choice(np.array(MERCHANTS, dtype=object), size, p=weights / weights.sum())


def model_day_rows(rng: np.random.Generator, model: str, day_index: int) -> pd.DataFrame:
    size = int(rng.integers(1500, 2000))
    scores = rng.beta(2.0, 5.0, size)
    scores[rng.random(size) < 0.01] = np.nan  # NULL scores: their rows still count for features
    tenure = rng.gamma(2.0, 3.0, size)
    tenure[rng.random(size) < 0.3] = np.nan
    product_weights = np.array([5, 4, 3, 2, 1, 1 + day_index], dtype=float)
    return pd.DataFrame(
        {
            "score_date": DATES[day_index],
            "model_name": model,
            "model_version": "v1",
            "entity_id": [f"{model}-{index}" for index in range(size)],
            "score": scores,
            "income": rng.normal(50.0 + 4.0 * day_index, 10.0, size),
            "tenure": tenure,
            "constant_feature": 3.5,
            "product_count": rng.choice(6, size, p=product_weights / product_weights.sum()),
            "region": regions(rng, size, day_index),
            "merchant": merchants(rng, size, day_index),
        }
    )


def feature_scores(mode: str) -> pd.DataFrame:
    rng = np.random.default_rng(7_000 + MODES.index(mode))
    frames = [model_day_rows(rng, model, day_index) for model in MODELS for day_index in range(len(DATES))]
    return pd.concat(frames, ignore_index=True)


def reference_vars(mode: str) -> dict[str, object]:
    if mode == "trailing":
        return {
            "drift_reference_mode": "trailing",
            "drift_reference_days": TRAILING_DAYS,
        }
    if mode == "fixed":
        return {
            "drift_reference_mode": "fixed",
            "drift_reference_start": FIXED_REFERENCE[0].isoformat(),
            "drift_reference_end": FIXED_REFERENCE[1].isoformat(),
        }
    return {"drift_reference_mode": "previous"}


@pytest.fixture(scope="module", params=MODES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    mode: str = request.param
    workdir = tmp_path_factory.mktemp(f"feature_oracle_{mode}")
    scores = feature_scores(mode)
    labels = scores[["model_name", "score_date", "entity_id"]].assign(label=1)
    dbt_vars = {
        "scores_path": str(write_parquet(scores, workdir / "scores.parquet")),
        # A labels file so that label-based models (if any) have an input; not checked here.
        "labels_path": str(write_parquet(labels, workdir / "labels.parquet")),
        "numeric_features": list(NUMERIC_FEATURES),
        "categorical_features": list(CATEGORICAL_FEATURES),
        **reference_vars(mode),
    }
    project = DbtProject(workdir=workdir)
    project.build_gate_may_fail(dbt_vars)
    yield Built(mode, scores, project)


# --- reading and comparing ------------------------------------------------------------------


# --- the oracle -------------------------------------------------------------------------------


def reference_window(mode: str, day: date) -> tuple[date | None, date | None]:
    if mode == "trailing":
        return day - timedelta(days=TRAILING_DAYS), day - timedelta(days=1)
    if mode == "fixed":
        return FIXED_REFERENCE
    previous = max((scored for scored in DATES if scored < day), default=None)
    return previous, previous


def feature_days(built: Built) -> list[FeatureDay]:
    result = []
    for model in MODELS:
        model_rows = built.scores[built.scores["model_name"] == model]
        for day in DATES:
            window = reference_window(built.mode, day)
            current_rows = model_rows[model_rows["score_date"] == day]
            reference_rows = rows_between(model_rows, *window)
            result += [
                FeatureDay(
                    day,
                    model,
                    feature,
                    "numeric" if feature in NUMERIC_FEATURES else "categorical",
                    window,
                    current_rows[feature],
                    reference_rows[feature],
                )
                for feature in NUMERIC_FEATURES + CATEGORICAL_FEATURES
            ]
    return result


# --- tests ------------------------------------------------------------------------------------

DRIFT_KEYS = ("score_date", "model_name", "feature_name")


def test_feature_drift_matches_oracle(built: Built) -> None:
    expected = [expected_drift_row(feature_day) for feature_day in feature_days(built)]
    assert_rows_match(read_rows(built.project, "feature_drift_daily"), expected, DRIFT_KEYS)


def test_feature_bins_match_oracle(built: Built) -> None:
    expected = [row for feature_day in feature_days(built) for row in expected_bin_rows(feature_day)]
    assert_rows_match(
        read_rows(built.project, "feature_bins_daily"),
        expected,
        (*DRIFT_KEYS, "bin_index"),
    )


def test_data_exercise_the_edge_cases(built: Built) -> None:
    """Guards the oracle's reach: the properties the input was built to have really occur."""
    drift = index_rows(read_rows(built.project, "feature_drift_daily"), DRIFT_KEYS)
    last = DATES[-1]
    assert drift[(last, "churn", "income")]["psi"] > 0.1
    assert 0.25 < drift[(last, "churn", "tenure")]["missing_rate"] < 0.35
    assert drift[(last, "churn", "constant_feature")]["bin_count"] == 2
    assert drift[(last, "churn", "constant_feature")]["psi"] == 0.0
    assert drift[(last, "churn", "product_count")]["bin_count"] < 10
    assert drift[(DATES[3], "churn", "region")]["new_category_share"] > 0.05
    bins = read_rows(built.project, "feature_bins_daily")
    vanished = [row for row in bins if row["category_value"] == "west" and row["score_date"] == DATES[3]]
    assert vanished and all(row["current_count"] == 0 and row["reference_count"] > 0 for row in vanished)
    merchant_bins = [row for row in bins if row["feature_name"] == "merchant" and row["score_date"] == last]
    assert OTHER in {row["category_value"] for row in merchant_bins}
    assert len(merchant_bins) == len(MODELS) * (TOP_K + 1)


def test_first_date_without_reference_has_null_drift(built: Built) -> None:
    first = [row for row in read_rows(built.project, "feature_drift_daily") if row["score_date"] == DATES[0]]
    assert len(first) == len(MODELS) * len(NUMERIC_FEATURES + CATEGORICAL_FEATURES)
    metrics = ("psi", "js_distance", "ks_statistic", "l_inf", "new_category_share")
    if built.mode == "fixed":  # the fixed window covers the first date itself
        assert all(row["psi"] is not None for row in first)
    else:
        assert all(row[metric] is None for row in first for metric in metrics)
        assert all(row["reference_missing_rate"] is None for row in first)
