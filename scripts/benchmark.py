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

With --project the whole project is built (features, labels, checks: every table) and set against
each peer on its part of the work in the same run: a bare DuckDB scan of the file (count, mean,
distinct entities per day) for the whole, pandas + numpy + scipy for score health and drift,
pandas + scikit-learn for the label tables, and Evidently for the drift of one day pair (every
model's rows of the last day against the day before).

With --history-days H1 H2 ... the daily incremental run of the whole project is timed after H
days of history (built untimed; the last two cohorts' labels arrive with the new day), to show
whether a day's cost grows with the history.

Example: python scripts/benchmark.py --rows 10000000 --days 5 --markdown /tmp/bench_score.md
         python scripts/benchmark.py --rows 10000000 --days 5 --labels --markdown /tmp/bench_labels.md
         python scripts/benchmark.py --rows 10000000 --days 5 --project --memory-limit 2GB --markdown /tmp/bench_project.md
         python scripts/benchmark.py --rows 1000000 --history-days 2 30 --markdown /tmp/bench_history.md
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
SCORE_MARTS = [
    "score_health_daily",
    "score_drift_daily",
    "score_bins_daily",
    "feature_drift_daily",
    "feature_bins_daily",
]
LABEL_MARTS = ["model_performance_daily", "calibration_bins_daily", "segment_calibration_daily"]
# The cohorts of a history whose labels arrive only with the next day (--history-days).
LATE_LABEL_COHORTS = 2


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
    dbt_executable: str, dbt_vars: dict[str, object], scores_path: Path, workdir: Path, memory_limit: str | None = None
) -> Measurement:
    """What a scheduled run costs: with the whole project built up to the day before (untimed, in
    its own DuckDB file), time `dbt run` of the whole project for the last day (checks, labels,
    alerts included): it reads that day, its reference and the label cohorts in reach."""
    history_vars, daily_vars = daily_run_vars(dbt_vars, scores_path)
    env = dbt_env(workdir, "daily", memory_limit)
    dbt_setup(
        dbt_executable,
        env,
        ["seed", "--vars", json.dumps(history_vars)],
        ["run", "--full-refresh", "--vars", json.dumps(history_vars)],
    )
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


def ancestors(manifest: dict[str, object], names: list[str]) -> set[str]:
    """The package models the named models are built from, themselves included."""
    parents: dict[str, list[str]] = manifest["parent_map"]  # type: ignore[assignment]
    found: set[str] = set()
    pending = [f"model.score_monitoring.{name}" for name in names]
    while pending:
        node = pending.pop()
        if node in found or not node.startswith("model.score_monitoring."):
            continue
        found.add(node)
        pending += parents.get(node, [])
    return {node.split(".")[-1] for node in found}


def model_groups(target_path: Path) -> dict[str, set[str]]:
    """Models of the score health and drift tables, of the label tables (those not also feeding the
    score tables), and the rest (checks, alerts, gate)."""
    manifest = json.loads((target_path / "manifest.json").read_text())
    score = ancestors(manifest, SCORE_MARTS)
    labels = ancestors(manifest, LABEL_MARTS) - score
    return {"score health and drift": score, "label tables": labels}


def group_seconds(model_times: dict[str, float], models: set[str]) -> float:
    return round(sum(seconds for name, seconds in model_times.items() if name in models), 2)


def dbt_env(workdir: Path, name: str, memory_limit: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT / "profiles"),
        "SCORE_MONITORING_DUCKDB_PATH": str(workdir / f"{name}.duckdb"),
        "DBT_TARGET_PATH": str(workdir / f"target_{name}"),
        "DBT_LOG_PATH": str(workdir / f"logs_{name}"),
    }
    if memory_limit:
        env["SCORE_MONITORING_DUCKDB_MEMORY_LIMIT"] = memory_limit
    return env


def dbt_setup(dbt_executable: str, env: dict[str, str], *commands: list[str]) -> None:
    """Untimed dbt commands (seeds, history builds); any failure stops the benchmark."""
    for command in commands:
        done = subprocess.run(
            [dbt_executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"dbt {command[0]} failed:\n{done.stdout[-4000:]}")


def project_vars(data_dir: Path) -> dict[str, object]:
    """Every table: features, labels with segments, every cohort due (label_horizon_days 0), a
    capacity (so operating_point_daily ranks each day's scores) and values."""
    return {
        "scores_path": str(data_dir / "scores.parquet"),
        "labels_path": str(data_dir / "labels.parquet"),
        "numeric_features": NUMERIC_FEATURES,
        "categorical_features": CATEGORICAL_FEATURES,
        "segment_columns": SEGMENT_COLUMNS,
        "label_horizon_days": 0,
        "decision_capacity": 400_000,
        "review_capacity": 20_000,
        "value_per_true_positive": 100,
        "cost_per_false_positive": 10,
        "cost_per_decision": 1,
    }


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator else None


def run_project(args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    """The whole project on DuckDB against each peer's part of the work, in one run."""
    data_dir = workdir / "data"
    label_counts = generate_data(data_dir, args.rows, args.days, labels=True)
    assert label_counts is not None
    scores_path = data_dir / "scores.parquet"
    dbt_vars = project_vars(data_dir)
    dbt_executable = str(Path(sys.executable).parent / "dbt")
    env = dbt_env(workdir, "project", args.memory_limit)
    dbt_setup(dbt_executable, env, ["seed", "--vars", json.dumps(dbt_vars)])
    build = run_measured("dbt", [dbt_executable, "run", "--full-refresh", "--vars", json.dumps(dbt_vars)], env)
    model_times = dbt_model_times(workdir / "target_project")
    groups = model_groups(workdir / "target_project")
    daily = measure_daily_run(dbt_executable, dbt_vars, scores_path, workdir, args.memory_limit)
    daily_times = dbt_model_times(workdir / "target_daily")
    scan_seconds_path = workdir / "scan_seconds.txt"
    scan = run_measured(
        "scan",
        [sys.executable, "scripts/benchmark_baselines.py", "scan", "--scores-path", str(scores_path),
         "--seconds-out", str(scan_seconds_path)],
        env,
    )  # fmt: skip
    scan_seconds = round(float(scan_seconds_path.read_text()), 2)
    pandas_drift = run_measured("pandas drift", baseline_command(False, True, data_dir), env)
    pandas_labels = run_measured("pandas labels", baseline_command(True, False, data_dir), env)
    evidently = None
    if args.evidently_python:
        evidently = run_measured(
            "evidently",
            [str(args.evidently_python), "scripts/benchmark_evidently.py", "--scores-path", str(scores_path),
             "--columns", "score", *NUMERIC_FEATURES, *CATEGORICAL_FEATURES],
            env,
        )  # fmt: skip
    model_seconds = round(sum(model_times.values()), 2)
    score_seconds = group_seconds(model_times, groups["score health and drift"])
    label_seconds = group_seconds(model_times, groups["label tables"])
    daily_drift_seconds = group_seconds(
        daily_times, {name for name in groups["score health and drift"] if "drift" in name or name.startswith("stg_")}
    )
    return {
        "scenario": "project",
        "rows": args.rows,
        "days": args.days,
        "memory_limit": args.memory_limit,
        "load_average": round(os.getloadavg()[0], 2),
        "label_rows": label_counts["labels"],
        "dbt": asdict(build),
        "dbt_daily": asdict(daily),
        "scan": asdict(scan),
        "scan_query_seconds": scan_seconds,
        "pandas_drift": asdict(pandas_drift),
        "pandas_labels": asdict(pandas_labels),
        "evidently": asdict(evidently) if evidently else None,
        "model_times": model_times,
        "daily_model_times": daily_times,
        "model_seconds": model_seconds,
        "score_seconds": score_seconds,
        "label_seconds": label_seconds,
        "daily_drift_seconds": daily_drift_seconds,
        "aims": {
            "project model seconds / bare scan query seconds (aim <= 6)": ratio(model_seconds, scan_seconds),
            "pandas + numpy + scipy seconds / score health and drift model seconds (aim >= 3)": ratio(
                pandas_drift.seconds, score_seconds
            ),
            "pandas + scikit-learn seconds / label table model seconds (aim >= 2)": ratio(
                pandas_labels.seconds, label_seconds
            ),
            "Evidently seconds / drift model seconds of the daily run's day pair (aim >= 20)": ratio(
                evidently.seconds, daily_drift_seconds
            )
            if evidently
            else None,
            "dbt full build peak RSS MiB (aim <= 2048 on 10M rows)": build.peak_rss_mib,
            "lowest peer peak RSS MiB / dbt full build peak RSS MiB (aim > 1)": ratio(
                min(peer.peak_rss_mib for peer in (scan, pandas_drift, pandas_labels, evidently) if peer),
                build.peak_rss_mib,
            ),
        },
    }


def run_project_build(args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    """The whole project's full build alone (no peers, no daily run): does it finish, in how much memory."""
    data_dir = workdir / "data"
    label_counts = generate_data(data_dir, args.rows, args.days, labels=True)
    assert label_counts is not None
    dbt_vars = project_vars(data_dir)
    dbt_executable = str(Path(sys.executable).parent / "dbt")
    env = dbt_env(workdir, "project", args.memory_limit)
    dbt_setup(dbt_executable, env, ["seed", "--vars", json.dumps(dbt_vars)])
    build = run_measured("dbt", [dbt_executable, "run", "--full-refresh", "--vars", json.dumps(dbt_vars)], env)
    model_times = dbt_model_times(workdir / "target_project")
    return {
        "scenario": "project build",
        "rows": args.rows,
        "days": args.days,
        "memory_limit": args.memory_limit,
        "load_average": round(os.getloadavg()[0], 2),
        "label_rows": label_counts["labels"],
        "dbt": asdict(build),
        "model_times": model_times,
        "model_seconds": round(sum(model_times.values()), 2),
    }


def render_project_build_markdown(report: dict[str, object]) -> str:
    limit = report["memory_limit"] or "none (DuckDB's default, 80% of RAM)"
    lines = [
        (
            f"Rows: {report['rows']:,} ({report['days']} days x {report['rows'] // report['days']:,}), "
            f"{report['label_rows']:,} label rows, features: 5 numeric and 3 categorical, every cohort due; "
            f"DuckDB memory_limit: {limit}; machine: {os.cpu_count()} cores "
            f"(1-minute load average {report['load_average']} at the end)."
        ),
        "",
        (
            f"`dbt run --full-refresh` of every table: every model succeeded in {report['dbt']['seconds']} wall "
            f"seconds ({report['model_seconds']} model seconds), peak RSS {report['dbt']['peak_rss_mib']} MiB."
        ),
        "",
        "| model | seconds |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {seconds} |" for name, seconds in report["model_times"].items()]
    return "\n".join(lines) + "\n"


def render_project_markdown(report: dict[str, object]) -> str:
    dbt_side, daily = report["dbt"], report["dbt_daily"]
    limit = report["memory_limit"] or "none (DuckDB's default, 80% of RAM)"
    lines = [
        (
            f"Rows: {report['rows']:,} ({report['days']} days x {report['rows'] // report['days']:,}), "
            f"{report['label_rows']:,} label rows, features: 5 numeric and 3 categorical, every cohort due; "
            f"DuckDB memory_limit: {limit}; machine: {os.cpu_count()} cores "
            f"(1-minute load average {report['load_average']} at the end)."
        ),
        "",
        "| implementation | work | wall seconds | peak RSS MiB |",
        "|---|---|---:|---:|",
        f"| dbt + DuckDB, `dbt run --full-refresh` | every table | {dbt_side['seconds']} | {dbt_side['peak_rss_mib']} |",
        (
            f"| dbt + DuckDB, daily incremental run | every table, the last day | {daily['seconds']} | "
            f"{daily['peak_rss_mib']} |"
        ),
        f"| bare DuckDB scan | count, mean, distinct entities per day | {report['scan']['seconds']} | {report['scan']['peak_rss_mib']} |",
        (
            f"| pandas + numpy + scipy | score health and drift | {report['pandas_drift']['seconds']} | "
            f"{report['pandas_drift']['peak_rss_mib']} |"
        ),
        (
            f"| pandas + scikit-learn | label tables | {report['pandas_labels']['seconds']} | "
            f"{report['pandas_labels']['peak_rss_mib']} |"
        ),
    ]
    if report["evidently"]:
        evidently = report["evidently"]
        lines.append(
            f"| Evidently DataDriftPreset | drift of the last day pair | {evidently['seconds']} | {evidently['peak_rss_mib']} |"
        )
    lines += [
        "",
        (
            f"Model seconds (run_results.json): whole project {report['model_seconds']}, score health and drift "
            f"{report['score_seconds']}, label tables {report['label_seconds']}; drift of the daily run's day pair "
            f"{report['daily_drift_seconds']}. The bare scan's query alone: {report['scan_query_seconds']} s "
            "(its row above includes starting Python and DuckDB)."
        ),
        "",
        "| aim | measured |",
        "|---|---:|",
    ]
    lines += [f"| {aim} | {value} |" for aim, value in report["aims"].items()]
    lines += ["", "| model | full build seconds | daily run seconds |", "|---|---:|---:|"]
    daily_times = report["daily_model_times"]
    lines += [
        f"| {name} | {seconds} | {daily_times.get(name, '')} |" for name, seconds in report["model_times"].items()
    ]
    return "\n".join(lines) + "\n"


def withhold_late_labels(labels_path: Path, target: Path, before: dt.date) -> None:
    """The labels as known before the new day: those of the last LATE_LABEL_COHORTS cohorts are late."""
    import duckdb

    cutoff = before - dt.timedelta(days=LATE_LABEL_COHORTS)
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select * from read_parquet({sql_string(str(labels_path))}) where score_date < date '{cutoff}') "
            f"to {sql_string(str(target))} (format parquet)"
        )


def run_history(args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    """The same day's daily run of the whole project after each history length, model seconds compared."""
    dbt_executable = str(Path(sys.executable).parent / "dbt")
    runs = []
    for history in args.history_days:
        run_dir = workdir / f"history_{history}"
        data_dir = run_dir / "data"
        generate_data(data_dir, args.rows_per_day * (history + 1), history + 1, labels=True)
        dbt_vars = project_vars(data_dir) | {"label_horizon_days": 7}
        history_vars, daily_vars = daily_run_vars(dbt_vars, data_dir / "scores.parquet")
        last_day = dt.date.fromisoformat(str(daily_vars["monitoring_date"]))
        withhold_late_labels(data_dir / "labels.parquet", data_dir / "labels_history.parquet", last_day)
        history_vars = history_vars | {"labels_path": str(data_dir / "labels_history.parquet")}
        env = dbt_env(run_dir, "daily", args.memory_limit)
        dbt_setup(
            dbt_executable,
            env,
            ["seed", "--vars", json.dumps(history_vars)],
            ["run", "--full-refresh", "--vars", json.dumps(history_vars)],
        )
        daily = run_measured("dbt daily", [dbt_executable, "run", "--vars", json.dumps(daily_vars)], env)
        times = dbt_model_times(run_dir / "target_daily")
        runs.append(
            {
                "history_days": history,
                "daily": asdict(daily),
                "model_seconds": round(sum(times.values()), 2),
                "model_times": times,
            }
        )
    shortest, longest = runs[0], runs[-1]
    return {
        "scenario": "history",
        "rows_per_day": args.rows_per_day,
        "memory_limit": args.memory_limit,
        "load_average": round(os.getloadavg()[0], 2),
        "runs": runs,
        "cost_ratio": ratio(longest["model_seconds"], shortest["model_seconds"]),
    }


def render_history_markdown(report: dict[str, object]) -> str:
    runs = report["runs"]
    lines = [
        (
            f"{report['rows_per_day']:,} rows a day, features: 5 numeric and 3 categorical, labels (horizon 7 days; "
            f"the last {LATE_LABEL_COHORTS} cohorts' labels arrive with the new day); machine: {os.cpu_count()} cores "
            f"(1-minute load average {report['load_average']} at the end)."
        ),
        "",
        "| days of history | daily run wall seconds | model seconds | peak RSS MiB |",
        "|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {run['history_days']} | {run['daily']['seconds']} | {run['model_seconds']} | {run['daily']['peak_rss_mib']} |"
        for run in runs
    ]
    lines += [
        "",
        (
            f"Model seconds with {runs[-1]['history_days']} days of history / with {runs[0]['history_days']}: "
            f"{report['cost_ratio']}x (aim <= 1.25)."
        ),
        "",
        "| model | " + " | ".join(f"{run['history_days']} days" for run in runs) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    names = list(runs[-1]["model_times"])
    lines += [
        f"| {name} | " + " | ".join(str(run["model_times"].get(name, "")) for run in runs) + " |" for name in names
    ]
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--project", action="store_true", help="build every table and time each peer on its part")
    parser.add_argument(
        "--build-only", action="store_true", help="with --project: only the full build, no peers and no daily run"
    )
    parser.add_argument(
        "--history-days",
        type=int,
        nargs="+",
        default=None,
        help="time the daily run of the whole project after each of these days of history (with --rows-per-day)",
    )
    parser.add_argument("--rows-per-day", type=int, default=1_000_000, help="rows a day with --history-days")
    parser.add_argument(
        "--memory-limit", default=None, help="DuckDB memory_limit for the dbt runs, e.g. 2GB (spills to disk beyond it)"
    )
    args = parser.parse_args()
    if args.days < 2:
        parser.error(f"--days must be >= 2 (drift needs a previous date), got {args.days}")
    if args.rows < 2 * args.days:
        parser.error(f"--rows must be >= 2 x --days (two models score every day), got {args.rows}")
    if args.labels and (args.features or args.evidently_python):
        parser.error("--labels times the label tables only: not with --features or --evidently-python")
    if args.project and (args.labels or args.features or args.history_days):
        parser.error("--project builds every table: not with --labels, --features or --history-days")
    if args.build_only and not args.project:
        parser.error("--build-only goes with --project")
    if args.history_days is not None and (min(args.history_days) < 2 or args.rows_per_day < 2):
        parser.error(
            f"--history-days must be >= 2 and --rows-per-day >= 2, got {args.history_days}, {args.rows_per_day}"
        )
    if args.project or args.history_days:
        workdir = args.workdir or Path(tempfile.mkdtemp(prefix="score_monitoring_bench_"))
        if args.project and args.build_only:
            report, markdown = run_project_build(args, workdir), render_project_build_markdown
        elif args.project:
            report, markdown = run_project(args, workdir), render_project_markdown
        else:
            report, markdown = run_history(args, workdir), render_history_markdown
        print(json.dumps(report, indent=2))
        if args.markdown:
            args.markdown.parent.mkdir(parents=True, exist_ok=True)
            args.markdown.write_text(markdown(report))
        return

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
    # The drift models read seed chi_square_critical_values: seeded untimed, as every mode does.
    dbt_setup(dbt_executable, env, ["seed", "--vars", json.dumps(dbt_vars)])
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
             "--model", "churn", "--columns", *columns],
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
