"""End-to-end oracle for the label tables: model_performance_daily, calibration_bins_daily,
segment_calibration_daily and the label checks (label_checks).

Synthetic prediction logs with tied scores (two decimals), exact 0 and 1 scores, invalid scores,
a miscalibrated segment, a single-class cohort and bad labels (2, NULL, agreeing and
disagreeing duplicates, orphans, labels of a cohort never scored) are built three times with the
same monitoring date: first with one old cohort's labels mostly missing, then with the late
labels added (incremental run), then again unchanged. Every metric of the final state is compared
with scikit-learn and with the definitions in README.md's data contract to 1e-9.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import MONITORING_SCHEMA, DbtProject, write_parquet
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    precision_score,
    recall_score,
    roc_auc_score,
)

Row = dict[str, object]

TOLERANCE = 1e-9
DATES = tuple(date(2024, 5, 1) + timedelta(days=offset) for offset in range(6))
MONITORING_DATE = DATES[-1]
HORIZON_DAYS = 3
DUE_DATES = tuple(day for day in DATES if day + timedelta(days=HORIZON_DAYS) <= MONITORING_DATE)
MIN_SEGMENT_ROWS = 100
SEGMENT_COLUMNS = ("income_segment", "region")
# Cohort whose labels mostly arrive late (second batch), and the cohort carrying the bad labels.
LATE_COHORT = (DATES[1], "alpha")
BAD_COHORT = (DATES[0], "beta")
# Scored on one due date only, every label 0: AUC and recall are undefined.
SINGLE_CLASS_COHORT = (DATES[1], "gamma")
# Labels for a cohort nothing was scored for: all orphans.
GHOST_COHORT = (DATES[0], "ghost")
LABEL_KEY = ["score_date", "model_name", "entity_id"]
COHORT_KEY = ["score_date", "model_name"]
EPSILON = 1e-15


# --- input data ---------------------------------------------------------------------------


def cohort_scores(rng: np.random.Generator, day: date, model: str) -> pd.DataFrame:
    size = 150 if model == "gamma" else int(rng.integers(1300, 1700))
    if model == "alpha":
        # Two decimals: heavy ties for the AUC and scores on the bin edges.
        score = np.round(rng.beta(2.0, 3.0, size), 2)
    else:
        score = rng.beta(1.5, 2.5, size)
        score[rng.choice(size, 6, replace=False)] = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    income = rng.choice(["low", "mid", "high"], size, p=[0.3, 0.4, 0.3])
    region = rng.choice(["north", "south", "tiny"], size, p=[0.5, 0.47, 0.03]).astype(object)
    region[rng.random(size) < 0.02] = None
    decision = pd.Series(rng.random(size) < score, dtype="boolean").mask(rng.random(size) < 0.02)
    frame = pd.DataFrame(
        {
            "score_date": day,
            "model_name": model,
            "model_version": "v1",
            "entity_id": [f"{model}-{day:%d}-{index}" for index in range(size)],
            "score": score,
            "score_is_null": False,
            "decision": decision,
            "income_segment": income,
            "region": region,
        }
    )
    if model != "gamma":
        invalid = rng.choice(size, 9, replace=False)
        frame.loc[invalid[:3], "score_is_null"] = True
        frame.loc[invalid[3:6], "score"] = np.nan
        frame.loc[invalid[6:], "score"] = 1.3
    if (day, model) == (DATES[2], "alpha"):
        # Scored twice: each scored row is used with the entity's label.
        frame = pd.concat([frame, frame.iloc[:3]], ignore_index=True)
    return frame


def draw_scores(rng: np.random.Generator) -> pd.DataFrame:
    frames = [cohort_scores(rng, day, model) for day in DATES for model in ("alpha", "beta")]
    frames.append(cohort_scores(rng, *SINGLE_CLASS_COHORT))
    return pd.concat(frames, ignore_index=True)


def true_labels(rng: np.random.Generator, scores: pd.DataFrame) -> np.ndarray:
    """Bernoulli(score), but income_segment 'low' is miscalibrated: p = min(1, 1.6 * score)."""
    probability = scores["score"].fillna(0.5).clip(0, 1).to_numpy()
    probability = np.where(scores["income_segment"] == "low", np.minimum(1.0, 1.6 * probability), probability)
    labels = (rng.random(len(scores)) < probability).astype("int64")
    labels[(scores["model_name"] == "gamma").to_numpy()] = 0
    return labels


def label_batches(rng: np.random.Generator, scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(first batch, full batch): 90% of scored rows labelled, every cohort including the ones not
    yet due; the first batch lacks 70% of LATE_COHORT's labels. Bad labels go into BAD_COHORT."""
    unique_keys = scores.drop_duplicates(LABEL_KEY).reset_index(drop=True)
    labels = unique_keys[LABEL_KEY].assign(label=pd.array(true_labels(rng, unique_keys), dtype="Int64"))
    labels = labels[rng.random(len(labels)) < 0.9].reset_index(drop=True)

    bad_day, bad_model = BAD_COHORT
    in_bad = labels[(labels["score_date"] == bad_day) & (labels["model_name"] == bad_model)]
    replaced = in_bad.index[:9]
    labels.loc[replaced[:5], "label"] = 2
    labels.loc[replaced[5:], "label"] = pd.NA
    agreeing = in_bad.loc[in_bad.index[20:26]]
    conflicting = in_bad.loc[in_bad.index[30:33]].assign(label=lambda frame: 1 - frame["label"])
    orphans = pd.DataFrame(
        {"score_date": bad_day, "model_name": bad_model, "entity_id": [f"never-scored-{i}" for i in range(7)]}
    ).assign(label=pd.array([0, 1, 0, 1, 0, 1, 0], dtype="Int64"))
    ghost = pd.DataFrame(
        {"score_date": GHOST_COHORT[0], "model_name": GHOST_COHORT[1], "entity_id": [f"ghost-{i}" for i in range(4)]}
    ).assign(label=pd.array([1, 0, 1, 0], dtype="Int64"))
    full = pd.concat([labels, agreeing, conflicting, orphans, ghost], ignore_index=True)

    in_late = (full["score_date"] == LATE_COHORT[0]) & (full["model_name"] == LATE_COHORT[1])
    first = full[~(in_late & (rng.random(len(full)) < 0.7))]
    return first.reset_index(drop=True), full


def write_scores(scores: pd.DataFrame, path: Path) -> Path:
    """Parquet with real NULLs and real NaNs in score (pandas alone cannot tell them apart)."""
    table = pa.Table.from_pandas(scores.drop(columns="score_is_null"), preserve_index=False)
    score = pa.array(scores["score"].to_numpy(), mask=scores["score_is_null"].to_numpy())
    table = table.set_column(table.schema.get_field_index("score"), "score", score)
    table = table.set_column(
        table.schema.get_field_index("score_date"), "score_date", pa.array(scores["score_date"], pa.date32())
    )
    pq.write_table(table, path)
    return path


# --- builds -------------------------------------------------------------------------------

LABEL_TABLES = ("model_performance_daily", "calibration_bins_daily", "segment_calibration_daily", "label_checks")


@dataclass(frozen=True)
class Built:
    scores: pd.DataFrame
    first_labels: pd.DataFrame
    labels: pd.DataFrame
    project: DbtProject
    # Table name -> rows after each build: first labels, late labels added, unchanged re-run.
    snapshots: tuple[dict[str, pd.DataFrame], ...]
    # After each build, the score_date filter of the label models' one scan of the scores.
    score_scans: tuple[str, ...]

    def final(self, table: str) -> pd.DataFrame:
        return self.snapshots[-1][table]


def snapshot(project: DbtProject) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(project.db_path), read_only=True) as connection:
        return {
            table: connection.sql(f"select * from {MONITORING_SCHEMA}.{table} order by all").df()
            for table in LABEL_TABLES
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    workdir = tmp_path_factory.mktemp("label_oracle")
    rng = np.random.default_rng(20240501)
    scores = draw_scores(rng)
    first_labels, labels = label_batches(rng, scores)
    labels_path = workdir / "labels.parquet"
    project = DbtProject(
        workdir=workdir,
        base_vars={
            "scores_path": str(write_scores(scores, workdir / "scores.parquet")),
            "labels_path": str(labels_path),
            "segment_columns": list(SEGMENT_COLUMNS),
            "monitoring_date": MONITORING_DATE.isoformat(),
            "label_horizon_days": HORIZON_DAYS,
            "min_segment_rows": MIN_SEGMENT_ROWS,
        },
    )
    snapshots, score_scans = [], []
    for batch in (first_labels, labels, labels):
        write_parquet(batch, labels_path)
        project.build_gate_may_fail()
        snapshots.append(snapshot(project))
        score_scans.append(score_scan_filter(project))
    yield Built(scores, first_labels, labels, project, tuple(snapshots), tuple(score_scans))


def score_scan_filter(project: DbtProject) -> str:
    compiled = project.workdir / "target" / "compiled" / "score_monitoring" / "models" / "intermediate"
    sql = (compiled / "int_label_matches.sql").read_text()
    scan = re.search(r"from staged_scores\s+where (score_date [^\n]+)", sql)
    assert scan, sql
    return scan.group(1).strip()


# --- the oracle -------------------------------------------------------------------------------


def label_keys(labels: pd.DataFrame) -> pd.DataFrame:
    """One row per labelled key: row counts and the agreed 0/1 label (NA when none or conflicting)."""
    frame = labels.assign(is_valid=labels["label"].isin([0, 1]).fillna(False).astype(bool))
    frame["valid_label"] = frame["label"].where(frame["is_valid"]).astype("Float64")
    keys = frame.groupby(LABEL_KEY, as_index=False).agg(
        label_rows=("label", "size"),
        invalid_rows=("is_valid", lambda valid: int((~valid).sum())),
        low=("valid_label", "min"),
        high=("valid_label", "max"),
    )
    keys["resolved"] = keys["low"].where(keys["low"] == keys["high"])
    keys["conflicting"] = (keys["low"] != keys["high"]).fillna(False).astype(bool)
    keys["has_valid"] = keys["low"].notna()
    return keys


def joined(scores: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Scored rows with their label key, and whether label metrics use them."""
    frame = scores.merge(label_keys(labels), on=LABEL_KEY, how="left")
    frame["valid_score"] = ~frame["score_is_null"] & (frame["score"] >= 0) & (frame["score"] <= 1)
    frame["used"] = frame["valid_score"] & frame["resolved"].notna()
    return frame


def due_cohorts(scores: pd.DataFrame, labels: pd.DataFrame) -> list[tuple[date, str]]:
    cohorts = pd.concat([scores[COHORT_KEY], labels[COHORT_KEY]]).drop_duplicates()
    return sorted((day, model) for day, model in cohorts.itertuples(index=False) if day in DUE_DATES)


def optional(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def calibration_bins(score: np.ndarray, label: np.ndarray) -> list[tuple[int, float | None, float | None]]:
    """(row_count, mean score, observed rate) of the 10 bins least(floor(score * 10), 9); NULL means when empty."""
    index = np.minimum(np.floor(score * 10), 9).astype(int)
    bins = []
    for bin_index in range(10):
        in_bin = index == bin_index
        if in_bin.any():
            bins.append((int(in_bin.sum()), float(score[in_bin].mean()), float(label[in_bin].mean())))
        else:
            bins.append((0, None, None))
    return bins


def expected_performance_row(frame: pd.DataFrame, keys: pd.DataFrame, day: date, model: str) -> Row:
    cohort = frame[(frame["score_date"] == day) & (frame["model_name"] == model)]
    cohort_keys = keys[(keys["score_date"] == day) & (keys["model_name"] == model)]
    used = cohort[cohort["used"]]
    score = used["score"].to_numpy(dtype=float)
    label = used["resolved"].to_numpy(dtype=int)
    row: Row = {
        "scored_count": len(cohort),
        "valid_scored_count": int(cohort["valid_score"].sum()),
        "labelled_count": len(used),
        "label_coverage": len(used) / len(cohort) if len(cohort) else None,
        "positive_count": int(label.sum()),
        "label_row_count": int(cohort_keys["label_rows"].sum()),
        "invalid_label_count": int(cohort_keys["invalid_rows"].sum()),
        "duplicate_label_count": int((cohort_keys["label_rows"] - 1).sum()),
        "orphan_label_count": int(cohort_keys[~cohort_keys["entity_id"].isin(cohort["entity_id"])]["label_rows"].sum()),
        "conflicting_label_count": int(
            (cohort["valid_score"] & cohort["conflicting"].fillna(False).astype(bool)).sum()
        ),
        "invalid_score_labelled_count": int(
            (~cohort["valid_score"] & cohort["has_valid"].fillna(False).astype(bool)).sum()
        ),
    }
    if len(used) == 0:
        return row | dict.fromkeys(["base_rate", "mean_score", "bias", "brier", "log_loss", "ece", "mce", "auc"])
    bins = calibration_bins(score, label)
    gaps = [(count, abs(mean - rate)) for count, mean, rate in bins if count > 0]
    two_classes = 0 < label.sum() < len(label)
    known = used["decision"].notna().to_numpy()
    decision = used["decision"].to_numpy()[known].astype(bool)
    known_label = label[known]
    return row | {
        "base_rate": float(label.mean()),
        "mean_score": float(score.mean()),
        "bias": float(score.mean() - label.mean()),
        "brier": float(brier_score_loss(label, score)),
        "log_loss": float(log_loss(label, np.clip(score, EPSILON, 1 - EPSILON), labels=[0, 1])),
        "ece": sum(count * gap for count, gap in gaps) / len(score),
        "mce": max(gap for _, gap in gaps),
        "auc": float(roc_auc_score(label, score)) if two_classes else None,
        "auc_undefined_reason": None
        if two_classes
        else "only negative labels in the cohort (one class): AUC is undefined",
        "precision": optional(precision_score(known_label, decision, zero_division=np.nan)),
        "recall": optional(recall_score(known_label, decision, zero_division=np.nan)),
        "f1": optional(f1_score(known_label, decision, zero_division=np.nan)),
        "accuracy": float(accuracy_score(known_label, decision)),
    }


def expected_segment_rows(frame: pd.DataFrame, day: date, model: str) -> list[Row]:
    used = frame[(frame["score_date"] == day) & (frame["model_name"] == model) & frame["used"]]
    rows = []
    for column in SEGMENT_COLUMNS:
        for value, group in used.groupby(column, dropna=False):
            mean_score = float(group["score"].mean())
            observed = float(group["resolved"].astype(float).mean())
            rows.append(
                {
                    "score_date": day,
                    "model_name": model,
                    "segment_column": column,
                    "segment_value": None if pd.isna(value) else value,
                    "row_count": len(group),
                    "mean_score": mean_score,
                    "observed_rate": observed,
                    "calibration_gap": abs(mean_score - observed) if len(group) >= MIN_SEGMENT_ROWS else None,
                }
            )
    return rows


# --- comparing ------------------------------------------------------------------------------


def as_python(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return as_python(value.item())
    return value


def values_match(actual: object, expected: object) -> bool:
    actual, expected = as_python(actual), as_python(expected)
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, float):
        return math.isclose(float(actual), expected, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return actual == expected


def indexed(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[object, ...], Row]:
    rows = {tuple(as_python(row[key]) for key in keys): row for row in frame.to_dict("records")}
    assert len(rows) == len(frame), f"duplicate {keys} rows"
    return rows


def assert_rows_match(actual: pd.DataFrame, expected: dict[tuple[object, ...], Row], keys: list[str]) -> None:
    actual_rows = indexed(actual, keys)
    assert sorted(map(str, actual_rows)) == sorted(map(str, expected))
    mismatches = [
        f"{key} {column}: actual {actual_rows[key][column]!r}, expected {value!r}"
        for key, row in expected.items()
        for column, value in row.items()
        if not values_match(actual_rows[key][column], value)
    ]
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches[:40])


def cohort_rows(frame: pd.DataFrame, day: date, model: str) -> pd.DataFrame:
    return frame[(frame["score_date"] == pd.Timestamp(day)) & (frame["model_name"] == model)]


# --- tests ------------------------------------------------------------------------------------


def test_model_performance_matches_sklearn(built: Built) -> None:
    frame, keys = joined(built.scores, built.labels), label_keys(built.labels)
    expected = {
        (day, model): expected_performance_row(frame, keys, day, model)
        for day, model in due_cohorts(built.scores, built.labels)
    }
    assert len(expected) == len(DUE_DATES) * 2 + 2  # alpha and beta, gamma once, the ghost cohort
    assert_rows_match(built.final("model_performance_daily"), expected, COHORT_KEY)


def test_calibration_bins_match_definition(built: Built) -> None:
    frame = joined(built.scores, built.labels)
    expected = {}
    for day, model in due_cohorts(built.scores, built.labels):
        used = frame[(frame["score_date"] == day) & (frame["model_name"] == model) & frame["used"]]
        bins = calibration_bins(used["score"].to_numpy(dtype=float), used["resolved"].to_numpy(dtype=int))
        for bin_index, (count, mean, rate) in enumerate(bins):
            expected[(day, model, bin_index)] = {
                "lower_edge": bin_index / 10,
                "upper_edge": (bin_index + 1) / 10,
                "row_count": count,
                "mean_score": mean,
                "observed_rate": rate,
            }
    assert any(row["row_count"] == 0 for row in expected.values()), "the data should have an empty bin"
    assert_rows_match(built.final("calibration_bins_daily"), expected, [*COHORT_KEY, "bin_index"])


def test_segment_calibration_matches_definition(built: Built) -> None:
    frame = joined(built.scores, built.labels)
    rows = [
        row
        for day, model in due_cohorts(built.scores, built.labels)
        for row in expected_segment_rows(frame, day, model)
    ]
    keys = [*COHORT_KEY, "segment_column", "segment_value"]
    expected = {tuple(row[key] for key in keys): row for row in rows}
    assert any(row["calibration_gap"] is None for row in rows), "the data should have a segment below min_segment_rows"
    assert_rows_match(built.final("segment_calibration_daily"), expected, keys)


def test_label_checks_match_tables(built: Built) -> None:
    checks = built.final("label_checks")
    assert list(checks.columns) == [
        "score_date",
        "model_name",
        "check_family",
        "check_name",
        "subject",
        "metric_value",
        "unavailable_reason",
        "noise_note",
        "cap_note",
    ]
    assert set(checks["check_family"]) == {"label"}
    performance = indexed(built.final("model_performance_daily"), COHORT_KEY)
    segments = built.final("segment_calibration_daily")
    estimates = indexed(built.project.table("estimated_performance_daily"), COHORT_KEY)
    expected = {}
    for (day, model), row in performance.items():
        label_rows = row["label_row_count"]
        estimated_auc = as_python(estimates.get((day, model), {}).get("estimated_auc"))
        auc = as_python(row["auc"])
        metrics = {
            "label_coverage": row["label_coverage"],
            "labelled_sample_size": float(row["labelled_count"]),
            "ece": row["ece"],
            "brier": row["brier"],
            "abs_bias": None if as_python(row["bias"]) is None else abs(row["bias"]),
            "auc": row["auc"],
            "precision": row["precision"],
            "recall": row["recall"],
            "estimation_error": None if estimated_auc is None or auc is None else abs(estimated_auc - auc),
            "invalid_label_rate": row["invalid_label_count"] / label_rows if label_rows else None,
            "duplicate_label_rate": row["duplicate_label_count"] / label_rows if label_rows else None,
            "orphan_label_rate": row["orphan_label_count"] / label_rows if label_rows else None,
        }
        for check_name, value in metrics.items():
            expected[(day, model, check_name)] = {"metric_value": as_python(value)}
        gaps = cohort_rows(segments, day, model).dropna(subset=["calibration_gap"])
        worst = gaps.sort_values("calibration_gap", ascending=False).head(1)
        expected[(day, model, "segment_calibration_gap")] = {
            "metric_value": float(worst["calibration_gap"].iloc[0]) if len(worst) else None,
            "subject": f"{worst['segment_column'].iloc[0]}={worst['segment_value'].iloc[0]}" if len(worst) else None,
        }
    assert_rows_match(checks, expected, [*COHORT_KEY, "check_name"])
    missing_reason = checks[checks["metric_value"].isna() & checks["unavailable_reason"].isna()]
    assert missing_reason.empty, missing_reason
    worst_income = checks[(checks["check_name"] == "segment_calibration_gap") & checks["subject"].notna()]
    assert (worst_income["subject"] == "income_segment=low").all(), "the miscalibrated segment should be the worst"


def test_cohorts_inside_the_horizon_get_no_label_metrics(built: Built) -> None:
    not_due = [day for day in DATES if day not in DUE_DATES]
    assert not_due and set(built.labels["score_date"]) & set(not_due), "labels exist for cohorts not yet due"
    for table in LABEL_TABLES:
        dates = {as_python(day) for day in built.final(table)["score_date"]}
        assert dates == set(DUE_DATES), table


def test_late_labels_update_the_old_cohort(built: Built) -> None:
    first, late = (snapshot["model_performance_daily"] for snapshot in built.snapshots[:2])
    before, after = cohort_rows(first, *LATE_COHORT).iloc[0], cohort_rows(late, *LATE_COHORT).iloc[0]
    frame, keys = joined(built.scores, built.first_labels), label_keys(built.first_labels)
    expected_before = expected_performance_row(frame, keys, *LATE_COHORT)
    assert before["labelled_count"] == expected_before["labelled_count"]
    assert math.isclose(before["auc"], expected_before["auc"], rel_tol=TOLERANCE)
    assert after["labelled_count"] > before["labelled_count"] * 2
    for table in ("calibration_bins_daily", "segment_calibration_daily"):
        old_rows, new_rows = (cohort_rows(snapshot[table], *LATE_COHORT) for snapshot in built.snapshots[:2])
        assert new_rows["row_count"].sum() > old_rows["row_count"].sum(), table
    # Every other cohort is unchanged by the late batch.
    is_late = [
        (frame["score_date"] == pd.Timestamp(LATE_COHORT[0])) & (frame["model_name"] == LATE_COHORT[1])
        for frame in (first, late)
    ]
    pd.testing.assert_frame_equal(first[~is_late[0]].reset_index(drop=True), late[~is_late[1]].reset_index(drop=True))


def test_a_daily_run_reads_scores_only_for_changed_label_cohorts(built: Built) -> None:
    """Changed cohorts are found from the labels alone: after the late batch for LATE_COHORT the
    scores are read for its date and the monitoring date only, and after an unchanged re-run for
    the monitoring date only (a full build reads every date)."""
    full, late, rerun = built.score_scans
    assert full == f"score_date <= date '{MONITORING_DATE}'"
    assert late == f"score_date in (date '{LATE_COHORT[0]}', date '{MONITORING_DATE}')"
    assert rerun == f"score_date in (date '{MONITORING_DATE}')"
    with duckdb.connect(str(built.project.db_path), read_only=True) as connection:
        changed = connection.execute(
            f"select score_date, model_name from {MONITORING_SCHEMA}.int_label_fingerprints where is_changed"
        ).fetchall()
    assert changed == [], "the unchanged re-run found changed cohorts"


def test_rerun_is_idempotent(built: Built) -> None:
    for table in LABEL_TABLES:
        pd.testing.assert_frame_equal(built.snapshots[1][table], built.snapshots[2][table], obj=table)


def test_bad_labels_are_counted(built: Built) -> None:
    row = cohort_rows(built.final("model_performance_daily"), *BAD_COHORT).iloc[0]
    assert row["invalid_label_count"] == 9  # five 2s and four NULLs
    assert row["duplicate_label_count"] == 9  # six agreeing and three disagreeing repeats
    assert row["conflicting_label_count"] == 3
    assert row["orphan_label_count"] == 7
    assert row["invalid_score_labelled_count"] > 0
    ghost = cohort_rows(built.final("model_performance_daily"), *GHOST_COHORT).iloc[0]
    assert (ghost["scored_count"], ghost["orphan_label_count"], ghost["label_row_count"]) == (0, 4, 4)
    checks = built.final("label_checks")
    ghost_checks = cohort_rows(checks, *GHOST_COHORT).set_index("check_name")
    assert ghost_checks.loc["orphan_label_rate", "metric_value"] == 1.0
    assert "has labels but no scored rows" in ghost_checks.loc["label_coverage", "unavailable_reason"]
    bad_checks = cohort_rows(checks, *BAD_COHORT).set_index("check_name")
    for check_name in ("invalid_label_rate", "duplicate_label_rate", "orphan_label_rate"):
        assert bad_checks.loc[check_name, "metric_value"] > 0, check_name


def test_single_class_cohort_has_null_auc_with_reason(built: Built) -> None:
    row = cohort_rows(built.final("model_performance_daily"), *SINGLE_CLASS_COHORT).iloc[0]
    assert row["labelled_count"] > 0 and row["positive_count"] == 0
    assert as_python(row["auc"]) is None and as_python(row["recall"]) is None
    assert "one class" in row["auc_undefined_reason"] and "one class" in row["recall_undefined_reason"]
    checks = cohort_rows(built.final("label_checks"), *SINGLE_CLASS_COHORT).set_index("check_name")
    for check_name in ("auc", "recall"):
        assert as_python(checks.loc[check_name, "metric_value"]) is None
        assert "one class" in checks.loc[check_name, "unavailable_reason"], check_name
