#!/usr/bin/env bash
# Creates .venv from the pinned lock file (idempotent) and exports the dbt environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

# install_locked_venv VENV LOCK: a venv holding exactly LOCK's pins, reinstalled when LOCK changes.
install_locked_venv() {
  local venv="$1" lock="$2" stamp="$1/.lock-installed"
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    "$PYTHON" -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$lock"
    cp "$lock" "$stamp"
  fi
}

VENV="${SCORE_MONITORING_VENV:-$ROOT/.venv}"
install_locked_venv "$VENV" "$ROOT/requirements.lock"
export PATH="$VENV/bin:$PATH"
export DBT_PROFILES_DIR="$ROOT/profiles"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export DO_NOT_TRACK=1
