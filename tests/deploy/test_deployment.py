"""The production deployment of docs/deployment.md, run from the page itself, ending in a login.

Every `sh` block of the page runs in order (except those whose comment says the test does not run them)
on a PostgreSQL server started for the test; then gunicorn starts from the systemd unit the page installed,
nginx serves the site file the page installed, the administrator `rectify bootstrap` created logs in through
nginx over HTTPS, and the page's cron line runs `rectify remind`. What stands in for the real machine:

- the absolute paths (/opt/rectify, /etc/rectify, /var/lib/rectify, …) live under a temporary folder, and
  /opt/rectify/bin holds this checkout's `rectify` and `gunicorn` instead of a new virtual environment;
- `sudo -u postgres` runs as the server's superuser, `sudo -u rectify` as the user running the test, who
  connects as the `rectify` role; useradd, usermod, chown, systemctl and nginx do nothing, and `install`
  ignores its owner options;
- the commands find the env file through RECTIFY_ENV_FILE (its default path is under the temporary folder),
  and the database's socket through PGHOST/PGPORT;
- gunicorn and nginx listen on free ports of 127.0.0.1 instead of 8000, 80 and 443, nginx runs from a
  small main configuration that includes the site file, and the certificate is self-signed.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.deployment

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deployment.md"
PATHS = ["/opt/rectify", "/etc/rectify", "/etc/systemd/system", "/etc/nginx", "/etc/ssl", "/var/lib/rectify",
         "/var/backups/rectify"]
NGINX_BINARY = "/usr/sbin/nginx"
ADMIN_PASSWORD = "Deploy-Test-2026"
BLOCK = re.compile(r"(?:<!--(?P<comment>.*?)-->\s*\n)?```(?P<lang>[a-z]*)\n(?P<body>.*?)```", re.S)

SHIMS = r"""
set -euo pipefail
as_postgres() {
  local cmd; cmd=$(command -v "$1"); shift
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER=postgres "$cmd" "$@"
  else
    PGUSER="$PG_SUPERUSER" "$cmd" "$@"
  fi
}
sudo() {
  [ "$1" = -u ] || { echo "only 'sudo -u USER' is supported here: sudo $*" >&2; return 2; }
  local who=$2; shift 2
  case "$who" in
    postgres) as_postgres "$@" ;;
    rectify) PGUSER=rectify "$@" ;;
    *) echo "unknown user $who" >&2; return 2 ;;
  esac
}
install() {
  local args=()
  while [ $# -gt 0 ]; do case "$1" in -o|-g) shift 2 ;; *) args+=("$1"); shift ;; esac; done
  command install "${args[@]}"
}
useradd() { :; }
usermod() { :; }
chown() { :; }
systemctl() { :; }
nginx() { :; }
"""


def blocks(text: str) -> Iterator[tuple[str, str, str]]:
    """(language, body, comment) of each fenced block, with the HTML comment just above it if any."""
    for match in BLOCK.finditer(text):
        yield match["lang"], match["body"], (match["comment"] or "").strip()


def localize(text: str, prefix: Path) -> str:
    for path in PATHS:
        text = text.replace(path, f"{prefix}{path}")
    return text


def pg_bindir() -> Path:
    found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
    if found and (Path(found) / "pg_ctl").exists():
        return Path(found)
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not candidates:
        pytest.fail("PostgreSQL server binaries are required (scripts/setup.sh --test installs them)")
    return candidates[-1].parent


def free_ports(count: int) -> list[int]:
    """Distinct free ports on 127.0.0.1 (all held open while choosing, so none is handed out twice)."""
    sockets = [socket.socket() for _i in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL cluster on a private socket, with a superuser as a distribution's has."""
    bindir = pg_bindir()
    base = Path(tempfile.mkdtemp(prefix="rectify-deploy-pg-"))
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres")
    base.chmod(0o700)
    port = str(20000 + os.getpid() % 20000)
    data = base / "data"
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
                        f"-p {port} -k {base} -c listen_addresses='' -c fsync=off -c synchronous_commit=off",
                        "start"], check=True, capture_output=True)
        superuser = "postgres" if as_root else subprocess.run(["id", "-un"], capture_output=True,
                                                              text=True).stdout.strip()
        yield {"PGHOST": str(base), "PGPORT": port, "PG_SUPERUSER": superuser,
               "PATH": f"{bindir}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def machine(prefix: Path) -> None:
    """What a fresh machine has before the page's first command: /opt/rectify/bin, /etc's folders."""
    bin_dir = prefix / "opt" / "rectify" / "bin"
    bin_dir.mkdir(parents=True)
    for name, module in (("rectify", "rectify"), ("gunicorn", "gunicorn")):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT / "src"))} exec '
                          f'{shlex.quote(sys.executable)} -m {module} "$@"\n')
        script.chmod(0o755)
    for folder in ("etc/systemd/system", "etc/nginx/sites-available", "etc/nginx/sites-enabled", "var/lib"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)


def base_env(prefix: Path, postgres: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("RECTIFY_", "DATABASE_URL", "DJANGO_", "PG", "SECRET_KEY", "ALLOWED_HOSTS"))}
    return {**env, **postgres, "RECTIFY_ENV_FILE": f"{prefix}/etc/rectify/env"}


def unit_value(unit: str, key: str) -> str:
    lines = [line.split("=", 1)[1] for line in unit.splitlines() if line.startswith(f"{key}=")]
    assert lines, f"{key}= missing"
    return lines[0]


def nginx_site(conf: str, *, http: int, https: int, upstream: int) -> str:
    """The site file on the test's ports: IPv4 loopback only, upstream on gunicorn's free port."""
    conf = re.sub(r"\n\s*listen\s+\[::\]:\d+[^;]*;", "", conf)
    conf = re.sub(r"listen\s+80;", f"listen 127.0.0.1:{http};", conf)
    conf = re.sub(r"listen\s+443\b", f"listen 127.0.0.1:{https}", conf)
    return re.sub(r"server\s+127\.0\.0\.1:8000\b", f"server 127.0.0.1:{upstream}", conf)


def nginx_main(prefix: Path, site: Path) -> str:
    """A main configuration like Debian's /etc/nginx/nginx.conf, with its files under `prefix`."""
    run = prefix / "run" / "nginx"
    run.mkdir(parents=True)
    temp = "\n".join(f"  {kind}_temp_path {run / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"worker_processes 1;\ndaemon off;\npid {run / 'nginx.pid'};\nerror_log {run / 'error.log'};\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n  include /etc/nginx/mime.types;\n"
            f"  default_type application/octet-stream;\n  access_log {run / 'access.log'};\n{temp}\n"
            f"  include {site};\n}}\n")


def certificate(prefix: Path, conf: str) -> None:
    """A self-signed certificate where the site file expects the unit's own."""
    pem = Path(re.search(r"ssl_certificate\s+(\S+);", conf)[1])  # type: ignore[index]
    key = Path(re.search(r"ssl_certificate_key\s+(\S+);", conf)[1])  # type: ignore[index]
    for path in (pem, key):
        path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=rectify-test", "-keyout", str(key), "-out", str(pem)], check=True, capture_output=True)


class Browser:
    """Just enough of a browser for one site: its host name, cookies, one request at a time."""

    def __init__(self, host: str, port: int, *, tls: bool = True) -> None:
        self.host, self.port, self.tls, self.cookies = host, port, tls, {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        if self.tls:
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=30, context=ssl._create_unverified_context())
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": self.host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"{process.args} did not start:\n" + log.read_text())


def start(command: list[str], log: Path, **options: object) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **options)  # type: ignore[call-overload]


@pytest.fixture
def prefix() -> Iterator[Path]:
    """The stand-in machine's root; others may traverse it, as they may traverse / (nginx's workers do)."""
    if not Path(NGINX_BINARY).exists():
        pytest.fail("nginx is required (scripts/setup.sh --test installs it)")
    root = Path(tempfile.mkdtemp(prefix="rectify-deploy-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_the_documented_deployment_ends_in_a_login(tmp_path, postgres, prefix):
    machine(prefix)
    env = base_env(prefix, postgres)
    doc = DOC.read_text(encoding="utf-8")
    ran = 0
    for lang, body, comment in blocks(doc):
        if lang != "sh" or "not run by the deployment test" in comment:
            continue
        if "--password-file /etc/rectify/admin-password" in body:
            (prefix / "etc" / "rectify" / "admin-password").write_text(ADMIN_PASSWORD + "\n")
        script = SHIMS + localize(body, prefix)
        done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, f"documented step failed:\n{body}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        ran += 1
    assert ran >= 7, "the page lost its runnable steps"
    home = prefix / "var" / "lib" / "rectify"
    assert (home / "database-engine").read_text().strip() == "postgresql"
    assert not (prefix / "etc" / "rectify" / "admin-password").exists()

    # gunicorn as its systemd unit starts it, nginx with the site file; both on free ports.
    unit = localize((prefix / "etc/systemd/system/rectify.service").read_text(), prefix)
    conf = localize((prefix / "etc/nginx/sites-enabled/rectify").read_text(), prefix)
    command = shlex.split(unit_value(unit, "ExecStart"))
    bind = command[command.index("--bind") + 1]
    assert f"server {bind} " in conf, "nginx's upstream is not gunicorn's --bind"
    body_limit = int(re.search(r"client_max_body_size\s+(\d+)m;", conf)[1])  # type: ignore[index]
    settings_file = (prefix / "etc/rectify/env").read_text()
    assert body_limit >= int(re.search(r"RECTIFY_REQUEST_MAX_MB=(\d+)", settings_file)[1])  # type: ignore[index]
    assert f"alias {home}/static/;" in conf
    host = re.search(r"listen 443.*?server_name\s+([^;\s]+);", conf, re.S)[1]  # type: ignore[index]
    assert f"ALLOWED_HOSTS={host}" in settings_file
    app_port, http_port, https_port = free_ports(3)
    command[command.index("--bind") + 1] = f"127.0.0.1:{app_port}"
    site = prefix / "run" / "rectify-site.conf"
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text(nginx_site(conf, http=http_port, https=https_port, upstream=app_port))
    main = prefix / "run" / "nginx.conf"
    main.write_text(nginx_main(prefix, site))
    certificate(prefix, conf)
    nginx = [NGINX_BINARY, "-e", str(prefix / "run" / "nginx-startup.log"), "-c", str(main)]
    tested = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr
    servers = [
        start(command, tmp_path / "gunicorn.log", cwd=unit_value(unit, "WorkingDirectory"),
              env={**env, "PGUSER": "rectify"}),
        start(nginx, tmp_path / "nginx.log"),
    ]
    try:
        wait_for(app_port, servers[0], tmp_path / "gunicorn.log")
        wait_for(https_port, servers[1], tmp_path / "nginx.log")
        browser = Browser(host, https_port)
        status, headers, page = browser.request("GET", "/accounts/login/")
        assert status == 200, page
        assert "max-age" in headers.get("strict-transport-security", "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page
        status, headers, page = browser.request(
            "POST", "/accounts/login/", {"username": "admin", "password": ADMIN_PASSWORD,
                                         "csrfmiddlewaretoken": token[1]},
            headers={"Origin": f"https://{host}", "Referer": f"https://{host}/accounts/login/"})
        assert status == 302, page
        assert "sessionid" in browser.cookies
        location = headers["location"]
        for _hop in range(3):
            status, headers, page = browser.request("GET", urllib.parse.urlparse(location).path)
            if status != 302:
                break
            location = headers["location"]
        assert status == 200, page
        assert "退出" in page
        # nginx serves the collected static files itself, and sends plain HTTP to HTTPS.
        status, headers, _page = browser.request("GET", "/static/rectify/app.css")
        assert status == 200 and headers.get("cache-control") == "public"
        status, headers, _page = Browser(host, http_port, tls=False).request("GET", "/accounts/login/")
        assert status == 301 and headers["location"] == f"https://{host}/accounts/login/"
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    # The reminders, from the page's cron line and from the timer's service, with nothing but the env file.
    cron = [body for lang, body, _comment in blocks(doc) if lang == "cron"]
    assert cron, "the cron line is missing from docs/deployment.md"
    fields = cron[0].split(None, 6)
    user, line = fields[5], localize(fields[6].strip(), prefix)
    remind_unit = localize((prefix / "etc/systemd/system/rectify-remind.service").read_text(), prefix)
    assert user == unit_value(remind_unit, "User") == unit_value(unit, "User")
    bare = {"PATH": "/usr/bin:/bin", "HOME": str(home), "RECTIFY_ENV_FILE": env["RECTIFY_ENV_FILE"],
            "PGHOST": env["PGHOST"], "PGPORT": env["PGPORT"], "PGUSER": user}
    command_lines = [line, unit_value(remind_unit, "ExecStart")]
    # The worker's unit, one pass over the queue, where this version of Rectify has `rectify worker`.
    worker_unit = localize((prefix / "etc/systemd/system/rectify-worker.service").read_text(), prefix)
    assert unit_value(worker_unit, "User") == user
    listed = subprocess.run([str(prefix / "opt/rectify/bin/rectify"), "help"], env=bare, capture_output=True,
                            text=True, timeout=120).stdout
    if "\n  worker" in listed:
        command_lines.append(unit_value(worker_unit, "ExecStart") + " --once")
    for command_line in command_lines:
        done = subprocess.run(["sh", "-c", command_line], cwd=home, env=bare, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"{command_line}\n{done.stdout}\n{done.stderr}"
    assert not list(home.glob("*.sqlite3")), "a command fell back to SQLite"
