"""Tests for scripts/load_to_bigquery.py: input validation, the pure load plan, and a real load into
the local BigQuery emulator (scripts/bq_emulator.sh) when its venv is installed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bq_emulator_fixture import EMULATOR_PROJECT, bq_emulator
from conftest import ROOT, load_script

SCRIPT = ROOT / "scripts" / "load_to_bigquery.py"
__all__ = ["bq_emulator"]  # session fixture used by this module


loader = load_script("load_to_bigquery")

SCORES_SCHEMA = pa.schema(
    [
        ("score_date", pa.date32()),
        ("model_name", pa.string()),
        ("model_version", pa.string()),
        ("entity_id", pa.string()),
        ("score", pa.float64()),
        ("decision", pa.bool_()),
        ("income_segment", pa.dictionary(pa.int32(), pa.string())),
        ("tenure_months", pa.float32()),
    ]
)
LABELS_SCHEMA = pa.schema(
    [("model_name", pa.string()), ("score_date", pa.date32()), ("entity_id", pa.string()), ("label", pa.int32())]
)


def write_inputs(directory: Path, days: int = 2, per_day: int = 3) -> tuple[Path, Path]:
    """A tiny prediction log and labels with two models, written with the contract's types."""
    directory.mkdir(parents=True, exist_ok=True)
    start = dt.date(2026, 1, 1)
    rows = [
        (start + dt.timedelta(days=day), model, f"{model}-v1", f"e{index}", (index + 1) / (per_day + 1))
        for day in range(days)
        for model in ("churn", "activation")
        for index in range(per_day)
    ]
    scores = pa.table(
        {
            "score_date": [row[0] for row in rows],
            "model_name": [row[1] for row in rows],
            "model_version": [row[2] for row in rows],
            "entity_id": [row[3] for row in rows],
            "score": [row[4] for row in rows],
            "decision": [row[4] >= 0.5 for row in rows],
            "income_segment": pa.array(["low" if i % 2 else "high" for i in range(len(rows))]).dictionary_encode(),
            "tenure_months": pa.array([float(i) for i in range(len(rows))], pa.float32()),
        },
        schema=SCORES_SCHEMA,
    )
    labels = pa.table(
        {
            "model_name": [row[1] for row in rows[: per_day * 2]],
            "score_date": [row[0] for row in rows[: per_day * 2]],
            "entity_id": [row[3] for row in rows[: per_day * 2]],
            "label": pa.array([i % 2 for i in range(per_day * 2)], pa.int32()),
        },
        schema=LABELS_SCHEMA,
    )
    scores_path, labels_path = directory / "scores.parquet", directory / "labels.parquet"
    pq.write_table(scores, scores_path)
    pq.write_table(labels, labels_path)
    return scores_path, labels_path


def base_args(scores: Path | str = "s.parquet", labels: Path | str = "l.parquet", **overrides: str) -> list[str]:
    values = {"project": "my-project", "dataset": "score_sources", **overrides}
    args = [f"--{key.replace('_', '-')}={value}" for key, value in values.items()]
    return [*args, f"--scores-path={scores}", f"--labels-path={labels}"]


def fake_schemas(path: Path) -> pa.Schema:
    return SCORES_SCHEMA if path.name.startswith("s") else LABELS_SCHEMA


# --- validation: exit code 2 and a clear message --------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("project", "My-Project"),
        ("project", "abc"),
        ("project", "proj-"),
        ("project", "proj`; drop table x; --"),
        ("dataset", "ds; drop"),
        ("dataset", "ds-with-dash"),
        ("dataset", "ds.other"),
        ("dataset", ""),
        ("scores_table", "scores; drop table labels"),
        ("scores_table", "sc`ores"),
        ("labels_table", "1labels"),
        ("labels_table", "labels--"),
        ("location", "us-east1; rm -rf /"),
        ("api_endpoint", "ftp://127.0.0.1:9050"),
        ("api_endpoint", "http://user:secret@127.0.0.1:9050"),
        ("api_endpoint", "http://127.0.0.1:9050/bigquery/v2?x=1"),
    ],
)
def test_invalid_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str) -> None:
    scores, labels = write_inputs(tmp_path)
    assert loader.main(base_args(scores, labels, **{flag: value})) == loader.EXIT_INVALID
    error = capsys.readouterr().err
    assert "load_to_bigquery: invalid" in error
    assert repr(value) in error


def test_injection_refused_by_the_cli(tmp_path: Path) -> None:
    """The real process exits 2, prints why, and never gets as far as a BigQuery client."""
    scores, labels = write_inputs(tmp_path)
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *base_args(scores, labels, dataset="ds; drop")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GOOGLE_APPLICATION_CREDENTIALS": str(tmp_path / "absent.json")},
    )
    assert result.returncode == 2, result.stderr
    assert "invalid dataset 'ds; drop'" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (SCORES_SCHEMA.remove(SCORES_SCHEMA.get_field_index("score_date")), "needs column 'score_date'"),
        (SCORES_SCHEMA.set(0, pa.field("score_date", pa.string())), "'score_date' is STRING, the contract needs DATE"),
        (SCORES_SCHEMA.append(pa.field("tags", pa.list_(pa.string()))), "unsupported parquet column type"),
        (SCORES_SCHEMA.append(pa.field("bad name; drop", pa.string())), "invalid column name"),
    ],
)
def test_contract_violations_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], schema: pa.Schema, message: str
) -> None:
    _, labels = write_inputs(tmp_path)
    scores = tmp_path / "bad_scores.parquet"
    pq.write_table(schema.empty_table(), scores)
    assert loader.main(base_args(scores, labels)) == loader.EXIT_INVALID
    assert message in capsys.readouterr().err


def test_missing_or_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, labels = write_inputs(tmp_path)
    assert loader.main(base_args(tmp_path / "absent.parquet", labels)) == loader.EXIT_INVALID
    assert "parquet file not found" in capsys.readouterr().err
    not_parquet = tmp_path / "scores.csv"
    not_parquet.write_text("score_date,model_name\n")
    assert loader.main(base_args(not_parquet, labels)) == loader.EXIT_INVALID
    assert "is not a readable parquet file" in capsys.readouterr().err


def test_same_table_for_scores_and_labels_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scores, labels = write_inputs(tmp_path)
    args = base_args(scores, labels, scores_table="inputs", labels_table="inputs")
    assert loader.main(args) == loader.EXIT_INVALID
    assert "must differ" in capsys.readouterr().err


@pytest.mark.parametrize(
    "project", ["test-project", "my-proj-123456", "example.com:my-project", "a" * 6, "a" + "b" * 28 + "c"]
)
def test_valid_project_ids(project: str) -> None:
    assert loader.validate_name("project id", project, loader.PROJECT_ID_RE) == project


# --- the pure load plan --------------------------------------------------------------------------


def test_plan_names_partitions_clusters_and_truncates_by_default() -> None:
    args = loader.parse_args(base_args(scores_table="prediction_log", location="europe-west2"))
    plan = loader.build_plan(args, read_schema=fake_schemas)
    assert plan.dataset_id == "my-project.score_sources"
    assert plan.location == "europe-west2"
    assert plan.api_endpoint is None
    assert [(load.kind, load.table_id) for load in plan.loads] == [
        ("scores", "my-project.score_sources.prediction_log"),
        ("labels", "my-project.score_sources.labels"),
    ]
    for load in plan.loads:
        assert load.write_disposition == "WRITE_TRUNCATE"
        assert (load.partition_field, load.partition_type, load.cluster_fields) == (
            "score_date",
            "DAY",
            ("model_name",),
        )
    assert [(column.name, column.field_type) for column in plan.loads[0].columns] == [
        ("score_date", "DATE"),
        ("model_name", "STRING"),
        ("model_version", "STRING"),
        ("entity_id", "STRING"),
        ("score", "FLOAT64"),
        ("decision", "BOOL"),
        ("income_segment", "STRING"),
        ("tenure_months", "FLOAT64"),
    ]
    assert [column.field_type for column in plan.loads[1].columns] == ["STRING", "DATE", "STRING", "INT64"]


@pytest.mark.parametrize(("flag", "expected"), [("append", "WRITE_APPEND"), ("empty", "WRITE_EMPTY")])
def test_plan_write_disposition(flag: str, expected: str) -> None:
    args = loader.parse_args([*base_args(), f"--write-disposition={flag}"])
    plan = loader.build_plan(args, read_schema=fake_schemas)
    assert {load.write_disposition for load in plan.loads} == {expected}


def test_unknown_write_disposition_is_an_argparse_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        loader.parse_args([*base_args(), "--write-disposition=replace"])
    assert exit_info.value.code == 2


def test_api_endpoint_is_normalised() -> None:
    args = loader.parse_args([*base_args(), "--api-endpoint=http://127.0.0.1:9050/"])
    assert loader.build_plan(args, read_schema=fake_schemas).api_endpoint == "http://127.0.0.1:9050"


@pytest.mark.parametrize(
    ("arrow_type", "expected"),
    [
        (pa.bool_(), "BOOL"),
        (pa.int8(), "INT64"),
        (pa.int64(), "INT64"),
        (pa.uint32(), "INT64"),
        (pa.float16(), "FLOAT64"),
        (pa.float64(), "FLOAT64"),
        (pa.decimal128(38, 9), "NUMERIC"),
        (pa.decimal128(38, 10), "BIGNUMERIC"),
        (pa.string(), "STRING"),
        (pa.large_string(), "STRING"),
        (pa.binary(), "BYTES"),
        (pa.date32(), "DATE"),
        (pa.timestamp("us", tz="UTC"), "TIMESTAMP"),
        (pa.timestamp("us"), "DATETIME"),
        (pa.time64("us"), "TIME"),
        (pa.dictionary(pa.int8(), pa.string()), "STRING"),
    ],
)
def test_bigquery_type(arrow_type: pa.DataType, expected: str) -> None:
    assert loader.bigquery_type(arrow_type) == expected


@pytest.mark.parametrize("arrow_type", [pa.uint64(), pa.list_(pa.int64()), pa.struct([("a", pa.int64())])])
def test_bigquery_type_refuses_what_does_not_fit(arrow_type: pa.DataType) -> None:
    with pytest.raises(loader.InvalidInput, match="unsupported parquet column type"):
        loader.bigquery_type(arrow_type)


def test_dry_run_prints_the_plan_and_touches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scores, labels = write_inputs(tmp_path)
    assert loader.main([*base_args(scores, labels), "--dry-run", "--api-endpoint=http://127.0.0.1:1"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["dataset_id"] == "my-project.score_sources"
    assert plan["api_endpoint"] == "http://127.0.0.1:1"
    assert [load["table_id"] for load in plan["loads"]] == [
        "my-project.score_sources.scores",
        "my-project.score_sources.labels",
    ]


# --- a real load into the emulator ---------------------------------------------------------------


def emulator_client(endpoint: str) -> Any:
    plan = loader.LoadPlan(project=EMULATOR_PROJECT, dataset="unused", location="US", api_endpoint=endpoint, loads=())
    return loader.make_client(plan)


def test_load_into_emulator(bq_emulator: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scores, labels = write_inputs(tmp_path, days=2, per_day=3)
    dataset = "load_test"
    args = [
        *base_args(scores, labels, project=EMULATOR_PROJECT, dataset=dataset, scores_table="scores_in"),
        f"--api-endpoint={bq_emulator}",
    ]
    client = emulator_client(bq_emulator)

    def counts() -> dict[str, int]:
        query = (
            f"select 'scores' as t, count(*) as n from `{EMULATOR_PROJECT}.{dataset}.scores_in`"
            f" union all select 'labels', count(*) from `{EMULATOR_PROJECT}.{dataset}.labels`"
        )
        return {row["t"]: row["n"] for row in client.query(query).result()}

    assert loader.main(args) == 0, capsys.readouterr().err
    assert counts() == {"scores": 12, "labels": 6}
    for table_name in ("scores_in", "labels"):
        table = client.get_table(f"{EMULATOR_PROJECT}.{dataset}.{table_name}")
        assert table.time_partitioning.field == "score_date"
        assert table.time_partitioning.type_ == "DAY"
        assert table.clustering_fields == ["model_name"]
    per_model = client.query(
        f"select model_name, count(*) as n, min(score_date) as first_date"
        f" from `{EMULATOR_PROJECT}.{dataset}.scores_in` group by model_name order by model_name"
    ).result()
    assert [(row["model_name"], row["n"], row["first_date"]) for row in per_model] == [
        ("activation", 6, dt.date(2026, 1, 1)),
        ("churn", 6, dt.date(2026, 1, 1)),
    ]

    # The default (truncate) is idempotent; append adds; empty refuses a non-empty table (exit 1).
    assert loader.main(args) == 0
    assert counts() == {"scores": 12, "labels": 6}
    assert loader.main([*args, "--write-disposition=append"]) == 0
    assert counts() == {"scores": 24, "labels": 12}
    capsys.readouterr()
    assert loader.main([*args, "--write-disposition=empty"]) == loader.EXIT_BIGQUERY_ERROR
    assert "BigQuery error" in capsys.readouterr().err
    assert loader.main(args) == 0
    assert counts() == {"scores": 12, "labels": 6}
