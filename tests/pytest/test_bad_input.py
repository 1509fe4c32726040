"""Bad inputs end in their named status with a message, never in a SQL error; bad configuration
stops compilation with a message that names the offending column, feature or var.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import MONITORING_SCHEMA, DbtProject
from scipy.stats import ks_2samp

DAYS = (date(2026, 2, 1), date(2026, 2, 2), date(2026, 2, 3))
MONITORING_DATE = DAYS[-1]
ROWS_PER_DAY = 200
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
DRIFT_CHECKS = ("volume_change", "decision_rate_shift", "score_psi", "score_ks")


@dataclass(frozen=True)
class Build:
    project: DbtProject
    returncode: int
    output: str

    def checks(self) -> pd.DataFrame:
        return self.project.table("monitoring_checks")

    def check(self, day: date, model: str, check_name: str) -> pd.Series:
        checks = self.checks()
        selected = checks[
            (checks["score_date"] == pd.Timestamp(day))
            & (checks["model_name"] == model)
            & (checks["check_name"] == check_name)
            & checks["subject"].isna()
        ]
        assert len(selected) == 1, selected
        return selected.iloc[0]


def model_day(day: date, model: str, rows: int = ROWS_PER_DAY) -> pd.DataFrame:
    """Evenly spread valid scores; `score` is an object column so None (NULL) and NaN stay apart."""
    return pd.DataFrame(
        {
            "score_date": day,
            "model_name": model,
            "model_version": "v1",
            "entity_id": [f"{model}-{i}" for i in range(rows)],
            "score": pd.Series([(i + 0.5) / rows for i in range(rows)], dtype=object),
            "income": [float(i % 40) for i in range(rows)],
            "income_text": [str(i % 40) for i in range(rows)],
        }
    )


def defective_day(model: str) -> pd.DataFrame:
    """The monitoring date of `model`, with the defect the model is named after."""
    frame = model_day(MONITORING_DATE, model)
    if model == "null_scores":
        frame.loc[:9, "score"] = None
    elif model == "nan_scores":
        frame.loc[:9, "score"] = float("nan")
    elif model == "outside_scores":
        frame.loc[:4, "score"] = -0.2
        frame.loc[5:9, "score"] = 1.3
    elif model == "duplicate_entities":
        frame.loc[:9, "entity_id"] = frame.loc[10:19, "entity_id"].to_numpy()
    elif model == "two_versions":
        frame.loc[: ROWS_PER_DAY // 2 - 1, "model_version"] = "v2"
    elif model == "nonfinite_features":
        frame.loc[:4, "income"] = float("nan")
        frame.loc[5:7, "income"] = float("inf")
        frame.loc[8:9, "income"] = float("-inf")
    return frame


DEFECTIVE_MODELS = (
    "null_scores",
    "nan_scores",
    "outside_scores",
    "duplicate_entities",
    "two_versions",
    "nonfinite_features",
)


def bad_scores() -> pd.DataFrame:
    """Clean history, one defect per model on the monitoring date, plus a model that scores a single
    row a day and a model that scores on the first date only (nothing on the middle and last date,
    while the other models do)."""
    frames = [model_day(day, model) for day in DAYS[:-1] for model in DEFECTIVE_MODELS]
    frames += [defective_day(model) for model in DEFECTIVE_MODELS]
    frames += [model_day(day, "single_row", rows=1) for day in DAYS]
    frames.append(model_day(DAYS[0], "gappy"))
    return pd.concat(frames, ignore_index=True)


def write_scores(frame: pd.DataFrame, path: Path) -> Path:
    """Parquet with score_date as DATE and real NULLs and NaNs in score and income (pandas would
    write a NaN as NULL)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    exact = [column for column in ("score", "income") if column in frame]
    table = pa.Table.from_pandas(frame.drop(columns=exact), preserve_index=False)
    for column in exact:
        table = table.append_column(column, pa.array(frame[column].tolist(), type=pa.float64(), from_pandas=False))
    pq.write_table(table, path)
    return path


def write_labels(frame: pd.DataFrame, path: Path) -> Path:
    """A labels file so that label-based models (if any) have an input; not checked here."""
    labels = frame[["model_name", "score_date", "entity_id"]].assign(label=1)
    pq.write_table(pa.Table.from_pandas(labels, preserve_index=False), path)
    return path


def run_build(workdir: Path, scores: pd.DataFrame, dbt_vars: dict[str, object]) -> Build:
    project = DbtProject(
        workdir=workdir,
        base_vars={
            "scores_path": str(write_scores(scores, workdir / "scores.parquet")),
            "labels_path": str(write_labels(scores, workdir / "labels.parquet")),
            **dbt_vars,
        },
    )
    result = project.build()
    return Build(project, result.returncode, ANSI_ESCAPE.sub("", result.stdout + result.stderr))


def failed_nodes(build: Build) -> set[str]:
    """Names of the nodes of the build that did not succeed (error, fail or skipped)."""
    return {unique_id.split(".")[2] for unique_id in build.project.failed_nodes()}


# --- bad data: statuses, not SQL errors ---------------------------------------------------------


@pytest.fixture(scope="module")
def bad_data(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_build(tmp_path_factory.mktemp("bad_data"), bad_scores(), {"numeric_features": ["income"]})


def test_bad_data_builds_every_model_and_only_the_gate_fails(bad_data: Build) -> None:
    assert bad_data.returncode != 0
    assert "Database Error" not in bad_data.output, bad_data.output[-6000:]
    assert "Runtime Error" not in bad_data.output, bad_data.output[-6000:]
    assert failed_nodes(bad_data) == {"release_gate_fail"}, bad_data.output[-6000:]


def test_every_check_has_a_status_and_a_message(bad_data: Build) -> None:
    checks = bad_data.checks()
    assert set(checks["status"]) <= {"pass", "warn", "fail"}
    assert checks["message"].str.len().gt(0).all()
    not_computable = checks[checks["metric_value"].isna()]
    # A check whose seed row has no thresholds (precision, recall, ... as shipped) is off: it passes.
    off = not_computable["warn_threshold"].isna() & not_computable["fail_threshold"].isna()
    assert (not_computable.loc[~off, "status"] == "warn").all(), not_computable[~off]
    assert (not_computable.loc[off, "status"] == "pass").all(), not_computable[off]
    assert not_computable.loc[off, "message"].str.endswith("(no thresholds set: the check is off)").all()
    assert off.any() and (~off).any()
    assert not_computable["message"].str.contains("not computable").all(), not_computable


@pytest.mark.parametrize(
    ("model", "check_name", "status", "metric_value"),
    [
        ("null_scores", "null_score_rate", "fail", 10 / ROWS_PER_DAY),
        ("nan_scores", "out_of_bounds_rate", "fail", 10 / ROWS_PER_DAY),
        ("outside_scores", "out_of_bounds_rate", "fail", 10 / ROWS_PER_DAY),
        ("duplicate_entities", "duplicate_rate", "fail", 10 / ROWS_PER_DAY),
        ("two_versions", "model_version_count", "warn", 2),
        ("single_row", "row_count", "warn", 1),
        ("gappy", "row_count", "fail", 0),
    ],
)
def test_bad_row_ends_in_its_named_status(
    bad_data: Build, model: str, check_name: str, status: str, metric_value: float
) -> None:
    check = bad_data.check(MONITORING_DATE, model, check_name)
    assert check["status"] == status, check
    assert check["metric_value"] == pytest.approx(metric_value)
    assert check["message"].startswith(f"{check_name} = "), check
    assert f"the {status} threshold" in check["message"], check


def test_gate_names_every_failing_model(bad_data: Build) -> None:
    for model, check_name in [
        ("null_scores", "null_score_rate"),
        ("nan_scores", "out_of_bounds_rate"),
        ("outside_scores", "out_of_bounds_rate"),
        ("duplicate_entities", "duplicate_rate"),
        ("gappy", "row_count"),
    ]:
        line = f"release gate FAIL {MONITORING_DATE} model={model} check={check_name} value="
        assert line in bad_data.output, bad_data.output[-6000:]


def test_nan_is_out_of_bounds_and_null_is_not(bad_data: Build) -> None:
    health = bad_data.project.table("score_health_daily").set_index(["score_date", "model_name"])
    nulls = health.loc[(pd.Timestamp(MONITORING_DATE), "null_scores")]
    nans = health.loc[(pd.Timestamp(MONITORING_DATE), "nan_scores")]
    assert (nulls["null_score_count"], nulls["out_of_bounds_count"]) == (10, 0)
    assert (nans["null_score_count"], nans["out_of_bounds_count"]) == (0, 10)
    for day in (nulls, nans):
        assert day["score_min"] >= 0
        assert day["score_max"] <= 1


def test_nan_and_infinite_features_are_missing(bad_data: Build) -> None:
    drift = bad_data.project.table("feature_drift_daily").set_index(["score_date", "model_name", "feature_name"])
    income = drift.loc[(pd.Timestamp(MONITORING_DATE), "nonfinite_features", "income")]
    current = defective_day("nonfinite_features")["income"].to_numpy()
    reference = model_day(DAYS[-2], "nonfinite_features")["income"].to_numpy()
    assert income["missing_rate"] == 10 / ROWS_PER_DAY
    assert income["ks_statistic"] == ks_2samp(current[np.isfinite(current)], reference).statistic
    assert np.isfinite(income["psi"]), income


def test_single_row_model_gets_drift_or_a_warning(bad_data: Build) -> None:
    for day in DAYS[1:]:
        for check_name in ("score_psi", "score_ks"):
            check = bad_data.check(day, "single_row", check_name)
            assert pd.notna(check["metric_value"]) or check["status"] == "warn", check
            assert check["message"], check


def test_model_without_rows_gets_a_zero_row_count_fail_on_every_expected_day(
    bad_data: Build,
) -> None:
    health = bad_data.project.table("score_health_daily")
    gappy = health[health["model_name"] == "gappy"].set_index("score_date")["row_count"]
    assert gappy.to_dict() == {
        pd.Timestamp(DAYS[0]): ROWS_PER_DAY,
        pd.Timestamp(DAYS[1]): 0,
        pd.Timestamp(DAYS[2]): 0,
    }
    for day in DAYS[1:]:
        check = bad_data.check(day, "gappy", "row_count")
        assert (check["status"], check["metric_value"]) == ("fail", 0), check
        psi = bad_data.check(day, "gappy", "score_psi")
        assert psi["status"] == "warn"
        assert "no rows scored on this day" in psi["message"], psi


def test_first_date_has_no_reference(bad_data: Build) -> None:
    for check_name in DRIFT_CHECKS:
        check = bad_data.check(DAYS[0], "null_scores", check_name)
        assert check["status"] == "warn", check
        assert "no reference" in check["message"], check


def test_empty_fixed_reference_window_warns(tmp_path_factory: pytest.TempPathFactory) -> None:
    scores = pd.concat([model_day(day, "churn") for day in DAYS], ignore_index=True)
    build = run_build(
        tmp_path_factory.mktemp("empty_reference"),
        scores,
        {
            "drift_reference_mode": "fixed",
            "drift_reference_start": "2025-12-01",
            "drift_reference_end": "2025-12-02",
        },
    )

    assert build.returncode == 0, build.output[-6000:]
    assert f"release gate WARN {MONITORING_DATE} model=churn check=score_psi" in build.output
    for day in DAYS:
        for check_name in DRIFT_CHECKS:
            check = build.check(day, "churn", check_name)
            assert check["status"] == "warn", check
            assert "no reference" in check["message"], check
            assert "2025-12-01" in check["message"], check


# --- bad configuration: compilation stops with a message naming the culprit ---------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    workdir = tmp_path_factory.mktemp("bad_config_inputs")
    scores = pd.concat([model_day(day, "churn") for day in DAYS], ignore_index=True)
    return {
        "scores": str(write_scores(scores, workdir / "scores.parquet")),
        "no_score": str(write_scores(scores.drop(columns="score"), workdir / "no_score.parquet")),
        "latency_text": str(write_scores(scores.assign(latency_ms="35 ms"), workdir / "latency_text.parquet")),
        "labels": str(write_labels(scores, workdir / "labels.parquet")),
        "missing": str(workdir / "missing" / "*.parquet"),
    }


@pytest.mark.parametrize(
    ("scores_input", "dbt_vars", "expected"),
    [
        pytest.param("no_score", {}, ["the scores input has no column score"], id="missing_score_column"),
        pytest.param(
            "scores",
            {"drift_reference_mode": "rolling"},
            ["var drift_reference_mode is 'rolling'", "previous, trailing, fixed"],
            id="unknown_reference_mode",
        ),
        pytest.param(
            "scores",
            {"numeric_features": "income"},
            ["var numeric_features must be a list"],
            id="features_not_a_list",
        ),
        pytest.param(
            "scores",
            {"numeric_features": ["income_text"]},
            ["numeric feature 'income_text'", "not a number"],
            id="numeric_feature_stored_as_text",
        ),
        pytest.param(
            "scores",
            {"drift_alpha": 0.02},
            ["var drift_alpha is '0.02'", "0.001, 0.005, 0.01, 0.025, 0.05, 0.1", "chi_square_critical_values"],
            id="drift_alpha_without_critical_values",
        ),
        pytest.param(
            "scores",
            {"drift_require_significance": "yes"},
            ["var drift_require_significance must be true or false; got 'yes'"],
            id="drift_require_significance_not_boolean",
        ),
        pytest.param(
            "scores",
            {"categorical_top_k": 5000},
            ["var categorical_top_k must be an integer >= 1 and <= 1000; got '5000'"],
            id="categorical_top_k_beyond_the_critical_values",
        ),
        pytest.param("missing", {}, ["var scores_path", "matches no file"], id="scores_path_matches_nothing"),
        pytest.param(
            "scores",
            {"categorical_features": ["x; drop table y"]},
            ["'x; drop table y' in var categorical_features is not a plain column name"],
            id="feature_name_injection",
        ),
        pytest.param(
            "scores",
            {"source_dataset": "x`; drop table y; --"},
            ["var source_dataset 'x`; drop table y; --' is not a plain table or dataset name"],
            id="source_dataset_injection",
        ),
        pytest.param(
            "scores",
            {"source_project": "My Project"},
            ["var source_project 'My Project' is not a plain database / GCP project name"],
            id="bad_source_project",
        ),
        pytest.param(
            "scores",
            {"scores_path": None},
            ["no scores input: set one of vars scores_model", "scores_path", "scores_table"],
            id="no_scores_input",
        ),
        pytest.param(
            "scores",
            {"scores_path": None, "scores_table": "no_such_table"},
            ["the scores input", "no_such_table", "(var scores_table = 'no_such_table') does not exist"],
            id="scores_table_does_not_exist",
        ),
        pytest.param(
            "scores",
            {"monitored_models": ["churn"]},
            ["var monitored_models must map each model_name to its settings"],
            id="monitored_models_not_a_mapping",
        ),
        pytest.param(
            "scores",
            {"monitored_models": {"churn": {"label_horizon": 30}}},
            ["monitored_models.churn has unknown key 'label_horizon'", "label_horizon_days"],
            id="per_model_unknown_key",
        ),
        pytest.param(
            "scores",
            {"monitored_models": {"churn": {"label_horizon_days": "thirty"}}},
            ["monitored_models.churn.label_horizon_days must be an integer >= 0; got 'thirty'"],
            id="per_model_wrong_type",
        ),
        pytest.param(
            "scores",
            {"monitored_models": {"churn": {"drift_reference_mode": "fixed"}}},
            ["drift_reference_mode 'fixed' (monitored_models.churn.drift_reference_mode) needs", "for model churn"],
            id="per_model_fixed_without_dates",
        ),
        pytest.param(
            "scores",
            {"monitored_models": {"churn": {"numeric_features": ["no_such_column"]}}},
            ["has no column no_such_column (required by monitored_models.churn.numeric_features)"],
            id="per_model_feature_not_a_column",
        ),
        pytest.param(
            "scores",
            {
                "numeric_features": ["income"],
                "monitored_models": {"churn": {"numeric_features": [], "categorical_features": ["income"]}},
            },
            ["column 'income' is in", "a column has one type for every model"],
            id="column_with_two_types",
        ),
        pytest.param(
            "latency_text",
            {},
            ["serving column 'latency_ms' (the data contract) is stored as VARCHAR, not a number", "milliseconds"],
            id="latency_stored_as_text",
        ),
        pytest.param(
            "scores",
            {"monitored_models": {"churn": {"decision_capacity": 0}}},
            ["monitored_models.churn.decision_capacity must be an integer >= 1 (rows per day), or unset; got '0'"],
            id="per_model_capacity_not_positive",
        ),
        pytest.param(
            "scores",
            {"monitored_models": {"churn": {"cost_per_decision": -2}}},
            ["monitored_models.churn.cost_per_decision must be a number >= 0", "got '-2'"],
            id="negative_cost",
        ),
        pytest.param(
            "scores",
            {"monitored_models": {"churn": {"review_capacity": 30}}},
            ["has no column review_flag (required by monitored_models.churn.review_capacity)"],
            id="review_capacity_without_review_flag",
        ),
        pytest.param(
            "scores",
            {"cost_per_review": "ten"},
            ["var cost_per_review must be a number", "got 'ten'"],
            id="cost_not_a_number",
        ),
        pytest.param(
            "scores",
            {"scores_path": None, "scores_model": "no_such_model"},
            ["depends on a node named 'no_such_model'", "which was not found"],
            id="scores_model_resolves_to_nothing",
        ),
    ],
)
def test_bad_configuration_is_refused_with_a_named_culprit(
    dbt_project: DbtProject,
    inputs: dict[str, str],
    scores_input: str,
    dbt_vars: dict[str, object],
    expected: list[str],
) -> None:
    result = dbt_project.build(vars={"scores_path": inputs[scores_input], "labels_path": inputs["labels"], **dbt_vars})
    output = ANSI_ESCAPE.sub("", result.stdout + result.stderr)

    assert result.returncode != 0, output[-6000:]
    assert "Compilation Error" in output, output[-6000:]
    assert "Database Error" not in output, output[-6000:]
    for fragment in expected:
        assert fragment in output, output[-6000:]


def test_misspelt_threshold_check_is_named(dbt_project: DbtProject, inputs: dict[str, str]) -> None:
    """A thresholds row naming no check of the registry would leave a check off in silence."""
    dbt_vars = {"scores_path": inputs["scores"], "labels_path": inputs["labels"]}
    dbt_project.build_gate_may_fail(vars=dbt_vars)
    with duckdb.connect(str(dbt_project.db_path)) as connection:
        connection.execute(
            f"insert into {MONITORING_SCHEMA}.monitoring_thresholds (model_name, check_name, direction, warn_threshold)"
            " values ('*', 'row_cuont', 'below', 1)"
        )
    result = dbt_project.dbt("test", "--select", "monitoring_thresholds", "--store-failures", vars=dbt_vars)
    output = ANSI_ESCAPE.sub("", result.stdout + result.stderr)

    assert re.search(r"WARN 1 score_monitoring_known_check_name_monitoring_thresholds_check_name", output), output[
        -4000:
    ]
    with duckdb.connect(str(dbt_project.db_path), read_only=True) as connection:
        (audit_table,) = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables where table_name like 'score_monitoring_known_check_n%'"
        ).fetchone()
        unknown = connection.execute(f"select unknown_check_name from {audit_table}").fetchall()
    assert unknown == [("row_cuont",)]
