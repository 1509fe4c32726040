#!/usr/bin/env bash
# The main job: set up the environment, generate demo data, build every monitoring table on
# DuckDB (the release gate included) and write the report.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh

python scripts/generate_demo_data.py --out-dir data/demo
dbt build --vars "$(cat scripts/demo_vars.yml)"

DB_PATH="${SCORE_MONITORING_DUCKDB_PATH:-target/score_monitoring.duckdb}"
python - "$DB_PATH" <<'PY'
import sys

import duckdb

db_path = sys.argv[1]
with duckdb.connect(db_path, read_only=True) as connection:
    tables = connection.sql(
        "select table_name from information_schema.tables where table_schema = 'main' "
        "and table_type = 'BASE TABLE' order by table_name"
    ).fetchall()
    print(f"\nMonitoring tables in {db_path} (schema main):")
    for (name,) in tables:
        count = connection.execute(f"select count(*) from main.{name}").fetchall()[0][0]
        print(f"  {name:32s} {count:>9d} rows")
    print("\nStatus of the monitoring date:")
    print(connection.sql(
        "select * from main.monitoring_status_daily "
        "where score_date = (select max(score_date) from main.monitoring_status_daily) order by model_name"
    ))
PY
