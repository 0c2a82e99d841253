"""A long import killed with SIGKILL midway leaves the database as before it, audit chain intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlparse, urlunparse

import pytest
from django.db import connection

from tests.security.conftest import REPO, SETUP, run_python, subprocess_env

# Commits a world, reports the counts, then runs 2,000 services in one transaction; killed midway.
LONG_IMPORT = SETUP + """
import json
from django.db import transaction
from tests.factories import build_world, make_task
from tests.security.deployment import db_counts
world = build_world()
print("before " + json.dumps(db_counts()), flush=True)
with transaction.atomic():
    for index in range(2000):
        make_task(world.units[index % 2])
        if index == 25:
            print("started", flush=True)
print("finished", flush=True)
"""


def kill_midway(env: dict[str, str]) -> dict[str, int]:
    """Start the import, SIGKILL it once it is inside its transaction; return the counts before it."""
    process = subprocess.Popen([sys.executable, "-c", LONG_IMPORT], env=env, cwd=REPO, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    before: dict[str, int] | None = None
    deadline = time.monotonic() + 600
    try:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith("before "):
                before = json.loads(line.removeprefix("before "))
            if line.strip() == "started":
                time.sleep(0.5)  # let it write a good deal more inside the transaction
                break
            assert time.monotonic() < deadline, "the import never started"
        else:
            pytest.fail("import ended before it started: " + process.stderr.read())  # type: ignore[union-attr]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert "finished" not in process.stdout.read()  # type: ignore[union-attr]
    assert before is not None and before["ledger.Task"] == 0
    return before


AFTER = """
import json
from rectify.audit.services import verify
from tests.security.deployment import db_counts
result = verify()
print(json.dumps({"counts": db_counts(), "ok": result.ok, "checked": result.checked, "reason": result.reason}))
"""


def test_killed_import_leaves_sqlite_as_before(sqlite_home):
    before = kill_midway(subprocess_env(sqlite_home))
    after = run_python(sqlite_home, AFTER)
    assert after.returncode == 0, after.stderr
    state = json.loads(after.stdout.strip().splitlines()[-1])
    assert state["counts"] == before
    assert state["ok"] and state["checked"] == before["audit events"], state["reason"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_import_leaves_postgresql_as_before(postgres_url, tmp_path):
    from rectify.audit.services import verify
    from tests.security.deployment import db_counts

    if connection.vendor != "postgresql":
        pytest.skip("the test database is not PostgreSQL")
    from rectify.audit.keys import key_path, sealer

    sealer()  # the key file exists from the first sealed event on
    url = urlunparse(urlparse(postgres_url)._replace(path=f"/{connection.settings_dict['NAME']}"))
    # The import's process seals events with this deployment's key, which the check below reads too.
    before = kill_midway(subprocess_env(tmp_path, database_url=url, RECTIFY_AUDIT_KEY_FILE=str(key_path())))
    assert db_counts() == before
    result = verify()
    assert result.ok and result.checked == before["audit events"], result.reason
