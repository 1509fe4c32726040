"""Drift people can trust (issue 12): significance by sample size, drift per segment, what moved the score.

- Significance: ks_p_value equals scipy's kstwobign.sf(sqrt(n m / (n + m)) D) and psi_critical_value
  equals chi2.ppf(1 - drift_alpha, B - 1) (1/n + 1/m), to 1e-9 relative, on models with tied scores
  and with collapsed decile edges.
- False alarms: 10 models scoring 150 rows a day from one unchanging distribution for 40 days. A
  day counts as an alarm when score_psi or score_ks is warn or fail with a metric (the first day's
  "no reference yet" warn is no drift alarm). At most 3% of days alarm; by the thresholds alone
  (the rule before significance) most days would.
- Detection: a 0.02 shift of the score mean at 2M rows a day, and the demo's drift day, still fail.
- Segment drift and the mean decomposition against numpy, on data with a new segment value, a
  vanished one and NULL segments; mix_effect + within_effect = score_mean_change to 1e-12.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, demo_project, write_parquet
from oracles import ZERO_SHARE, Row, assert_rows_match, ks_p_value, psi_critical_value, read_rows
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp

START = date(2024, 5, 1)
DRIFT_CHECKS = ("score_psi", "score_ks")


def score_rows(model: str, day: date, scores: np.ndarray, **columns: object) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "score_date": day,
            "model_name": model,
            "model_version": "v1",
            "entity_id": [f"{model}-{day}-{index}" for index in range(len(scores))],
            "score": scores,
            **columns,
        }
    )


def build(workdir: Path, scores: pd.DataFrame, **dbt_vars: object) -> DbtProject:
    project = DbtProject(workdir=workdir)
    project.build_gate_may_fail({"scores_path": str(write_parquet(scores, workdir / "scores.parquet")), **dbt_vars})
    return project


def relative_error(actual: float, expected: float) -> float:
    return abs(actual - expected) / abs(expected) if expected else abs(actual)


# --- no drift at 150 rows a day ------------------------------------------------------------------

NOISE_MODELS = tuple(f"m{index:02d}" for index in range(10))
NOISE_DAYS = 40
NOISE_ROWS = 150


def noise_scores(rng: np.random.Generator, model: str, size: int) -> np.ndarray:
    """Beta(2, 5) scores; m00 rounded to 2 decimals (ties), m01 with 40% at exactly 0.1 (collapsed edges)."""
    scores = rng.beta(2.0, 5.0, size)
    if model == "m00":
        return np.round(scores, 2)
    if model == "m01":
        return np.where(rng.random(size) < 0.4, 0.1, scores)
    return scores


@dataclass(frozen=True)
class NoiseBuild:
    scores: pd.DataFrame
    project: DbtProject


@pytest.fixture(scope="module")
def noise(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NoiseBuild]:
    rng = np.random.default_rng(12_150)
    frames = [
        score_rows(model, START + timedelta(days=offset), noise_scores(rng, model, NOISE_ROWS))
        for model in NOISE_MODELS
        for offset in range(NOISE_DAYS)
    ]
    scores = pd.concat(frames, ignore_index=True)
    yield NoiseBuild(scores, build(tmp_path_factory.mktemp("noise"), scores))


def test_ks_p_value_and_psi_critical_value_equal_scipy(noise: NoiseBuild) -> None:
    """Every day pair with a reference: the previous day's scores, binned on its collapsed deciles."""
    drift = {(row["score_date"], row["model_name"]): row for row in read_rows(noise.project, "score_drift_daily")}
    compared = 0
    for model in NOISE_MODELS:
        model_rows = noise.scores[noise.scores["model_name"] == model]
        for offset in range(1, NOISE_DAYS):
            day = START + timedelta(days=offset)
            current = model_rows.loc[model_rows["score_date"] == day, "score"].to_numpy()
            reference = model_rows.loc[model_rows["score_date"] == day - timedelta(days=1), "score"].to_numpy()
            bins = len(np.unique(np.quantile(reference, np.arange(1, 10) / 10))) + 1
            statistic = float(ks_2samp(current, reference).statistic)
            row = drift[(day, model)]
            assert row["bin_count"] == bins
            assert relative_error(row["ks_p_value"], ks_p_value(statistic, len(current), len(reference))) < 1e-9
            critical = psi_critical_value(bins, len(current), len(reference))
            assert critical is not None and relative_error(row["psi_critical_value"], critical) < 1e-9
            compared += 1
    assert compared == len(NOISE_MODELS) * (NOISE_DAYS - 1)
    # The data reach the cases they were built for: ties (m00) and collapsed edges (m01).
    assert {drift[(START + timedelta(days=1), "m01")]["bin_count"]} < set(range(2, 10))
    assert len(noise.scores.loc[noise.scores["model_name"] == "m00", "score"].unique()) < 100


def drift_check_days(project: DbtProject) -> pd.DataFrame:
    checks = project.table("monitoring_checks")
    checks = checks[checks["check_name"].isin(DRIFT_CHECKS) & checks["metric_value"].notna()]
    return checks.assign(
        alarm=checks["status"].isin(["warn", "fail"]),
        past_threshold=checks["metric_value"] > checks["warn_threshold"],
    )


def test_no_drift_alarms_on_at_most_3_percent_of_days(noise: NoiseBuild) -> None:
    checks = drift_check_days(noise.project)
    days = checks.groupby(["score_date", "model_name"])[["alarm", "past_threshold"]].any()
    assert len(days) == len(NOISE_MODELS) * (NOISE_DAYS - 1)
    assert days["alarm"].mean() <= 0.03, checks[checks["alarm"]][["score_date", "model_name", "message"]]
    # The thresholds alone (the rule before significance) raise most of these days.
    assert days["past_threshold"].mean() > 0.5


def test_a_breach_within_noise_passes_and_says_why(noise: NoiseBuild) -> None:
    checks = drift_check_days(noise.project)
    quiet = checks[checks["past_threshold"] & ~checks["alarm"]]
    assert len(quiet) > 0
    assert (quiet["status"] == "pass").all()
    psi_messages = quiet.loc[quiet["check_name"] == "score_psi", "message"]
    assert psi_messages.str.contains(r"but within sampling noise: psi_critical_value [0-9.]+ at n = 150, m = 150").all()
    ks_messages = quiet.loc[quiet["check_name"] == "score_ks", "message"]
    assert ks_messages.str.contains(
        r"but within sampling noise: ks_p_value [0-9.]+ >= drift_alpha 0.01 at n = 150"
    ).all()


def test_without_significance_every_breach_counts(noise: NoiseBuild, tmp_path: Path) -> None:
    """var drift_require_significance false: the thresholds alone decide again."""
    project = build(tmp_path, noise.scores, drift_require_significance=False)
    checks = drift_check_days(project)
    assert (checks["alarm"] == checks["past_threshold"]).all()
    assert checks["alarm"].mean() > 0.3


# --- detection ------------------------------------------------------------------------------------


def test_a_shift_of_0_02_at_2m_rows_fails(tmp_path: Path) -> None:
    """Scores Beta(22.5, 202.5) (mean 0.1, sd 0.02), then the same shape shifted by 0.02."""
    rng = np.random.default_rng(12_002)
    size = 2_000_000
    scores = pd.concat(
        [
            score_rows("big", START, rng.beta(22.5, 202.5, size)),
            score_rows("big", START + timedelta(days=1), rng.beta(22.5, 202.5, size) + 0.02),
        ],
        ignore_index=True,
    )
    project = build(tmp_path, scores)
    checks = project.table("monitoring_checks")
    shifted = checks[
        (checks["score_date"].dt.date == START + timedelta(days=1)) & checks["check_name"].isin(DRIFT_CHECKS)
    ]
    assert sorted(shifted["check_name"]) == sorted(DRIFT_CHECKS)
    assert (shifted["status"] == "fail").all(), shifted[["check_name", "metric_value", "message"]]
    drift = project.table("score_drift_daily").iloc[-1]
    assert drift["score_date"].date() == START + timedelta(days=1)
    assert drift["ks_p_value"] < 1e-300 or drift["ks_p_value"] == 0
    assert drift["psi"] > 100 * drift["psi_critical_value"]


def test_the_demo_drift_day_fails(tmp_path: Path) -> None:
    project = demo_project(tmp_path, rows_per_day=1000, days=8)
    project.build_gate_may_fail()
    drift_day = date(2026, 1, 1) + timedelta(days=8 - 6)  # generate_demo_data.py: --drift-day days - 6
    checks = project.table("monitoring_checks")
    churn = checks[
        (checks["score_date"].dt.date == drift_day)
        & (checks["model_name"] == "churn")
        & checks["check_name"].isin(DRIFT_CHECKS)
    ]
    assert sorted(churn["check_name"]) == sorted(DRIFT_CHECKS)
    assert (churn["status"] == "fail").all(), churn[["check_name", "metric_value", "message"]]


# --- segment drift and the decomposition ------------------------------------------------------------

SEGMENT_DAYS = (START, START + timedelta(days=1), START + timedelta(days=2))
MIN_SEGMENT_ROWS = 100


def segment_day(rng: np.random.Generator, model: str, day_index: int) -> pd.DataFrame:
    """region: 'west' vanishes and 'central' appears on the last day, 8% NULL; on the last day
    'north' scores move up and grow in share. channel: app / web, with a small 'store' segment."""
    size = int(rng.integers(2500, 3000))
    last = day_index == len(SEGMENT_DAYS) - 1
    names = np.array(["north", "south", "east", "central" if last else "west"], dtype=object)
    region = rng.choice(names, size, p=[0.5, 0.2, 0.2, 0.1] if last else [0.3, 0.3, 0.25, 0.15])
    region[rng.random(size) < 0.08] = None
    channel = rng.choice(np.array(["app", "web", "store"], dtype=object), size, p=[0.6, 0.37, 0.03])
    scores = np.minimum(rng.beta(2.0, 5.0, size) + np.where(last & (region == "north"), 0.15, 0.0), 1.0)
    scores[rng.random(size) < 0.02] = np.nan  # invalid scores count in no segment
    return score_rows(model, SEGMENT_DAYS[day_index], scores, region=region, channel=channel)


@dataclass(frozen=True)
class SegmentBuild:
    scores: pd.DataFrame
    project: DbtProject


@pytest.fixture(scope="module")
def segments(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SegmentBuild]:
    rng = np.random.default_rng(12_300)
    frames = [segment_day(rng, model, index) for model in ("alpha", "beta") for index in range(len(SEGMENT_DAYS))]
    scores = pd.concat(frames, ignore_index=True)
    project = build(tmp_path_factory.mktemp("segments"), scores, segment_columns=["region", "channel"])
    yield SegmentBuild(scores, project)


def segment_key(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def in_segment(column: pd.Series, value: str | None) -> pd.Series:
    return column.isna() if value is None else column == value


def expected_segments(scores: pd.DataFrame) -> tuple[list[Row], list[Row]]:
    """The contract's segment_drift_daily and score_mean_decomposition_daily rows, in numpy."""
    valid = scores[scores["score"].between(0, 1)]
    segment_rows: list[Row] = []
    decomposition_rows: list[Row] = []
    for model, model_rows in valid.groupby("model_name"):
        for day_index, day in enumerate(SEGMENT_DAYS[1:], start=1):
            current = model_rows[model_rows["score_date"] == day]
            reference = model_rows[model_rows["score_date"] == SEGMENT_DAYS[day_index - 1]]
            edges = np.unique(np.quantile(reference["score"].to_numpy(), np.arange(1, 10) / 10))
            for column in ("region", "channel"):
                values = {segment_key(value) for value in pd.concat([current[column], reference[column]])}
                w1, m1, w0, m0 = {}, {}, {}, {}
                for value in sorted(values, key=lambda item: (item is None, item or "")):
                    today = current.loc[in_segment(current[column], value), "score"].to_numpy()
                    before = reference.loc[in_segment(reference[column], value), "score"].to_numpy()
                    w1[value], w0[value] = len(today) / len(current), len(before) / len(reference)
                    m1[value] = float(today.mean()) if len(today) else None
                    m0[value] = float(before.mean()) if len(before) else None
                    comparable = len(today) >= MIN_SEGMENT_ROWS and len(before) >= MIN_SEGMENT_ROWS
                    counts = [
                        np.bincount(np.searchsorted(edges, side_values, side="right"), minlength=len(edges) + 1)
                        for side_values in (today, before)
                    ]
                    shares = [count / count.sum() if count.sum() else count for count in counts]
                    floored = [np.where(share == 0, ZERO_SHARE, share) for share in shares]
                    segment_rows.append(
                        {
                            "score_date": day,
                            "model_name": model,
                            "segment_column": column,
                            "segment_value": value,
                            "row_count": len(today),
                            "reference_row_count": len(before),
                            "row_share": w1[value],
                            "reference_row_share": w0[value],
                            "score_mean": m1[value],
                            "reference_score_mean": m0[value],
                            "psi": float(np.sum((floored[0] - floored[1]) * np.log(floored[0] / floored[1])))
                            if comparable
                            else None,
                            "js_distance": float(jensenshannon(shares[0], shares[1], base=2)) if comparable else None,
                            "psi_critical_value": psi_critical_value(len(edges) + 1, len(today), len(before))
                            if comparable
                            else None,
                        }
                    )
                mean1 = float(current["score"].mean())
                mean0 = float(reference["score"].mean())
                base = {value: (m0[value] if m0[value] is not None else mean0) for value in values}
                decomposition_rows.append(
                    {
                        "score_date": day,
                        "model_name": model,
                        "segment_column": column,
                        "score_mean": mean1,
                        "reference_score_mean": mean0,
                        "score_mean_change": mean1 - mean0,
                        "mix_effect": sum((w1[value] - w0[value]) * base[value] for value in values),
                        "within_effect": sum(
                            w1[value] * (m1[value] - base[value]) for value in values if m1[value] is not None
                        ),
                    }
                )
    return segment_rows, decomposition_rows


def test_segment_drift_matches_numpy(segments: SegmentBuild) -> None:
    expected, _ = expected_segments(segments.scores)
    actual = [row for row in read_rows(segments.project, "segment_drift_daily") if row["score_date"] != START]
    assert_rows_match(actual, expected, ("score_date", "model_name", "segment_column", "segment_value"))
    last = [row for row in actual if row["score_date"] == SEGMENT_DAYS[-1] and row["segment_column"] == "region"]
    by_value = {row["segment_value"]: row for row in last if row["model_name"] == "alpha"}
    assert by_value["central"]["reference_row_count"] == 0 and by_value["central"]["psi"] is None
    assert by_value["west"]["row_count"] == 0 and by_value["west"]["score_mean"] is None
    assert by_value[None]["row_count"] > 0 and by_value["north"]["psi"] > 0.25


def test_mean_decomposition_matches_numpy_and_adds_up(segments: SegmentBuild) -> None:
    _, expected = expected_segments(segments.scores)
    actual = read_rows(segments.project, "score_mean_decomposition_daily")
    first = [row for row in actual if row["score_date"] == START]
    assert first and all(row["mix_effect"] is None and row["within_effect"] is None for row in first)
    later = [row for row in actual if row["score_date"] != START]
    assert_rows_match(later, expected, ("score_date", "model_name", "segment_column"))
    for row in later:
        assert abs(row["mix_effect"] + row["within_effect"] - row["score_mean_change"]) < 1e-12


def test_segment_checks_name_the_worst_segment(segments: SegmentBuild) -> None:
    checks = segments.project.table("monitoring_checks")
    last = checks[(checks["score_date"].dt.date == SEGMENT_DAYS[-1]) & (checks["check_family"] == "segment")]
    by_check = {(row.model_name, row.check_name): row for row in last.itertuples()}
    for model in ("alpha", "beta"):
        psi_check = by_check[(model, "segment_score_psi")]
        assert psi_check.subject == "region=north" and psi_check.status == "fail", psi_check.message
        shift = by_check[(model, "segment_volume_shift")]
        assert shift.subject == "region=north" and shift.status == "fail", shift.message
    quiet = checks[(checks["score_date"].dt.date == SEGMENT_DAYS[1]) & (checks["check_family"] == "segment")]
    assert set(quiet["status"]) == {"pass"}, quiet[["model_name", "check_name", "message"]]
