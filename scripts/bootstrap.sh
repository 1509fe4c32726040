#!/usr/bin/env bash
# Creates .venv from the pinned lock file (idempotent) and exports the dbt environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SCORE_MONITORING_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
STAMP="$VENV/.lock-installed"
if [ ! -f "$STAMP" ] || ! cmp -s "$ROOT/requirements.lock" "$STAMP"; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$ROOT/requirements.lock"
  cp "$ROOT/requirements.lock" "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
export DBT_PROFILES_DIR="$ROOT/profiles"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export DO_NOT_TRACK=1
