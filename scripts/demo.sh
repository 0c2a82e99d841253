#!/usr/bin/env bash
# Set up Rectify and run the demo: SQLite under RECTIFY_HOME, demo data, web app on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "demo: 1/2 setting up (Debian packages if missing, .venv, Python dependencies)"
scripts/setup.sh
echo "demo: 2/2 database and demo data (the first run takes about a minute; later runs start at once)"
exec .venv/bin/rectify demo "$@"
