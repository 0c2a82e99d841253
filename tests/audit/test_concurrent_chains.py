"""Writers of two units append to their own chains at once: neither waits for the other's transaction.
Writers of one unit still take turns on its chain. PostgreSQL only (SQLite has one writer at a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from rectify.audit import services as audit
from rectify.audit.models import AuditEvent

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"),
    pytest.mark.django_db(transaction=True),
]

UNIT_A, UNIT_B = 101, 202
PATIENCE = 60  # seconds a thread waits for the other before the test gives up


def _in_thread(work: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _write(unit_id: int, note: str) -> None:
    with transaction.atomic():
        audit.record(None, "task.update", object_type="ledger.task", object_id="1", unit_id=unit_id, note=note)


def _holding(unit_id: int, holding: threading.Event, release: threading.Event) -> Callable[[], None]:
    """A transaction that appends to the unit's chain and stays open until told to commit."""
    def work() -> None:
        with transaction.atomic():
            audit.record(None, "task.update", object_type="ledger.task", object_id="1", unit_id=unit_id,
                         note="长事务")
            holding.set()
            assert release.wait(PATIENCE), "never released"
    return work


def _waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def test_writers_of_two_units_do_not_wait_for_each_other():
    holding, release = threading.Event(), threading.Event()
    holder, holder_errors = _in_thread(_holding(UNIT_A, holding, release))
    assert holding.wait(PATIENCE)
    # Unit B's write commits while unit A's transaction still holds A's chain.
    writer, writer_errors = _in_thread(lambda: _write(UNIT_B, "另一单位的写入"))
    writer.join(PATIENCE)
    finished_while_held = not writer.is_alive()
    release.set()
    holder.join(PATIENCE)
    writer.join(PATIENCE)
    assert finished_while_held and not holder_errors and not writer_errors
    assert AuditEvent.objects.filter(chain=UNIT_B).count() == 1
    assert audit.verify().ok


def test_writers_of_one_unit_take_turns_on_its_chain():
    holding, release = threading.Event(), threading.Event()
    holder, holder_errors = _in_thread(_holding(UNIT_A, holding, release))
    assert holding.wait(PATIENCE)
    started = threading.Event()
    pid: list[int] = []

    def second() -> None:
        pid.append(connection.cursor().connection.info.backend_pid)
        started.set()
        _write(UNIT_A, "同一单位的写入")

    writer, writer_errors = _in_thread(second)
    assert started.wait(PATIENCE)
    # The second writer waits on the head row of the unit's chain until the first commits.
    waited = False
    while writer.is_alive() and not waited:
        waited = _waits_for_a_lock(pid[0])
    release.set()
    holder.join(PATIENCE)
    writer.join(PATIENCE)
    assert waited and not holder_errors and not writer_errors
    assert list(AuditEvent.objects.filter(chain=UNIT_A).order_by("seq").values_list("note", flat=True)) == [
        "长事务", "同一单位的写入"]
    assert audit.verify().ok
