"""End-to-end oracle for serving health, operating_point_daily and business_value_daily.

Synthetic prediction logs over six days for two models with latency_ms (some NULL; none for
'beta'), error_flag
(failed calls: most with a NULL score, one with a score that must not count), decisions and
review flags. 'alpha' sets capacities, values and costs under var monitored_models; 'beta' sets
none. Labels cover most rows of the cohorts due by the monitoring date (horizon 2 days).

One build is compared with numpy (latency quantiles, the k-th largest valid score), scikit-learn's
confusion_matrix (realized value) and the contract's expected counts with calibration_method
'none' (q = score: estimated value); the operation checks follow the thresholds seed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, write_parquet
from oracles import Row, assert_rows_match, expected_status, ratio, read_rows, seeded_thresholds
from sklearn.metrics import confusion_matrix

DATES = tuple(date(2024, 3, 1) + timedelta(days=offset) for offset in range(6))
MONITORING_DATE = DATES[-1]
HORIZON_DAYS = 2
ROWS = {"alpha": 900, "beta": 400}
ALPHA = {
    "decision_capacity": 400,
    "review_capacity": 40,
    "value_per_true_positive": 90.0,
    "cost_per_false_positive": 12.5,
    "cost_per_false_negative": 30.0,
    "cost_per_decision": 2.0,
    "cost_per_review": 7.0,
}
# alpha's decision rate grows day by day, so its capacity use crosses the seed's 1.0 and 1.2.
ALPHA_DECISION_THRESHOLDS = (0.75, 0.6, 0.5, 0.45, 0.4, 0.3)
OPERATION_CHECKS = ("latency_p95", "error_rate", "decision_capacity_use", "review_capacity_use", "value_per_decision")


@dataclass(frozen=True)
class Built:
    project: DbtProject
    scores: pd.DataFrame
    labels: pd.DataFrame


def draw_scores(rng: np.random.Generator) -> pd.DataFrame:
    frames = []
    for day_index, day in enumerate(DATES):
        for model, size in ROWS.items():
            scores = np.round(rng.beta(2, 3, size), 3)
            error = rng.uniform(size=size) < 0.03
            scores = np.where(error & (rng.uniform(size=size) < 0.8), np.nan, scores)
            threshold = ALPHA_DECISION_THRESHOLDS[day_index] if model == "alpha" else 0.5
            latency = np.round(rng.lognormal(np.log(30 + 5 * day_index), 0.5, size), 1)
            latency = np.where((rng.uniform(size=size) < 0.05) | (model == "beta"), np.nan, latency)
            frames.append(
                pd.DataFrame(
                    {
                        "score_date": day,
                        "model_name": model,
                        "model_version": "v1",
                        "entity_id": [f"{model}-{index}" for index in range(size)],
                        "score": scores,
                        "decision": pd.array(np.where(np.isnan(scores), None, scores >= threshold), dtype="boolean"),
                        "review_flag": rng.uniform(size=size) < 0.04 + 0.01 * day_index,
                        "latency_ms": latency,
                        "error_flag": error,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def draw_labels(scores: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    due = scores[scores["score_date"] <= MONITORING_DATE - timedelta(days=HORIZON_DAYS)]
    labelled = due[rng.uniform(size=len(due)) < 0.9]
    probability = labelled["score"].fillna(0.3).to_numpy()
    return pd.DataFrame(
        {
            "model_name": labelled["model_name"],
            "score_date": labelled["score_date"],
            "entity_id": labelled["entity_id"],
            "label": (rng.uniform(size=len(labelled)) < probability).astype(int),
        }
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    workdir = tmp_path_factory.mktemp("operations")
    rng = np.random.default_rng(14)
    scores = draw_scores(rng)
    labels = draw_labels(scores, rng)
    project = DbtProject(
        workdir=workdir,
        base_vars={
            "scores_path": str(write_parquet(scores, workdir / "scores.parquet")),
            "labels_path": str(write_parquet(labels, workdir / "labels.parquet")),
            "label_horizon_days": HORIZON_DAYS,
            "calibration_method": "none",
            "monitoring_date": MONITORING_DATE.isoformat(),
            "monitored_models": {"alpha": ALPHA},
        },
    )
    project.build_gate_may_fail()
    yield Built(project, scores, labels)


def model_days(built: Built) -> Iterator[tuple[date, str, pd.DataFrame]]:
    for (day, model), rows in built.scores.groupby(["score_date", "model_name"]):
        yield day, str(model), rows


def valid_scores(rows: pd.DataFrame) -> np.ndarray:
    score = rows["score"].to_numpy()
    return score[~rows["error_flag"].to_numpy() & ~np.isnan(score)]


def test_latency_quantiles_and_scoring_errors_match_numpy(built: Built) -> None:
    expected = []
    for day, model, rows in model_days(built):
        latency = rows["latency_ms"].dropna().to_numpy()
        errors = int(rows["error_flag"].sum())
        expected.append(
            {
                "score_date": day,
                "model_name": model,
                **{
                    f"latency_p{percent}": float(np.quantile(latency, percent / 100)) if len(latency) else None
                    for percent in (50, 95, 99)
                },
                "error_count": errors,
                "error_rate": errors / len(rows),
                # A failed call with a NULL score is an error, not a NULL score; one with a score is not valid.
                "null_score_count": int((rows["score"].isna() & ~rows["error_flag"]).sum()),
                "valid_score_count": len(valid_scores(rows)),
            }
        )
    actual = read_rows(built.project, "score_health_daily")
    assert_rows_match(actual, expected, ("score_date", "model_name"))
    assert all(row["null_score_count"] == 0 for row in expected)
    assert any(row["error_count"] > 0 for row in expected)
    assert {row["latency_p95"] is None for row in expected} == {True, False}


def expected_operating_point(day: date, model: str, rows: pd.DataFrame) -> Row:
    decisions = int(rows["decision"].sum())
    reviews = int(rows["review_flag"].sum())
    if model != "alpha":
        capacities: dict[str, object] = dict.fromkeys(
            (
                "decision_capacity",
                "decision_capacity_use",
                "review_capacity",
                "review_capacity_use",
                "capacity_threshold",
            )
        )
    else:
        ranked = np.sort(valid_scores(rows))[::-1]
        capacity = ALPHA["decision_capacity"]
        capacities = {
            "decision_capacity": capacity,
            "decision_capacity_use": decisions / capacity,
            "review_capacity": ALPHA["review_capacity"],
            "review_capacity_use": reviews / ALPHA["review_capacity"],
            "capacity_threshold": float(ranked[capacity - 1]) if len(ranked) >= capacity else None,
        }
    return {"score_date": day, "model_name": model, "decision_count": decisions, "review_count": reviews, **capacities}


def test_operating_point_matches_numpy(built: Built) -> None:
    expected = [expected_operating_point(day, model, rows) for day, model, rows in model_days(built)]
    assert_rows_match(read_rows(built.project, "operating_point_daily"), expected, ("score_date", "model_name"))
    uses = [row["decision_capacity_use"] for row in expected if row["model_name"] == "alpha"]
    assert min(uses) < 1 < 1.2 < max(uses), uses  # the data cross both thresholds


def value(model: str, tp: float, fp: float, fn: float, decisions: int, reviews: int) -> float:
    settings = ALPHA if model == "alpha" else {}
    return (
        tp * float(settings.get("value_per_true_positive", 0))
        - fp * float(settings.get("cost_per_false_positive", 0))
        - fn * float(settings.get("cost_per_false_negative", 0))
        - decisions * float(settings.get("cost_per_decision", 0))
        - reviews * float(settings.get("cost_per_review", 0))
    )


def expected_value_row(built: Built, day: date, model: str, rows: pd.DataFrame) -> Row:
    decisions = int(rows["decision"].sum())
    reviews = int(rows["review_flag"].sum())
    valid = rows[~rows["error_flag"] & rows["score"].notna()]
    q = valid["score"].to_numpy()
    d = valid["decision"].to_numpy(dtype=bool)
    estimated = value(
        model, float(np.sum(q * d)), float(np.sum((1 - q) * d)), float(np.sum(q * ~d)), decisions, reviews
    )
    realized = None
    labelled_count = None
    if day <= MONITORING_DATE - timedelta(days=HORIZON_DAYS):
        matched = valid.merge(built.labels, on=["score_date", "model_name", "entity_id"])
        labelled_count = len(matched)
        _tn, fp, fn, tp = confusion_matrix(matched["label"], matched["decision"].astype(int), labels=[0, 1]).ravel()
        realized = value(model, float(tp), float(fp), float(fn), decisions, reviews)
    return {
        "score_date": day,
        "model_name": model,
        "decision_count": decisions,
        "labelled_count": labelled_count,
        "realized_value": realized,
        "estimated_value": estimated,
        "value_basis": "estimated" if realized is None else "realized",
        "value_per_decision": ratio(realized if realized is not None else estimated, decisions),  # type: ignore[arg-type]
    }


def test_business_value_matches_confusion_counts_and_expected_counts(built: Built) -> None:
    expected = [expected_value_row(built, day, model, rows) for day, model, rows in model_days(built)]
    assert_rows_match(read_rows(built.project, "business_value_daily"), expected, ("score_date", "model_name"))
    assert {row["value_basis"] for row in expected} == {"realized", "estimated"}
    assert any(row["estimated_value"] != 0 for row in expected if row["model_name"] == "alpha")


def test_operation_and_serving_checks_follow_the_seed(built: Built) -> None:
    """Capacity use (warn 1, fail 1.2) and the day's estimated value per decision for alpha only;
    the serving checks for both models. The shipped seed leaves value_per_decision, latency_p95
    and error_rate without thresholds: off, so they pass, beta's NULL latency too."""
    checks = pd.DataFrame(read_rows(built.project, "monitoring_checks"))
    operation = checks[checks["check_family"] == "operation"]
    assert set(operation["model_name"]) == {"alpha"}
    thresholds = seeded_thresholds(OPERATION_CHECKS)
    values = {(row["score_date"], row["model_name"]): row for row in read_rows(built.project, "business_value_daily")}
    statuses = []
    for day, model, rows in model_days(built):
        decisions = int(rows["decision"].sum())
        metrics = {
            "latency_p95": float(np.quantile(rows["latency_ms"].dropna(), 0.95)) if model == "alpha" else None,
            "error_rate": int(rows["error_flag"].sum()) / len(rows),
        }
        if model == "alpha":
            metrics |= {
                "decision_capacity_use": decisions / ALPHA["decision_capacity"],
                "review_capacity_use": int(rows["review_flag"].sum()) / ALPHA["review_capacity"],
                "value_per_decision": values[(day, model)]["estimated_value"] / decisions,
            }
        for check_name, value in metrics.items():
            (row,) = checks[
                (checks["score_date"] == day) & (checks["model_name"] == model) & (checks["check_name"] == check_name)
            ].to_dict("records")
            if value is None:
                assert pd.isna(row["metric_value"]), row
            else:
                assert row["metric_value"] == pytest.approx(value, rel=1e-12), row
            assert row["status"] == expected_status(value, *thresholds[check_name]), row
            statuses.append(row["status"])
    assert set(statuses) == {"pass", "warn", "fail"}
    (beta_latency,) = checks[
        (checks["score_date"] == MONITORING_DATE)
        & (checks["model_name"] == "beta")
        & (checks["check_name"] == "latency_p95")
    ].to_dict("records")
    assert beta_latency["message"] == (
        "latency_p95 not computable: no latency_ms recorded on this day (no thresholds set: the check is off)"
    )
