#!/usr/bin/env bash
# Idempotent set-up: virtual environment, Python package, front-end libraries, catalogues, database.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras=${1:-}

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> installing the Python package${extras:+ with [$extras]}"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"

echo "==> installing front-end libraries from the npm registry"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node scripts/vendor.mjs

echo "==> compiling message catalogues"
.venv/bin/pybabel compile --use-fuzzy -d meetings/translations -D messages >/dev/null
