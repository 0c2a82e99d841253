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


def test_events_appended_in_bulk_read_back_as_recorded_and_verify(unit):
    task = make_task(unit)
    entries = [
        audit.Entry("task.import", task, unit.org.pk, note="第一行\n第二行 \"引号\" \\ 反斜杠"),
        audit.Entry("note.add", object_type="ledger.note", object_id=7, unit_id=None,
                    before={"text": "旧", "tags": ["甲", 1, None, True, 2.5]},
                    after={"text": "新\u2028", "nested": {"b": [], "a": {"z": "\x01"}}}),
        audit.Entry("noop", object_type="x", object_id=None),
    ]
    assert audit.record_many(unit.office_staff, entries) == 3
    events = list(AuditEvent.objects.order_by("-id")[:3])[::-1]
    assert [e.action for e in events] == ["task.import", "note.add", "noop"]
    assert events[0].after["title"] == task.title and events[0].note.endswith("反斜杠")
    assert events[1].before == {"text": "旧", "tags": ["甲", 1, None, True, 2.5]}
    assert events[1].after == {"text": "新\u2028", "nested": {"b": [], "a": {"z": "\x01"}}}
    assert events[2].before is None and events[2].after is None and events[2].object_id == ""
    for event in events:
        assert event.hash == hashlib.sha256(audit.canonical(event)).hexdigest()
    assert audit.verify().ok
