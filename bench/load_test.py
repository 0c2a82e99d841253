"""A bounded load test on loopback: gunicorn + PostgreSQL, N simulated users browsing for a fixed time.

Starts `gunicorn rectify.wsgi` on 127.0.0.1 (a free port), logs each simulated user in through the
real login form, then each user loops over what they do every day — a unit office (整改办): ledger,
a task, the unit dashboard; a department (责任单位): my tasks, a task, the API task list — until the
duration or the request budget runs out. Prints p50/p95/max per page and overall, throughput and
errors, then stops gunicorn. Needs the data of bench/generate.py; never leaves 127.0.0.1.
With --servers 2, two gunicorn servers (each with its own data folder) share the database, and every
user's requests alternate between them, as behind a round-robin proxy.

    DATABASE_URL=postgres://… PYTHONPATH=src python bench/load_test.py [--users 10] [--seconds 30] [--requests 3000]
        [--servers 2]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")

PASSWORD = "Bench-Rectify-2026"  # bench/generate.py sets it for every user
HOST = "127.0.0.1"
COMMAND = "DATABASE_URL=… PYTHONPATH=src python bench/load_test.py"


@dataclass
class User:
    username: str
    pages: list[tuple[str, str]]  # (page kind, path)


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    budget: int = 0
    stop_at: float = 0.0

    def take(self) -> bool:
        """Reserve one request from the budget; False once it is spent."""
        with self.lock:
            if self.budget <= 0:
                return False
            self.budget -= 1
            return True

    def record(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(ms)
            if error:
                self.errors[f"{kind}: {error}"] += 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def plan_users(count: int) -> list[User]:
    """Half unit offices of different units, half departments; URLs taken from the data."""
    import django

    django.setup()
    from rectify.inspections.models import Inspection
    from rectify.ledger.models import Task
    from rectify.organizations.models import Membership, Organization

    units = list(Organization.objects.filter(kind="unit").order_by("pk").values_list("pk", flat=True)[: max(1, count)])
    users = []
    for n in range(count):
        index = n // 2 % len(units)
        unit = units[index]
        inspection = Inspection.objects.filter(target_id=unit).order_by("-feedback_date", "-id").first()
        assert inspection is not None, "run bench/generate.py first"
        if n % 2 == 0:
            name = Membership.objects.filter(organization_id=unit, role="rectification_office").values_list(
                "user__username", flat=True).first()
            tasks = list(Task.objects.filter(inspection=inspection).order_by("position").values_list("pk", flat=True)[:20])
            pages = [("ledger", f"/inspections/{inspection.pk}/ledger/"), ("task", f"/tasks/{tasks[n % len(tasks)]}/"),
                     ("unit_dashboard", f"/units/{unit}/dashboard/"), ("ledger_p2", f"/inspections/{inspection.pk}/ledger/?page=2")]
        else:
            member = Membership.objects.filter(organization__parent_id=unit, role="department").select_related(
                "user").order_by("pk").first()
            assert member is not None
            name = member.user.username
            task = Task.objects.filter(lead_org_id=member.organization_id).order_by("-pk").values_list("pk", flat=True).first()
            pages = [("my_tasks", "/my/tasks/"), ("task", f"/tasks/{task}/"), ("api_tasks", "/api/v1/tasks?page_size=20")]
        assert name is not None
        users.append(User(name, pages))
    return users


def start_server(port: int, workers: int, home: str | None = None) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    if home:
        from django.conf import settings

        # A data folder of its own, the deployment's secret key: sessions are valid on every server.
        env.update(RECTIFY_HOME=home, SECRET_KEY=settings.SECRET_KEY)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rectify.wsgi", "-w", str(workers), "-b", f"{HOST}:{port}",
         "--timeout", "60", "--log-level", "warning"],
        env=env, cwd=str(REPO), start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/accounts/login/", timeout=5).read()
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn (its own process group, started by us) and wait for it."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def login(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise RuntimeError("login page has no CSRF token")
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)})
    request = urllib.request.Request(f"{base}/accounts/login/", data=form.encode(),
                                     headers={"Referer": f"{base}/accounts/login/"})
    response = opener.open(request, timeout=30)
    if "/accounts/login/" in response.geturl():
        raise RuntimeError(f"login failed for {username}")
    return opener


def browse(bases: list[str], user: User, results: Results, ready: threading.Barrier) -> None:
    """Log in, wait until every user has, then browse until the time or the request budget runs out,
    each request to the next server in turn."""
    opener = None
    try:
        start = time.perf_counter()
        opener = login(bases[0], user.username)
        results.record("login", (time.perf_counter() - start) * 1000, None)
    except Exception as exc:  # noqa: BLE001 - a failed login is a figure, not a crash
        results.record("login", 0.0, type(exc).__name__)
    ready.wait()
    if opener is None:
        return
    i = 0
    while time.monotonic() < results.stop_at and results.take():
        kind, path = user.pages[i % len(user.pages)]
        base = bases[i % len(bases)]
        i += 1
        error = None
        start = time.perf_counter()
        try:
            with opener.open(f"{base}{path}", timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            error = f"HTTP {exc.code}"
        except Exception as exc:  # noqa: BLE001
            error = type(exc).__name__
        results.record(kind, (time.perf_counter() - start) * 1000, error)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10, help="concurrent simulated users")
    parser.add_argument("--seconds", type=float, default=30.0, help="browsing time after login")
    parser.add_argument("--requests", type=int, default=3000, help="request budget over all users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--servers", type=int, default=1, help="gunicorn servers on one database")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("需要 PostgreSQL：请设置 DATABASE_URL（数据由 bench/generate.py 生成）", file=sys.stderr)
        return 2
    users = plan_users(args.users)
    import tempfile

    servers, bases = [], []
    for _ in range(args.servers):
        port = free_port()
        home = tempfile.mkdtemp(prefix="rectify-server-") if args.servers > 1 else None
        servers.append(start_server(port, args.workers, home))
        bases.append(f"http://{HOST}:{port}")
    results = Results(budget=args.requests)
    try:
        ready = threading.Barrier(len(users) + 1, timeout=300)
        threads = [threading.Thread(target=browse, args=(bases, u, results, ready), daemon=True) for u in users]
        results.stop_at = time.monotonic() + 3600  # set for real once everyone has logged in
        for thread in threads:
            thread.start()
        ready.wait()
        started = time.monotonic()
        results.stop_at = started + args.seconds
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
    finally:
        for server in servers:
            stop_server(server)
    pages = {k: v for k, v in results.latencies.items() if k != "login"}
    every = [ms for v in pages.values() for ms in v]
    errors = sum(results.errors.values())
    print(f"{args.users} users, {args.servers} × {args.workers} gunicorn workers, {elapsed:.1f} s after login: {len(every)} requests, "
          f"{len(every) / elapsed:.1f} req/s, {errors} errors")
    print(f"{'page':<16}{'n':>6}{'p50':>9}{'p95':>9}{'max':>9}")
    for kind in sorted(results.latencies):
        values = results.latencies[kind]
        print(f"{kind:<16}{len(values):>6}{statistics.median(values):>7.0f}ms{pct(values, 95):>7.0f}ms{max(values):>7.0f}ms")
    if every:
        print(f"{'all pages':<16}{len(every):>6}{statistics.median(every):>7.0f}ms{pct(every, 95):>7.0f}ms{max(every):>7.0f}ms")
    for what, n in sorted(results.errors.items()):
        print(f"error {what} × {n}")
    print(f"load average {os.getloadavg()[0]:.1f}; command: {COMMAND} --users {args.users} --seconds {args.seconds:g} "
          f"--requests {args.requests} --servers {args.servers} --workers {args.workers}")
    summary = {"users": args.users, "servers": args.servers, "seconds": round(elapsed, 1), "requests": len(every), "errors": errors,
               "p50_ms": round(statistics.median(every), 1) if every else None,
               "p95_ms": round(pct(every, 95), 1) if every else None}
    print("JSON " + json.dumps(summary))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
