#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server: initdb in a temporary folder, start it on a
# private socket and port, export DATABASE_URL, run the command, stop and remove the server.
# pg_ctl refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/pg_ctl" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
dir=$(mktemp -d)
port=${RECTIFY_PG_PORT:-$((20000 + RANDOM % 20000))}
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
cleanup() { run "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
run "$bindir/initdb" -D "$dir/data" -U rectify --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
run "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
export DATABASE_URL="postgres://rectify@/rectify?host=$dir&port=$port"
run "$bindir/createdb" -h "$dir" -p "$port" -U rectify rectify
set +e
"$@"
code=$?
set -e
exit $code
