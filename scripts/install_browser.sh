#!/usr/bin/env bash
# Installs Debian's chromium for the report's browser test (tests/pytest/test_report_browser.py).
# Idempotent: does nothing when /usr/bin/chromium already exists, so CI can call it on every run.
set -euo pipefail
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
"$CHROMIUM" --version
