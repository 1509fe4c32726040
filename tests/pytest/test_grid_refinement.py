"""The grid refinements against scipy and numpy, on cases built to stress them, for several grid
sizes: two_sample_ks (the bounded refinement, BigQuery's path, and DuckDB's routed paths) against
scipy.stats.ks_2samp, and grid_quantiles (BigQuery's exact quantiles) against numpy.quantile. Each
must give the same double.

scipy's exact mode (both samples of at most 10,000 values) returns the exact rational gap / (n m)
rounded once, as the macro does; its asymptotic mode subtracts two rounded quotients, so the large
case is checked against the exact fraction instead (and against scipy to 2 ulps). The refinement
has no adapter variant, so the SQL checked for analytic functions here is the SQL BigQuery runs
(apart from type names); the emulator runs it in test_bigquery_emulator.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlglot
from conftest import DbtProject, write_parquet
from scipy.stats import ks_2samp
from sqlglot import exp

# The refinement with 1 cell, 8 cells and its default, and two_sample_ks as dispatched on DuckDB.
PATHS = {
    "grid_1": "two_sample_ks_bounded_refinement({args}, grid_cells=1)",
    "grid_8": "two_sample_ks_bounded_refinement({args}, grid_cells=8)",
    "grid_default": "two_sample_ks_bounded_refinement({args})",
    "duckdb_routed": "two_sample_ks({args})",
}
PROBABILITIES = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0]
QUANTILE_PATHS = {
    f"grid_{cells}": f"grid_quantiles('ks_cases', ['case_name'], 'value', {PROBABILITIES}, 'q_', grid_cells={cells})"
    for cells in (1, 8, 65536)
}
# The CTEs allowed to hold an analytic function: the grid cells, and the candidate cells' values.
WINDOW_CTES = {"ks_cell_cumulative", "ks_inside_cells"}


def stress_cases() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(11)
    return {
        "shifted_normal": (rng.normal(0, 1, 5000), rng.normal(0.1, 1, 4000)),
        "same_distribution": (rng.normal(0, 1, 3000), rng.normal(0, 1, 3000)),
        "all_ties": (np.full(50, 2.0), np.full(70, 2.0)),
        "one_distinct_value_each": (np.full(50, 1.0), np.full(70, 2.0)),
        "integers": (rng.integers(0, 5, 1000).astype(float), rng.integers(0, 6, 1300).astype(float)),
        # Two values far outside the rest squeeze every other value into the first and last cell.
        "far_outliers": (np.r_[rng.uniform(0, 1, 2000), 1e12], np.r_[rng.uniform(0.05, 1, 2000), -1e12]),
        # The maximum lies inside one cell holding almost every value, many of them distinct.
        "max_inside_a_dense_cell": (
            np.r_[rng.uniform(0, 1e-6, 3000), [0.0, 1.0]],
            np.r_[rng.uniform(0, 1e-6, 2500) + 1e-8, [0.0, 1.0]],
        ),
        # Two values, so the maximum is at the edge of the first cell.
        "max_on_a_cell_edge": (np.r_[np.zeros(10), np.ones(10)], np.r_[np.zeros(3), np.ones(17)]),
        "one_current_value": (np.array([0.5]), np.array([0.25, 0.75])),
        "heavy_tail": (rng.exponential(1, 4000) ** 3, rng.exponential(1.05, 4000) ** 3),
        "negative_values": (-rng.gamma(2, 1, 3000), -rng.gamma(2.1, 1, 3100)),
    }


@dataclass(frozen=True)
class KsRun:
    cases: dict[str, tuple[np.ndarray, np.ndarray]]
    large: tuple[np.ndarray, np.ndarray]
    sql: dict[str, str]
    results: dict[str, dict[str, float]]
    quantiles: dict[str, pd.DataFrame]


def compile_call(project: DbtProject, call: str) -> str:
    macro = "{{ score_monitoring." + call.format(args="'ks_cases', ['case_name'], 'value', 'side'") + " }}"
    result = project.dbt("compile", "--quiet", "--inline", macro)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def ks_run(tmp_path_factory: pytest.TempPathFactory) -> KsRun:
    workdir = tmp_path_factory.mktemp("two_sample_ks")
    scores = pd.DataFrame({"score_date": [date(2026, 1, 1)], "model_name": ["m"], "entity_id": ["e"], "score": [0.5]})
    project = DbtProject(workdir=workdir, base_vars={"scores_path": str(write_parquet(scores, workdir / "s.parquet"))})
    cases = stress_cases()
    rng = np.random.default_rng(5)
    large = (rng.normal(0, 1, 20_000), rng.normal(0.02, 1, 15_000))
    rows = [
        (name, side, float(value))
        for name, (current, reference) in {**cases, "large": large}.items()
        for side, values in (("current", current), ("reference", reference))
        for value in values
    ]
    rows += [("no_reference", "current", 1.0), ("no_reference", "current", 2.0), ("no_current", "reference", 1.0)]
    rows += [("only_nulls_current", "current", None), ("only_nulls_current", "reference", 1.0)]
    rows += [("all_null", "current", None), ("all_null", "reference", None)]
    ks_cases = pd.DataFrame(rows, columns=["case_name", "side", "value"])
    sql = {path: compile_call(project, call) for path, call in PATHS.items()}
    results = {}
    quantiles = {}
    with duckdb.connect() as connection:
        connection.register("ks_cases", ks_cases)
        for path, query in sql.items():
            results[path] = dict(connection.execute(query).fetchall())
        for path, call in QUANTILE_PATHS.items():
            quantiles[path] = connection.execute(compile_call(project, call)).df().set_index("case_name")
    return KsRun(cases, large, sql, results, quantiles)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", list(stress_cases()))
def test_equals_scipy_exactly(ks_run: KsRun, path: str, case: str) -> None:
    current, reference = ks_run.cases[case]
    assert ks_run.results[path][case] == ks_2samp(current, reference).statistic


@pytest.mark.parametrize("path", PATHS)
def test_large_samples_equal_the_exact_fraction(ks_run: KsRun, path: str) -> None:
    current, reference = np.sort(ks_run.large[0]), np.sort(ks_run.large[1])
    points = np.concatenate([current, reference])
    below_current = np.searchsorted(current, points, side="right")
    below_reference = np.searchsorted(reference, points, side="right")
    gap = int(np.max(np.abs(below_current * len(reference) - below_reference * len(current))))
    exact = float(Fraction(gap, len(current) * len(reference)))
    got = ks_run.results[path]["large"]
    assert got == exact
    assert got == pytest.approx(ks_2samp(current, reference).statistic, rel=4e-16)


@pytest.mark.parametrize("path", PATHS)
def test_a_side_without_values_gets_no_row(ks_run: KsRun, path: str) -> None:
    assert not {"no_reference", "no_current", "only_nulls_current", "all_null"} & set(ks_run.results[path])


def test_analytic_functions_run_on_grid_cells_or_candidate_values_only(ks_run: KsRun) -> None:
    tree = sqlglot.parse_one(ks_run.sql["grid_default"], read="duckdb")
    windows = list(tree.find_all(exp.Window))
    assert windows
    for window in windows:
        cte = window.find_ancestor(exp.CTE)
        assert cte is not None and cte.alias in WINDOW_CTES, window.sql()
    # The candidate values are only the rows of the candidate cells.
    candidate_values = next(cte for cte in tree.find_all(exp.CTE) if cte.alias == "ks_candidate_values")
    joined = {table.name for table in candidate_values.find_all(exp.Table)}
    assert "ks_candidate_cells" in joined


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "two_sample_ks_bounded_refinement('t', ['g'], 'v', 's', grid_cells=0)",
            "two_sample_ks_bounded_refinement() needs grid_cells as a positive integer, got '0'",
        ),
        (
            "grid_quantiles('t', ['g'], 'v', [0.5], 'q', grid_cells=2.5)",
            "grid_quantiles() needs grid_cells as a positive integer, got '2.5'",
        ),
        (
            "group_quantiles('t', ['g'], 'v', [0.5, 1.5], 'q')",
            "group_quantiles() needs probabilities in [0, 1], got '1.5'",
        ),
        (
            "group_quantiles('t', 'g', 'v', [0.5], 'q')",
            "group_quantiles() needs group_columns as a non-empty list, got 'g'",
        ),
        ("two_sample_ks('t', [], 'v', 's')", "two_sample_ks() needs group_columns as a non-empty list, got '[]'"),
    ],
)
def test_bad_arguments_are_refused_with_the_macro_named(tmp_path: Path, call: str, message: str) -> None:
    scores = pd.DataFrame({"score_date": [date(2026, 1, 1)], "model_name": ["m"], "entity_id": ["e"], "score": [0.5]})
    project = DbtProject(
        workdir=tmp_path, base_vars={"scores_path": str(write_parquet(scores, tmp_path / "s.parquet"))}
    )
    result = project.dbt("compile", "--quiet", "--inline", "{{ score_monitoring." + call + " }}")
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


@pytest.mark.parametrize("path", QUANTILE_PATHS)
@pytest.mark.parametrize("case", [*stress_cases(), "large"])
def test_grid_quantiles_equal_numpy_exactly(ks_run: KsRun, path: str, case: str) -> None:
    current, reference = ks_run.large if case == "large" else ks_run.cases[case]
    values = np.concatenate([current, reference])
    row = ks_run.quantiles[path].loc[case]
    got = [row[f"q_{index}"] for index in range(1, len(PROBABILITIES) + 1)]
    assert got == np.quantile(values, PROBABILITIES).tolist()
    assert (row["value_count"], row["value_min"], row["value_max"]) == (len(values), values.min(), values.max())


@pytest.mark.parametrize("path", QUANTILE_PATHS)
def test_grid_quantiles_skip_groups_without_values(ks_run: KsRun, path: str) -> None:
    quantiles = ks_run.quantiles[path]
    assert "all_null" not in quantiles.index
    assert quantiles.loc["only_nulls_current", "value_count"] == 1  # NULLs ignored, the value kept
