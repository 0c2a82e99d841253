"""A chain written before the key is moved onto the keyed chain once, stating the head it continues from."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from rectify.audit import legacy
from rectify.audit import services as audit
from rectify.audit.models import AuditEvent, AuditHead
from tests.factories import make_task

# The re-seal runs before PostgreSQL's append-only trigger is created; here the trigger is switched off.
pytestmark = pytest.mark.usefixtures("database_owner")


def _unkeyed_chain(tamper_id: int | None = None) -> str:
    """Turn the events into a chain as the system wrote it before the key (plain SHA-256)."""
    prev = audit.GENESIS
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.order_by("id"):
            event.prev_hash = prev
            event.hash = hashlib.sha256(audit.canonical(event)).hexdigest()
            note = "篡改" if event.pk == tamper_id else event.note
            cursor.execute("UPDATE audit_auditevent SET prev_hash = %s, hash = %s, note = %s WHERE id = %s",
                           [event.prev_hash, event.hash, note, event.pk])
            prev = event.hash
        cursor.execute("UPDATE audit_audithead SET last_hash = %s WHERE id = 1", [prev])
    return prev


def test_unkeyed_chain_is_resealed_and_verifies(unit):
    make_task(unit)
    count = AuditEvent.objects.count()
    old_head = _unkeyed_chain()
    assert not audit.verify().ok
    stated = legacy.rekey(AuditEvent, AuditHead, connection)
    assert stated == {"last_id": count, "last_hash": old_head, "count": count, "verified": True}
    result = audit.verify()
    assert result.ok and result.checked == count + 1
    rekey = AuditEvent.objects.order_by("-id").first()
    assert rekey.action == "audit.rekey"
    assert rekey.before["last_hash"] == old_head and old_head in rekey.note


def test_resealed_chain_states_where_the_old_chain_was_broken(unit):
    make_task(unit)
    _unkeyed_chain(tamper_id=2)
    stated = legacy.rekey(AuditEvent, AuditHead, connection)
    assert stated["verified"] is False and stated["first_bad"] == 2
    assert AuditEvent.objects.order_by("-id").first().before["first_bad"] == 2


def test_empty_chain_needs_no_reseal(db):
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    assert legacy.rekey(AuditEvent, AuditHead, connection) is None
    assert not AuditEvent.objects.exists()
