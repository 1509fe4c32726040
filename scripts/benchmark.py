"""Benchmark the monitoring models against a pandas / numpy / scipy implementation.

Generates N demo rows, times `dbt run --full-refresh` of the score models on DuckDB (per-model
times from run_results.json) and, on the same parquet file, a pandas path computing the same
score health and score drift metrics. Each side runs in its own process; peak memory is the
peak resident set of that process tree, sampled every 20 ms.

With --labels the label tables (model_performance_daily, calibration_bins_daily,
segment_calibration_daily) are timed instead, against pandas plus scikit-learn computing the same
metrics; every cohort is due and labelled up to the generator's coverage, and the two sides'
model_performance_daily metrics are compared.

Example: python scripts/benchmark.py --rows 10000000 --days 5 --markdown /tmp/bench_score.md
         python scripts/benchmark.py --rows 10000000 --days 5 --labels --markdown /tmp/bench_labels.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psutil

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCORE_MODELS = "+score_health_daily +score_drift_daily +score_bins_daily"
FEATURE_MODELS = "+feature_drift_daily +feature_bins_daily"
LABEL_MODELS = "+model_performance_daily +calibration_bins_daily +segment_calibration_daily"
SEGMENT_COLUMNS = ["income_segment", "signup_channel", "region"]
LABEL_KEY = ["score_date", "model_name", "entity_id"]
COHORT_KEY = ["score_date", "model_name"]
# Contract section 3: log_loss clips p to [1e-15, 1 - 1e-15]; ece / mce over 10 equal-width bins.
LOG_LOSS_EPSILON = 1e-15
CALIBRATION_BIN_COUNT = 10
MIN_SEGMENT_ROWS = 100  # the contract's default var min_segment_rows
PERFORMANCE_METRICS = [
    "label_coverage",
    "base_rate",
    "mean_score",
    "bias",
    "brier",
    "log_loss",
    "ece",
    "mce",
    "auc",
    "precision",
    "recall",
    "f1",
    "accuracy",
]
PANDAS_PERFORMANCE_FILE = "pandas_model_performance.parquet"
NUMERIC_FEATURES = ["tenure_months", "monthly_spend", "sessions_last_30d", "account_age_days", "support_tickets"]
CATEGORICAL_FEATURES = ["device_type", "plan_type", "acquisition_source"]
DECILES = [decile / 10 for decile in range(1, 10)]
QUANTILES = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]


@dataclass(frozen=True)
class Measurement:
    name: str
    seconds: float
    peak_rss_mib: float


def run_measured(name: str, command: list[str], env: dict[str, str]) -> Measurement:
    """Run a command, sampling the RSS of its whole process tree; raise if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(process.pid)
        while not stop.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(member.memory_info().rss for member in tree))
            except psutil.Error:
                pass
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    stop.set()
    sampler.join()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"benchmark: {name} failed with exit code {process.returncode}:\n{output[-4000:]}")
    return Measurement(name=name, seconds=round(seconds, 2), peak_rss_mib=round(peak / 2**20, 1))


def dbt_model_times(target_path: Path) -> dict[str, float]:
    """Per-model execution seconds from dbt's run_results.json."""
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[-1]: round(result["execution_time"], 2) for result in results}


def pandas_metrics(scores_path: Path, features: bool) -> None:
    """The reference implementation: score health per day and model, drift against the previous date."""
    import numpy as np
    import pandas as pd
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import ks_2samp

    columns = ["score_date", "model_name", "model_version", "entity_id", "score", "decision", "review_flag"]
    if features:
        columns += NUMERIC_FEATURES + CATEGORICAL_FEATURES
    frame = pd.read_parquet(scores_path, columns=columns)
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
            subjects = ["valid_score", *(NUMERIC_FEATURES if features else [])]
            for subject in subjects:
                current_values = current_rows[subject].dropna().to_numpy()
                reference_values = reference_rows[subject].dropna().to_numpy()
                drift_rows.append((current, model_name, subject, *numeric_drift(current_values, reference_values)))
            for subject in CATEGORICAL_FEATURES if features else []:
                current_counts = current_rows[subject].value_counts(normalize=True)
                reference_counts = reference_rows[subject].value_counts(normalize=True)
                shares = pd.concat([current_counts, reference_counts], axis=1).fillna(0).to_numpy()
                c = np.where(shares[:, 0] == 0, 1e-4, shares[:, 0])
                r = np.where(shares[:, 1] == 0, 1e-4, shares[:, 1])
                psi = float(np.sum((c - r) * np.log(c / r)))
                drift_rows.append(
                    (current, model_name, subject, psi, float(jensenshannon(shares[:, 0], shares[:, 1], base=2)), None)
                )
    print(f"pandas: {len(health)} health rows, {len(drift_rows)} drift rows")


def cohort_performance(score: np.ndarray, label: np.ndarray, decision: pd.Series) -> dict[str, float | None]:
    """Calibration and classification metrics of one cohort's labelled rows, by scikit-learn."""
    import numpy as np
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


def calibration_sums(score: np.ndarray, label: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row count, score sum and label sum of the bins least(floor(score * 10), 9)."""
    import numpy as np

    bin_index = np.minimum(np.floor(score * CALIBRATION_BIN_COUNT), CALIBRATION_BIN_COUNT - 1).astype(np.int64)
    return (
        np.bincount(bin_index, minlength=CALIBRATION_BIN_COUNT),
        np.bincount(bin_index, weights=score, minlength=CALIBRATION_BIN_COUNT),
        np.bincount(bin_index, weights=label, minlength=CALIBRATION_BIN_COUNT),
    )


def pandas_label_metrics(
    scores_path: Path, labels_path: Path, segment_columns: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The reference implementation of the label tables: (model performance, calibration bins,
    segment calibration) per (score_date, model_name), every cohort taken as due."""
    import numpy as np
    import pandas as pd

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


EVIDENTLY_SNIPPET = """
import sys

import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset

scores_path, columns = sys.argv[1], sys.argv[2].split(",")
frame = pd.read_parquet(scores_path, columns=["score_date", "model_name", *columns])
frame = frame[frame["model_name"] == "churn"]
current_date, reference_date = sorted(frame["score_date"].unique())[-1:-3:-1]
current = frame.loc[frame["score_date"] == current_date, columns]
reference = frame.loc[frame["score_date"] == reference_date, columns]
snapshot = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)
print(f"evidently: {len(snapshot.dict()['metrics'])} metrics on {len(current)} vs {len(reference)} rows")
"""


def render_markdown(report: dict[str, object]) -> str:
    dbt_side = report["dbt"]
    pandas_side = report["pandas"]
    labels = report.get("labels")
    lines = [
        (
            f"Rows: {report['rows']:,} ({report['days']} days x {report['rows'] // report['days']:,}), "
            f"features: {report['features']}, labels: {bool(labels)}, machine: {os.cpu_count()} cores "
            f"(1-minute load average {report['load_average']} at the start)."
        ),
        "",
    ]
    if labels:
        lines += [
            (
                f"Labelled rows: {labels['labelled_rows']:,} of {labels['scored_rows']:,} scored rows "
                f"({labels['labelled_rows'] / labels['scored_rows']:.1%}; the demo generator labels ~95% of a cohort), "
                f"from {labels['label_rows']:,} label rows, in {labels['cohorts']} cohorts, every one due "
                "(label_horizon_days 0)."
            ),
            "",
        ]
    pandas_name = "pandas + scikit-learn" if labels else "pandas + numpy + scipy"
    daily_name = (
        "dbt + DuckDB, daily incremental run of the whole project for the last day "
        f"({report['daily_day_pairs']} day pairs; history built before, untimed)"
    )
    lines += [
        "| implementation | wall seconds | peak RSS MiB |",
        "|---|---:|---:|",
        f"| dbt + DuckDB (`dbt run --full-refresh`, incl. ~parse) | {dbt_side['seconds']} | {dbt_side['peak_rss_mib']} |",
        f"| {pandas_name} | {pandas_side['seconds']} | {pandas_side['peak_rss_mib']} |",
        f"| {daily_name} | {report['dbt_daily']['seconds']} | {report['dbt_daily']['peak_rss_mib']} |",
    ]
    if report.get("evidently"):
        evidently = report["evidently"]
        lines.append(
            f"| Evidently DataDriftPreset, one day pair (churn) | {evidently['seconds']} | {evidently['peak_rss_mib']} |"
        )
    lines += [
        "",
        (
            f"{pandas_name} / dbt full refresh: {report['wall_ratio']}x the wall seconds, "
            f"{report['memory_ratio']}x the peak RSS."
        ),
        f"Speed-up (pandas seconds / dbt model seconds): {report['speedup_vs_models']}x; model seconds: {report['model_seconds']}.",
    ]
    if labels:
        lines.append(
            f"model_performance_daily, dbt vs pandas + scikit-learn: {labels['compared_cohorts']} cohorts compared, "
            f"{labels['count_mismatches']} count and {labels['null_mismatches']} NULL mismatches, "
            f"max |difference| {labels['max_abs_difference']:.1e} over {', '.join(PERFORMANCE_METRICS)}."
        )
    lines += [
        "",
        "| model | seconds |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {seconds} |" for name, seconds in report["model_times"].items()]
    return "\n".join(lines) + "\n"


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def keep_first_days(source_dir: Path, data_dir: Path, days: int) -> dict[str, int]:
    """Copy the first `days` score dates of scores.parquet and labels.parquet; return their row counts."""
    import duckdb

    counts = {}
    with duckdb.connect() as connection:
        first = connection.execute(
            f"select min(score_date) from read_parquet({sql_string(str(source_dir / 'scores.parquet'))})"
        ).fetchone()
        assert first and first[0], "the generated scores are empty"
        end = first[0] + dt.timedelta(days=days)
        for name in ("scores", "labels"):
            target = data_dir / f"{name}.parquet"
            connection.execute(
                f"copy (select * from read_parquet({sql_string(str(source_dir / f'{name}.parquet'))}) "
                f"where score_date < date '{end.isoformat()}') to {sql_string(str(target))} (format parquet)"
            )
            row = connection.execute(f"select count(*) from read_parquet({sql_string(str(target))})").fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


def generate_data(data_dir: Path, rows: int, days: int, labels: bool) -> dict[str, int] | None:
    """Write scores.parquet and labels.parquet (rows // days rows a day) into data_dir.

    With labels every kept day is labelled to the generator's full coverage: it writes
    LABEL_RAMP_DAYS - 1 more days with no label delay (their labels are still arriving) and only
    the first `days` days are kept. Returns the kept row counts then, None otherwise."""
    from generate_demo_data import LABEL_RAMP_DAYS  # scripts/ is on sys.path: this file runs as a script

    generated_dir = data_dir / "generated" if labels else data_dir
    command = [
        sys.executable,
        "scripts/generate_demo_data.py",
        "--out-dir",
        str(generated_dir),
        "--rows-per-day",
        str(rows // days),
        "--days",
        str(days + (LABEL_RAMP_DAYS - 1 if labels else 0)),
    ]
    if labels:
        command += ["--label-delay-days", "0"]
    subprocess.run(command, cwd=ROOT, check=True)
    if not labels:
        return None
    counts = keep_first_days(generated_dir, data_dir, days)
    shutil.rmtree(generated_dir)
    return counts


def daily_run_vars(dbt_vars: dict[str, object], scores_path: Path) -> tuple[dict[str, object], dict[str, object]]:
    """Vars of the history build (every day but the last) and of the daily run of the last day."""
    import duckdb

    with duckdb.connect() as connection:
        first, last = connection.execute(
            "select min(score_date), max(score_date) from read_parquet(?)", [str(scores_path)]
        ).fetchone()
    previous = max(first, last - dt.timedelta(days=1))
    return dbt_vars | {"monitoring_date": previous.isoformat()}, dbt_vars | {"monitoring_date": last.isoformat()}


def measure_daily_run(
    dbt_executable: str, dbt_vars: dict[str, object], scores_path: Path, workdir: Path
) -> Measurement:
    """What a scheduled run costs: with the whole project built up to the day before (untimed, in
    its own DuckDB file), time `dbt run` of the whole project for the last day (checks, labels,
    alerts included): it reads that day, its reference and the label cohorts in reach."""
    history_vars, daily_vars = daily_run_vars(dbt_vars, scores_path)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT / "profiles"),
        "SCORE_MONITORING_DUCKDB_PATH": str(workdir / "daily.duckdb"),
        "DBT_TARGET_PATH": str(workdir / "target_daily"),
        "DBT_LOG_PATH": str(workdir / "logs_daily"),
    }
    for setup in (
        ["seed", "--vars", json.dumps(history_vars)],
        ["run", "--full-refresh", "--vars", json.dumps(history_vars)],
    ):
        done = subprocess.run([dbt_executable, *setup], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"dbt {setup[0]} of the history failed:\n{done.stdout[-4000:]}")
    return run_measured("dbt daily", [dbt_executable, "run", "--vars", json.dumps(daily_vars)], env)


def compare_label_metrics(db_path: Path, pandas_path: Path) -> dict[str, object]:
    """dbt's model_performance_daily against the pandas + scikit-learn rows, cohort by cohort."""
    import duckdb

    differences = ", ".join(f"max(abs(d.{metric} - p.{metric}))" for metric in PERFORMANCE_METRICS)
    null_mismatches = " + ".join(
        f"count_if((d.{metric} is null) <> (p.{metric} is null))" for metric in PERFORMANCE_METRICS
    )
    with duckdb.connect(str(db_path), read_only=True) as connection:
        row = connection.execute(
            f"""
            select
                count(d.scored_count),
                count(p.scored_count),
                coalesce(sum(d.scored_count), 0),
                coalesce(sum(d.labelled_count), 0),
                count_if(
                    d.scored_count is distinct from p.scored_count or d.labelled_count is distinct from p.labelled_count
                ),
                {null_mismatches},
                coalesce(greatest({differences}), 0)
            from main_score_monitoring.model_performance_daily as d
            full join read_parquet({sql_string(str(pandas_path))}) as p using (score_date, model_name)
            """
        ).fetchone()
    assert row is not None
    cohorts, pandas_cohorts, scored_rows, labelled_rows, count_mismatches, null_count, max_difference = row
    return {
        "cohorts": int(cohorts),
        "compared_cohorts": min(int(cohorts), int(pandas_cohorts)),
        "scored_rows": int(scored_rows),
        "labelled_rows": int(labelled_rows),
        "count_mismatches": int(count_mismatches),
        "null_mismatches": int(null_count),
        "max_abs_difference": float(max_difference),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="total rows (default 10M)")
    parser.add_argument("--days", type=int, default=5, help="days the rows are spread over (default 5)")
    parser.add_argument("--features", action="store_true", help="also monitor 5 numeric and 3 categorical features")
    parser.add_argument(
        "--labels",
        action="store_true",
        help="time the label tables (performance, calibration) against pandas + scikit-learn instead",
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="where data and the DuckDB file go (default: a temp dir)"
    )
    parser.add_argument("--markdown", type=Path, default=None, help="also write the results as a Markdown table here")
    parser.add_argument(
        "--evidently-python",
        type=Path,
        default=None,
        help="a Python interpreter with evidently installed: also time DataDriftPreset on one day pair",
    )
    parser.add_argument("--pandas-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pandas_only:
        if args.labels:
            performance, bins, segments = pandas_label_metrics(
                args.pandas_only, args.pandas_only.parent / "labels.parquet", SEGMENT_COLUMNS
            )
            performance.to_parquet(args.pandas_only.parent / PANDAS_PERFORMANCE_FILE, index=False)
            print(
                f"pandas + scikit-learn: {len(performance)} performance rows "
                f"({performance['labelled_count'].sum():,} labelled rows), {len(bins)} calibration bin rows, "
                f"{len(segments)} segment calibration rows"
            )
        else:
            pandas_metrics(args.pandas_only, args.features)
        return
    if args.days < 2:
        parser.error(f"--days must be >= 2 (drift needs a previous date), got {args.days}")
    if args.rows < 2 * args.days:
        parser.error(f"--rows must be >= 2 x --days (two models score every day), got {args.rows}")
    if args.labels and (args.features or args.evidently_python):
        parser.error("--labels times the label tables only: not with --features or --evidently-python")

    load_average = round(os.getloadavg()[0], 2)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="score_monitoring_bench_"))
    data_dir = workdir / "data"
    label_counts = generate_data(data_dir, args.rows, args.days, args.labels)
    scores_path = data_dir / "scores.parquet"
    target_path = workdir / "target"
    db_path = workdir / "bench.duckdb"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT / "profiles"),
        "SCORE_MONITORING_DUCKDB_PATH": str(db_path),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(workdir / "logs"),
    }
    dbt_vars: dict[str, object] = {"scores_path": str(scores_path), "labels_path": str(data_dir / "labels.parquet")}
    selection = SCORE_MODELS
    if args.features:
        dbt_vars |= {"numeric_features": NUMERIC_FEATURES, "categorical_features": CATEGORICAL_FEATURES}
        selection = f"{SCORE_MODELS} {FEATURE_MODELS}"
    if args.labels:
        # Every cohort up to the latest score date (the default monitoring date) is due.
        dbt_vars |= {"segment_columns": SEGMENT_COLUMNS, "label_horizon_days": 0}
        selection = LABEL_MODELS
    dbt_executable = str(Path(sys.executable).parent / "dbt")
    dbt_run = run_measured(
        "dbt",
        [dbt_executable, "run", "--full-refresh", "--select", *selection.split(), "--vars", json.dumps(dbt_vars)],
        env,
    )
    model_times = dbt_model_times(target_path)
    dbt_daily = measure_daily_run(dbt_executable, dbt_vars, scores_path, workdir)
    pandas_command = [sys.executable, "scripts/benchmark.py", "--pandas-only", str(scores_path)]
    if args.features:
        pandas_command.append("--features")
    if args.labels:
        pandas_command.append("--labels")
    pandas_run = run_measured("pandas", pandas_command, env)
    evidently = None
    if args.evidently_python:
        columns = NUMERIC_FEATURES + CATEGORICAL_FEATURES if args.features else ["score"]
        evidently = run_measured(
            "evidently",
            [str(args.evidently_python), "-c", EVIDENTLY_SNIPPET, str(scores_path), ",".join(columns)],
            env,
        )
    labels = None
    if label_counts is not None:
        labels = compare_label_metrics(db_path, data_dir / PANDAS_PERFORMANCE_FILE) | {
            "label_rows": label_counts["labels"]
        }
    model_seconds = round(sum(model_times.values()), 2)
    report: dict[str, object] = {
        "rows": args.rows,
        "days": args.days,
        "features": args.features,
        "load_average": load_average,
        "dbt": asdict(dbt_run),
        "pandas": asdict(pandas_run),
        "dbt_daily": asdict(dbt_daily),
        "daily_day_pairs": 2,
        "evidently": asdict(evidently) if evidently else None,
        "labels": labels,
        "model_times": model_times,
        "model_seconds": model_seconds,
        "speedup_vs_models": round(pandas_run.seconds / model_seconds, 1) if model_seconds else None,
        "wall_ratio": round(pandas_run.seconds / dbt_run.seconds, 2) if dbt_run.seconds else None,
        "memory_ratio": round(pandas_run.peak_rss_mib / dbt_run.peak_rss_mib, 2) if dbt_run.peak_rss_mib else None,
    }
    print(json.dumps(report, indent=2))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(render_markdown(report))


if __name__ == "__main__":
    main()
