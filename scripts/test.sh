#!/usr/bin/env bash
# Set up and run the whole test suite: lint, then unit, HTTP, websocket and browser tests.
# MEETINGS_TEST_DATABASE_URL=postgresql+psycopg://... runs it on PostgreSQL;
# MEETINGS_TEST_BROADCAST_URL=redis://... uses the Redis broadcast backend.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> installing Chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bash scripts/setup.sh test
echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> pytest"
exec .venv/bin/python -m pytest "$@"
