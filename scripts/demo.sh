#!/usr/bin/env bash
# Set up Rectify and run the demo: SQLite under RECTIFY_HOME, demo data, web app on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/rectify demo "$@"
