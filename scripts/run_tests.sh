#!/usr/bin/env bash
# Every test: Python lint, SQL lint, the dbt build with its unit and data tests on a small demo
# data set, then pytest (end-to-end oracles, fault scenarios, scripts).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh

WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT
export SCORE_MONITORING_DUCKDB_PATH="$WORK_DIR/ci.duckdb"
DEMO_VARS="$(python -c 'import json, sys, yaml; v = yaml.safe_load(open("scripts/demo_vars.yml")); v.update(scores_path=sys.argv[1] + "/scores.parquet", labels_path=sys.argv[1] + "/labels.parquet"); print(json.dumps(v))' "$WORK_DIR/demo")"

echo "== ruff"
ruff check scripts tests
ruff format --check scripts tests

echo "== demo data (small) and dbt build with unit tests"
python scripts/generate_demo_data.py --out-dir "$WORK_DIR/demo" --rows-per-day 2000 --days 14
dbt build --vars "$DEMO_VARS"

echo "== sqlfluff (dbt templater)"
printf '[sqlfluff:templater:dbt:context]\nscores_path = %s\nlabels_path = %s\n' \
  "$WORK_DIR/demo/scores.parquet" "$WORK_DIR/demo/labels.parquet" > "$WORK_DIR/sqlfluff.cfg"
sqlfluff lint models analyses --config "$WORK_DIR/sqlfluff.cfg"

echo "== chromium for the report's browser test"
bash scripts/install_browser.sh

echo "== BigQuery emulator (the BigQuery path runs on it in pytest; a missing emulator fails, never skips)"
bash scripts/bq_emulator.sh install
export BQEMULATOR_REQUIRED=1

echo "== dbt-core 1.10 in .venv-dbt110 (the integration project is tested on two dbt minors)"
export SCORE_MONITORING_DBT110_VENV="${SCORE_MONITORING_DBT110_VENV:-$ROOT/.venv-dbt110}"
install_locked_venv "$SCORE_MONITORING_DBT110_VENV" "$ROOT/requirements-dbt110.lock"

echo "== nannyml in .venv-nannyml (the estimated-performance oracle compares with nannyml.CBPE)"
export SCORE_MONITORING_NANNYML_VENV="${SCORE_MONITORING_NANNYML_VENV:-$ROOT/.venv-nannyml}"
install_locked_venv "$SCORE_MONITORING_NANNYML_VENV" "$ROOT/requirements-nannyml.lock"

echo "== pytest"
python -m pytest tests/pytest -q -p no:cacheprovider
