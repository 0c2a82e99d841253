#!/usr/bin/env bash
# Install what Rectify needs, idempotently: Debian packages (with --test: also Chromium, CJK fonts,
# PostgreSQL, LibreOffice and poppler), a virtual environment in .venv, and the package itself in editable mode.
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
  # LibreOffice renders the generated .docx/.xlsx to PDF (tests and the PDF download).
  command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-writer-nogui libreoffice-calc-nogui)
  command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${packages[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

python=$(command -v python3.11 || command -v python3)
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.rectify-installed
need=""
[ $want_test = 1 ] && need="[test]"
have=$(cat "$stamp" 2>/dev/null || true)
# Reinstall when the dependencies changed, or when the tests need extras the last install lacked.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || { [ -n "$need" ] && [ "$have" != "[test]" ]; }; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${need}"
  echo "${need:-[base]}" > "$stamp"
fi
