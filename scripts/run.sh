#!/usr/bin/env bash
# Quick start: set everything up, load the demo data and serve on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/meetings db upgrade
.venv/bin/meetings demo
exec .venv/bin/meetings serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
