"""Where inputs come from: a parquet path and a table give the same monitoring tables, every input is
a dbt source that `dbt source freshness` checks on score_date, and a parquet path off DuckDB is
refused with a message naming the var."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import DbtProject, write_parquet

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def scores(last_day: date, days: int = 3, rows: int = 50) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "score_date": last_day - timedelta(days=offset),
                "model_name": "churn",
                "model_version": "v1",
                "entity_id": f"e{row}",
                "score": (row + 0.5) / rows,
            }
            for offset in range(days)
            for row in range(rows)
        ]
    )


def freshness_status(project: DbtProject, scores_path: Path) -> str:
    result = project.dbt("source", "freshness", vars={"scores_path": str(scores_path)})
    sources = json.loads((project.workdir / "target" / "sources.json").read_text())
    statuses = {item["unique_id"]: item["status"] for item in sources["results"]}
    assert list(statuses) == ["source.score_monitoring.score_monitoring_inputs.scores_files"], result.stdout[-3000:]
    return statuses["source.score_monitoring.score_monitoring_inputs.scores_files"]


@pytest.mark.parametrize(
    ("days_old", "expected"),
    [(0, "pass"), (1, "warn"), (2, "error")],
    ids=["fresh", "one_day_late", "two_days_late"],
)
def test_source_freshness_on_score_date(tmp_path: Path, days_old: int, expected: str) -> None:
    """Warn after 1 day, error after 2 (the defaults of the freshness vars); today's UTC date is fresh."""
    path = write_parquet(scores(date.today() - timedelta(days=days_old)), tmp_path / "scores.parquet")
    assert freshness_status(DbtProject(workdir=tmp_path), path) == expected


def test_a_table_input_gives_the_same_tables_as_parquet(tmp_path: Path) -> None:
    frame = scores(date(2024, 4, 3))
    from_path = DbtProject(workdir=tmp_path / "path")
    from_path.build_gate_may_fail(vars={"scores_path": str(write_parquet(frame, tmp_path / "scores.parquet"))})

    from_table = DbtProject(workdir=tmp_path / "table")
    from_table.workdir.mkdir()
    with duckdb.connect(str(from_table.db_path)) as connection:
        connection.execute("create schema raw")
        connection.register("frame", frame)
        connection.execute(
            "create table raw.predictions as select * replace (cast(score_date as date) as score_date) from frame"
        )
    from_table.build_gate_may_fail(vars={"scores_table": "predictions", "source_dataset": "raw"})

    for table in ("score_health_daily", "score_drift_daily", "monitoring_checks"):
        pd.testing.assert_frame_equal(from_path.table(table), from_table.table(table))
    assert len(from_table.table("score_health_daily")) == 3


def test_a_parquet_path_off_duckdb_is_refused(tmp_path: Path) -> None:
    project = DbtProject(workdir=tmp_path)
    result = project.dbt(
        "parse",
        vars={"scores_path": "/data/scores.parquet"},
        extra_env={"SCORE_MONITORING_TARGET": "bigquery_emulator"},
    )
    output = ANSI_ESCAPE.sub("", result.stdout + result.stderr)
    assert result.returncode != 0, output[-3000:]
    assert (
        "var scores_path reads parquet files on DuckDB only; on bigquery set var scores_model or scores_table" in output
    )
