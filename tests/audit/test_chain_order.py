"""Transactions that write for two units in opposite orders never deadlock on the audit chains' heads.

Each chain's head row stays locked until its transaction commits, so T1 (unit A, then B) and T2 (B, then A)
would each wait for the other until PostgreSQL cancelled one. PostgreSQL only: SQLite lets one transaction
write at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from rectify.audit import services as audit
from rectify.audit.models import AuditEvent
from rectify.errors import StaleWrite

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"),
    pytest.mark.django_db(transaction=True),
]

UNIT_A, UNIT_B = 101, 202
PATIENCE = 30  # seconds a thread waits for the other, and for a lock, before the test gives up


def _in_thread(work: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with connection.cursor() as cursor:
                # A lock never granted fails the thread instead of hanging the test.
                cursor.execute(f"SET lock_timeout = '{PATIENCE}s'")
            work()
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _append(unit_id: int, note: str) -> None:
    audit.record(None, "task.update", object_type="ledger.task", object_id="1", unit_id=unit_id, note=note)


def _backend() -> int:
    return connection.cursor().connection.info.backend_pid


def _waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


@pytest.fixture(params=["new chains", "chains with events"])
def chains(request) -> int:
    """The two units' chains: made by the writers' first events, or already there (waits on a head row)."""
    if request.param == "chains with events":
        for unit_id in (UNIT_A, UNIT_B):
            _append(unit_id, "已有事件")
    return AuditEvent.objects.count()


class _Writer:
    """One thread's transaction: its backend, and whether it has made its first append."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.first_done = threading.Event()
        self.finished = threading.Event()

    def blocked_or_past_first(self) -> bool:
        return self.first_done.is_set() or self.finished.is_set() or (
            self.pid is not None and _waits_for_a_lock(self.pid))


def _meet(other: _Writer) -> None:
    """The barrier between a transaction's two appends: go on once the other transaction has made its first
    append too, or waits for a lock (then it can only go on after this one commits)."""
    for _ in range(PATIENCE * 100):
        if other.blocked_or_past_first():
            return
        threading.Event().wait(0.01)
    raise AssertionError("the other transaction neither appended nor waited")


def _across_units(me: _Writer, other: _Writer, first: int, second: int) -> Callable[[], None]:
    """A service's transaction that writes for two units: names both chains, then appends to each."""
    def work() -> None:
        me.pid = _backend()
        try:
            with transaction.atomic():
                audit.lock_chains([first, second])
                _append(first, f"先写单位 {first}")
                me.first_done.set()
                _meet(other)
                _append(second, f"再写单位 {second}")
        finally:
            me.finished.set()
    return work


def test_writes_for_two_units_in_opposite_orders_do_not_deadlock(chains):
    one, two = _Writer(), _Writer()
    first, first_errors = _in_thread(_across_units(one, two, UNIT_A, UNIT_B))
    second, second_errors = _in_thread(_across_units(two, one, UNIT_B, UNIT_A))
    first.join(3 * PATIENCE)
    second.join(3 * PATIENCE)
    assert not first_errors and not second_errors, first_errors + second_errors
    assert AuditEvent.objects.count() == chains + 4
    assert AuditEvent.objects.filter(chain=UNIT_A).count() == AuditEvent.objects.filter(chain=UNIT_B).count()
    assert audit.verify().ok


def test_a_lower_chain_needed_after_a_higher_one_is_refused_at_once_not_deadlocked(chains):
    """Without `lock_chains`, T1 appends to A then B, T2 to B then A: T2 is refused with a conflict to retry
    (and leaves nothing behind), T1 commits."""
    one, two = _Writer(), _Writer()

    def a_then_b() -> None:
        one.pid = _backend()
        with transaction.atomic():
            _append(UNIT_A, "先写单位 A")
            one.first_done.set()
            assert two.first_done.wait(PATIENCE)
            _append(UNIT_B, "再写单位 B")  # waits for T2's head of B, in order

    def b_then_a() -> None:
        two.pid = _backend()
        assert one.first_done.wait(PATIENCE)
        with transaction.atomic():
            _append(UNIT_B, "先写单位 B")
            two.first_done.set()
            for _ in range(PATIENCE * 100):
                if _waits_for_a_lock(one.pid):  # T1 now waits for B: waiting for A would close the cycle
                    break
                threading.Event().wait(0.01)
            _append(UNIT_A, "再写单位 A")

    first, first_errors = _in_thread(a_then_b)
    second, second_errors = _in_thread(b_then_a)
    first.join(3 * PATIENCE)
    second.join(3 * PATIENCE)
    assert not first_errors, first_errors
    assert len(second_errors) == 1 and isinstance(second_errors[0], StaleWrite), second_errors
    assert second_errors[0].message == "另一项操作正在写入同一审计链，本次操作未保存，请稍后重试"
    assert list(AuditEvent.objects.order_by("id").values_list("note", flat=True))[chains:] == [
        "先写单位 A", "再写单位 B"]
    assert audit.verify().ok


def test_a_chain_already_held_is_taken_again_without_a_conflict():
    with transaction.atomic():
        _append(UNIT_B, "单位 B")
        _append(UNIT_A, "单位 A：比已持有的链低，但无人占用")
        _append(UNIT_B, "单位 B 再写")
    assert AuditEvent.objects.filter(chain=UNIT_B).count() == 2
    assert audit.verify().ok


def test_bootstrap_names_the_system_chain_first_so_it_waits_for_a_login_instead_of_failing():
    """The first administrator and the plan's units in one transaction: the accounts' events go on the system
    chain after the units' chains, so `bootstrap` locks the system chain first and waits for a login's."""
    from rectify.organizations.bootstrap import bootstrap

    holding = threading.Event()
    me = _backend()

    def a_login_in_progress() -> None:
        with transaction.atomic():
            audit.record(None, "auth.login_failed", object_type="auth.user", object_id="someone")
            holding.set()
            for _ in range(PATIENCE * 100):
                if _waits_for_a_lock(me):
                    break
                threading.Event().wait(0.01)

    login, login_errors = _in_thread(a_login_in_progress)
    assert holding.wait(PATIENCE)
    result = bootstrap(username="admin", full_name="系统管理员", password="Zhenggai-2026-ok",
                       plan={"office": {"name": "省委巡视办"}, "units": [{"name": "省发展改革委", "departments": ["办公室"]}]})
    login.join(PATIENCE)
    assert result.admin_created and not login_errors
    assert audit.verify().ok
