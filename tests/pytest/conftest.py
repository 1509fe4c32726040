"""Shared fixtures: run the dbt project in an isolated DuckDB file and target dir, and read tables."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import duckdb
import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DBT = shutil.which("dbt") or str(Path(sys.executable).parent / "dbt")
# Where the monitoring tables land on DuckDB: the target schema (main) suffixed by the package's +schema.
MONITORING_SCHEMA = "main_score_monitoring"


@dataclass
class DbtProject:
    """One isolated copy of the project's state: its own DuckDB file, target and log dirs."""

    workdir: Path
    base_vars: dict[str, object] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return self.workdir / "monitoring.duckdb"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DBT_PROFILES_DIR": str(ROOT / "profiles"),
            "SCORE_MONITORING_DUCKDB_PATH": str(self.db_path),
            "SCORE_MONITORING_TARGET": "duckdb",
            "DBT_TARGET_PATH": str(self.workdir / "target"),
            "DBT_LOG_PATH": str(self.workdir / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def dbt(
        self, *args: str, vars: dict[str, object] | None = None, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a dbt command from the project root; returns the completed process (never raises)."""
        # Without an explicit outcomes file the label tables build empty (never the demo's labels).
        merged = {"labels_path": "", **self.base_vars, **(vars or {})}
        command = [DBT, *args]
        if merged:
            command += ["--vars", json.dumps(merged)]
        return subprocess.run(
            command, cwd=ROOT, env={**self.env(), **(extra_env or {})}, capture_output=True, text=True, check=False
        )

    def build(
        self, vars: dict[str, object] | None = None, full_refresh: bool = False
    ) -> subprocess.CompletedProcess[str]:
        args = ["build", "--exclude", "resource_type:unit_test"]
        if full_refresh:
            args.append("--full-refresh")
        return self.dbt(*args, vars=vars)

    def build_ok(
        self, vars: dict[str, object] | None = None, full_refresh: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """Build and fail the test with dbt's output unless dbt exits 0."""
        result = self.build(vars=vars, full_refresh=full_refresh)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
        return result

    def failed_nodes(self) -> list[str]:
        """unique_ids of the last command's nodes that did not succeed (error, fail or skipped)."""
        run_results = json.loads((self.workdir / "target" / "run_results.json").read_text())
        ok = ("success", "pass", "warn", "no-op")
        return [item["unique_id"] for item in run_results["results"] if item["status"] not in ok]

    def build_gate_may_fail(self, vars: dict[str, object] | None = None) -> subprocess.CompletedProcess[str]:
        """Build inputs that breach thresholds on purpose: the release gate may fail, nothing else may."""
        result = self.build(vars=vars)
        failed = self.failed_nodes()
        assert all(".release_gate" in unique_id for unique_id in failed), (failed, result.stdout[-6000:])
        return result

    def table(self, name: str, order_by: str = "all") -> pd.DataFrame:
        with duckdb.connect(str(self.db_path), read_only=True) as connection:
            return connection.sql(f"select * from {MONITORING_SCHEMA}.{name} order by {order_by}").df()


@pytest.fixture
def dbt_project(tmp_path: Path) -> Iterator[DbtProject]:
    yield DbtProject(workdir=tmp_path)


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as parquet with score_date typed as DATE (the contract's input type)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        connection.register("frame", frame)
        connection.execute(
            f"copy (select * replace (cast(score_date as date) as score_date) from frame) to '{path}' (format parquet)"
        )
    return path


def load_script(name: str) -> ModuleType:
    """Import scripts/<name>.py as a module, so tests call its pure functions directly."""
    # As `python scripts/<name>.py` would: the script's siblings (plan_lib, monitoring_report) import.
    if str(ROOT / "scripts") not in sys.path:
        sys.path.append(str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def demo_project(workdir: Path, rows_per_day: int, days: int) -> DbtProject:
    """Small demo data (scripts/generate_demo_data.py) in workdir/demo and a project on it with the
    demo's vars (features, segments), not yet built."""
    data_dir = workdir / "demo"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "generate_demo_data.py"),
            *("--out-dir", str(data_dir), "--rows-per-day", str(rows_per_day), "--days", str(days)),
        ],
        check=True,
        capture_output=True,
    )
    demo_vars = yaml.safe_load((ROOT / "scripts" / "demo_vars.yml").read_text())
    return DbtProject(
        workdir=workdir,
        base_vars={
            **demo_vars,
            "scores_path": str(data_dir / "scores.parquet"),
            "labels_path": str(data_dir / "labels.parquet"),
        },
    )
