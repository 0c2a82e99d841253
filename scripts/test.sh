#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite on SQLite (with the browser tests)
# and again on a PostgreSQL server started for the run; then build the documented deployment and log in.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export RECTIFY_HOME="${RECTIFY_TEST_HOME:-$(mktemp -d)}"
# Every rectify process reads /etc/rectify/env; the tests must not pick up a real deployment's settings.
export RECTIFY_ENV_FILE="${RECTIFY_ENV_FILE:-/dev/null}"
echo "== import layers (lint-imports) =="
PYTHONPATH=src .venv/bin/lint-imports
echo "== types (mypy) =="
PYTHONPATH=src .venv/bin/mypy
status=0
echo "== tests on SQLite =="
.venv/bin/python -m pytest -n 2 "$@" || status=$?
echo "== tests on PostgreSQL =="
scripts/with-postgres.sh .venv/bin/python -m pytest -n 2 -m "not browser" "$@" || status=$?
echo "== the deployment of docs/deployment.md, on its own PostgreSQL server =="
.venv/bin/python -m pytest tests/deploy -m deployment || status=$?
exit $status
