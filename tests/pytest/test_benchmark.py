"""scripts/benchmark.py end to end on tiny data: it runs, the Markdown has both sides' numbers, the
label metrics of dbt and pandas + scikit-learn agree, and bad arguments fail with a message."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"(\d+(?:\.\d+)?)"


def run_benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/benchmark.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def table_row(markdown: str, name: str) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of the implementation row starting with `name`."""
    match = re.search(rf"^\| {re.escape(name)}[^|]* \| {NUMBER} \| {NUMBER} \|$", markdown, re.MULTILINE)
    assert match, f"no row for {name!r} in:\n{markdown}"
    seconds, mebibytes = float(match.group(1)), float(match.group(2))
    assert seconds > 0 and mebibytes > 0, match.group(0)
    return seconds, mebibytes


def test_labels_benchmark_writes_both_sides(tmp_path: Path) -> None:
    markdown_path = tmp_path / "bench.md"
    result = run_benchmark(
        "--rows",
        "20000",
        "--days",
        "2",
        "--labels",
        "--workdir",
        str(tmp_path / "work"),
        "--markdown",
        str(markdown_path),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    markdown = markdown_path.read_text()
    table_row(markdown, "dbt + DuckDB (`dbt run --full-refresh`")
    table_row(markdown, "pandas + scikit-learn")
    table_row(markdown, "dbt + DuckDB, daily incremental run")
    labelled = re.search(r"Labelled rows: ([\d,]+) of 20,000 scored rows", markdown)
    assert labelled, markdown
    # Every day is due and labelled to the generator's ~95% coverage.
    assert 18_000 < int(labelled.group(1).replace(",", "")) < 20_000
    agreement = re.search(
        r"(\d+) cohorts compared, 0 count and 0 NULL mismatches, max \|difference\| ([-+.\de]+) ", markdown
    )
    assert agreement, markdown
    assert int(agreement.group(1)) == 4  # 2 days x 2 models
    assert float(agreement.group(2)) < 1e-9
    assert re.search(rf"^\| model_performance_daily \| {NUMBER} \|$", markdown, re.MULTILINE), markdown


def test_features_benchmark_writes_both_sides(tmp_path: Path) -> None:
    markdown_path = tmp_path / "bench.md"
    result = run_benchmark(
        "--rows",
        "4000",
        "--days",
        "2",
        "--features",
        "--workdir",
        str(tmp_path / "work"),
        "--markdown",
        str(markdown_path),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    markdown = markdown_path.read_text()
    table_row(markdown, "dbt + DuckDB (`dbt run --full-refresh`")
    table_row(markdown, "pandas + numpy + scipy")
    table_row(markdown, "dbt + DuckDB, daily incremental run")
    assert re.search(rf"^\| feature_drift_daily \| {NUMBER} \|$", markdown, re.MULTILINE), markdown


def test_project_benchmark_sets_every_peer_against_its_part(tmp_path: Path) -> None:
    markdown_path = tmp_path / "bench.md"
    result = run_benchmark(
        "--rows", "8000", "--days", "2", "--project", "--memory-limit", "1GB",
        "--workdir", str(tmp_path / "work"), "--markdown", str(markdown_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    markdown = markdown_path.read_text()
    assert "DuckDB memory_limit: 1GB" in markdown
    for name, work in (
        ("dbt + DuckDB, `dbt run --full-refresh`", "every table"),
        ("dbt + DuckDB, daily incremental run", "every table, the last day"),
        ("bare DuckDB scan", "count, mean, distinct entities per day"),
        ("pandas + numpy + scipy", "score health and drift"),
        ("pandas + scikit-learn", "label tables"),
    ):
        row = re.search(
            rf"^\| {re.escape(name)} \| {re.escape(work)} \| {NUMBER} \| {NUMBER} \|$", markdown, re.MULTILINE
        )
        assert row and float(row.group(1)) > 0 and float(row.group(2)) > 0, f"{name}:\n{markdown}"
    seconds = re.search(
        rf"whole project {NUMBER}, score health and drift {NUMBER}, label tables {NUMBER}; "
        rf"drift of the daily run's day pair {NUMBER}\.",
        markdown,
    )
    assert seconds, markdown
    whole, score, labels, daily_drift = (float(value) for value in seconds.groups())
    assert 0 < score < whole and 0 < labels < whole and score + labels <= whole and daily_drift > 0
    # Every model of the project has its full build and daily seconds.
    for model in ("int_label_matches", "int_drift_ks", "monitoring_checks", "model_performance_daily"):
        assert re.search(rf"^\| {model} \| {NUMBER} \| {NUMBER} \|$", markdown, re.MULTILINE), model
    assert re.search(
        rf"^\| project model seconds / bare scan query seconds \(aim <= 6\) \| {NUMBER} \|$", markdown, re.MULTILINE
    )


def test_project_build_only_lists_every_model(tmp_path: Path) -> None:
    markdown_path = tmp_path / "bench.md"
    result = run_benchmark(
        "--rows", "4000", "--days", "2", "--project", "--build-only",
        "--workdir", str(tmp_path / "work"), "--markdown", str(markdown_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    markdown = markdown_path.read_text()
    built = re.search(
        rf"every model succeeded in {NUMBER} wall seconds \({NUMBER} model seconds\), peak RSS {NUMBER} MiB", markdown
    )
    assert built and all(float(value) > 0 for value in built.groups()), markdown
    models = re.findall(rf"^\| (\w+) \| {NUMBER} \|$", markdown, re.MULTILINE)
    assert {"int_label_matches", "monitoring_checks", "feature_drift_daily"} <= {name for name, _ in models}


def test_history_benchmark_compares_the_same_days_run(tmp_path: Path) -> None:
    markdown_path = tmp_path / "bench.md"
    result = run_benchmark(
        "--history-days", "2", "4", "--rows-per-day", "2000",
        "--workdir", str(tmp_path / "work"), "--markdown", str(markdown_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    markdown = markdown_path.read_text()
    runs = re.findall(rf"^\| (\d+) \| {NUMBER} \| {NUMBER} \| {NUMBER} \|$", markdown, re.MULTILINE)
    assert [run[0] for run in runs] == ["2", "4"], markdown
    shortest, longest = (float(run[2]) for run in runs)
    cost = re.search(rf"Model seconds with 4 days of history / with 2: {NUMBER}x", markdown)
    assert cost and abs(float(cost.group(1)) - round(longest / shortest, 2)) <= 0.01, markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows", "0"], "--rows must be >= 2 x --days"),
        (["--rows", "-5", "--days", "2"], "--rows must be >= 2 x --days"),
        (["--days", "1"], "--days must be >= 2"),
        (["--rows", "1x"], "invalid int value"),
        (["--labels", "--features"], "not with --features"),
        (["--project", "--labels"], "--project builds every table"),
        (["--history-days", "1"], "--history-days must be >= 2"),
        (["--build-only"], "--build-only goes with --project"),
    ],
)
def test_bad_arguments_fail_with_a_message(args: list[str], message: str) -> None:
    result = run_benchmark(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
