"""The demo on the local BigQuery emulator against the same demo on DuckDB (issue 5, item 3).

The emulator (bq_emulator_fixture: scripts/bq_emulator.sh on free loopback ports, stopped by PID)
gets the demo data through scripts/load_to_bigquery.py, then `dbt seed`, a full-refresh build at
DAY6 and an incremental build at DAY7 (target bigquery_emulator; dbt-bigquery's dynamic
insert_overwrite, with the emulator-only work-around in macros/cross_db/bq_dynamic_insert_overwrite_sql.sql).
The same two builds run on an isolated DuckDB file, and the main tables are compared.

Tolerances, and why. Counts, keys, dates, means, rates and KS statistics are computed the same way
on both engines and compare exactly (floats to 1e-9 relative). Quantiles are not: BigQuery and the
emulator use APPROX_QUANTILES(x, 1000)[SAFE_OFFSET(k)] (the project default), DuckDB exact
quantile_cont, and the emulator's offsets can differ from BigQuery's by one. The demo has 250 scores
per model and day, so one rank apart is up to ~0.02 in the body and more in the sparse tails:
  - score quantiles p05..p95 within 0.025 absolute, p01 and p99 within 0.05 (scores are in [0, 1]);
  - latency quantiles (ms, log-normal around 40) p50 within 1, p95 within 5, p99 within 15;
  - decile bin edges (lower_edge, upper_edge) within 0.025 absolute;
  - a moved edge moves rows between neighbouring bins: bin counts within 8 rows (~3% of 250),
    bin shares within 0.03; collapsed duplicate edges can change a feature's bin_count by 1, and
    its psi_critical_value with it (within 0.02); segment PSI and JS distance over ~100 rows
    within 0.1 and 0.06;
  - PSI within 0.05 and JS distance within 0.03 (both sums over those bins), KS within 0.02;
  - ECE / MCE (calibration bins) within 0.02;
  - the quantiles of the re-scored entities' |score change| (score_stability_daily, ~225 a model
    day): p50 and p90 within 0.025 as the score quantiles, p99 within 0.1 (the sparsest tail);
  - monitoring_status_daily: the number of checks is exact; a PSI-based check near its threshold may
    move between pass / warn / fail, so pass / warn / fail counts are within 1 each and
    overall_status may differ only on a row where those counts differ.

Exact quantiles (var quantile_method: exact): BigQuery then computes numpy.quantile's linear
interpolation by refinement on a grid (grid_quantiles), so the emulator must match DuckDB with no
quantile tolerance: the rendered query against numpy.quantile, bit for bit, on groups with ties,
NULLs, one value and no value, and a build of score_health_daily, the score and feature bins and score_stability_daily
(own dataset) against the DuckDB tables, every number to 1e-9 relative. An unknown quantile_method stops compilation.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlglot
from bq_emulator_fixture import (
    BUILD,
    DAY6,
    DAY7,
    EMULATOR_PROJECT,
    MONITORING_DATASET,
    ROOT,
    SOURCE_DATASET,
    TARGET_DATASET,
    EmulatorDbt,
    EmulatorPipeline,
    bigquery_client,
    bq_emulator,
    dbt_ok,
    demo_vars,
    emulator_pipeline,
)
from conftest import DbtProject, write_parquet
from sqlglot import exp

__all__ = ["bq_emulator", "emulator_pipeline"]  # session fixtures used by this module

QUANTILE_BODY, QUANTILE_TAIL, EDGE = 0.025, 0.05, 0.025
TOLERANCES: dict[str, float] = {
    **{f"score_p{p:02d}": QUANTILE_BODY for p in (5, 10, 25, 50, 75, 90, 95)},
    "score_p01": QUANTILE_TAIL,
    "score_p99": QUANTILE_TAIL,
    # Latency in ms (~40 median, log-normal): APPROX_QUANTILES' rank error of ~1/1000 moves the tail most.
    "latency_p50": 1.0,
    "latency_p95": 5.0,
    "latency_p99": 15.0,
    "lower_edge": EDGE,
    "upper_edge": EDGE,
    "current_count": 8,
    "reference_count": 8,
    "current_share": 0.03,
    "reference_share": 0.03,
    "psi": 0.05,
    "js_distance": 0.03,
    "ks_statistic": 0.02,
    "l_inf": 0.03,
    "ece": 0.02,
    "mce": 0.02,
    "out_of_reference_range_share": 0.03,
    "pass_count": 1,
    "warn_count": 1,
    "fail_count": 1,
}
TABLE_KEYS: dict[str, list[str]] = {
    "score_health_daily": ["score_date", "model_name"],
    "score_drift_daily": ["score_date", "model_name"],
    "score_bins_daily": ["score_date", "model_name", "bin_index"],
    "feature_drift_daily": ["score_date", "model_name", "feature_name"],
    "monitoring_status_daily": ["score_date", "model_name"],
    "model_performance_daily": ["score_date", "model_name"],
    "segment_drift_daily": ["score_date", "model_name", "segment_column", "segment_value"],
    "score_mean_decomposition_daily": ["score_date", "model_name", "segment_column"],
    "score_stability_daily": ["score_date", "model_name"],
    "estimated_performance_daily": ["score_date", "model_name"],
    "operating_point_daily": ["score_date", "model_name"],
    "business_value_daily": ["score_date", "model_name"],
}
# The demo switches activation from v1 to v2 from one day to the next and never scores an entity
# under two versions on one day: version_comparison_daily is empty there, so it is not compared.
# Per-table column overrides: a feature's bin_count moves with collapsed edges.
# A bin more or less moves psi_critical_value (chi2.ppf(0.99, B - 1) (1/n + 1/m)) by ~0.015 at 250 rows;
# a segment holds ~100 of them, so a moved edge moves its shares, PSI and JS twice as much.
TABLE_TOLERANCES: dict[str, dict[str, float]] = {
    "feature_drift_daily": {"bin_count": 1, "psi_critical_value": 0.02},
    "segment_drift_daily": {"psi": 0.1, "js_distance": 0.06},
    "score_stability_daily": {
        "abs_score_change_p50": QUANTILE_BODY,
        "abs_score_change_p90": QUANTILE_BODY,
        # Two of ~225 changes lie above the 0.99 quantile: one rank apart there is up to ~0.07.
        "abs_score_change_p99": 0.1,
    },
}


@dataclass
class Runs:
    pipeline: EmulatorPipeline
    duckdb: DbtProject
    client: Any

    def emulator_table(self, name: str) -> pd.DataFrame:
        return self.query(f"select * from `{EMULATOR_PROJECT}.{MONITORING_DATASET}.{name}`")

    def query(self, sql: str, job_config: Any = None) -> pd.DataFrame:
        rows = self.client.query(sql, job_config=job_config).result()
        return pd.DataFrame([dict(row.items()) for row in rows], columns=[field.name for field in rows.schema])


@pytest.fixture(scope="module")
def runs(emulator_pipeline: EmulatorPipeline, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    """The DuckDB side: the same two builds on the same data in an isolated DuckDB file."""
    duck_vars = demo_vars(emulator_pipeline.scores_path, emulator_pipeline.labels_path)
    duckdb_project = DbtProject(workdir=tmp_path_factory.mktemp("duckdb_side"), base_vars=duck_vars)
    dbt_ok(duckdb_project.dbt(*BUILD, "--full-refresh", vars={"monitoring_date": DAY6}))
    dbt_ok(duckdb_project.dbt(*BUILD, vars={"monitoring_date": DAY7}))
    client = bigquery_client(emulator_pipeline.endpoint)
    try:
        yield Runs(pipeline=emulator_pipeline, duckdb=duckdb_project, client=client)
    finally:
        client.close()


def normalise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if column.endswith("_date") or column in ("reference_start", "reference_end", "due_date"):
            frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d")
    return frame.sort_values(keys).reset_index(drop=True)


def is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def differences(emulator: pd.DataFrame, duckdb: pd.DataFrame, tolerances: dict[str, float]) -> list[str]:
    """Cells that differ beyond their tolerance, as readable lines."""
    found: list[str] = []
    for column in duckdb.columns:
        for row, (left, right) in enumerate(zip(emulator[column], duckdb[column], strict=True)):
            left_missing, right_missing = pd.isna(left), pd.isna(right)
            if left_missing or right_missing:
                if left_missing != right_missing:
                    found.append(f"{column}[{row}]: emulator {left!r} vs duckdb {right!r} (null on one side)")
                continue
            if is_number(duckdb[column]) or isinstance(right, int | float):
                tolerance = tolerances.get(column)
                allowed = tolerance if tolerance is not None else 1e-9 * max(1.0, abs(float(right)))
                if not math.isclose(float(left), float(right), rel_tol=0, abs_tol=allowed):
                    found.append(f"{column}[{row}]: emulator {left} vs duckdb {right} (tolerance {allowed:g})")
            elif str(left) != str(right):
                found.append(f"{column}[{row}]: emulator {left!r} vs duckdb {right!r}")
    return found


@pytest.mark.parametrize("table", sorted(TABLE_KEYS))
def test_emulator_table_matches_duckdb(runs: Runs, table: str) -> None:
    keys = TABLE_KEYS[table]
    emulator = normalise(runs.emulator_table(table), keys)
    duckdb = normalise(runs.duckdb.table(table), keys)
    assert sorted(emulator.columns) == sorted(duckdb.columns)
    emulator = emulator[list(duckdb.columns)]
    assert len(emulator) == len(duckdb) > 0, f"{table}: {len(emulator)} rows on the emulator, {len(duckdb)} on DuckDB"
    assert emulator[keys].astype(str).values.tolist() == duckdb[keys].astype(str).values.tolist(), f"{table}: keys"
    assert sorted(set(duckdb["score_date"])) == sorted(set(emulator["score_date"]))
    if table != "model_performance_daily":
        assert DAY7 in set(duckdb["score_date"]), f"{table} has no row for the incremental day {DAY7}"
    tolerances = {**TOLERANCES, **TABLE_TOLERANCES.get(table, {})}
    if table == "monitoring_status_daily":
        emulator_checks = emulator[["pass_count", "warn_count", "fail_count"]].sum(axis=1)
        duckdb_checks = duckdb[["pass_count", "warn_count", "fail_count"]].sum(axis=1)
        assert emulator_checks.tolist() == duckdb_checks.tolist(), "different numbers of checks"
        moved = (emulator[["warn_count", "fail_count"]] != duckdb[["warn_count", "fail_count"]]).any(axis=1)
        emulator = emulator.assign(overall_status=emulator["overall_status"].where(~moved, duckdb["overall_status"]))
    assert differences(emulator, duckdb, tolerances) == []


@pytest.mark.parametrize(
    ("table", "keys"),
    [
        ("score_drift_daily", TABLE_KEYS["score_drift_daily"]),
        ("feature_drift_daily", TABLE_KEYS["feature_drift_daily"]),
    ],
)
def test_ks_is_the_same_double_on_both_engines(runs: Runs, table: str, keys: list[str]) -> None:
    """Bounded refinement on BigQuery, DuckDB's routed paths: both the exact gap rounded once."""
    emulator = normalise(runs.emulator_table(table), keys)
    duckdb = normalise(runs.duckdb.table(table), keys)
    assert emulator["ks_statistic"].notna().sum() > 0
    assert emulator[keys].astype(str).values.tolist() == duckdb[keys].astype(str).values.tolist()
    pd.testing.assert_series_equal(
        emulator["ks_statistic"].astype(float),
        duckdb["ks_statistic"].astype(float),
        check_exact=True,
        check_names=False,
    )


def test_incremental_day_replaced_only_its_partition(runs: Runs) -> None:
    """Both engines hold each (score_date, model_name) of the marts once after the incremental run."""
    for table in ("score_health_daily", "score_drift_daily", "monitoring_status_daily"):
        query = (
            f"select score_date, model_name, count(*) as n from `{EMULATOR_PROJECT}.{MONITORING_DATASET}.{table}`"
            " group by score_date, model_name having count(*) > 1"
        )
        assert list(runs.client.query(query).result()) == [], table


def test_scheduled_query_with_run_date_parameter(runs: Runs) -> None:
    """analyses/scheduled_monitoring_query.sql, compiled for the emulator, runs with @run_date."""
    from google.cloud import bigquery

    sql_path: Path = runs.pipeline.daily_compiled / "analyses" / "scheduled_monitoring_query.sql"
    sql = sql_path.read_text()
    assert "@run_date" in sql
    job_config = bigquery.QueryJobConfig(
        query_parameters=[bigquery.ScalarQueryParameter("run_date", "DATE", pd.Timestamp(DAY7).date())]
    )
    result = runs.query(sql, job_config=job_config)
    result = result.sort_values("model_name").reset_index(drop=True)
    health = runs.duckdb.table("score_health_daily")
    drift = runs.duckdb.table("score_drift_daily")
    health = health[pd.to_datetime(health["score_date"]) == pd.Timestamp(DAY7)].sort_values("model_name")
    drift = drift[pd.to_datetime(drift["score_date"]) == pd.Timestamp(DAY7)].sort_values("model_name")
    assert result["model_name"].tolist() == health["model_name"].tolist() == drift["model_name"].tolist()
    assert result["row_count"].tolist() == health["row_count"].tolist()
    assert pd.to_datetime(result["score_date"]).dt.strftime("%Y-%m-%d").unique().tolist() == [DAY7]
    assert pd.to_datetime(result["reference_date"]).dt.strftime("%Y-%m-%d").unique().tolist() == [DAY6]
    for model, emulator_psi, duckdb_psi in zip(result["model_name"], result["psi"], drift["psi"], strict=True):
        assert math.isclose(emulator_psi, duckdb_psi, abs_tol=TOLERANCES["psi"]), (model, emulator_psi, duckdb_psi)
    assert set(result["monitoring_status"]) <= {"pass", "warn", "fail"}


# Exact quantiles on the emulator (var quantile_method: exact).
EXACT_DATASET = f"{TARGET_DATASET}_exact"
EXACT_QUANTILE_TABLES: dict[str, list[str]] = {
    "score_health_daily": ["score_date", "model_name"],
    "score_bins_daily": ["score_date", "model_name", "bin_index"],
    "feature_bins_daily": ["score_date", "model_name", "feature_name", "bin_index"],
}
# Built on the exact bins: every drift metric, its significance, segment drift and the decomposition;
# and the exact quantiles of the re-scored entities' |score change|.
EXACT_TABLES: dict[str, list[str]] = {
    **EXACT_QUANTILE_TABLES,
    "score_drift_daily": TABLE_KEYS["score_drift_daily"],
    "feature_drift_daily": TABLE_KEYS["feature_drift_daily"],
    "segment_drift_daily": TABLE_KEYS["segment_drift_daily"],
    "score_mean_decomposition_daily": TABLE_KEYS["score_mean_decomposition_daily"],
    "score_stability_daily": TABLE_KEYS["score_stability_daily"],
}
# The score quantiles, the reference deciles and both ends.
EXACT_PROBABILITIES = sorted({0.0, 0.01, 0.05, *(k / 10 for k in range(1, 10)), 0.25, 0.75, 0.95, 0.99, 1.0})
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class ExactEmulatorDbt(EmulatorDbt):
    """EmulatorDbt writing to its own dataset, so the default-method tables above stay as built."""

    dataset: str = EXACT_DATASET

    def env(self) -> dict[str, str]:
        return {**super().env(), "SCORE_MONITORING_BQ_EMULATOR_DATASET": self.dataset}


def quantile_groups() -> dict[int, list[float | None]]:
    """Values per group: no value (NULLs only), one value, two equal values, heavy ties with NULLs,
    continuous values, and rounded normal values with ties and negatives."""
    rng = np.random.default_rng(20260105)
    ties = [float(value) for value in rng.integers(0, 5, 40) / 4]
    return {
        1: [None, None],
        2: [0.42],
        3: [0.7, 0.7],
        4: [None, *ties[:20], None, *ties[20:], None],
        5: [float(value) for value in rng.random(101)],
        6: [float(value) for value in np.round(rng.normal(0, 30, 57) * 2) / 2],
    }


def values_sql(groups: dict[int, list[float | None]]) -> str:
    """GoogleSQL rows (g, x) with x FLOAT64; a Python float's repr reads back as the same double."""
    selects = []
    for group, values in groups.items():
        items = ", ".join("cast(null as float64)" if value is None else repr(value) for value in values)
        selects.append(f"select {group} as g, x from unnest([{items}]) as x")
    return "\nunion all\n".join(selects)


def test_exact_quantiles_match_numpy_bit_for_bit(emulator_pipeline: EmulatorPipeline, tmp_path: Path) -> None:
    """group_quantiles() with quantile_method exact (grid_quantiles), rendered for BigQuery and run on
    the emulator, is the same double as numpy.quantile (linear) on every group, for several grid sizes;
    a group without a value gets no row."""
    groups = quantile_groups()
    probabilities = ", ".join(repr(probability) for probability in EXACT_PROBABILITIES)
    project = EmulatorDbt(workdir=tmp_path / "dbt", endpoint=emulator_pipeline.endpoint)
    client = bigquery_client(emulator_pipeline.endpoint)
    try:
        for grid in ("", ", grid_cells=1", ", grid_cells=4"):
            macro = "group_quantiles" if not grid else "grid_quantiles"
            inline = (
                f"with quantile_input as ({values_sql(groups)})\n"
                f"{{{{ score_monitoring.{macro}('quantile_input', ['g'], 'x', [{probabilities}], 'q'{grid}) }}}}"
            )
            compiled = dbt_ok(project.dbt("--quiet", "compile", "--inline", inline, "--output", "json",
                                          vars={**emulator_pipeline.input_vars, "quantile_method": "exact"}))  # fmt: skip
            sql = json.JSONDecoder().raw_decode(compiled.stdout[compiled.stdout.index("{") :])[0]["compiled"]
            assert "approx_quantiles" not in sql and "array_agg" not in sql
            rows = {row["g"]: row for row in client.query(sql).result()}
            assert sorted(rows) == sorted(
                group for group, values in groups.items() if any(v is not None for v in values)
            )
            for group, row in rows.items():
                present = [value for value in groups[group] if value is not None]
                expected = np.quantile(present, EXACT_PROBABILITIES)
                got = [row[f"q{index}"] for index in range(1, len(EXACT_PROBABILITIES) + 1)]
                assert got == expected.tolist(), (grid, group, got, expected)
                assert (row["value_count"], row["value_min"], row["value_max"]) == (
                    len(present),
                    min(present),
                    max(present),
                )
    finally:
        client.close()


@pytest.fixture(scope="module")
def exact_build(emulator_pipeline: EmulatorPipeline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full-refresh build at DAY7 with quantile_method exact of EXACT_TABLES (and their parents)
    into their own dataset; returns the dbt target dir."""
    project = ExactEmulatorDbt(workdir=tmp_path_factory.mktemp("bq_exact"), endpoint=emulator_pipeline.endpoint)
    selection = ("--select", *(f"+{table}" for table in EXACT_TABLES))
    exact_vars = {**emulator_pipeline.vars_at(DAY7), "quantile_method": "exact"}
    dbt_ok(project.dbt("build", "--exclude", "resource_type:unit_test", *selection, "--full-refresh", vars=exact_vars))
    return project.workdir / "target"


def test_exact_quantile_sql_passes_the_bigquery_lint(exact_build: Path) -> None:
    compiled = exact_build / "compiled" / "score_monitoring"
    health_sql = (compiled / "models" / "marts" / "score_health_daily.sql").read_text()
    assert "quantile_cells" in health_sql and "array_agg" not in health_sql
    assert "approx_quantiles" not in health_sql
    assert "approx_quantiles" not in (compiled / "models" / "intermediate" / "int_drift_edges.sql").read_text()
    lint = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lint_bigquery_sql.py"), str(compiled),
         str(exact_build / "run" / "score_monitoring")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert lint.returncode == 0, lint.stdout + lint.stderr


# The CTEs of the grid refinements that may hold an analytic function: grid cells, and the values
# of the candidate (KS) or needed (quantile) cells.
GRID_WINDOW_CTES = {"ks_cell_cumulative", "ks_inside_cells", "quantile_cells", "cell_value_ranks"}


def test_no_analytic_function_runs_over_all_values_of_a_model_day(runs: Runs, exact_build: Path) -> None:
    """In the compiled BigQuery SQL of the KS and the exact quantiles, every window is one of the
    refinements' windows over grid cells or over the candidate cells' values."""
    exact = exact_build / "compiled" / "score_monitoring" / "models"
    files = [
        runs.pipeline.daily_compiled / "models" / "intermediate" / "int_drift_ks.sql",
        exact / "marts" / "score_health_daily.sql",
        exact / "intermediate" / "int_drift_edges.sql",
    ]
    for path in files:
        tree = sqlglot.parse_one(path.read_text(), read="bigquery")
        windows = list(tree.find_all(exp.Window))
        assert windows, path.name
        for window in windows:
            cte = window.find_ancestor(exp.CTE)
            assert cte is not None and cte.alias in GRID_WINDOW_CTES, (path.name, window.sql(dialect="bigquery"))


@pytest.mark.parametrize("table", sorted(EXACT_TABLES))
def test_exact_quantiles_on_the_emulator_match_duckdb(runs: Runs, exact_build: Path, table: str) -> None:
    """With exact quantiles the score quantiles, bin edges and counts, the drift metrics on those
    bins (PSI and its critical value, KS and its p-value, segment drift, the mean decomposition)
    and the quantiles of the re-scored entities' score changes need no tolerance: every number
    matches DuckDB (the same demo, DAY6 full-refresh plus DAY7 incremental) to 1e-9 relative."""
    keys = EXACT_TABLES[table]
    emulator = normalise(
        runs.query(f"select * from `{EMULATOR_PROJECT}.{EXACT_DATASET}_score_monitoring.{table}`"), keys
    )
    duckdb = normalise(runs.duckdb.table(table), keys)
    assert sorted(emulator.columns) == sorted(duckdb.columns)
    emulator = emulator[list(duckdb.columns)]
    assert len(emulator) == len(duckdb) > 0, f"{table}: {len(emulator)} rows on the emulator, {len(duckdb)} on DuckDB"
    assert emulator[keys].astype(str).values.tolist() == duckdb[keys].astype(str).values.tolist(), f"{table}: keys"
    assert DAY7 in set(duckdb["score_date"])
    if table in EXACT_QUANTILE_TABLES:
        edge_columns = [column for column in ("lower_edge", "upper_edge") if column in duckdb.columns]
        quantile_columns = [column for column in duckdb.columns if column.startswith("score_p")]
        assert edge_columns or len(quantile_columns) == 9
        assert duckdb[edge_columns + quantile_columns].notna().any().all()
    assert differences(emulator, duckdb, {}) == []


def test_unknown_quantile_method_is_refused(tmp_path: Path) -> None:
    """A typo in quantile_method stops compilation (on DuckDB too, where the var has no effect)."""
    scores = pd.DataFrame(
        {
            "score_date": pd.Timestamp(DAY7).date(),
            "model_name": "churn",
            "model_version": "v1",
            "entity_id": [f"e{i}" for i in range(10)],
            "score": [(i + 0.5) / 10 for i in range(10)],
        }
    )
    scores_path = write_parquet(scores, tmp_path / "scores.parquet")
    project = DbtProject(workdir=tmp_path / "dbt")
    result = project.dbt("compile", vars={"scores_path": str(scores_path), "quantile_method": "median"})
    output = ANSI_ESCAPE.sub("", result.stdout + result.stderr)
    assert result.returncode != 0, output[-6000:]
    assert "Compilation Error" in output, output[-6000:]
    assert "var quantile_method is 'median'; use one of approx, exact" in output, output[-6000:]


# --- drift_reference_mode profile on both engines ----------------------------------------------

PROFILE_DATASET = f"{TARGET_DATASET}_profile"
PROFILED_MODEL = "churn"
# build, not run: the drift models read seed chi_square_critical_values, a parent the selection holds.
PROFILE_BUILD = ("build", "--exclude", "resource_type:test", "resource_type:unit_test",
                 "--select", "+feature_drift_daily", "+score_drift_daily")  # fmt: skip
PROFILE_METRICS = ["psi", "js_distance", "l_inf", "new_category_share", "out_of_reference_range_share",
                   "missing_rate", "reference_missing_rate"]  # fmt: skip


class ProfileEmulatorDbt(EmulatorDbt):
    """EmulatorDbt writing to its own dataset, so the default-mode tables stay as built."""

    def env(self) -> dict[str, str]:
        return {**super().env(), "SCORE_MONITORING_BQ_EMULATOR_DATASET": PROFILE_DATASET}


def demo_profile(scores_path: Path, features: dict[str, str]) -> pd.DataFrame:
    """A "training" profile of the churn model from its first demo day: decile bins of the numeric
    subjects (minimum and maximum on the outer edges, a missing-values bin), category counts."""
    frame = pd.read_parquet(scores_path)
    first = frame[(frame["model_name"] == PROFILED_MODEL) & (frame["score_date"] == frame["score_date"].min())]
    rows: list[dict[str, object]] = []
    for feature, feature_type in features.items():
        values = first[feature]
        present = values.dropna()
        if feature_type == "numeric":
            numbers = present.to_numpy(dtype=float)
            inner = np.unique(np.quantile(numbers, np.arange(1, 10) / 10))
            bounds = [float(numbers.min()), *map(float, inner), float(numbers.max())]
            counts = np.bincount(np.searchsorted(inner, numbers, side="right"), minlength=len(inner) + 1)
            rows += [
                {"feature_name": feature, "bin_index": index, "lower_edge": bounds[index],
                 "upper_edge": bounds[index + 1], "category_value": None, "reference_count": int(count)}
                for index, count in enumerate(counts)
            ]  # fmt: skip
        else:
            for index, (category, count) in enumerate(sorted(present.value_counts().items())):
                rows.append({"feature_name": feature, "bin_index": index, "lower_edge": None, "upper_edge": None,
                             "category_value": category, "reference_count": int(count)})  # fmt: skip
        rows.append({"feature_name": feature, "bin_index": -1, "lower_edge": None, "upper_edge": None,
                     "category_value": None, "reference_count": int(values.isna().sum()) + 3})  # fmt: skip
    return pd.DataFrame(rows).assign(model_name=PROFILED_MODEL)


def struct_sql(row: dict[str, object]) -> str:
    def literal(value: object, sql_type: str) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return f"cast(null as {sql_type})"
        return f"cast({value!r} as {sql_type})" if sql_type != "string" else "'" + str(value).replace("'", "\\'") + "'"

    types = {"model_name": "string", "feature_name": "string", "bin_index": "int64", "lower_edge": "float64",
             "upper_edge": "float64", "category_value": "string", "reference_count": "int64"}  # fmt: skip
    return "struct(" + ", ".join(f"{literal(row[name], sql_type)} as {name}" for name, sql_type in types.items()) + ")"


def test_profile_mode_is_the_same_double_on_both_engines(emulator_pipeline: EmulatorPipeline, tmp_path: Path) -> None:
    """Both engines bin the churn model's days against the same stored edges: every count equal and
    every metric the same double up to summation order (1e-12); KS NULL on both; the other model's
    rows (previous mode) as in the main build."""
    vars_at7 = emulator_pipeline.vars_at(DAY7)
    features = {"score": "numeric", **dict.fromkeys(vars_at7["numeric_features"], "numeric"),  # type: ignore[arg-type]
                **dict.fromkeys(vars_at7["categorical_features"], "categorical")}  # type: ignore[arg-type]  # fmt: skip
    profile = demo_profile(emulator_pipeline.scores_path, features)
    profile_mode = {"monitored_models": {PROFILED_MODEL: {"drift_reference_mode": "profile"}}}
    client = bigquery_client(emulator_pipeline.endpoint)
    try:
        structs = ", ".join(struct_sql(row) for row in profile.to_dict("records"))
        client.query(
            f"create or replace table `{EMULATOR_PROJECT}.{SOURCE_DATASET}.reference_profile` as "
            f"select * from unnest([{structs}])"
        ).result()
        emulator = ProfileEmulatorDbt(workdir=tmp_path / "bq", endpoint=emulator_pipeline.endpoint)
        dbt_ok(emulator.dbt(*PROFILE_BUILD, "--full-refresh",
                            vars={**vars_at7, **profile_mode, "reference_profile_table": "reference_profile"}))  # fmt: skip
        rows = client.query(
            f"select * from `{EMULATOR_PROJECT}.{PROFILE_DATASET}_score_monitoring.feature_drift_daily`"
        ).result()
        on_emulator = pd.DataFrame([dict(row) for row in rows])
    finally:
        client.close()
    duck = DbtProject(
        workdir=tmp_path / "duckdb",
        base_vars={**demo_vars(emulator_pipeline.scores_path, emulator_pipeline.labels_path), "monitoring_date": DAY7,
                   **profile_mode, "reference_profile_path": str(tmp_path / "profile.parquet")},
    )  # fmt: skip
    profile.to_parquet(tmp_path / "profile.parquet", index=False)
    dbt_ok(duck.dbt(*PROFILE_BUILD, "--full-refresh"))
    on_duckdb = duck.table("feature_drift_daily")
    keys = ["score_date", "model_name", "feature_name"]
    left, right = normalise(on_emulator, keys), normalise(on_duckdb, keys)
    assert left[keys].astype(str).values.tolist() == right[keys].astype(str).values.tolist()
    profiled = right["model_name"] == PROFILED_MODEL
    assert profiled.sum() > 0 and right.loc[profiled, "psi"].notna().all()
    assert left.loc[profiled, "ks_statistic"].isna().all() and right.loc[profiled, "ks_statistic"].isna().all()
    for column in ["current_value_count", "reference_value_count", "bin_count"]:
        assert left[column].astype("Int64").tolist() == right[column].astype("Int64").tolist(), column
    for column in PROFILE_METRICS:
        for emulator_value, duckdb_value in zip(left.loc[profiled, column], right.loc[profiled, column], strict=True):
            if pd.isna(duckdb_value):
                assert pd.isna(emulator_value), column
            else:
                assert math.isclose(float(emulator_value), float(duckdb_value), rel_tol=1e-12, abs_tol=1e-15), column


# --- champion vs challenger on both engines ----------------------------------------------------

SHADOW_DATASET = f"{TARGET_DATASET}_shadow"
SHADOW_BUILD = ("build", "--exclude", "resource_type:test", "resource_type:unit_test", "--select",
                "+version_comparison_daily", "+estimated_performance_daily")  # fmt: skip


class ShadowEmulatorDbt(EmulatorDbt):
    """EmulatorDbt writing to its own dataset, so the demo's tables stay as built."""

    def env(self) -> dict[str, str]:
        return {**super().env(), "SCORE_MONITORING_BQ_EMULATOR_DATASET": SHADOW_DATASET}


def shadow_inputs(tmp_path: Path) -> tuple[Path, Path]:
    """One model: 300 entities under v1 each day; on the second and third days 200 of them also
    under a challenger v2 (correlated, ties from rounding) and 60 under v3; labels for v1's rows."""
    rng = np.random.default_rng(13_500)
    frames = []
    for day in (date(2026, 2, 1), date(2026, 2, 2), date(2026, 2, 3)):
        base = np.round(rng.beta(2.0, 5.0, 300), 2)
        versions = [("v1", 300, base)]
        if day > date(2026, 2, 1):
            versions += [("v2", 200, np.round(np.clip(base[:200] + rng.normal(0, 0.05, 200), 0, 1), 2)),
                         ("v3", 60, rng.random(60))]  # fmt: skip
        for version, size, values in versions:
            frames.append(pd.DataFrame({"score_date": day, "model_version": version,
                                        "entity_id": [f"e{i}" for i in range(size)], "score": values}))  # fmt: skip
    scores = pd.concat(frames, ignore_index=True).assign(model_name="shadow")
    v1 = scores[scores["model_version"] == "v1"]
    labels = v1[["model_name", "score_date", "entity_id"]].assign(label=(rng.random(len(v1)) < v1["score"]).astype(int))
    return write_parquet(scores, tmp_path / "scores.parquet"), write_parquet(labels, tmp_path / "labels.parquet")


@pytest.mark.parametrize("table", ["version_comparison_daily", "estimated_performance_daily"])
def test_version_comparison_is_the_same_on_both_engines(
    emulator_pipeline: EmulatorPipeline, tmp_path: Path, table: str
) -> None:
    """Shadow versions on both engines: Spearman, agreement, mean change and the per-version AUCs of
    version_comparison_daily, and the estimated performance, equal to 1e-9 (no quantile involved)."""
    scores_path, labels_path = shadow_inputs(tmp_path)
    loaded = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "load_to_bigquery.py"), "--project", EMULATOR_PROJECT,
         "--dataset", SOURCE_DATASET, "--scores-path", str(scores_path), "--labels-path", str(labels_path),
         "--scores-table", "shadow_scores", "--labels-table", "shadow_labels",
         "--api-endpoint", emulator_pipeline.endpoint],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    shadow_vars = {"monitoring_date": "2026-02-03", "label_horizon_days": 1}
    emulator = ShadowEmulatorDbt(workdir=tmp_path / "bq", endpoint=emulator_pipeline.endpoint)
    dbt_ok(emulator.dbt(*SHADOW_BUILD, "--full-refresh", vars={
        **emulator_pipeline.input_vars, **shadow_vars, "segment_columns": [], "numeric_features": [],
        "categorical_features": [], "monitored_models": {}, "scores_table": "shadow_scores",
        "labels_table": "shadow_labels"}))  # fmt: skip
    client = bigquery_client(emulator_pipeline.endpoint)
    try:
        rows = client.query(f"select * from `{EMULATOR_PROJECT}.{SHADOW_DATASET}_score_monitoring.{table}`").result()
        on_emulator = pd.DataFrame([dict(row) for row in rows])
    finally:
        client.close()
    duck = DbtProject(workdir=tmp_path / "duckdb", base_vars={
        "scores_path": str(scores_path), "labels_path": str(labels_path), **shadow_vars})  # fmt: skip
    dbt_ok(duck.dbt(*SHADOW_BUILD, "--full-refresh"))
    keys = TABLE_KEYS.get(table, ["score_date", "model_name", "model_version"])
    left, right = normalise(on_emulator, keys), normalise(duck.table(table), keys)
    assert sorted(left.columns) == sorted(right.columns)
    assert len(right) > 0 and left[keys].astype(str).values.tolist() == right[keys].astype(str).values.tolist()
    if table == "version_comparison_daily":
        assert set(right["model_version"]) == {"v2", "v3"} and right["version_auc"].notna().any()
    assert differences(left[list(right.columns)], right, {}) == []
