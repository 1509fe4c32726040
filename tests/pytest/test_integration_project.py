"""The package installed in a consumer dbt project (integration_tests/, `local: ../`).

The consumer, acme_analytics, keeps two prediction logs with different columns (churn and
activation), unions them in a model of its own (var scores_model), reads outcomes from a table
(var labels_table) and configures each model on its own: features, segments, decision threshold,
label horizon, drift reference, min_segment_rows and categorical_top_k; a third configured model
(retention) never scored. It replaces the thresholds seed with its own. The project is built on
DuckDB and on the BigQuery emulator, with each tested dbt-core minor, and every per-model result is
compared with the numpy / scipy / scikit-learn oracles of oracles.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from bq_emulator_fixture import EMULATOR_PROJECT, EMULATOR_TARGET, bigquery_client, bq_emulator
from conftest import DBT, ROOT, load_script, write_parquet
from oracles import FeatureDay, Row, assert_rows_match, expected_drift_row, rows_between
from sklearn.metrics import precision_score, recall_score, roc_auc_score

__all__ = ["bq_emulator"]  # session fixture used by this module

PROJECT_DIR = ROOT / "integration_tests"
DAYS = tuple(date(2024, 6, 1) + timedelta(days=offset) for offset in range(6))
MONITORING_DATE = DAYS[-1]
# The consumer's per-model settings (integration_tests/dbt_project.yml), restated as the oracle's inputs.
FEATURES = {
    "churn": {"tenure_months": "numeric", "monthly_spend": "numeric", "plan_type": "categorical"},
    "activation": {"sessions_7d": "numeric", "device_type": "categorical"},
}
SEGMENTS = {"churn": ["region"], "activation": ["signup_channel"]}
THRESHOLD = {"churn": 0.4, "activation": 0.5}
HORIZON = {"churn": 3, "activation": 1}
MIN_SEGMENT_ROWS = {"churn": 100, "activation": 20}
TOP_K = {"churn": 20, "activation": 2}
TRAILING_DAYS = 2  # activation: trailing; churn: previous
ROWS = {"churn": 400, "activation": 300}
# Each tested dbt-core minor: the main environment, and a second one (requirements-dbt110.lock).
SECOND_DBT_VENV = Path(os.environ.get("SCORE_MONITORING_DBT110_VENV", ROOT / ".venv-dbt110"))
DBT_MINORS = {"1.11": Path(DBT), "1.10": SECOND_DBT_VENV / "bin" / "dbt"}


def prediction_logs(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Churn and activation prediction logs (different columns) and calibrated outcomes of both."""
    rng = np.random.default_rng(seed)
    churn, activation = [], []
    for index, day in enumerate(DAYS):
        size = ROWS["churn"]
        churn.append(
            pd.DataFrame(
                {
                    "score_date": day,
                    "model_name": "churn",
                    "model_version": "v3",
                    "entity_id": [f"c{row}" for row in range(size)],
                    "score": np.clip(rng.beta(2, 5, size) + 0.02 * index, 0, 1),
                    "tenure_months": rng.integers(0, 60, size).astype(float),
                    "monthly_spend": np.where(rng.random(size) < 0.1, np.nan, rng.gamma(2, 20 + index, size)),
                    "plan_type": rng.choice(["basic", "plus", "pro"], size, p=[0.5, 0.3, 0.2]),
                    "region": rng.choice(["north", "south", "east"], size, p=[0.5, 0.4, 0.1]),
                }
            )
        )
        size = ROWS["activation"]
        activation.append(
            pd.DataFrame(
                {
                    "score_date": day,
                    "model_name": "activation",
                    "model_version": "v1",
                    "entity_id": [f"a{row}" for row in range(size)],
                    "score": rng.beta(3, 3, size),
                    "sessions_7d": rng.poisson(3 + 0.3 * index, size).astype(float),
                    "device_type": rng.choice(["ios", "android", "web"], size, p=[0.5, 0.3, 0.2]),
                    # ~30 'partner' rows (>= activation's min_segment_rows 20, < the default 100), ~15 'referral'
                    "signup_channel": rng.choice(["ads", "partner", "referral"], size, p=[0.85, 0.1, 0.05]),
                }
            )
        )
    churn_frame, activation_frame = pd.concat(churn, ignore_index=True), pd.concat(activation, ignore_index=True)
    outcomes = pd.concat(
        [
            frame[["model_name", "score_date", "entity_id"]].assign(
                label=(rng.random(len(frame)) < frame["score"]).astype("int64")
            )
            for frame in (churn_frame, activation_frame)
        ],
        ignore_index=True,
    )
    return churn_frame, activation_frame, outcomes


@dataclass
class ConsumerBuild:
    """One build of the consumer project: where its tables are and how to read them."""

    output: str
    failed: list[str]
    read: Callable[[str], list[Row]]
    monitoring_schema: str
    consumer_schema: str
    schemas: Callable[[], dict[str, str]]  # table name -> schema, for the tables that matter
    target_dir: Path  # dbt's target dir: compiled/ and run/ SQL of the build
    engine: str  # duckdb or bigquery-emulator


def run_consumer(dbt: Path, workdir: Path, env: dict[str, str], extra_vars: str | None = None) -> tuple[str, list[str]]:
    """dbt deps, then dbt build of the consumer project; the release gate may fail, nothing else."""
    base_env = {
        **os.environ,
        **env,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(workdir / "target"),
        "DBT_LOG_PATH": str(workdir / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    deps = subprocess.run(
        [str(dbt), "deps"], cwd=PROJECT_DIR, env=base_env, capture_output=True, text=True, check=False
    )
    assert deps.returncode == 0, deps.stdout[-4000:] + deps.stderr[-2000:]
    command = [str(dbt), "build", "--exclude", "resource_type:unit_test"]
    if extra_vars:
        command += ["--vars", extra_vars]
    built = subprocess.run(command, cwd=PROJECT_DIR, env=base_env, capture_output=True, text=True, check=False)
    run_results = pd.read_json(workdir / "target" / "run_results.json", typ="series")["results"]
    failed = [item["unique_id"] for item in run_results if item["status"] not in ("success", "pass", "warn", "no-op")]
    assert all(".release_gate_fail" in unique_id for unique_id in failed), (failed, built.stdout[-6000:])
    return built.stdout, failed


def require_dbt(minor: str) -> Path:
    dbt = DBT_MINORS[minor]
    if not dbt.exists():
        message = f"dbt-core {minor} is not installed at {dbt} (scripts/run_tests.sh installs requirements-dbt110.lock)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return dbt


def duckdb_build(dbt: Path, workdir: Path) -> ConsumerBuild:
    db_path = workdir / "acme.duckdb"
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("create schema acme_raw")
        for name, frame in zip(
            ("churn_predictions", "activation_predictions", "outcomes"), prediction_logs(), strict=True
        ):
            connection.register("frame", frame)
            connection.execute(
                f"create table acme_raw.{name} as select * replace (cast(score_date as date) as score_date) from frame"
            )
            connection.unregister("frame")
    output, failed = run_consumer(dbt, workdir, {"ACME_TARGET": "duckdb", "ACME_DUCKDB_PATH": str(db_path)})

    def read(table: str) -> list[Row]:
        with duckdb.connect(str(db_path), read_only=True) as connection:
            cursor = connection.execute(f"select * from main_score_monitoring.{table}")
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def schemas() -> dict[str, str]:
        with duckdb.connect(str(db_path), read_only=True) as connection:
            return dict(
                connection.execute(
                    "select table_name, table_schema from information_schema.tables "
                    "where table_name in ('all_predictions', 'score_health_daily', 'monitoring_thresholds')"
                ).fetchall()
            )

    return ConsumerBuild(output, failed, read, "main_score_monitoring", "main", schemas, workdir / "target", "duckdb")


def emulator_build(dbt: Path, workdir: Path, bq_emulator: str, minor: str) -> ConsumerBuild:
    churn, activation, outcomes = prediction_logs()
    labels_path = write_parquet(outcomes, workdir / "outcomes.parquet")
    for table, frame in (("churn_predictions", churn), ("activation_predictions", activation)):
        loaded = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "load_to_bigquery.py"), "--project", EMULATOR_PROJECT,
             "--dataset", "acme_raw", "--scores-path", str(write_parquet(frame, workdir / f"{table}.parquet")),
             "--scores-table", table, "--labels-path", str(labels_path), "--labels-table", "outcomes",
             "--api-endpoint", bq_emulator],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        assert loaded.returncode == 0, loaded.stderr
    dataset = f"acme_dbt{minor.replace('.', '')}"
    env = {
        "ACME_TARGET": EMULATOR_TARGET,
        "ACME_DATASET": dataset,
        "SCORE_MONITORING_BQ_EMULATOR_ENDPOINT": bq_emulator,
        "SCORE_MONITORING_BQ_EMULATOR_PROJECT": EMULATOR_PROJECT,
    }
    # Exact quantiles, so the bins equal numpy's (the approx default is checked against DuckDB elsewhere).
    output, failed = run_consumer(dbt, workdir, env, extra_vars='{"quantile_method": "exact"}')
    client = bigquery_client(bq_emulator)
    monitoring_dataset = f"{dataset}_score_monitoring"

    def read(table: str) -> list[Row]:
        rows = client.query(f"select * from `{EMULATOR_PROJECT}.{monitoring_dataset}.{table}`").result()
        return [dict(row.items()) for row in rows]

    def schemas() -> dict[str, str]:
        found = {}
        for candidate in (dataset, monitoring_dataset):
            for table in client.list_tables(f"{EMULATOR_PROJECT}.{candidate}"):
                if table.table_id in ("all_predictions", "score_health_daily", "monitoring_thresholds"):
                    found[table.table_id] = candidate
        return found

    return ConsumerBuild(
        output, failed, read, monitoring_dataset, dataset, schemas, workdir / "target", "bigquery-emulator"
    )


BUILDS = [(engine, minor) for engine in ("duckdb", "bigquery-emulator") for minor in sorted(DBT_MINORS)]


@pytest.fixture(scope="module", params=BUILDS, ids=lambda build: f"{build[0]}-dbt{build[1]}")
def build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ConsumerBuild:
    """The consumer project built once per engine and dbt-core minor."""
    engine, minor = request.param
    dbt = require_dbt(minor)
    workdir = tmp_path_factory.mktemp(f"consumer_{engine}_{minor}")
    if engine == "duckdb":
        return duckdb_build(dbt, workdir)
    return emulator_build(dbt, workdir, request.getfixturevalue("bq_emulator"), minor)


# --- the oracle -------------------------------------------------------------------------------


def model_rows(model: str) -> pd.DataFrame:
    churn, activation, _ = prediction_logs()
    return churn if model == "churn" else activation


def reference_window(model: str, day: date) -> tuple[date | None, date | None]:
    if model == "activation":
        return day - timedelta(days=TRAILING_DAYS), day - timedelta(days=1)
    previous = max((scored for scored in DAYS if scored < day), default=None)
    return previous, previous


def expected_feature_drift() -> list[Row]:
    expected = []
    for model, features in FEATURES.items():
        rows = model_rows(model)
        for day in DAYS:
            window = reference_window(model, day)
            current, reference = rows[rows["score_date"] == day], rows_between(rows, *window)
            for feature, feature_type in features.items():
                feature_day = FeatureDay(
                    day, model, feature, feature_type, window, current[feature], reference[feature], TOP_K[model]
                )
                expected.append(expected_drift_row(feature_day))
    return expected


def labelled(model: str) -> pd.DataFrame:
    _, _, outcomes = prediction_logs()
    rows = model_rows(model).merge(outcomes, on=["model_name", "score_date", "entity_id"])
    return rows.assign(decision=rows["score"] >= THRESHOLD[model])


# --- tests ------------------------------------------------------------------------------------


def test_tables_land_in_the_suffixed_schema_and_the_consumer_model_in_its_own(build: ConsumerBuild) -> None:
    assert build.schemas() == {
        "all_predictions": build.consumer_schema,
        "score_health_daily": build.monitoring_schema,
        "monitoring_thresholds": build.monitoring_schema,
    }


def test_each_model_gets_only_its_own_features_and_segments(build: ConsumerBuild) -> None:
    features: dict[str, set[str]] = {}
    for row in build.read("feature_drift_daily"):
        features.setdefault(str(row["model_name"]), set()).add(str(row["feature_name"]))
    assert features == {model: set(names) for model, names in FEATURES.items()}
    segments: dict[str, set[str]] = {}
    for row in build.read("segment_calibration_daily"):
        segments.setdefault(str(row["model_name"]), set()).add(str(row["segment_column"]))
    assert segments == {model: set(columns) for model, columns in SEGMENTS.items()}
    subjects = {
        (row["model_name"], row["subject"])
        for row in build.read("monitoring_checks")
        if row["check_family"] == "feature"
    }
    assert subjects == {(model, feature) for model, names in FEATURES.items() for feature in names}


def test_feature_drift_per_model_matches_oracle(build: ConsumerBuild) -> None:
    """Per-model reference windows (previous vs trailing 2 days) and categorical_top_k (20 vs 2)."""
    assert_rows_match(
        build.read("feature_drift_daily"), expected_feature_drift(), ("score_date", "model_name", "feature_name")
    )


def test_reference_windows_follow_each_models_mode(build: ConsumerBuild) -> None:
    windows = {
        (row["model_name"], row["score_date"]): (row["reference_start"], row["reference_end"])
        for row in build.read("score_drift_daily")
    }
    for model in FEATURES:
        for day in DAYS:
            assert windows[(model, day)] == reference_window(model, day), (model, day)


def test_decisions_use_each_models_threshold(build: ConsumerBuild) -> None:
    health = {(row["model_name"], row["score_date"]): row for row in build.read("score_health_daily")}
    for model in FEATURES:
        rows = model_rows(model)
        for day in DAYS:
            scores = rows.loc[rows["score_date"] == day, "score"].to_numpy()
            assert health[(model, day)]["decision_count"] == int((scores >= THRESHOLD[model]).sum())
            assert health[(model, day)]["decision_rate"] == pytest.approx(
                float((scores >= THRESHOLD[model]).mean()), abs=1e-12
            )


def test_capacity_and_value_settings_are_each_models_own(build: ConsumerBuild) -> None:
    """churn sets decision_capacity 50, value_per_true_positive 100 and cost_per_decision 3; activation
    sets none: its capacity columns are NULL and every value is 0."""
    operating = {(row["model_name"], row["score_date"]): row for row in build.read("operating_point_daily")}
    value = {(row["model_name"], row["score_date"]): row for row in build.read("business_value_daily")}
    for day in DAYS:
        churn_rows = model_rows("churn")
        churn_scores = np.sort(churn_rows.loc[churn_rows["score_date"] == day, "score"].to_numpy())
        churn = operating[("churn", day)]
        assert churn["decision_capacity"] == 50
        assert churn["decision_capacity_use"] == pytest.approx(churn["decision_count"] / 50, abs=1e-12)
        assert churn["capacity_threshold"] == (churn_scores[-50] if len(churn_scores) >= 50 else None)
        activation = operating[("activation", day)]
        assert activation["decision_capacity"] is None and activation["capacity_threshold"] is None
        assert value[("activation", day)]["estimated_value"] == 0
        # With q = the calibrated score, expected_tp <= decisions: churn's value is at most 97 a decision.
        assert -3 <= value[("churn", day)]["value_per_decision"] <= 97


def test_due_cohorts_and_performance_follow_each_models_horizon(build: ConsumerBuild) -> None:
    performance = {(row["model_name"], row["score_date"]): row for row in build.read("model_performance_daily")}
    expected_keys = {
        (model, day) for model in FEATURES for day in DAYS if day + timedelta(days=HORIZON[model]) <= MONITORING_DATE
    }
    assert set(performance) == expected_keys
    for model, day in sorted(expected_keys):
        rows = labelled(model)
        cohort = rows[rows["score_date"] == day]
        label, score, decision = cohort["label"].to_numpy(), cohort["score"].to_numpy(), cohort["decision"].to_numpy()
        actual = performance[(model, day)]
        assert actual["labelled_count"] == len(cohort)
        assert actual["auc"] == pytest.approx(roc_auc_score(label, score), abs=1e-9)
        assert actual["brier"] == pytest.approx(float(np.mean((score - label) ** 2)), abs=1e-9)
        assert actual["precision"] == pytest.approx(precision_score(label, decision), abs=1e-9)
        assert actual["recall"] == pytest.approx(recall_score(label, decision), abs=1e-9)


def test_segment_calibration_uses_each_models_min_segment_rows(build: ConsumerBuild) -> None:
    actual = build.read("segment_calibration_daily")
    expected: list[Row] = []
    for model, columns in SEGMENTS.items():
        rows = labelled(model)
        for day in DAYS:
            if day + timedelta(days=HORIZON[model]) > MONITORING_DATE:
                continue
            cohort = rows[rows["score_date"] == day]
            for column in columns:
                for value, segment in cohort.groupby(column):
                    mean_score, observed = float(segment["score"].mean()), float(segment["label"].mean())
                    gap = abs(mean_score - observed) if len(segment) >= MIN_SEGMENT_ROWS[model] else None
                    expected.append(
                        {
                            "score_date": day,
                            "model_name": model,
                            "segment_column": column,
                            "segment_value": value,
                            "row_count": len(segment),
                            "mean_score": mean_score,
                            "observed_rate": observed,
                            "calibration_gap": gap,
                        }
                    )
    keys = ("score_date", "model_name", "segment_column", "segment_value")
    assert_rows_match([{key: row[key] for key in expected[0]} for row in actual], expected, keys)
    partner_gaps = [row["calibration_gap"] for row in expected if row["segment_value"] == "partner"]
    assert partner_gaps and all(gap is not None for gap in partner_gaps), "activation's min_segment_rows 20 applies"


def test_configured_model_without_rows_gets_a_failing_status_that_says_so(build: ConsumerBuild) -> None:
    checks = [row for row in build.read("monitoring_checks") if row["model_name"] == "retention"]
    row_count = [row for row in checks if row["check_name"] == "row_count"]
    assert [(row["score_date"], row["status"]) for row in row_count] == [(MONITORING_DATE, "fail")]
    assert "retention is configured in var monitored_models but the scores input has no rows" in str(
        row_count[0]["message"]
    )
    assert any("model=retention check=row_count" in line for line in build.output.splitlines())
    assert len(build.failed) == 1  # the release gate, and only it, failed the build


def test_the_consumers_thresholds_seed_replaces_the_packages(build: ConsumerBuild) -> None:
    psi = {
        row["model_name"]: row["warn_threshold"]
        for row in build.read("monitoring_checks")
        if row["check_name"] == "score_psi"
    }
    assert psi["churn"] == 0.05  # the team's own row
    assert psi["activation"] == 0.1  # the '*' row of the team's seed


def test_the_gate_judges_each_models_due_cohort(build: ConsumerBuild) -> None:
    """The team's seed makes brier always warn: the gate holds exactly the cohort due today per model."""
    gate = build.read("monitoring_gate")
    judged = {(row["model_name"], row["score_date"]) for row in gate if row["check_family"] == "label"}
    assert judged == {(model, MONITORING_DATE - timedelta(days=HORIZON[model])) for model in FEATURES}


def test_the_consumers_bigquery_sql_lints_as_googlesql(build: ConsumerBuild) -> None:
    """The per-model SQL (CASEs over monitored_models, scope joins) as compiled and run on BigQuery."""
    if build.engine != "bigquery-emulator":
        pytest.skip("a DuckDB build: its SQL is DuckDB's")
    linter = load_script("lint_bigquery_sql")
    package_sql = [build.target_dir / kind / "score_monitoring" for kind in ("compiled", "run")]
    assert linter.main([str(path) for path in package_sql]) == 0
