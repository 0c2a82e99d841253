"""The benchmarks' synthetic province loads into the current schema: bench/generate.py writes its rows
with COPY in column lists of its own, so a new required column breaks it without any other test noticing.
A small scale is loaded into the test database and then read through the app as its personas."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.test import Client

from rectify.audit import keys
from rectify.audit import services as audit
from rectify.ledger.models import Task
from rectify.organizations.models import Organization, User

pytestmark = pytest.mark.postgres
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL 未配置（scripts/with-postgres.sh 会设置 DATABASE_URL）")


def _generate(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(PYTHONPATH=str(REPO / "src"), RECTIFY_HOME=str(tmp_path),
               RECTIFY_AUDIT_KEY_FILE=str(keys.key_path()),
               DATABASE_URL=urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])))
    connection.close()  # the generator truncates the tables this connection has seen
    return subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--scale", "0.001", "--reset",
                           "--no-vacuum"], env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_province_loads_and_its_personas_read_it(tmp_path):
    run = _generate(tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Task.unit wrong 0, last_progress_at wrong 0, Organization.path wrong 0" in run.stdout

    assert Task.objects.count() >= 1000
    assert Organization.objects.filter(kind=Organization.Kind.UNIT).exclude(level="").exists()
    assert audit.verify().ok

    client = Client()
    client.force_login(User.objects.get(username="u1-zgb"))  # the tests' hasher is not the bench's
    inspection = Task.objects.filter(unit__memberships__user__username="u1-zgb").values_list(
        "inspection_id", flat=True).first()
    page = client.get(f"/inspections/{inspection}/ledger/")
    assert page.status_code == 200
    assert "整改台账" in page.content.decode()
