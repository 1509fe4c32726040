"""End-to-end oracle for version_comparison_daily, score_stability_daily and the version checks.

Synthetic prediction logs, scores rounded to two decimals (ties in every rank and quantile):
'alpha' scores a pool of recurring entities every day under v1, with a correlated shadow v2 on
day 1 (one entity scored twice by v2, one invalid v2 score), v2 and an unrelated v3 on day 2
(an entity scored twice by the baseline), a small canary on day 3, and on day 4 two versions
that tie on rows ('v10' and 'v9': the lower string is the baseline); days 0 and 5 have one
version. 'beta' scores days 0 and 1, then day 5 only: 4 days later than var
previous_reference_max_gap_days (3) allows. 'gamma' scores ten entities on day 1 under two
versions, one of them constant, every label 0. Labels come with one conflicting key; the first
batch lacks most of alpha's day-1 labels.

One full build at the monitoring date is compared with scipy.stats.spearmanr (ties), numpy
(quantiles, means, shares) and sklearn's roc_auc_score; day-by-day builds that meet the late
labels and the cohorts coming due must end equal to it; the version checks' statuses and messages
follow the thresholds seed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, write_parquet
from oracles import Row, assert_rows_match, expected_status, read_rows, seeded_thresholds
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

DATES = tuple(date(2024, 6, 1) + timedelta(days=offset) for offset in range(6))
MONITORING_DATE = DATES[-1]
HORIZON_DAYS = 2
MAX_GAP_DAYS = 3
POOL_SIZE = 400
DAILY_ENTITIES = 300
KEY = ["score_date", "model_name", "entity_id"]
LATE_COHORT = (DATES[1], "alpha")
VERSION_CHECKS = ("spearman_correlation", "decision_agreement", "decision_flip_rate")


# --- input data ---------------------------------------------------------------------------


def score_rows(day: date, model: str, version: str, entities: np.ndarray, scores: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "score_date": day,
            "model_name": model,
            "model_version": version,
            "entity_id": [f"{model}-{entity}" for entity in entities],
            "score": scores,
        }
    )


def rounded_probability(logit: np.ndarray) -> np.ndarray:
    return np.round(1 / (1 + np.exp(-logit)), 2)


def draw_scores(rng: np.random.Generator) -> pd.DataFrame:
    propensity = rng.normal(0, 1.2, POOL_SIZE)
    frames = []
    alpha_days = {}
    for day in DATES:
        entities = np.sort(rng.choice(POOL_SIZE, DAILY_ENTITIES, replace=False))
        logit = propensity[entities] + rng.normal(0, 0.4, DAILY_ENTITIES)
        alpha_days[day] = (entities, logit)
        if day != DATES[4]:
            frames.append(score_rows(day, "alpha", "v1", entities, rounded_probability(logit)))

    entities, logit = alpha_days[DATES[1]]
    shadow = score_rows(
        DATES[1], "alpha", "v2", entities[:250], rounded_probability(logit[:250] + rng.normal(0, 0.3, 250))
    )
    shadow.loc[1, "score"] = 1.5
    frames.append(pd.concat([shadow, shadow.iloc[[0]].assign(score=0.99)], ignore_index=True))

    entities, logit = alpha_days[DATES[2]]
    frames.append(
        score_rows(DATES[2], "alpha", "v2", entities[:200], rounded_probability(logit[:200] + rng.normal(0, 0.3, 200)))
    )
    frames.append(score_rows(DATES[2], "alpha", "v3", entities[100:160], np.round(rng.random(60), 2)))
    frames.append(score_rows(DATES[2], "alpha", "v1", entities[[5]], np.array([0.5])))

    entities, logit = alpha_days[DATES[3]]
    frames.append(
        score_rows(DATES[3], "alpha", "v2", entities[:30], rounded_probability(logit[:30] + rng.normal(0, 0.2, 30)))
    )

    entities, logit = alpha_days[DATES[4]]
    frames.append(score_rows(DATES[4], "alpha", "v10", entities[:150], rounded_probability(logit[:150])))
    frames.append(score_rows(DATES[4], "alpha", "v9", entities[50:200], rounded_probability(logit[50:200] + 0.1)))

    beta_entities = np.arange(80)
    for day in (DATES[0], DATES[1], DATES[5]):
        frames.append(score_rows(day, "beta", "v1", beta_entities, np.round(rng.random(80), 2)))

    gamma_entities = np.arange(10)
    frames.append(score_rows(DATES[1], "gamma", "v1", gamma_entities, np.round(rng.random(10), 2)))
    frames.append(score_rows(DATES[1], "gamma", "v2", gamma_entities, np.full(10, 0.5)))

    scores = pd.concat(frames, ignore_index=True)
    decision = pd.Series(scores["score"] >= 0.5, dtype="boolean")
    scores["decision"] = decision.mask(rng.random(len(scores)) < 0.03)
    scores.loc[rng.choice(len(scores), 5, replace=False), "score"] = np.nan
    return scores


def label_batches(rng: np.random.Generator, scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(first batch, full batch): Bernoulli(score) labels for 90% of the scored keys (gamma: all 0),
    one key with conflicting labels; the first batch lacks 70% of LATE_COHORT's labels."""
    keys = scores.drop_duplicates(KEY).reset_index(drop=True)
    probability = keys["score"].fillna(0.5).clip(0, 1).to_numpy()
    label = (rng.random(len(keys)) < probability).astype("int64")
    label[(keys["model_name"] == "gamma").to_numpy()] = 0
    labels = keys[KEY].assign(label=label)[rng.random(len(keys)) < 0.9].reset_index(drop=True)
    conflict = labels[(labels["score_date"] == DATES[1]) & (labels["model_name"] == "alpha")].iloc[[3]]
    full = pd.concat([labels, conflict.assign(label=1 - conflict["label"])], ignore_index=True)
    in_late = (full["score_date"] == LATE_COHORT[0]) & (full["model_name"] == LATE_COHORT[1])
    first = full[~(in_late & (rng.random(len(full)) < 0.7))]
    return first.reset_index(drop=True), full


# --- builds -------------------------------------------------------------------------------

TABLES = ("version_comparison_daily", "score_stability_daily")


@dataclass(frozen=True)
class Built:
    scores: pd.DataFrame
    labels: pd.DataFrame
    full: DbtProject
    daily: DbtProject


def project(workdir: Path, scores_path: Path, labels_path: Path) -> DbtProject:
    return DbtProject(
        workdir=workdir,
        base_vars={
            "scores_path": str(scores_path),
            "labels_path": str(labels_path),
            "label_horizon_days": HORIZON_DAYS,
            "previous_reference_max_gap_days": MAX_GAP_DAYS,
        },
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    workdir = tmp_path_factory.mktemp("version_oracle")
    rng = np.random.default_rng(20240601)
    scores = draw_scores(rng)
    first_labels, labels = label_batches(rng, scores)
    scores_path = write_parquet(scores, workdir / "scores.parquet")
    full_labels = write_parquet(labels, workdir / "labels.parquet")
    daily_labels = workdir / "daily_labels.parquet"

    full = project(workdir / "full", scores_path, full_labels)
    full.build_gate_may_fail(vars={"monitoring_date": MONITORING_DATE.isoformat()})
    # Day by day: day 1's cohort is due at day 3 with the first labels, its late labels arrive at
    # day 5; days 2 and 3 come due at days 4 and 5.
    daily = project(workdir / "daily", scores_path, daily_labels)
    for day, batch in ((DATES[3], first_labels), (DATES[4], first_labels), (DATES[5], labels)):
        write_parquet(batch, daily_labels)
        daily.build_gate_may_fail(vars={"monitoring_date": day.isoformat()})
    yield Built(scores, labels, full, daily)


# --- the oracle -------------------------------------------------------------------------------


def valid(scores: pd.DataFrame) -> pd.Series:
    return scores["score"].between(0, 1)


def single_valid_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The entities with exactly one row, that row's score valid, indexed by entity_id."""
    counts = rows["entity_id"].value_counts()
    single = rows[rows["entity_id"].map(counts) == 1]
    return single[valid(single)].set_index("entity_id")


def resolved_labels(labels: pd.DataFrame) -> pd.Series:
    """Label per key: the agreed 0/1 label; keys with conflicting labels have none."""
    grouped = labels.groupby(KEY)["label"].agg(["min", "max"])
    return grouped.loc[grouped["min"] == grouped["max"], "min"]


def optional_auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    return float(roc_auc_score(labels, scores)) if 0 < labels.sum() < len(labels) else None


def optional_mean(values: pd.Series) -> float | None:
    return float(np.mean(values)) if len(values) else None


def paired(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """The entities in both, right's columns suffixed '_other'."""
    return left.merge(right, left_index=True, right_index=True, suffixes=("", "_other"))


def same_decision(pairs: pd.DataFrame) -> pd.Series:
    """Per pair with a decision on both sides: are they equal."""
    known = pairs["decision"].notna() & pairs["decision_other"].notna()
    return (pairs["decision"] == pairs["decision_other"])[known].astype(bool)


def expected_versions(scores: pd.DataFrame, labels: pd.DataFrame) -> list[Row]:
    label_of = resolved_labels(labels)
    rows: list[Row] = []
    for (day, model), day_rows in scores.groupby(["score_date", "model_name"]):
        counts = day_rows["model_version"].value_counts()
        if len(counts) < 2:
            continue
        baseline = min(counts.index, key=lambda version: (-counts[version], version))
        base = single_valid_rows(day_rows[day_rows["model_version"] == baseline])
        for version in sorted(set(counts.index) - {baseline}):
            shared = paired(base, single_valid_rows(day_rows[day_rows["model_version"] == version]))
            varies = shared["score"].nunique() > 1 and shared["score_other"].nunique() > 1
            row: Row = {
                "score_date": day,
                "model_name": model,
                "model_version": version,
                "baseline_version": baseline,
                "row_count": int(counts[version]),
                "baseline_row_count": int(counts[baseline]),
                "shared_entity_count": len(shared),
                "spearman_correlation": float(spearmanr(shared["score"], shared["score_other"]).statistic)
                if varies
                else None,
                "decision_agreement": optional_mean(same_decision(shared)),
                "mean_score_change": optional_mean(shared["score_other"] - shared["score"]),
                "labelled_entity_count": None,
                "baseline_auc": None,
                "version_auc": None,
            }
            if day + timedelta(days=HORIZON_DAYS) <= MONITORING_DATE:
                label = label_of.reindex([(day, model, entity) for entity in shared.index]).to_numpy()
                labelled = ~np.isnan(label)
                row["labelled_entity_count"] = int(labelled.sum())
                row["baseline_auc"] = optional_auc(label[labelled], shared["score"].to_numpy()[labelled])
                row["version_auc"] = optional_auc(label[labelled], shared["score_other"].to_numpy()[labelled])
            rows.append(row)
    return rows


def expected_stability(scores: pd.DataFrame) -> list[Row]:
    """Every expected day of each model (its first score date on, the dates any model scored)."""
    days = sorted(set(scores["score_date"]) | {MONITORING_DATE})
    rows: list[Row] = []
    for model, model_rows in scores.groupby("model_name"):
        scored = sorted(set(model_rows["score_date"]))
        for day in (day for day in days if day >= scored[0]):
            earlier = [other for other in scored if day - timedelta(days=MAX_GAP_DAYS) <= other < day]
            previous = earlier[-1] if earlier else None
            pairs = paired(
                single_valid_rows(model_rows[model_rows["score_date"] == day]),
                single_valid_rows(model_rows[model_rows["score_date"] == previous]),
            )
            change = np.abs(pairs["score"] - pairs["score_other"]).to_numpy()
            quantiles = np.quantile(change, [0.5, 0.9, 0.99]).tolist() if len(change) else [None] * 3
            rows.append(
                {
                    "score_date": day,
                    "model_name": model,
                    "previous_score_date": previous,
                    "rescored_count": len(pairs),
                    "mean_abs_score_change": optional_mean(change),
                    "abs_score_change_p50": quantiles[0],
                    "abs_score_change_p90": quantiles[1],
                    "abs_score_change_p99": quantiles[2],
                    "decision_flip_rate": optional_mean(~same_decision(pairs)),
                }
            )
    return rows


# --- tests ----------------------------------------------------------------------------------------


def test_version_comparison_matches_the_oracle(built: Built) -> None:
    actual = read_rows(built.full, "version_comparison_daily")
    expected = expected_versions(built.scores, built.labels)
    assert_rows_match(actual, expected, ("score_date", "model_name", "model_version"))
    # The data reaches every case: a tie broken by the version string, a duplicate within a
    # version, constant ranks, one label class, both AUCs, and a cohort not yet due.
    by_key = {(row["score_date"], row["model_name"], row["model_version"]): row for row in expected}
    assert by_key[(DATES[4], "alpha", "v9")]["baseline_version"] == "v10"
    assert by_key[(DATES[1], "alpha", "v2")]["shared_entity_count"] <= 248
    gamma = by_key[(DATES[1], "gamma", "v2")]
    assert gamma["spearman_correlation"] is None and gamma["decision_agreement"] is not None
    assert gamma["labelled_entity_count"] > 0 and gamma["baseline_auc"] is None
    assert all(
        row["version_auc"] is not None for key, row in by_key.items() if key[1] == "alpha" and key[0] <= DATES[3]
    )
    assert by_key[(DATES[4], "alpha", "v9")]["labelled_entity_count"] is None
    assert {(row["score_date"], row["label_state"] is not None) for row in actual} == {
        (day, day + timedelta(days=HORIZON_DAYS) <= MONITORING_DATE) for day in DATES[1:5]
    }


def test_score_stability_matches_the_oracle(built: Built) -> None:
    expected = expected_stability(built.scores)
    assert_rows_match(read_rows(built.full, "score_stability_daily"), expected, ("score_date", "model_name"))
    by_key = {(row["score_date"], row["model_name"]): row for row in expected}
    # beta scored the same entities on days 1 and 5, 4 days apart: no previous score date.
    assert by_key[(DATES[5], "beta")]["previous_score_date"] is None
    assert by_key[(DATES[4], "beta")]["previous_score_date"] == DATES[1]
    # On day 1, 250 of alpha's entities were also scored by the shadow v2: two rows, left out.
    assert by_key[(DATES[1], "alpha")]["rescored_count"] <= 50
    assert by_key[(DATES[3], "alpha")]["rescored_count"] > 50


def test_day_by_day_runs_equal_one_full_build(built: Built) -> None:
    """Rows recomputed when a cohort comes due (days 2 and 3) or gains late labels (day 1)."""
    for table in TABLES:
        order = "score_date, model_name" + (", model_version" if table == "version_comparison_daily" else "")
        pd.testing.assert_frame_equal(
            built.daily.table(table, order_by=order),
            built.full.table(table, order_by=order),
            check_exact=False,
            rtol=1e-9,
        )


def test_version_checks_follow_the_thresholds(built: Built) -> None:
    thresholds = seeded_thresholds(VERSION_CHECKS)
    assert sorted(thresholds) == sorted(VERSION_CHECKS)
    checks = [row for row in read_rows(built.full, "monitoring_checks") if row["check_family"] == "version"]
    metrics = {
        (row["score_date"], row["model_name"], name, row["model_version"]): row[name]
        for row in read_rows(built.full, "version_comparison_daily")
        for name in ("spearman_correlation", "decision_agreement")
    } | {
        (row["score_date"], row["model_name"], "decision_flip_rate", None): row["decision_flip_rate"]
        for row in read_rows(built.full, "score_stability_daily")
    }
    statuses = {(row["score_date"], row["model_name"], row["check_name"], row["subject"]): row for row in checks}
    assert len(statuses) == len(checks) and statuses.keys() == metrics.keys()
    for key, row in statuses.items():
        assert row["metric_value"] == metrics[key]
        assert row["status"] == expected_status(metrics[key], *thresholds[row["check_name"]]), row
    assert {row["status"] for row in checks} == {"pass", "warn", "fail"}

    breach = statuses[(DATES[2], "alpha", "spearman_correlation", "v3")]
    assert breach["status"] == "fail"
    assert breach["message"] == (
        f"spearman_correlation [v3] = {round(breach['metric_value'], 4)} is below the fail threshold 0.8"
    )
    gamma = statuses[(DATES[1], "gamma", "spearman_correlation", "v2")]
    (shared,) = [
        row["shared_entity_count"]
        for row in read_rows(built.full, "version_comparison_daily")
        if row["model_name"] == "gamma"
    ]
    assert gamma["message"] == (
        f"spearman_correlation not computable: the ranks of v2 and the baseline v1 do not vary over their {shared}"
        " shared entities (one entity, or every score of one version tied)"
    )
    gap = statuses[(DATES[5], "beta", "decision_flip_rate", None)]
    assert gap["message"] == (
        "decision_flip_rate not computable: no previous score date: no earlier score date of this model in the 3 days"
        " before (var previous_reference_max_gap_days) (no thresholds set: the check is off)"
    )
    assert gap["status"] == "pass"
