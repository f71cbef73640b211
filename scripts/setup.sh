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

# LibreOffice makes the PDF renditions of Office files; the app works without it (the
# originals are served and the reader says renditions are unavailable), so set-up never fails
# for it. About 15 s with apt-get and --no-install-recommends.
LIBREOFFICE=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)
if ! command -v "${MEETINGS_SOFFICE:-soffice}" >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing LibreOffice for PDF renditions of Office files"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${LIBREOFFICE[@]}" >/dev/null; } \
      || echo "note: LibreOffice could not be installed; Office files will have no PDF for reading" >&2
  else
    echo "note: LibreOffice (soffice) is not installed, so Office files will have no PDF for" >&2
    echo "      reading in the page. Install it with" >&2
    echo "      sudo apt-get install --no-install-recommends ${LIBREOFFICE[*]}" >&2
    echo "      (or set MEETINGS_SOFFICE to its command); waiting renditions are then made." >&2
  fi
fi

# Official PDF exports (minutes, reports) need WeasyPrint's Pango and a font with Times New
# Roman's metrics that has Vietnamese letters: Liberation Serif 2 (fonts-liberation2).
EXPORTS=(fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if ! dpkg -s fonts-liberation2 >/dev/null 2>&1 || ! ldconfig -p | grep libpangoft2-1.0 >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing fonts and Pango for the PDF exports"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${EXPORTS[@]}" >/dev/null; } \
      || echo "note: ${EXPORTS[*]} could not be installed; PDF exports may fail" >&2
  else
    echo "note: PDF exports need ${EXPORTS[*]}: sudo apt-get install ${EXPORTS[*]}" >&2
  fi
fi

echo "==> compiling message catalogues"
.venv/bin/pybabel compile --use-fuzzy -d meetings/translations -D messages >/dev/null
