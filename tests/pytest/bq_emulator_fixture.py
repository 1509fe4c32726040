"""Shared BigQuery-emulator fixtures for the pytest suite (not a test module).

- `bq_emulator`: a private bqemulator (scripts/bq_emulator.sh) on free loopback ports, started once
  per pytest session however many modules use it, and always stopped by its PID at session end.
- `emulator_pipeline`: the demo data loaded into the emulator with scripts/load_to_bigquery.py, the
  project seeded and compiled for target bigquery_emulator before any build (full-refresh SQL),
  then a full-refresh build at DAY6 and an incremental build at DAY7, and a compile after
  them (the SQL of an incremental daily run). Runs once per session.

Use from a test module with `from bq_emulator_fixture import bq_emulator, emulator_pipeline`. Each
importing module gets its own copy of the session fixtures, so the state lives in this module and
the emulator is reference-counted: moving both fixtures into conftest.py would make that unneeded.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DbtProject

ROOT = Path(__file__).resolve().parents[2]
EMULATOR_SCRIPT = ROOT / "scripts" / "bq_emulator.sh"
EMULATOR_VENV = Path(os.environ.get("BQEMULATOR_VENV", ROOT / ".venv-bqemulator"))
EMULATOR_PROJECT = "test-project"
SOURCE_DATASET = "score_sources"
TARGET_DATASET = "score_monitoring"
# The package's +schema suffixes the target dataset: the monitoring tables land here.
MONITORING_DATASET = f"{TARGET_DATASET}_score_monitoring"
EMULATOR_TARGET = "bigquery_emulator"
DAY6, DAY7 = "2026-01-06", "2026-01-07"
# Demo data: 7 days from 2026-01-01, 500 rows a day over two models. A 5-day label horizon makes
# cohorts due within the window (day 1 at DAY6, days 1-2 at DAY7: the demo labels only the first
# two days), so model_performance_daily has rows to compare and the release gate still passes.
DEMO_DAYS, DEMO_ROWS_PER_DAY = 7, 500
DEMO_EXTRA_VARS: dict[str, object] = {"label_horizon_days": 5}
# The error-severity release gate fails on those cohorts by design (abs_bias and ece of the demo's
# labelled days are above the fail thresholds, on DuckDB as on the emulator): these runs compare
# numbers, not gate decisions, so the gate test is left out of the builds.
BUILD = ("build", "--exclude", "resource_type:unit_test", "release_gate_fail")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class _Emulator:
    endpoint: str
    env: dict[str, str]
    users: int = 0

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(EMULATOR_SCRIPT), command],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )


_state: dict[str, Any] = {"emulator": None, "pipeline": None}


@pytest.fixture(scope="session")
def bq_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The endpoint (http://127.0.0.1:PORT) of a private emulator; stopped by PID at session end."""
    if not (EMULATOR_VENV / "bin" / "bqemulator").exists():
        message = f"BigQuery emulator venv {EMULATOR_VENV} is absent: run scripts/bq_emulator.sh install"
        if os.environ.get("BQEMULATOR_REQUIRED") == "1":  # CI: a missing emulator fails, never skips
            pytest.fail(message)
        pytest.skip(message)
    emulator: _Emulator | None = _state["emulator"]
    if emulator is None:
        port = free_port()
        env = {
            **os.environ,
            "BQEMULATOR_VENV": str(EMULATOR_VENV),
            "BQEMULATOR_STATE_DIR": str(tmp_path_factory.mktemp("bqemulator")),
            "BQEMULATOR_PORT": str(port),
            "BQEMULATOR_GRPC_PORT": str(free_port()),
            "BQEMULATOR_PROJECT": EMULATOR_PROJECT,
        }
        emulator = _Emulator(endpoint=f"http://127.0.0.1:{port}", env=env)
        started = emulator.run("start")
        if started.returncode != 0:
            emulator.run("stop")  # a half-started process is still stopped by its PID
            pytest.fail(f"scripts/bq_emulator.sh start failed:\n{started.stderr[-4000:]}")
        _state["emulator"] = emulator
    emulator.users += 1
    try:
        yield emulator.endpoint
    finally:
        emulator.users -= 1
        if emulator.users == 0:
            _state["emulator"] = None
            _state["pipeline"] = None
            stopped = emulator.run("stop")
            assert stopped.returncode == 0, stopped.stderr
            assert emulator.run("status").returncode == 3


def bigquery_client(endpoint: str) -> Any:
    """An anonymous google-cloud-bigquery client talking to the emulator."""
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    return bigquery.Client(
        project=EMULATOR_PROJECT,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=endpoint),
    )


@dataclass
class EmulatorDbt(DbtProject):
    """conftest.DbtProject pointed at the emulator target (own target and log dirs)."""

    endpoint: str = ""

    def env(self) -> dict[str, str]:
        return {
            **super().env(),
            "SCORE_MONITORING_TARGET": EMULATOR_TARGET,
            "SCORE_MONITORING_BQ_EMULATOR_ENDPOINT": self.endpoint,
            "SCORE_MONITORING_BQ_EMULATOR_PROJECT": EMULATOR_PROJECT,
            "SCORE_MONITORING_BQ_EMULATOR_DATASET": TARGET_DATASET,
        }

    def compile_to(self, target_dir: Path, vars: dict[str, object]) -> Path:
        """`dbt compile` into target_dir; returns its compiled/score_monitoring dir."""
        result = self.dbt("compile", "--target-path", str(target_dir), vars=vars)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
        return target_dir / "compiled" / "score_monitoring"


def dbt_ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result


@dataclass
class EmulatorPipeline:
    endpoint: str
    workdir: Path
    scores_path: Path
    labels_path: Path
    input_vars: dict[str, object]
    fresh_compiled: Path  # compiled before any build: the full-refresh SQL
    daily_compiled: Path  # compiled after the DAY7 build: the incremental daily-run SQL
    run_dirs: list[Path] = field(default_factory=list)  # dbt's run/ dirs (DDL and merge scripts)

    def vars_at(self, monitoring_date: str) -> dict[str, object]:
        return {**self.input_vars, "monitoring_date": monitoring_date}


def demo_vars(scores_path: Path, labels_path: Path) -> dict[str, object]:
    demo = yaml.safe_load((ROOT / "scripts" / "demo_vars.yml").read_text())
    return {**demo, **DEMO_EXTRA_VARS, "scores_path": str(scores_path), "labels_path": str(labels_path)}


@pytest.fixture(scope="session")
def emulator_pipeline(bq_emulator: str, tmp_path_factory: pytest.TempPathFactory) -> EmulatorPipeline:
    """Load, compile, seed, full-refresh build at DAY6, incremental build at DAY7 (once a session)."""
    pipeline: EmulatorPipeline | None = _state["pipeline"]
    if pipeline is not None and pipeline.endpoint == bq_emulator:
        return pipeline
    workdir = tmp_path_factory.mktemp("bq_pipeline")
    demo_dir = workdir / "demo"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_demo_data.py"), "--out-dir", str(demo_dir),
         "--rows-per-day", str(DEMO_ROWS_PER_DAY), "--days", str(DEMO_DAYS)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    scores_path, labels_path = demo_dir / "scores.parquet", demo_dir / "labels.parquet"
    loaded = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "load_to_bigquery.py"), "--project", EMULATOR_PROJECT,
         "--dataset", SOURCE_DATASET, "--scores-path", str(scores_path), "--labels-path", str(labels_path),
         "--api-endpoint", bq_emulator],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    input_vars = {
        **demo_vars(scores_path, labels_path),
        "source_project": EMULATOR_PROJECT,
        "source_dataset": SOURCE_DATASET,
        "scores_path": None,
        "labels_path": None,
        "scores_table": "scores",
        "labels_table": "labels",
    }
    project = EmulatorDbt(workdir=workdir / "dbt", endpoint=bq_emulator)
    at6, at7 = {**input_vars, "monitoring_date": DAY6}, {**input_vars, "monitoring_date": DAY7}
    # learned_checks reads the thresholds seed while compiling, so the seed comes first.
    dbt_ok(project.dbt("seed", "--full-refresh", vars=at6))
    fresh_compiled = project.compile_to(workdir / "target_fresh", at6)
    dbt_ok(project.dbt(*BUILD, "--full-refresh", vars=at6))
    dbt_ok(project.dbt(*BUILD, vars=at7))
    daily_compiled = project.compile_to(workdir / "target_daily", at7)
    pipeline = EmulatorPipeline(
        endpoint=bq_emulator,
        workdir=workdir,
        scores_path=scores_path,
        labels_path=labels_path,
        input_vars=input_vars,
        fresh_compiled=fresh_compiled,
        daily_compiled=daily_compiled,
        run_dirs=[project.workdir / "target" / "run" / "score_monitoring"],
    )
    _state["pipeline"] = pipeline
    return pipeline
