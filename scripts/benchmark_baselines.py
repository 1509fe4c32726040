"""The baselines scripts/benchmark.py times dbt against: the same metrics on the same parquet files,
written the way a notebook would (vectorised numpy, scipy.stats.ks_2samp, sklearn.metrics).

drift: score health per day and model, and score / feature drift of every day against the
previous date. scan: a bare DuckDB scan of the scores (the floor of any monitoring of the file). labels: the label tables (model performance, calibration bins, segment
calibration) with every cohort taken as due; the model performance rows are written to parquet
for the harness to compare with dbt's.

Example: python scripts/benchmark_baselines.py drift --scores-path data/demo/scores.parquet --numeric-features tenure_months
         python scripts/benchmark_baselines.py labels --scores-path data/demo/scores.parquet \\
             --labels-path data/demo/labels.parquet --performance-out /tmp/performance.parquet
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp

LABEL_KEY = ["score_date", "model_name", "entity_id"]
COHORT_KEY = ["score_date", "model_name"]
# Contract section 3: log_loss clips p to [1e-15, 1 - 1e-15]; ece / mce over 10 equal-width bins.
LOG_LOSS_EPSILON = 1e-15
CALIBRATION_BIN_COUNT = 10
MIN_SEGMENT_ROWS = 100  # the contract's default var min_segment_rows
DECILES = [decile / 10 for decile in range(1, 10)]
QUANTILES = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]


def drift_metrics(scores_path: Path, numeric_features: list[str], categorical_features: list[str]) -> str:
    """Score health per day and model, drift against the previous date; returns a one-line summary."""
    columns = ["score_date", "model_name", "model_version", "entity_id", "score", "decision", "review_flag"]
    frame = pd.read_parquet(scores_path, columns=columns + numeric_features + categorical_features)
    valid = frame["score"].between(0, 1)
    frame["valid_score"] = frame["score"].where(valid)
    grouped = frame.groupby(["score_date", "model_name"])
    health = grouped.agg(
        row_count=("entity_id", "size"),
        entity_count=("entity_id", "nunique"),
        model_version_count=("model_version", "nunique"),
        null_score_count=("score", lambda s: s.isna().sum()),
        score_mean=("valid_score", "mean"),
        score_stddev=("valid_score", "std"),
        score_min=("valid_score", "min"),
        score_max=("valid_score", "max"),
        decision_rate=("decision", "mean"),
        review_rate=("review_flag", "mean"),
    )
    health = health.join(grouped["valid_score"].quantile(QUANTILES).unstack())

    def numeric_drift(current: np.ndarray, reference: np.ndarray) -> tuple[float, float, float]:
        edges = np.unique(np.quantile(reference, DECILES))
        bins = len(edges) + 1
        current_share = np.bincount(np.searchsorted(edges, current, side="right"), minlength=bins) / len(current)
        reference_share = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=bins) / len(reference)
        c = np.where(current_share == 0, 1e-4, current_share)
        r = np.where(reference_share == 0, 1e-4, reference_share)
        psi = float(np.sum((c - r) * np.log(c / r)))
        return (
            psi,
            float(jensenshannon(current_share, reference_share, base=2)),
            float(ks_2samp(current, reference).statistic),
        )

    drift_rows = []
    for model_name, model_frame in frame.groupby("model_name"):
        by_date = dict(tuple(model_frame.groupby("score_date")))
        dates = sorted(by_date)
        for previous, current in itertools.pairwise(dates):
            current_rows, reference_rows = by_date[current], by_date[previous]
            for subject in ["valid_score", *numeric_features]:
                current_values = current_rows[subject].dropna().to_numpy()
                reference_values = reference_rows[subject].dropna().to_numpy()
                drift_rows.append((current, model_name, subject, *numeric_drift(current_values, reference_values)))
            for subject in categorical_features:
                current_counts = current_rows[subject].value_counts(normalize=True)
                reference_counts = reference_rows[subject].value_counts(normalize=True)
                shares = pd.concat([current_counts, reference_counts], axis=1).fillna(0).to_numpy()
                c = np.where(shares[:, 0] == 0, 1e-4, shares[:, 0])
                r = np.where(shares[:, 1] == 0, 1e-4, shares[:, 1])
                psi = float(np.sum((c - r) * np.log(c / r)))
                drift_rows.append(
                    (current, model_name, subject, psi, float(jensenshannon(shares[:, 0], shares[:, 1], base=2)), None)
                )
    return f"pandas: {len(health)} health rows, {len(drift_rows)} drift rows"


def calibration_sums(score: np.ndarray, label: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row count, score sum and label sum of the bins least(floor(score * 10), 9)."""
    bin_index = np.minimum(np.floor(score * CALIBRATION_BIN_COUNT), CALIBRATION_BIN_COUNT - 1).astype(np.int64)
    return (
        np.bincount(bin_index, minlength=CALIBRATION_BIN_COUNT),
        np.bincount(bin_index, weights=score, minlength=CALIBRATION_BIN_COUNT),
        np.bincount(bin_index, weights=label, minlength=CALIBRATION_BIN_COUNT),
    )


def cohort_performance(score: np.ndarray, label: np.ndarray, decision: pd.Series) -> dict[str, float | None]:
    """Calibration and classification metrics of one cohort's labelled rows, by scikit-learn."""
    # Imported here, so the drift baseline's time and memory do not include scikit-learn's import.
    from sklearn.metrics import (
        accuracy_score,
        brier_score_loss,
        log_loss,
        precision_recall_fscore_support,
        roc_auc_score,
    )

    count, score_sum, label_sum = calibration_sums(score, label)
    filled = count > 0
    gaps = np.abs(score_sum[filled] / count[filled] - label_sum[filled] / count[filled])
    two_classes = 0 < label.sum() < len(label)
    known = decision.notna().to_numpy()
    known_label, known_decision = label[known], decision.to_numpy()[known].astype(bool)
    precision, recall, f1, _ = (
        precision_recall_fscore_support(known_label, known_decision, average="binary", zero_division=np.nan)
        if known.any()
        else (None, None, None, None)
    )
    return {
        "base_rate": float(label.mean()),
        "mean_score": float(score.mean()),
        "bias": float(score.mean() - label.mean()),
        "brier": float(brier_score_loss(label, score)),
        "log_loss": float(log_loss(label, np.clip(score, LOG_LOSS_EPSILON, 1 - LOG_LOSS_EPSILON), labels=[0, 1])),
        "ece": float(np.sum(count[filled] * gaps) / len(score)),
        "mce": float(gaps.max()),
        "auc": float(roc_auc_score(label, score)) if two_classes else None,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": float(accuracy_score(known_label, known_decision)) if known.any() else None,
    }


def label_metrics(
    scores_path: Path, labels_path: Path, segment_columns: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The label tables: (model performance, calibration bins, segment calibration) per
    (score_date, model_name), every cohort taken as due."""
    scores = pd.read_parquet(scores_path, columns=[*LABEL_KEY, "score", "decision", *segment_columns])
    labels = pd.read_parquet(labels_path, columns=[*LABEL_KEY, "label"])
    # One 0/1 label per key, as the dbt side resolves them: invalid labels dropped, repeats of one
    # value kept once, keys with disagreeing labels dropped.
    labels = labels[labels["label"].isin([0, 1])].drop_duplicates()
    labels = labels[~labels.duplicated(LABEL_KEY, keep=False)]
    scored_count = scores.groupby(COHORT_KEY).size().rename("scored_count")
    valid_scores = scores[scores["score"].between(0, 1)]
    frame = valid_scores.merge(labels, on=LABEL_KEY, how="inner")
    del scores, valid_scores, labels

    performance_rows, bin_rows = [], []
    for (score_date, model_name), cohort in frame.groupby(COHORT_KEY, sort=True):
        score = cohort["score"].to_numpy(dtype=float)
        label = cohort["label"].to_numpy(dtype=np.int64)
        performance_rows.append(
            {"score_date": score_date, "model_name": model_name, "labelled_count": len(cohort)}
            | cohort_performance(score, label, cohort["decision"])
        )
        count, score_sum, label_sum = calibration_sums(score, label)
        for bin_index in range(CALIBRATION_BIN_COUNT):
            filled = count[bin_index] > 0
            bin_rows.append(
                {
                    "score_date": score_date,
                    "model_name": model_name,
                    "bin_index": bin_index,
                    "lower_edge": bin_index / CALIBRATION_BIN_COUNT,
                    "upper_edge": (bin_index + 1) / CALIBRATION_BIN_COUNT,
                    "row_count": int(count[bin_index]),
                    "mean_score": score_sum[bin_index] / count[bin_index] if filled else None,
                    "observed_rate": label_sum[bin_index] / count[bin_index] if filled else None,
                }
            )
    performance = pd.DataFrame(performance_rows).set_index(COHORT_KEY)
    performance = scored_count.to_frame().join(performance, how="left").reset_index()
    performance["labelled_count"] = performance["labelled_count"].fillna(0).astype("int64")
    performance["label_coverage"] = performance["labelled_count"] / performance["scored_count"]

    segment_frames = []
    for column in segment_columns:
        segments = (
            frame.groupby([*COHORT_KEY, column], dropna=False)
            .agg(row_count=("score", "size"), mean_score=("score", "mean"), observed_rate=("label", "mean"))
            .reset_index()
            .rename(columns={column: "segment_value"})
            .assign(segment_column=column)
        )
        segments["calibration_gap"] = (
            (segments["mean_score"] - segments["observed_rate"]).abs().where(segments["row_count"] >= MIN_SEGMENT_ROWS)
        )
        segment_frames.append(segments)
    segment_calibration = pd.concat(segment_frames, ignore_index=True) if segment_frames else pd.DataFrame()
    return performance, pd.DataFrame(bin_rows), segment_calibration


def bare_scan(scores_path: Path) -> tuple[str, float]:
    """The floor any monitoring of the file costs: one DuckDB pass with a count, a mean and a
    count of distinct entities per day. Returns a summary and the query's seconds."""
    import time

    import duckdb

    with duckdb.connect() as connection:
        start = time.perf_counter()
        rows = connection.execute(
            "select score_date, count(*), avg(score), count(distinct entity_id) from read_parquet(?) group by score_date",
            [str(scores_path)],
        ).fetchall()
        seconds = time.perf_counter() - start
    return f"bare scan: {len(rows)} days, {sum(row[1] for row in rows):,} rows in {seconds:.2f} s", seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    drift = commands.add_parser("drift", help="score health and score / feature drift")
    drift.add_argument("--scores-path", type=Path, required=True)
    drift.add_argument("--numeric-features", nargs="*", default=[])
    drift.add_argument("--categorical-features", nargs="*", default=[])
    scan = commands.add_parser("scan", help="a bare DuckDB scan: count, mean score, distinct entities per day")
    scan.add_argument("--scores-path", type=Path, required=True)
    scan.add_argument("--seconds-out", type=Path, default=None, help="write the query's seconds to this file")
    labels = commands.add_parser("labels", help="model performance, calibration bins, segment calibration")
    labels.add_argument("--scores-path", type=Path, required=True)
    labels.add_argument("--labels-path", type=Path, required=True)
    labels.add_argument("--segment-columns", nargs="*", default=[])
    labels.add_argument("--performance-out", type=Path, required=True, help="parquet file of the performance rows")
    return parser


def main() -> None:
    args = build_parser().parse_args()
    if args.command == "drift":
        print(drift_metrics(args.scores_path, args.numeric_features, args.categorical_features))
        return
    if args.command == "scan":
        summary, seconds = bare_scan(args.scores_path)
        if args.seconds_out:
            args.seconds_out.write_text(f"{seconds:.3f}\n")
        print(summary)
        return
    performance, bins, segments = label_metrics(args.scores_path, args.labels_path, args.segment_columns)
    performance.to_parquet(args.performance_out, index=False)
    print(
        f"pandas + scikit-learn: {len(performance)} performance rows "
        f"({performance['labelled_count'].sum():,} labelled rows), {len(bins)} calibration bin rows, "
        f"{len(segments)} segment calibration rows"
    )


if __name__ == "__main__":
    main()
