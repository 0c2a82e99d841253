#!/usr/bin/env bash
# Install what Rectify needs, idempotently: Debian packages (with --test: also Chromium, CJK fonts,
# PostgreSQL, nginx, LibreOffice and poppler), a virtual environment in .venv, and the package itself in
# editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=()
command -v python3.11 >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 || packages+=(python3 python3-venv)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
if [ $want_test = 1 ]; then
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || packages+=(fonts-noto-cjk)
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || packages+=(postgresql)
  command -v runuser >/dev/null 2>&1 || packages+=(util-linux)
  [ -x /usr/sbin/nginx ] || packages+=(nginx)
  # LibreOffice renders the generated .docx/.xlsx to PDF (tests and the PDF download).
  command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-writer-nogui libreoffice-calc-nogui)
  command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${packages[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# pip, with a line of progress instead of silence: packages collected so far (the full log in .venv).
pip_install() {
  local log=.venv/pip-install.log seen=-1 count
  .venv/bin/python -m pip install --progress-bar off "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    count=$(grep -cE '^(Collecting|Processing) ' "$log" || true)
    if [ "$count" != "$seen" ]; then
      if [ -t 1 ]; then printf '\r  %s packages collected' "$count"; else echo "  $count packages collected"; fi
      seen=$count
    fi
    sleep 1
  done
  if ! wait "$pid"; then echo; tail -n 30 "$log"; echo "setup: pip failed; the whole log is in $log"; return 1; fi
  count=$(grep -cE '^(Collecting|Processing) ' "$log" || true)
  if [ -t 1 ]; then printf '\r  %s packages collected, installed\n' "$count"; else echo "  $count packages collected, installed"; fi
}

python=$(command -v python3.11 || command -v python3)
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtual environment in .venv"
  "$python" -m venv .venv
fi
stamp=.venv/.rectify-installed
need=""
[ $want_test = 1 ] && need="[test]"
have=$(cat "$stamp" 2>/dev/null || true)
# Reinstall when the dependencies changed, or when the tests need extras the last install lacked.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || { [ -n "$need" ] && [ "$have" != "[test]" ]; }; then
  echo "setup: installing Rectify and its dependencies into .venv (the first time takes about a minute)"
  .venv/bin/python -m pip install -q --upgrade pip
  pip_install -e ".${need}"
  echo "${need:-[base]}" > "$stamp"
fi
