"""`rectify demo`, `rectify stats` and `rectify audit verify` as a user runs them."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rectify.ledger.models import Task

ROOT = Path(__file__).resolve().parents[2]


def rectify(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECTIFY_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "rectify", *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo")
    first = rectify(home, "demo", "--no-server")
    assert first.returncode == 0, first.stderr
    assert "Rectify-Demo-2026" in first.stdout
    return home, first.stdout


@pytest.fixture(scope="module")
def demo_home(first_run):
    return first_run[0]


def test_first_demo_run_says_what_it_is_doing(first_run):
    out = first_run[1]
    done, total = map(int, re.findall(r"正在建立数据库表 (\d+)/(\d+)", out)[-1])
    assert done == total > 0
    assert "正在创建演示数据" in out
    assert "省委统战部的问题、任务、进展和佐证材料（2/3）" in out


def test_demo_twice_gives_the_same_stats(demo_home):
    before = rectify(demo_home, "stats", "--json")
    again = rectify(demo_home, "demo", "--no-server")
    assert again.returncode == 0
    assert "未作改动" in again.stdout
    after = rectify(demo_home, "stats", "--json")
    assert before.returncode == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)


def test_demo_has_every_status_and_overdue_tasks(demo_home):
    stats = json.loads(rectify(demo_home, "stats", "--json").stdout)["inspections"]
    assert len(stats) >= 2
    total = sum(row["tasks"]["total"] for row in stats)
    assert total >= 60
    for status in Task.Status.values:
        assert sum(row["tasks"][status] for row in stats) > 0, status
    assert sum(row["tasks"]["overdue"] for row in stats) > 0
    assert all(row["leads"]["open"] and row["leads"]["concluded"] and row["rules"]["total"] for row in stats)


def test_demo_prints_a_login_for_every_role(demo_home):
    out = rectify(demo_home, "demo", "--no-server").stdout
    for role in ("系统管理员", "巡视巡察办", "整改办", "领导", "纪检监督", "责任单位"):
        assert role in out


def test_audit_verify_passes_then_fails_after_an_edit(demo_home, tmp_path):
    ok = rectify(demo_home, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "审计日志完整" in ok.stdout
    # Tamper with a copy so the other tests keep an intact database.
    copy = tmp_path / "home"
    copy.mkdir()
    with sqlite3.connect(demo_home / "rectify.sqlite3") as src, sqlite3.connect(copy / "rectify.sqlite3") as dst:
        src.backup(dst)
    (copy / "secret_key").write_text((demo_home / "secret_key").read_text())
    (copy / "audit_key").write_text((demo_home / "audit_key").read_text())
    with sqlite3.connect(copy / "rectify.sqlite3") as db:
        db.execute("UPDATE audit_auditevent SET after = json_set(after, '$.title', '改过') WHERE id = 40")
    bad = rectify(copy, "audit", "verify")
    assert bad.returncode != 0
    assert "#40" in bad.stderr


def test_help_lists_the_commands(tmp_path):
    out = rectify(tmp_path, "help").stdout
    for verb in ("demo", "stats", "audit verify", "parse", "import-ledger", "remind"):
        assert verb in out


def test_the_demo_server_runs_the_background_work(demo_home):
    """The 巡视办's common-problems page is analysed by the worker: `rectify demo` starts one with its server."""
    import http.cookiejar
    import socket
    import time
    import urllib.parse
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RECTIFY_HOME": str(demo_home), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "rectify", "demo", "--addrport", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                login = opener.open(base + "/accounts/login/", timeout=5).read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "the demo server did not answer"
                time.sleep(0.5)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "xunshiban",
                                       "password": "Rectify-Demo-2026"}).encode()
        opener.open(urllib.request.Request(base + "/accounts/login/", data=form, headers={"Referer": base + "/accounts/login/"}))
        while True:
            page = opener.open(base + "/supervision/common-problems/", timeout=30).read().decode()
            if "正在后台分析" not in page:
                break
            assert time.monotonic() < deadline, "the common problems were never analysed"
            time.sleep(1)
        assert "各单位共性问题" in page
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def test_demo_units_and_office_have_their_level(demo_home):
    with sqlite3.connect(demo_home / "rectify.sqlite3") as db:
        levels = dict(db.execute("SELECT name, level FROM organizations_organization WHERE kind != 'department'"))
    assert len(levels) == 3 and set(levels.values()) == {"provincial"}
