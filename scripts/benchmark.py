"""Benchmark the monitoring models against a pandas / numpy / scipy implementation.

Generates N demo rows, times `dbt run --full-refresh` of the score models on DuckDB (per-model
times from run_results.json) and, on the same parquet file, a pandas path computing the same
score health and score drift metrics. Each side runs in its own process; peak memory is the
peak resident set of that process tree, sampled every 20 ms.

Example: python scripts/benchmark.py --rows 10000000 --days 5 --markdown docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
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
    lines = [
        (
            f"Rows: {report['rows']:,} ({report['days']} days x {report['rows'] // report['days']:,}), "
            f"features: {report['features']}, machine: {os.cpu_count()} cores."
        ),
        "",
        "| implementation | wall seconds | peak RSS MiB |",
        "|---|---:|---:|",
        f"| dbt + DuckDB (`dbt run --full-refresh`, incl. ~parse) | {dbt_side['seconds']} | {dbt_side['peak_rss_mib']} |",
        f"| pandas + numpy + scipy | {pandas_side['seconds']} | {pandas_side['peak_rss_mib']} |",
        f"| dbt + DuckDB, daily incremental run of the monitoring date ({report['daily_day_pairs']} day pairs) | {report['dbt_daily']['seconds']} | {report['dbt_daily']['peak_rss_mib']} |",
    ]
    if report.get("evidently"):
        evidently = report["evidently"]
        lines.append(
            f"| Evidently DataDriftPreset, one day pair (churn) | {evidently['seconds']} | {evidently['peak_rss_mib']} |"
        )
    lines += [
        "",
        f"Speed-up (pandas seconds / dbt model seconds): {report['speedup_vs_models']}x; model seconds: {report['model_seconds']}.",
        "",
        "| model | seconds |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {seconds} |" for name, seconds in report["model_times"].items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="total rows (default 10M)")
    parser.add_argument("--days", type=int, default=5, help="days the rows are spread over (default 5)")
    parser.add_argument("--features", action="store_true", help="also monitor 5 numeric and 3 categorical features")
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
        pandas_metrics(args.pandas_only, args.features)
        return
    if args.rows < args.days or args.days < 2:
        parser.error("--rows must be >= --days and --days >= 2 (drift needs a previous date)")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="score_monitoring_bench_"))
    data_dir = workdir / "data"
    subprocess.run(
        [
            sys.executable,
            "scripts/generate_demo_data.py",
            "--out-dir",
            str(data_dir),
            "--rows-per-day",
            str(args.rows // args.days),
            "--days",
            str(args.days),
        ],
        cwd=ROOT,
        check=True,
    )
    scores_path = data_dir / "scores.parquet"
    target_path = workdir / "target"
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT / "profiles"),
        "SCORE_MONITORING_DUCKDB_PATH": str(workdir / "bench.duckdb"),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(workdir / "logs"),
    }
    dbt_vars: dict[str, object] = {"scores_path": str(scores_path), "labels_path": str(data_dir / "labels.parquet")}
    selection = SCORE_MODELS
    if args.features:
        dbt_vars |= {"numeric_features": NUMERIC_FEATURES, "categorical_features": CATEGORICAL_FEATURES}
        selection = f"{SCORE_MODELS} {FEATURE_MODELS}"
    dbt_executable = str(Path(sys.executable).parent / "dbt")
    dbt_run = run_measured(
        "dbt",
        [dbt_executable, "run", "--full-refresh", "--select", *selection.split(), "--vars", json.dumps(dbt_vars)],
        env,
    )
    model_times = dbt_model_times(target_path)
    dbt_daily = run_measured(
        "dbt daily",
        [dbt_executable, "run", "--select", *selection.split(), "--vars", json.dumps(dbt_vars)],
        env,
    )
    pandas_command = [sys.executable, "scripts/benchmark.py", "--pandas-only", str(scores_path)]
    if args.features:
        pandas_command.append("--features")
    pandas_run = run_measured("pandas", pandas_command, env)
    evidently = None
    if args.evidently_python:
        columns = NUMERIC_FEATURES + CATEGORICAL_FEATURES if args.features else ["score"]
        evidently = run_measured(
            "evidently",
            [str(args.evidently_python), "-c", EVIDENTLY_SNIPPET, str(scores_path), ",".join(columns)],
            env,
        )
    model_seconds = round(sum(model_times.values()), 2)
    report: dict[str, object] = {
        "rows": args.rows,
        "days": args.days,
        "features": args.features,
        "dbt": asdict(dbt_run),
        "pandas": asdict(pandas_run),
        "dbt_daily": asdict(dbt_daily),
        "daily_day_pairs": 2,
        "evidently": asdict(evidently) if evidently else None,
        "model_times": model_times,
        "model_seconds": model_seconds,
        "speedup_vs_models": round(pandas_run.seconds / model_seconds, 1) if model_seconds else None,
    }
    print(json.dumps(report, indent=2))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(render_markdown(report))


if __name__ == "__main__":
    main()
