"""Two gunicorn servers (real processes on loopback ports) on one PostgreSQL database, with data
folders of their own: the feedback limit is shared, an import previewed on one is confirmed on the
other, two `rectify remind` runs at once deliver each warning once, and a killed worker's job is taken
over by another worker."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from rectify import clock
from rectify.audit import keys
from rectify.audit import services as audit
from rectify.jobs import queue
from rectify.jobs.models import Job
from rectify.ledger.models import Task
from rectify.reports import services as reports
from rectify.spreadsheets import ExportRow, write_ledger
from rectify.supervision.models import Notification, WebhookDelivery, WebhookEndpoint
from rectify.supervision.services.notifications import EMAIL_JOB
from tests.factories import make_task
from tests.reports_app.conftest import build_ledger

pytestmark = pytest.mark.postgres
SRC = Path(__file__).resolve().parents[2] / "src"
STARTUP_SECONDS = 40


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL 未配置（scripts/with-postgres.sh 会设置 DATABASE_URL）")


def _database_url() -> str:
    """The run's DATABASE_URL, pointed at the test database this test writes to."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    # Every app server of a deployment shares the secret key and the audit chain's key.
    env.update(PYTHONPATH=str(SRC), DATABASE_URL=_database_url(), SECRET_KEY=settings.SECRET_KEY,
               RECTIFY_AUDIT_KEY_FILE=str(keys.key_path()),
               RECTIFY_HOME=str(home), RECTIFY_FEEDBACK_PER_HOUR="2", RECTIFY_LOCKOUT="false",
               RECTIFY_DB_CONN_MAX_AGE="0", RECTIFY_WEBHOOK_ALLOWED_HOSTS="127.0.0.1,localhost", **extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn process and a cookie jar for talking to it."""

    def __init__(self, home: Path) -> None:
        self.port = _free_port()
        home.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "rectify.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--timeout", "60"],
            env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)

    def wait(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                status = self.request("GET", "/portal/", cookies={})[0]
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start: {self.process.stderr.read1().decode(errors='replace')}")

    def request(self, method: str, path: str, *, cookies: dict[str, str], body: bytes | None = None,
                content_type: str = "application/x-www-form-urlencoded") -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers.update({"Content-Type": content_type, "Origin": f"http://127.0.0.1:{self.port}",
                            "Referer": f"http://127.0.0.1:{self.port}{path}"})
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", errors="replace")
        location = response.getheader("Location") or ""
        conn.close()
        return response.status, text, location

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def servers(transactional_db, tmp_path) -> Iterator[tuple[Server, Server]]:
    pair = (Server(tmp_path / "server-a"), Server(tmp_path / "server-b"))
    try:
        for server in pair:
            server.wait()
        yield pair
    finally:
        for server in pair:
            server.stop()
        cache.clear()  # the shared cache is a table the flush after this test leaves alone


def _session_for(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_feedback_limit_and_an_import_span_both_servers(servers, world) -> None:
    a, b = servers
    unit = build_ledger(world.units[0]).unit
    notice = reports.generate_report(unit.office_staff, unit.inspection, "notice")
    reports.publish_report(unit.leader, notice)
    # The limit is 2 an hour from one address: one accepted on each server, the third refused on either.
    statuses = []
    for server in (a, b, a):
        cookies: dict[str, str] = {}
        page = server.request("GET", f"/portal/{notice.pk}/", cookies=cookies)[1]
        token = reports.feedback_token(notice, issued=clock.now() - dt.timedelta(seconds=30))
        body = urlencode({"csrfmiddlewaretoken": _csrf(page), "token": token, "name": "", "contact": "",
                          "message": "建议公开整改台账的更多细节", "website": ""}).encode()
        statuses.append(server.request("POST", f"/portal/{notice.pk}/", cookies=cookies, body=body)[0])
    assert statuses == [200, 200, 429]

    # Preview on A (its own data folder), confirm on B.
    cookies = _session_for(unit.office_staff)
    path = f"/inspections/{unit.inspection.pk}/import-ledger/"
    status, page, _location = a.request("GET", path, cookies=cookies)
    assert status == 200, page[:300]
    rows = [ExportRow(aspect="全面从严治党方面", finding="主体责任落实不到位", measure="两台服务器之间确认导入的措施",
                      leader=[], lead_org=["办公室"], co_orgs=[], deadline=None, category="立行立改", status=None,
                      light=None, progress=None)]
    data = write_ledger(rows, title="整改台账", unit="省委统战部", date_label="2026年11月")
    body, content_type = _multipart({"csrfmiddlewaretoken": _csrf(page)}, {"file": ("台账.xlsx", data)})
    status, preview, _location = a.request("POST", path, cookies=cookies, body=body, content_type=content_type)
    assert status == 200 and "两台服务器之间确认导入的措施" in preview
    token = re.search(r'name="token" value="([0-9a-f]+)"', preview).group(1)
    body = urlencode({"csrfmiddlewaretoken": _csrf(preview), "confirm": "1", "token": token}).encode()
    status, _page, location = b.request("POST", path, cookies=cookies, body=body)
    assert status == 302 and "ledger" in location and "import" not in location
    assert Task.objects.filter(inspection=unit.inspection, title="两台服务器之间确认导入的措施").count() == 1
    # Both servers appended to the units' audit chains, and every chain verifies.
    assert audit.verify().ok


class SlowReceiver:
    """A webhook receiver on 127.0.0.1 that takes a second to answer, so two runs overlap."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                receiver.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(1)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _rectify(home: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rectify", *args], env=_env(home, **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_remind_runs_at_once_deliver_each_warning_once(transactional_db, world, tmp_path) -> None:
    unit = world.units[0]
    unit.dept_handler.email = "handler@example.org"
    unit.dept_handler.save(update_fields=["email"])
    for i in range(3):
        make_task(unit, title=f"逾期的整改任务{i}", deadline=clock.today() - dt.timedelta(days=3 + i))
    receiver = SlowReceiver()
    try:
        WebhookEndpoint.objects.create(unit=unit.org, url=receiver.url, secret="s3cret", max_attempts=3)
        runs = [_rectify(tmp_path / name, "remind") for name in ("server-a", "server-b")]
        outputs = [run.communicate(timeout=60) for run in runs]
    finally:
        receiver.close()
    assert [run.returncode for run in runs] == [0, 0], outputs
    notifications = Notification.objects.filter(unit=unit.org)
    assert notifications.exists()
    deliveries = WebhookDelivery.objects.filter(notification__in=notifications)
    assert deliveries.count() == notifications.count() == len(receiver.bodies)
    assert set(deliveries.values_list("status", flat=True)) == {WebhookDelivery.Status.DELIVERED}
    mailed = notifications.filter(recipient=unit.dept_handler)
    printed = "".join(out for out, _err in outputs)
    for notification in mailed:
        assert printed.count(f"Subject: {notification.title}") <= 1  # console backend, long titles folded
    assert mailed.filter(emailed_at__isnull=True).count() == 0
    assert Job.objects.filter(name=EMAIL_JOB).count() == mailed.count()
    assert set(Job.objects.filter(name=EMAIL_JOB).values_list("attempts", flat=True)) == {1}


def test_a_killed_workers_job_is_taken_over_by_another(transactional_db, world, tmp_path) -> None:
    unit = world.units[0]
    unit.dept_handler.email = "handler@example.org"
    unit.dept_handler.save(update_fields=["email"])
    from rectify.supervision.services.notifications import Warning, notify

    (notification,) = notify([Warning(kind=Notification.Kind.OVERDUE, key="overdue:two-servers", title="【逾期警示】测试",
                                      body="请说明原因", recipients=[unit.dept_handler.pk], unit_id=unit.org.pk)])
    job = Job.objects.get(name=EMAIL_JOB)
    # Worker A's mail server accepts the connection and never answers: A hangs inside the job.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    try:
        first = _rectify(tmp_path / "server-a", "worker", RECTIFY_JOB_LEASE_SECONDS="2", RECTIFY_EMAIL_TIMEOUT="50",
                         RECTIFY_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                         RECTIFY_EMAIL_HOST="127.0.0.1", RECTIFY_EMAIL_PORT=str(silent.getsockname()[1]))
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == Job.Status.RUNNING:
                break
            time.sleep(0.2)
        assert job.status == Job.Status.RUNNING and job.locked_by.endswith(f":{first.pid}")
        first.kill()
        first.communicate(timeout=10)
    finally:
        silent.close()
    second = _rectify(tmp_path / "server-b", "worker", "--max-jobs", "1")
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2 and job.locked_by.endswith(f":{second.pid}")
    assert "Subject: " in out
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert queue.claim() is None
