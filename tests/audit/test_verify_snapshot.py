"""`rectify audit verify` reads every chain from one snapshot on SQLite too: an event appended by another
connection while the check runs is neither a false alarm nor half seen.

The test database is in memory, where one connection's read blocks another's write; these tests move the
audit tables to a file in WAL mode, as a deployment on SQLite has them.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from django.db import connection, connections

from rectify.audit import legacy
from rectify.audit import services as audit

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL reads from one snapshot already"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def audit_file(tmp_path):
    """The audit tables (and the users they name) in a file of their own (WAL), used by every connection made
    meanwhile."""
    path = tmp_path / "audit.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE (tbl_name LIKE 'audit_%' OR tbl_name = 'organizations_user')"
                       " AND sql IS NOT NULL")
        schema = [sql for (sql,) in cursor.fetchall()]
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode=WAL")
    for sql in schema:
        raw.execute(sql)
    raw.commit()
    raw.close()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None  # the in-memory database stays open through this handle
    connection.settings_dict["NAME"] = str(path)
    try:
        yield path
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def _append_elsewhere(unit_id: int) -> None:
    """Another connection (another thread) appends to the unit's chain and commits."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            audit.record(None, "task.update", object_type="ledger.task", object_id="1", unit_id=unit_id,
                         note="核对期间的写入")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert not thread.is_alive() and not errors, errors


@pytest.mark.parametrize("batch", [1, 5000])
def test_an_event_appended_during_verification_is_not_a_break(audit_file, monkeypatch, batch):
    for unit_id in (101, 202, 303):
        for _ in range(3):
            audit.record(None, "task.update", object_type="ledger.task", object_id="1", unit_id=unit_id)
    walk = legacy.walk

    def walk_then_append(*args, **kwargs):  # verify has read the head rows, not yet the chains
        result = walk(*args, **kwargs)
        _append_elsewhere(101)
        _append_elsewhere(303)
        return result

    monkeypatch.setattr(legacy, "walk", walk_then_append)
    result = audit.verify(batch=batch)
    assert (result.ok, result.reason, result.checked) == (True, "", 9)
    monkeypatch.setattr(legacy, "walk", walk)
    assert audit.verify().checked == 11  # the appended events, seen by the next check
