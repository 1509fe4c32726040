"""End-to-end oracle for score_health_daily, score_drift_daily and score_bins_daily.

Builds the project on synthetic prediction logs with known properties (continuous, heavily tied
and near-zero skewed scores, with NULL / NaN / out-of-range scores mixed in) under every drift
reference mode, and compares every metric with an independent numpy / scipy implementation of
the definitions in README.md's data contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import DbtProject
from oracles import (
    ZERO_SHARE,
    Row,
    assert_rows_match,
    ks_p_value,
    psi_critical_value,
    ratio,
    read_rows,
    rows_between,
)
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp

DATES = (
    date(2024, 3, 1),
    date(2024, 3, 2),
    date(2024, 3, 3),
    date(2024, 3, 5),
    date(2024, 3, 6),
)
MODELS = ("churn", "fraud")
# fraud scores nothing on this day: an expected day with row_count 0, and "previous" skips it.
GAP = ("fraud", date(2024, 3, 3))
FIXED_REFERENCE = (date(2024, 3, 1), date(2024, 3, 2))
TRAILING_DAYS = 2
DECISION_THRESHOLD = 0.5
QUANTILE_PERCENTS = (1, 5, 10, 25, 50, 75, 90, 95, 99)


@dataclass(frozen=True)
class Scenario:
    """One dbt build: a reference mode, the score distribution of each model, optional columns."""

    mode: str
    kinds: tuple[str, str]
    has_decision_and_review: bool

    def dbt_vars(self) -> dict[str, object]:
        if self.mode == "trailing":
            return {
                "drift_reference_mode": "trailing",
                "drift_reference_days": TRAILING_DAYS,
            }
        if self.mode == "fixed":
            return {
                "drift_reference_mode": "fixed",
                "drift_reference_start": FIXED_REFERENCE[0].isoformat(),
                "drift_reference_end": FIXED_REFERENCE[1].isoformat(),
            }
        return {"drift_reference_mode": "previous"}


SCENARIOS = (
    Scenario("previous", ("continuous", "skewed"), has_decision_and_review=True),
    Scenario("trailing", ("tied", "continuous"), has_decision_and_review=False),
    Scenario("fixed", ("skewed", "tied"), has_decision_and_review=True),
)


@dataclass(frozen=True)
class Built:
    scenario: Scenario
    scores: pd.DataFrame
    project: DbtProject


# --- input data ---------------------------------------------------------------------------


def draw_valid_scores(kind: str, rng: np.random.Generator, size: int, day_index: int) -> np.ndarray:
    """Scores in [0, 1] whose distribution drifts a little every day."""
    if kind == "continuous":
        return rng.beta(2.0 + 0.3 * day_index, 5.0, size)
    if kind == "tied":
        # Two decimals with a heavy mass at 0.00: duplicate decile edges and values on the edges.
        return np.round(rng.beta(0.4, 6.0 + day_index, size), 2)
    return rng.beta(0.3, 10.0 + day_index, size)


def nullable_booleans(values: np.ndarray, rng: np.random.Generator, null_share: float) -> pd.Series:
    return pd.Series(values, dtype="boolean").mask(rng.random(len(values)) < null_share)


def model_day_scores(
    rng: np.random.Generator, model: str, kind: str, day_index: int, with_optional: bool
) -> pd.DataFrame:
    size = int(rng.integers(1800, 2600))
    scores = draw_valid_scores(kind, rng, size, day_index)
    invalid = rng.choice(size, 40, replace=False)
    # The first 10 invalid rows become NULL (score_is_null), the next 10 stay NaN.
    scores[invalid[:20]] = np.nan
    scores[invalid[20:30]] = -0.2
    scores[invalid[30:]] = 1.3
    is_null = np.zeros(size, dtype=bool)
    is_null[invalid[:10]] = True
    entities = np.arange(size)
    entities[rng.choice(size, 15, replace=False)] = rng.integers(0, size, 15)
    frame = pd.DataFrame(
        {
            "score_date": DATES[day_index],
            "model_name": model,
            "model_version": np.where(rng.random(size) < 0.3 * (day_index >= 2), "v2", "v1"),
            "entity_id": [f"{model}-{entity}" for entity in entities],
            "score": scores,
            "score_is_null": is_null,
        }
    )
    if with_optional:
        frame["decision"] = nullable_booleans(rng.random(size) < 0.3 + 0.05 * day_index, rng, 0.03)
        frame["review_flag"] = nullable_booleans(rng.random(size) < 0.1, rng, 0.05)
    return frame


def scenario_scores(scenario: Scenario) -> pd.DataFrame:
    rng = np.random.default_rng(20240301 + SCENARIOS.index(scenario))
    frames = [
        model_day_scores(rng, model, kind, day_index, scenario.has_decision_and_review)
        for model, kind in zip(MODELS, scenario.kinds, strict=True)
        for day_index, day in enumerate(DATES)
        if (model, day) != GAP
    ]
    return pd.concat(frames, ignore_index=True)


def write_scores(scores: pd.DataFrame, path: Path) -> Path:
    """Parquet with real NULLs and real NaNs in score (pandas alone cannot tell them apart)."""
    table = pa.Table.from_pandas(scores.drop(columns="score_is_null"), preserve_index=False)
    score = pa.array(scores["score"].to_numpy(), mask=scores["score_is_null"].to_numpy())
    table = table.set_column(table.schema.get_field_index("score"), "score", score)
    pq.write_table(table, path)
    return path


def write_labels(scores: pd.DataFrame, path: Path) -> Path:
    """A labels file so that label-based models (if any) have an input; not checked here."""
    labels = scores[["model_name", "score_date", "entity_id"]].assign(label=1)
    pq.write_table(pa.Table.from_pandas(labels, preserve_index=False), path)
    return path


@pytest.fixture(scope="module", params=SCENARIOS, ids=[scenario.mode for scenario in SCENARIOS])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    scenario: Scenario = request.param
    workdir = tmp_path_factory.mktemp(f"score_oracle_{scenario.mode}")
    scores = scenario_scores(scenario)
    paths = {
        "scores_path": str(write_scores(scores, workdir / "scores.parquet")),
        "labels_path": str(write_labels(scores, workdir / "labels.parquet")),
    }
    project = DbtProject(workdir=workdir)
    project.build_gate_may_fail({**paths, **scenario.dbt_vars()})
    yield Built(scenario, scores, project)


# --- reading and comparing ------------------------------------------------------------------


# --- the oracle -------------------------------------------------------------------------------


def model_days(scores: pd.DataFrame) -> list[tuple[date, str]]:
    """Every input date from the model's first date on, including days the model scored nothing."""
    first_dates = scores.groupby("model_name")["score_date"].min()
    return [(day, model) for model in MODELS for day in sorted(set(scores["score_date"])) if day >= first_dates[model]]


def valid_scores(rows: pd.DataFrame) -> np.ndarray:
    score = rows["score"].to_numpy()
    return score[~rows["score_is_null"].to_numpy() & (score >= 0) & (score <= 1)]


def distribution(valid: np.ndarray) -> Row:
    if len(valid) == 0:
        return {
            "score_mean": None,
            "score_stddev": None,
            "score_min": None,
            "score_max": None,
        } | {f"score_p{percent:02d}": None for percent in QUANTILE_PERCENTS}
    return {
        "score_mean": float(np.mean(valid)),
        "score_stddev": float(np.std(valid, ddof=1)) if len(valid) > 1 else None,
        "score_min": float(np.min(valid)),
        "score_max": float(np.max(valid)),
    } | {f"score_p{percent:02d}": float(np.quantile(valid, percent / 100)) for percent in QUANTILE_PERCENTS}


def known_decisions(rows: pd.DataFrame, has_decision: bool) -> np.ndarray:
    """The non-null decisions: the input column, else score >= threshold for valid scores."""
    if has_decision:
        return rows["decision"].dropna().to_numpy(dtype=bool)
    return valid_scores(rows) >= DECISION_THRESHOLD


def expected_health_row(rows: pd.DataFrame, has_decision_and_review: bool) -> Row:
    valid = valid_scores(rows)
    null_count = int(rows["score_is_null"].sum())
    decisions = known_decisions(rows, has_decision_and_review)
    reviews = rows["review_flag"].dropna().to_numpy(dtype=bool) if has_decision_and_review else None
    return {
        "row_count": len(rows),
        "entity_count": int(rows["entity_id"].nunique()),
        "duplicate_rows": len(rows) - int(rows["entity_id"].nunique()),
        "model_version_count": int(rows["model_version"].nunique()),
        "null_score_count": null_count,
        "out_of_bounds_count": len(rows) - null_count - len(valid),
        "valid_score_count": len(valid),
        "decision_count": int(decisions.sum()),
        "decision_rate": ratio(int(decisions.sum()), len(decisions)),
        "review_count": None if reviews is None else int(reviews.sum()),
        "review_rate": None if reviews is None else ratio(int(reviews.sum()), len(reviews)),
    } | distribution(valid)


def reference_window(mode: str, day: date, scored_dates: list[date]) -> tuple[date | None, date | None]:
    if mode == "trailing":
        return day - timedelta(days=TRAILING_DAYS), day - timedelta(days=1)
    if mode == "fixed":
        return FIXED_REFERENCE
    previous = max((scored for scored in scored_dates if scored < day), default=None)
    return previous, previous


@dataclass(frozen=True)
class Comparison:
    """Current against reference values of one (score_date, model_name), binned on reference deciles."""

    current: np.ndarray
    reference: np.ndarray

    @property
    def edges(self) -> np.ndarray:
        return np.unique(np.quantile(self.reference, np.arange(1, 10) / 10))

    def counts(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(
            np.searchsorted(self.edges, values, side="right"),
            minlength=len(self.edges) + 1,
        )

    def shares(self, values: np.ndarray) -> np.ndarray:
        return self.counts(values) / len(values)

    @property
    def comparable(self) -> bool:
        return len(self.current) > 0 and len(self.reference) > 0

    def psi(self) -> float:
        current = np.where(self.shares(self.current) == 0, ZERO_SHARE, self.shares(self.current))
        reference = np.where(self.shares(self.reference) == 0, ZERO_SHARE, self.shares(self.reference))
        return float(np.sum((current - reference) * np.log(current / reference)))

    def js_distance(self) -> float:
        return float(jensenshannon(self.shares(self.current), self.shares(self.reference), base=2))

    def ks_statistic(self) -> float:
        return float(ks_2samp(self.current, self.reference).statistic)


@dataclass(frozen=True)
class ModelDay:
    score_date: date
    model_name: str
    reference_start: date | None
    reference_end: date | None
    current_rows: pd.DataFrame
    comparison: Comparison


def oracle_model_days(built: Built) -> list[ModelDay]:
    result = []
    for day, model in model_days(built.scores):
        model_rows = built.scores[built.scores["model_name"] == model]
        start, end = reference_window(built.scenario.mode, day, sorted(set(model_rows["score_date"])))
        current_rows = model_rows[model_rows["score_date"] == day]
        comparison = Comparison(
            valid_scores(current_rows),
            valid_scores(rows_between(model_rows, start, end)),
        )
        result.append(ModelDay(day, model, start, end, current_rows, comparison))
    return result


def expected_drift_row(model_day: ModelDay) -> Row:
    comparison = model_day.comparison
    return {
        "score_date": model_day.score_date,
        "model_name": model_day.model_name,
        "reference_start": model_day.reference_start,
        "reference_end": model_day.reference_end,
        "reference_row_count": len(comparison.reference),
        "current_row_count": len(comparison.current),
        "bin_count": len(comparison.edges) + 1 if len(comparison.reference) else None,
        "psi": comparison.psi() if comparison.comparable else None,
        "js_distance": comparison.js_distance() if comparison.comparable else None,
        "ks_statistic": comparison.ks_statistic() if comparison.comparable else None,
        "ks_p_value": (
            ks_p_value(comparison.ks_statistic(), len(comparison.current), len(comparison.reference))
            if comparison.comparable
            else None
        ),
        "psi_critical_value": (
            psi_critical_value(len(comparison.edges) + 1, len(comparison.current), len(comparison.reference))
            if comparison.comparable
            else None
        ),
    }


def expected_bin_rows(model_day: ModelDay) -> list[Row]:
    comparison = model_day.comparison
    if len(comparison.reference) == 0:
        return []
    edges = [None, *map(float, comparison.edges), None]
    current_counts = comparison.counts(comparison.current)
    reference_counts = comparison.counts(comparison.reference)
    return [
        {
            "score_date": model_day.score_date,
            "model_name": model_day.model_name,
            "bin_index": bin_index,
            "lower_edge": edges[bin_index],
            "upper_edge": edges[bin_index + 1],
            "current_count": int(current_counts[bin_index]),
            "reference_count": int(reference_counts[bin_index]),
            "current_share": ratio(int(current_counts[bin_index]), len(comparison.current)),
            "reference_share": ratio(int(reference_counts[bin_index]), len(comparison.reference)),
        }
        for bin_index in range(len(edges) - 1)
    ]


# --- tests ------------------------------------------------------------------------------------


def test_score_health_matches_oracle(built: Built) -> None:
    expected = [
        {"score_date": model_day.score_date, "model_name": model_day.model_name}
        | expected_health_row(model_day.current_rows, built.scenario.has_decision_and_review)
        for model_day in oracle_model_days(built)
    ]
    assert_rows_match(
        read_rows(built.project, "score_health_daily"),
        expected,
        ("score_date", "model_name"),
    )


def test_score_drift_matches_oracle(built: Built) -> None:
    expected = [expected_drift_row(model_day) for model_day in oracle_model_days(built)]
    assert_rows_match(
        read_rows(built.project, "score_drift_daily"),
        expected,
        ("score_date", "model_name"),
    )


def test_score_bins_match_oracle(built: Built) -> None:
    expected = [row for model_day in oracle_model_days(built) for row in expected_bin_rows(model_day)]
    assert_rows_match(
        read_rows(built.project, "score_bins_daily"),
        expected,
        ("score_date", "model_name", "bin_index"),
    )


def test_first_date_without_reference_has_null_drift_and_no_bins(built: Built) -> None:
    first_date = DATES[0]
    drift = [row for row in read_rows(built.project, "score_drift_daily") if row["score_date"] == first_date]
    bins = [row for row in read_rows(built.project, "score_bins_daily") if row["score_date"] == first_date]
    assert len(drift) == len(MODELS)
    if built.scenario.mode == "fixed":  # the fixed window covers the first date itself
        assert all(row["psi"] is not None and row["reference_row_count"] > 0 for row in drift)
        assert bins
    else:
        assert all(row["reference_row_count"] == 0 for row in drift)
        assert all(row[metric] is None for row in drift for metric in ("psi", "js_distance", "ks_statistic"))
        assert bins == []


def test_invalid_scores_are_counted_and_data_exercise_the_edge_cases(
    built: Built,
) -> None:
    """Guards the oracle's reach: invalid scores, duplicates and collapsed edges really occur."""
    health = [row for row in read_rows(built.project, "score_health_daily") if row["row_count"]]
    assert all(row["null_score_count"] == 10 and row["out_of_bounds_count"] == 30 for row in health)
    assert all(row["duplicate_rows"] > 0 for row in health)
    drift = read_rows(built.project, "score_drift_daily")
    assert any(row["current_row_count"] == 0 and row["reference_row_count"] > 0 for row in drift)
    if "tied" in built.scenario.kinds:
        assert any(row["bin_count"] is not None and row["bin_count"] < 10 for row in drift)
