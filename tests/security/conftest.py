"""Fixtures for the trust tests: real subprocesses on throw-away deployments, and a clock to move."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup(); "


def subprocess_env(home: Path, *, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment of a `rectify` subprocess using this work tree's code and the deployment at `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECTIFY_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("DEBUG", None)
    env.update(
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]), RECTIFY_HOME=str(home),
        DJANGO_SETTINGS_MODULE="rectify.settings", PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def run_rectify(home: Path, *args: str, database_url: str | None = None,
                timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rectify", *args], env=subprocess_env(home, database_url=database_url),
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)


def run_python(home: Path, code: str, *, database_url: str | None = None,
               timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SETUP + code], env=subprocess_env(home, database_url=database_url),
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)


@pytest.fixture(scope="session")
def migrated_sqlite(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """A migrated, empty SQLite database file to copy into throw-away deployments."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "rectify.sqlite3"
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The test database is already migrated: copy it with SQLite's backup API (milliseconds).
        # (pytest-django sets it up only when a collected test uses the database; else migrate below.)
        with django_db_blocker.unblock():
            connection.ensure_connection()
            copy = sqlite3.connect(path)
            connection.connection.backup(copy)
            copy.close()
    else:
        result = run_rectify(folder, "migrate", "-v", "0")
        assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def sqlite_home(migrated_sqlite, tmp_path) -> Path:
    """RECTIFY_HOME of a fresh deployment on SQLite, already migrated."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(migrated_sqlite, home / "rectify.sqlite3")
    return home


@pytest.fixture
def travel(monkeypatch) -> Callable[..., dt.datetime]:
    """Move the clock forward (`travel(minutes=31)`) for Django, sessions, django-axes and rectify."""
    import axes.attempts
    import axes.handlers.proxy
    from django.utils import timezone

    real_now = timezone.now
    offset = dt.timedelta()

    def now() -> dt.datetime:
        return real_now() + offset

    for module in (timezone, axes.attempts, axes.handlers.proxy):
        monkeypatch.setattr(module, "now", now)

    def move(**delta: float) -> dt.datetime:
        nonlocal offset
        offset += dt.timedelta(**delta)
        return now()

    return move


@pytest.fixture
def postgres_url() -> str:
    """DATABASE_URL of the PostgreSQL server the run uses; PostgreSQL tests skip without one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL 未配置（scripts/with-postgres.sh 会设置 DATABASE_URL）")
    return url
