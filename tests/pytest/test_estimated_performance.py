"""Estimated performance before labels (issue 13): estimated_performance_daily against the contract's
formula in numpy (both calibration methods, to 1e-9), against the realized AUC (scikit-learn) and
nannyml's CBPE on calibrated scores under a covariate shift, and the checks of undefined estimates.

Scores are calibrated (labels drawn as Bernoulli(score)); the first five days are the calibration
reference (calibration_reference_start / _end), the last three shift the score distribution from
Beta(2, 5) to Beta(3, 3) and Beta(4, 2). Every cohort is labelled and due (label_horizon_days 0),
so each day's realized AUC is known.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, DbtProject, write_parquet
from oracles import Row, assert_rows_match, read_rows
from sklearn.metrics import roc_auc_score

DAYS = tuple(date(2024, 6, 1) + timedelta(days=offset) for offset in range(8))
REFERENCE_DAYS = DAYS[:5]
SHAPES = ((2.0, 5.0),) * 6 + ((3.0, 3.0), (4.0, 2.0))
ROWS = 20_000
CALIBRATED = {"cal_none": "none", "cal_bins": "bins"}
NANNYML_VENV = Path(os.environ.get("SCORE_MONITORING_NANNYML_VENV", ROOT / ".venv-nannyml"))


def model_rows(rng: np.random.Generator, model: str) -> pd.DataFrame:
    frames = []
    for day, (a, b) in zip(DAYS, SHAPES, strict=True):
        scores = rng.beta(a, b, ROWS)
        frames.append(
            pd.DataFrame(
                {
                    "score_date": day,
                    "model_name": model,
                    "model_version": "v1",
                    "entity_id": [f"{model}-{day}-{index}" for index in range(ROWS)],
                    "score": scores,
                    "label": (rng.random(ROWS) < scores).astype(int),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def undefined_rows() -> pd.DataFrame:
    """one_class: every score 0, so every row is expected negative; no_valid: only NULL scores."""
    frames = [
        pd.DataFrame(
            {
                "score_date": day,
                "model_name": model,
                "model_version": "v1",
                "entity_id": [f"{model}-{day}-{index}" for index in range(50)],
                "score": score,
                "label": 0,
            }
        )
        for day in DAYS
        for model, score in (("one_class", 0.0), ("no_valid", np.nan))
    ]
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class Built:
    rows: pd.DataFrame
    project: DbtProject


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    workdir = tmp_path_factory.mktemp("estimated_performance")
    rng = np.random.default_rng(13_001)
    rows = pd.concat([*(model_rows(rng, model) for model in CALIBRATED), undefined_rows()], ignore_index=True)
    window = {
        "calibration_reference_start": REFERENCE_DAYS[0].isoformat(),
        "calibration_reference_end": REFERENCE_DAYS[-1].isoformat(),
    }
    dbt_vars = {
        "scores_path": str(write_parquet(rows.drop(columns="label"), workdir / "scores.parquet")),
        "labels_path": str(
            write_parquet(rows[["model_name", "score_date", "entity_id", "label"]], workdir / "labels.parquet")
        ),
        "label_horizon_days": 0,
        "monitored_models": {
            "cal_none": {"calibration_method": "none", **window},
            "cal_bins": {"calibration_method": "bins", **window},
            "one_class": {"calibration_method": "none"},
        },
    }
    project = DbtProject(workdir=workdir)
    project.build_gate_may_fail(dbt_vars)
    yield Built(rows, project)


# --- the contract's formula in numpy ----------------------------------------------------------------


def calibration_bins(scores: np.ndarray) -> np.ndarray:
    return np.minimum(np.floor(scores * 10), 9).astype(int)


def calibrated(rows: pd.DataFrame, day: date, method: str) -> np.ndarray:
    """q of the day's rows: the score ('none'), or the observed rate of its bin over the labelled
    rows of the reference days due by that day (horizon 0: the reference days up to the day)."""
    scores = rows.loc[rows["score_date"] == day, "score"].to_numpy()
    if method == "none":
        return scores
    reference = rows[rows["score_date"].isin(REFERENCE_DAYS) & (rows["score_date"] <= day)]
    reference_bins = calibration_bins(reference["score"].to_numpy())
    labels = reference["label"].to_numpy()
    rates = {int(b): labels[reference_bins == b].mean() for b in np.unique(reference_bins)}
    return np.array([rates.get(int(b), s) for b, s in zip(calibration_bins(scores), scores, strict=True)])


def expected_auc(scores: np.ndarray, q: np.ndarray) -> float:
    """(sum over s_j > s_k of q_j (1 - q_k) + 1/2 sum over s_j = s_k of q_j (1 - q_k)) / (sum q sum (1 - q))."""
    order = np.argsort(scores, kind="stable")
    scores, q = scores[order], q[order]
    negatives_through = np.cumsum(1 - q)
    first = np.searchsorted(scores, scores, side="left")
    last = np.searchsorted(scores, scores, side="right")
    below = np.where(first > 0, negatives_through[first - 1], 0.0)
    tied = negatives_through[last - 1] - below
    return float(np.sum(q * (below + tied / 2)) / (q.sum() * (1 - q).sum()))


def expected_row(day_rows: pd.DataFrame, q: np.ndarray, day: date, model: str, method: str) -> Row:
    decision = day_rows["score"].to_numpy() >= 0.5
    tp, fp = float(np.sum(q * decision)), float(np.sum((1 - q) * decision))
    fn, tn = float(np.sum(q * ~decision)), float(np.sum((1 - q) * ~decision))
    return {
        "score_date": day,
        "model_name": model,
        "scored_count": len(day_rows),
        "calibration_method": method,
        "estimated_auc": expected_auc(day_rows["score"].to_numpy(), q),
        "estimated_precision": tp / (tp + fp),
        "estimated_recall": tp / (tp + fn),
        "estimated_f1": 2 * tp / (2 * tp + fp + fn),
        "estimated_accuracy": (tp + tn) / (tp + fp + fn + tn),
        "expected_tp": tp,
        "expected_fp": fp,
        "expected_fn": fn,
        "expected_tn": tn,
    }


def test_estimates_equal_the_formula_for_both_methods(built: Built) -> None:
    expected = []
    for model, method in CALIBRATED.items():
        rows = built.rows[built.rows["model_name"] == model]
        for day in DAYS:
            day_rows = rows[rows["score_date"] == day]
            expected.append(expected_row(day_rows, calibrated(rows, day, method), day, model, method))
    actual = [row for row in read_rows(built.project, "estimated_performance_daily") if row["model_name"] in CALIBRATED]
    assert_rows_match(actual, expected, ("score_date", "model_name"))
    # The map of a day holds the reference cohorts due by that day, never a later one.
    sizes = {row["score_date"]: row["calibration_row_count"] for row in actual if row["model_name"] == "cal_bins"}
    assert sizes == {day: ROWS * min(index + 1, len(REFERENCE_DAYS)) for index, day in enumerate(DAYS)}


def realized_auc(rows: pd.DataFrame, day: date) -> float:
    on_day = rows[rows["score_date"] == day]
    return float(roc_auc_score(on_day["label"], on_day["score"]))


def nannyml_estimates(rows: pd.DataFrame, workdir: Path) -> dict[str, float]:
    python = NANNYML_VENV / "bin" / "python"
    if not python.exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"nannyml venv missing at {NANNYML_VENV} (scripts/run_tests.sh installs requirements-nannyml.lock)"
            )
        pytest.skip(f"nannyml venv missing at {NANNYML_VENV}")
    frame = rows.assign(decision=rows["score"] >= 0.5)[["score_date", "score", "decision", "label"]]
    reference = write_parquet(frame[frame["score_date"].isin(REFERENCE_DAYS)], workdir / "reference.parquet")
    analysis = write_parquet(frame[~frame["score_date"].isin(REFERENCE_DAYS)], workdir / "analysis.parquet")
    result = subprocess.run(
        [str(python), str(Path(__file__).with_name("nannyml_cbpe.py")), str(reference), str(analysis)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_calibrated_scores_under_covariate_shift(built: Built, tmp_path: Path) -> None:
    """q = score (calibration_method none) on calibrated scores: within 0.01 of the realized AUC and
    of nannyml's CBPE on every shifted day."""
    rows = built.rows[built.rows["model_name"] == "cal_none"]
    estimates = {
        row["score_date"]: row["estimated_auc"]
        for row in read_rows(built.project, "estimated_performance_daily")
        if row["model_name"] == "cal_none"
    }
    cbpe = nannyml_estimates(rows, tmp_path)
    analysis_days = DAYS[len(REFERENCE_DAYS) :]
    assert sorted(cbpe) == [day.isoformat() for day in analysis_days]
    for day in analysis_days:
        assert abs(estimates[day] - realized_auc(rows, day)) < 0.01, day
        assert abs(estimates[day] - cbpe[day.isoformat()]) < 0.01, day
    # The shift is real: the AUC of the last day differs from the reference days'.
    assert abs(realized_auc(rows, DAYS[-1]) - realized_auc(rows, DAYS[0])) > 0.005


def test_ten_bins_lose_the_order_inside_a_bin(built: Built) -> None:
    """calibration_method bins maps every score of a bin to one q: pairs inside a bin count as ties,
    and the sparse top bins of the reference carry their sampling noise. On these calibrated scores
    the estimate stays within 0.02 of the realized AUC (q = score does within 0.01, above)."""
    rows = built.rows[built.rows["model_name"] == "cal_bins"]
    for row in read_rows(built.project, "estimated_performance_daily"):
        if row["model_name"] == "cal_bins":
            gap = realized_auc(rows, row["score_date"]) - row["estimated_auc"]
            assert abs(gap) < 0.02, row


def test_estimation_error_is_checked_once_the_cohort_is_due(built: Built) -> None:
    checks = built.project.table("monitoring_checks")
    errors = checks[(checks["check_name"] == "estimation_error") & (checks["model_name"] == "cal_none")]
    assert len(errors) == len(DAYS)
    rows = built.rows[built.rows["model_name"] == "cal_none"]
    estimates = {
        row["score_date"]: row["estimated_auc"]
        for row in read_rows(built.project, "estimated_performance_daily")
        if row["model_name"] == "cal_none"
    }
    for check in errors.itertuples():
        day = check.score_date.date()
        assert check.metric_value == pytest.approx(abs(estimates[day] - realized_auc(rows, day)), abs=1e-9)
        assert check.status == "pass", check.message


def test_an_undefined_estimate_warns_and_says_why(built: Built) -> None:
    checks = built.project.table("monitoring_checks")
    last = checks[(checks["score_date"].dt.date == DAYS[-1]) & (checks["check_name"] == "estimated_auc")]
    by_model = {row.model_name: row for row in last.itertuples()}
    one_class, no_valid = by_model["one_class"], by_model["no_valid"]
    assert one_class.status == "warn" and np.isnan(one_class.metric_value)
    assert "one class expected: the calibrated probabilities of the 50 valid scores sum to 0" in one_class.message
    assert no_valid.status == "warn" and "no valid scores on this day to estimate from" in no_valid.message
    assert by_model["cal_none"].status == "pass", by_model["cal_none"].message
