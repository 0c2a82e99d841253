"""The audit log is a hash chain: any edit, insertion or deletion behind the system's back is found."""

from __future__ import annotations

import hashlib

from django.db import connection

from rectify.audit import services as audit
from rectify.audit.models import AuditEvent
from rectify.ledger import services as ledger
from tests.factories import make_task


def test_every_write_is_audited_with_before_and_after(unit):
    task = make_task(unit)
    ledger.update_task(unit.office_staff, task, title="改写后的措施")
    event = AuditEvent.objects.filter(action="task.update").get()
    assert event.before["title"] != "改写后的措施"
    assert event.after["title"] == "改写后的措施"
    assert event.actor_id == unit.office_staff.pk
    assert event.unit_id == unit.org.pk


def test_chain_verifies_when_untouched(unit):
    make_task(unit)
    result = audit.verify()
    assert result.ok
    assert result.checked == AuditEvent.objects.count()


def test_edited_event_is_named(unit):
    make_task(unit)
    victim = AuditEvent.objects.order_by("id")[5]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["篡改", victim.pk])
    result = audit.verify()
    assert not result.ok
    assert result.bad_id == victim.pk


def test_edit_with_recomputed_hash_breaks_the_next_link(unit):
    make_task(unit)
    victim = AuditEvent.objects.order_by("id")[3]
    victim.note = "篡改"
    forged = hashlib.sha256(audit.canonical(victim)).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = %s, hash = %s WHERE id = %s", ["篡改", forged, victim.pk])
    result = audit.verify()
    assert not result.ok
    assert result.bad_id == victim.pk + 1


def test_deleted_event_is_found(unit):
    make_task(unit)
    victim = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    result = audit.verify()
    assert not result.ok
    assert result.bad_id == victim.pk


def test_deleted_last_event_is_found(unit):
    make_task(unit)
    last = AuditEvent.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    assert not audit.verify().ok


def test_events_cannot_be_changed_through_the_orm(unit):
    make_task(unit)
    event = AuditEvent.objects.first()
    event.note = "x"
    try:
        event.save()
    except RuntimeError:
        pass
    else:
        raise AssertionError("an audit event was overwritten")
    assert audit.verify().ok
