#!/usr/bin/env bash
# Extract every translatable string and merge it into the vi and en catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract -F babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 \
  --no-location --sort-output --width 100 --project e-Cabinet -o meetings/translations/messages.pot .
.venv/bin/pybabel update --width 100 --no-fuzzy-matching -i meetings/translations/messages.pot \
  -d meetings/translations -D messages --ignore-obsolete
