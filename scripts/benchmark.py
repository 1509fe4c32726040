"""Benchmark the monitoring models against a pandas / numpy / scipy implementation.

Generates N demo rows, times `dbt run --full-refresh` of the score models on DuckDB (per-model
times from run_results.json) and, on the same parquet file, the pandas baseline of
scripts/benchmark_baselines.py computing the same score health and score drift metrics (and
Evidently, scripts/benchmark_evidently.py, with --evidently-python). Each side runs in its own
process; peak memory is the peak resident set of that process tree, sampled every 20 ms.

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

import psutil

ROOT = Path(__file__).resolve().parents[1]
SCORE_MODELS = "+score_health_daily +score_drift_daily +score_bins_daily"
FEATURE_MODELS = "+feature_drift_daily +feature_bins_daily"
LABEL_MODELS = "+model_performance_daily +calibration_bins_daily +segment_calibration_daily"
SEGMENT_COLUMNS = ["income_segment", "signup_channel", "region"]
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


def baseline_command(labels: bool, features: bool, data_dir: Path) -> list[str]:
    """The scripts/benchmark_baselines.py run computing what dbt computes, on the same files and columns."""
    command = [sys.executable, "scripts/benchmark_baselines.py", "labels" if labels else "drift"]
    command += ["--scores-path", str(data_dir / "scores.parquet")]
    if labels:
        command += ["--labels-path", str(data_dir / "labels.parquet"), "--segment-columns", *SEGMENT_COLUMNS]
        command += ["--performance-out", str(data_dir / PANDAS_PERFORMANCE_FILE)]
    elif features:
        command += ["--numeric-features", *NUMERIC_FEATURES, "--categorical-features", *CATEGORICAL_FEATURES]
    return command


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
    args = parser.parse_args()
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
    pandas_run = run_measured("pandas", baseline_command(args.labels, args.features, data_dir), env)
    evidently = None
    if args.evidently_python:
        columns = NUMERIC_FEATURES + CATEGORICAL_FEATURES if args.features else ["score"]
        evidently = run_measured(
            "evidently",
            [str(args.evidently_python), "scripts/benchmark_evidently.py", "--scores-path", str(scores_path),
             "--columns", *columns],
            env,
        )  # fmt: skip
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
