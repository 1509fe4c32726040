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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows", "0"], "--rows must be >= 2 x --days"),
        (["--rows", "-5", "--days", "2"], "--rows must be >= 2 x --days"),
        (["--days", "1"], "--days must be >= 2"),
        (["--rows", "1x"], "invalid int value"),
        (["--labels", "--features"], "not with --features"),
    ],
)
def test_bad_arguments_fail_with_a_message(args: list[str], message: str) -> None:
    result = run_benchmark(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
