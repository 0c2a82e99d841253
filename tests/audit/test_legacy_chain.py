"""Chains kept before: an unkeyed chain is re-sealed with the key once, and the single chain the log was
before there was a chain per unit is continued by the system chain; both state the head they continue."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from rectify.audit import keys, legacy
from rectify.audit import services as audit
from rectify.audit.models import AuditEvent, AuditHead
from tests.factories import make_task

# The re-seal runs before PostgreSQL's append-only trigger is created; here the trigger is switched off.
pytestmark = pytest.mark.usefixtures("database_owner")


def _single_chain(*, keyed: bool, tamper_id: int | None = None) -> str:
    """Turn the events into one chain in id order, as the system wrote it before there was a chain per unit
    (with plain SHA-256 before the key); its head's hash."""
    prev = audit.GENESIS
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead")
        # The single chain numbered its events 1, 2, 3…: ascending, each id is free when it is taken.
        for number, event in enumerate(AuditEvent.objects.order_by("id"), start=1):
            old_id, event.id = event.id, number
            event.chain = event.seq = None
            event.prev_hash = prev
            canonical = audit.canonical(event)
            event.hash = keys.seal(canonical) if keyed else hashlib.sha256(canonical).hexdigest()
            note = "篡改" if event.pk == tamper_id else event.note
            cursor.execute("UPDATE audit_auditevent SET id = %s, chain = NULL, seq = NULL, prev_hash = %s, hash = %s,"
                           " note = %s WHERE id = %s", [number, event.prev_hash, event.hash, note, old_id])
            prev = event.hash
        count = AuditEvent.objects.count()
        cursor.execute("INSERT INTO audit_audithead (id, chain, last_id, last_hash, count) VALUES (1, NULL, %s, %s, %s)",
                       [count, prev, count])
    return prev


def test_unkeyed_chain_is_resealed_and_verifies(unit):
    make_task(unit)
    count = AuditEvent.objects.count()
    old_head = _single_chain(keyed=False)
    assert not audit.verify().ok
    stated = legacy.rekey(AuditEvent, AuditHead, connection)
    assert stated == {"last_id": count, "last_hash": old_head, "count": count, "verified": True}
    rekey = AuditEvent.objects.order_by("-id").first()
    assert rekey.action == "audit.rekey"
    assert rekey.before["last_hash"] == old_head and old_head in rekey.note
    legacy.split(AuditEvent, AuditHead, connection)
    result = audit.verify()
    assert result.ok and result.checked == count + 2


def test_resealed_chain_states_where_the_old_chain_was_broken(unit):
    make_task(unit)
    _single_chain(keyed=False, tamper_id=2)
    stated = legacy.rekey(AuditEvent, AuditHead, connection)
    assert stated["verified"] is False and stated["first_bad"] == 2
    assert AuditEvent.objects.order_by("-id").first().before["first_bad"] == 2


def test_empty_chain_needs_no_reseal(db):
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    assert legacy.rekey(AuditEvent, AuditHead, connection) is None
    assert legacy.split(AuditEvent, AuditHead, connection) is None
    assert not AuditEvent.objects.exists()


def test_single_chain_is_continued_by_the_system_chain(unit):
    make_task(unit)
    count = AuditEvent.objects.count()
    old_head = _single_chain(keyed=True)
    kept = audit.Head(count, old_head)  # as `rectify remind` printed it before
    assert legacy.split(AuditEvent, AuditHead, connection) == {
        "last_id": count, "last_hash": old_head, "count": count, "verified": True}
    first = AuditEvent.objects.get(chain=audit.SYSTEM_CHAIN, seq=1)
    assert first.action == "audit.chains" and first.prev_hash == old_head and old_head in first.note
    assert first.before["last_id"] == count
    # New writes go on the units' chains, and the head kept from before is still reached.
    make_task(unit)
    assert AuditEvent.objects.order_by("-id").first().chain == unit.org.pk
    result = audit.verify(head=kept)
    assert result.ok and result.checked == AuditEvent.objects.count()


def test_single_chain_edited_after_it_was_continued_is_found(unit):
    make_task(unit)
    _single_chain(keyed=True)
    legacy.split(AuditEvent, AuditHead, connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["篡改", 3])
    result = audit.verify()
    assert (result.ok, result.bad_id, result.chain) == (False, 3, None)


def test_single_chain_cut_short_after_it_was_continued_is_found(unit):
    make_task(unit)
    _single_chain(keyed=True)
    legacy.split(AuditEvent, AuditHead, connection)
    last = AuditEvent.objects.filter(chain__isnull=True).order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
        cursor.execute("UPDATE audit_audithead SET last_id = %s, last_hash = %s WHERE chain IS NULL",
                       [last.pk - 1, last.prev_hash])
    result = audit.verify()
    # The system chain's first event links to the removed event.
    assert (result.ok, result.chain, result.seq) == (False, audit.SYSTEM_CHAIN, 1)


def test_continuing_event_removed_is_found(unit):
    make_task(unit)
    _single_chain(keyed=True)
    legacy.split(AuditEvent, AuditHead, connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = %s", [audit.SYSTEM_CHAIN])
        cursor.execute("DELETE FROM audit_audithead WHERE chain = %s", [audit.SYSTEM_CHAIN])
    result = audit.verify()
    assert (result.ok, result.chain) == (False, audit.SYSTEM_CHAIN)


def _sequences_as_the_single_chain_left_them() -> None:
    """The single chain gave ids itself (its events', its head row's): the database's sequences never moved."""
    with connection.cursor() as cursor:
        for table in ("audit_auditevent", "audit_audithead"):
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, false)")
            else:
                cursor.execute("UPDATE sqlite_sequence SET seq = 0 WHERE name = %s", [table])


def test_writes_after_the_split_get_ids_after_the_single_chains(unit):
    make_task(unit)
    _single_chain(keyed=True)
    _sequences_as_the_single_chain_left_them()
    legacy.split(AuditEvent, AuditHead, connection)
    count = AuditEvent.objects.count()
    make_task(unit)  # new chains' head rows and events
    assert AuditEvent.objects.count() > count
    assert audit.verify().ok
