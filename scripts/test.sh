#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite on SQLite (with the browser tests)
# and again on a PostgreSQL server started for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export RECTIFY_HOME="${RECTIFY_TEST_HOME:-$(mktemp -d)}"
echo "== import layers (lint-imports) =="
PYTHONPATH=src .venv/bin/lint-imports
echo "== types (mypy) =="
PYTHONPATH=src .venv/bin/mypy
status=0
echo "== tests on SQLite =="
.venv/bin/python -m pytest -n 2 "$@" || status=$?
echo "== tests on PostgreSQL =="
scripts/with-postgres.sh .venv/bin/python -m pytest -n 2 -m "not browser" "$@" || status=$?
exit $status
