#!/usr/bin/env bash
# Local BigQuery emulator (bqemulator, DuckDB-backed) for CI and offline runs.
#
#   scripts/bq_emulator.sh install   create/refresh the emulator venv and the offline spatial extension
#   scripts/bq_emulator.sh start     install if needed, start in the background, wait for /healthz
#   scripts/bq_emulator.sh status    exit 0 running and healthy, 1 running but unhealthy, 3 not running
#   scripts/bq_emulator.sh stop      stop the process recorded in the PID file (never by name)
#
# Every command is idempotent. The emulator runs in its own venv because it needs duckdb 1.5.5
# while dbt-duckdb uses duckdb 2.x; the pins live in requirements-bqemulator.lock.
#
# Environment (all optional):
#   BQEMULATOR_VENV            venv directory               (default: <repo>/.venv-bqemulator)
#   BQEMULATOR_STATE_DIR       PID file and log             (default: $BQEMULATOR_VENV/run)
#   BQEMULATOR_HOST            REST and gRPC bind host      (default: 127.0.0.1; loopback only)
#   BQEMULATOR_PORT            REST port                    (default: 9050)
#   BQEMULATOR_GRPC_PORT       gRPC (Storage API) port      (default: 9060)
#   BQEMULATOR_PROJECT         default project id           (default: test-project)
#   BQEMULATOR_DATA_DIR        persistent data dir; unset means in-memory (ephemeral)
#   BQEMULATOR_START_TIMEOUT   seconds to wait for /healthz (default: 60)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCK="$ROOT/requirements-bqemulator.lock"
VENV="${BQEMULATOR_VENV:-$ROOT/.venv-bqemulator}"
STATE_DIR="${BQEMULATOR_STATE_DIR:-$VENV/run}"
PID_FILE="$STATE_DIR/bqemulator.pid"
LOG_FILE="$STATE_DIR/bqemulator.log"
HOST="${BQEMULATOR_HOST:-127.0.0.1}"
PORT="${BQEMULATOR_PORT:-9050}"
GRPC_PORT="${BQEMULATOR_GRPC_PORT:-9060}"
PROJECT="${BQEMULATOR_PROJECT:-test-project}"
DATA_DIR="${BQEMULATOR_DATA_DIR:-}"
START_TIMEOUT="${BQEMULATOR_START_TIMEOUT:-60}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
HEALTH_URL="http://$HOST:$PORT/healthz"

die() {
  echo "bq_emulator: $*" >&2
  exit 1
}

log_tail() {
  if [ -f "$LOG_FILE" ]; then
    echo "---- last 40 lines of $LOG_FILE ----" >&2
    tail -n 40 "$LOG_FILE" >&2
    echo "----" >&2
  fi
}

# The PID recorded in the PID file, if that process is alive and is a bqemulator (guards against
# a stale file whose PID the system has since given to another process).
recorded_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(tr -d '[:space:]' <"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q bqemulator || return 1
  fi
  echo "$pid"
}

healthy() {
  "$VENV/bin/python" - "$HEALTH_URL" <<'EOF' >/dev/null 2>&1
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
    sys.exit(0 if json.load(response).get("status") == "ok" else 1)
EOF
}

port_in_use() {
  "$VENV/bin/python" - "$HOST" "$1" <<'EOF' >/dev/null 2>&1
import socket, sys
with socket.socket() as s:
    s.settimeout(1)
    sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
EOF
}

install() {
  [ -f "$LOCK" ] || die "missing $LOCK"
  local stamp="$VENV/.lock-installed"
  if [ ! -x "$VENV/bin/bqemulator" ] || [ ! -f "$stamp" ] || ! cmp -s "$LOCK" "$stamp"; then
    echo "bq_emulator: installing $LOCK into $VENV" >&2
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$LOCK"
    cp "$LOCK" "$stamp"
  fi
  # Keep the venv (and the PID file and log under it) out of git, as Python 3.13+ venvs do by default.
  [ -f "$VENV/.gitignore" ] || printf '# created by scripts/bq_emulator.sh\n*\n' >"$VENV/.gitignore"
  # bqemulator runs INSTALL spatial at start, which downloads from extensions.duckdb.org unless the
  # extension is already in DuckDB's extension directory ($HOME/.duckdb/extensions/v<ver>/<platform>).
  # Install the file the duckdb-extension-spatial wheel ships there (a local-path INSTALL, no network).
  "$VENV/bin/python" - <<'EOF'
import filecmp
import importlib.util
import pathlib
import sys

import duckdb

spec = importlib.util.find_spec("duckdb_extension_spatial")
if spec is None or not spec.submodule_search_locations:
    sys.exit("bq_emulator: duckdb-extension-spatial is not installed in the emulator venv")
shipped = pathlib.Path(spec.submodule_search_locations[0]) / "extensions" / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
if not shipped.is_file():
    sys.exit(f"bq_emulator: {shipped} not found: duckdb-extension-spatial must match duckdb {duckdb.__version__}")
with duckdb.connect() as con:
    platform = con.sql("pragma platform").fetchone()[0]
    target = pathlib.Path.home() / ".duckdb" / "extensions" / f"v{duckdb.__version__}" / platform / "spatial.duckdb_extension"
    if not (target.is_file() and filecmp.cmp(shipped, target, shallow=False)):
        con.execute("force install '" + str(shipped).replace("'", "''") + "'")
with duckdb.connect() as con:
    con.execute("set autoinstall_known_extensions = false")
    con.execute("load spatial")
    path = con.sql("select install_path from duckdb_extensions() where extension_name = 'spatial'").fetchone()[0]
print(f"bq_emulator: spatial extension ready offline at {path}", file=sys.stderr)
EOF
}

start() {
  install
  mkdir -p "$STATE_DIR"
  local pid
  if pid="$(recorded_pid)"; then
    echo "bq_emulator: already running (pid $pid)" >&2
  else
    rm -f "$PID_FILE"
    if port_in_use "$PORT" || port_in_use "$GRPC_PORT"; then
      die "port $PORT or $GRPC_PORT on $HOST is already in use by a process this script did not start; stop it or set BQEMULATOR_PORT / BQEMULATOR_GRPC_PORT"
    fi
    local args=(start --rest-host "$HOST" --rest-port "$PORT" --grpc-host "$HOST" --grpc-port "$GRPC_PORT"
      --project "$PROJECT" --log-format console --log-level info)
    if [ -n "$DATA_DIR" ]; then
      mkdir -p "$DATA_DIR"
      args+=(--persistent --data-dir "$DATA_DIR")
    else
      args+=(--ephemeral)
    fi
    # Own stdin/stdout/stderr, so a caller that captures output (CI, pytest) is not held open.
    nohup "$VENV/bin/bqemulator" "${args[@]}" </dev/null >"$LOG_FILE" 2>&1 &
    pid=$!
    echo "$pid" >"$PID_FILE"
    echo "bq_emulator: started pid $pid (log: $LOG_FILE)" >&2
  fi
  local deadline=$((SECONDS + START_TIMEOUT))
  until healthy; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      log_tail
      die "the emulator exited during start-up (see the log above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail
      stop
      die "no healthy answer from $HEALTH_URL after ${START_TIMEOUT}s (raise BQEMULATOR_START_TIMEOUT?); stopped it"
    fi
    sleep 0.5
  done
  echo "bq_emulator: healthy at http://$HOST:$PORT (project $PROJECT, pid $pid)" >&2
}

stop() {
  local pid
  if ! pid="$(recorded_pid)"; then
    rm -f "$PID_FILE"
    echo "bq_emulator: not running" >&2
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 15))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "bq_emulator: pid $pid ignored SIGTERM for 15s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  echo "bq_emulator: stopped pid $pid" >&2
}

status() {
  local pid
  if ! pid="$(recorded_pid)"; then
    echo "bq_emulator: not running" >&2
    return 3
  fi
  if healthy; then
    echo "bq_emulator: running and healthy (pid $pid, http://$HOST:$PORT)" >&2
    return 0
  fi
  echo "bq_emulator: pid $pid is running but $HEALTH_URL does not answer ok" >&2
  return 1
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 install|start|stop|status" >&2
    exit 2
    ;;
esac
