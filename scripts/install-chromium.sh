#!/usr/bin/env bash
# Installs Debian's Chromium for the real-browser tests (never a downloaded browser build).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium is not installed and apt-get needs root: run 'sudo apt-get install -y chromium'." >&2
  echo "Browser tests will be skipped (they fail instead when CI=true)." >&2
  exit 0
fi
command -v chromium
