"""The audit log is a keyed hash chain: any edit, insertion or deletion behind the system's back is found."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from rectify.audit import services as audit
from rectify.audit.models import AuditEvent
from rectify.ledger import services as ledger
from tests.factories import make_task

# Every test here may rewrite the table as its owner could.
pytestmark = pytest.mark.usefixtures("database_owner")


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
    forged = audit.seal(victim)
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
        assert event.hash == audit.seal(event)
    assert audit.verify().ok


def _forge_row(event_id: int, prev_hash: str, **values) -> None:
    """Insert an event behind the system's back, hashed with plain SHA-256 as the system once did."""
    from rectify import clock

    row = {"id": event_id, "created_at": clock.now(), "actor_id": None, "actor_name": "system",
           "action": "task.close", "object_type": "ledger.task", "object_id": "1", "unit_id": None,
           "before": None, "after": None, "note": "", "prev_hash": prev_hash, **values}
    row["hash"] = hashlib.sha256(audit.canonical(row)).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (id, created_at, actor_id, actor_name, action, object_type, object_id,"
            " unit_id, before, after, note, prev_hash, hash) VALUES (%s, %s, NULL, %s, %s, %s, %s, NULL, NULL,"
            " NULL, %s, %s, %s)",
            [row["id"], row["created_at"], row["actor_name"], row["action"], row["object_type"], row["object_id"],
             row["note"], row["prev_hash"], row["hash"]])


def test_forged_event_with_negative_id_is_found(unit):
    task = make_task(unit)
    _forge_row(-5, audit.GENESIS, object_id=str(task.pk))
    result = audit.verify()
    assert not result.ok
    assert result.bad_id == -5


def test_forged_event_with_id_zero_is_found(unit):
    make_task(unit)
    _forge_row(0, audit.GENESIS)
    assert audit.verify().bad_id == 0


def _rehash_unkeyed(from_id: int) -> None:
    """Rewrite the chain from `from_id` on with the unkeyed SHA-256, head and all, as a forger would."""
    events = list(AuditEvent.objects.order_by("id"))
    prev = events[from_id - 2].hash if from_id > 1 else audit.GENESIS
    with connection.cursor() as cursor:
        for event in events[from_id - 1:]:
            if event.pk == from_id:
                event.note = "篡改"
            event.prev_hash = prev
            event.hash = hashlib.sha256(audit.canonical(event)).hexdigest()
            cursor.execute("UPDATE audit_auditevent SET note = %s, prev_hash = %s, hash = %s WHERE id = %s",
                           [event.note, event.prev_hash, event.hash, event.pk])
            prev = event.hash
        cursor.execute("UPDATE audit_audithead SET last_hash = %s WHERE id = 1", [prev])


def test_chain_rehashed_without_the_key_is_found(unit):
    make_task(unit)
    _rehash_unkeyed(3)
    result = audit.verify()
    assert not result.ok
    assert result.bad_id == 3


def test_chain_rehashed_from_the_start_without_the_key_is_found(unit):
    make_task(unit)
    _rehash_unkeyed(1)
    assert audit.verify().bad_id == 1


def test_another_key_does_not_verify_the_chain(unit, settings, tmp_path):
    make_task(unit)
    settings.RECTIFY_AUDIT_KEY_FILE = str(tmp_path / "other_key")
    (tmp_path / "other_key").write_text("f" * 64)
    assert audit.verify().bad_id == 1


def test_removed_newest_events_are_found_against_the_kept_head(unit):
    make_task(unit)
    kept = audit.current_head()
    newest = list(AuditEvent.objects.order_by("-id")[:2])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id >= %s", [newest[-1].pk])
        survivor = AuditEvent.objects.order_by("-id").first()
        # The forger also moves the head row back, so the database alone looks consistent.
        cursor.execute("UPDATE audit_audithead SET last_id = %s, last_hash = %s WHERE id = 1",
                       [survivor.pk, survivor.hash])
    assert audit.verify().ok
    result = audit.verify(head=kept)
    assert not result.ok
    assert result.bad_id == survivor.pk + 1


def test_chain_grown_past_the_kept_head_verifies(unit):
    make_task(unit)
    kept = audit.current_head()
    make_task(unit)
    assert audit.verify(head=kept).ok


def test_kept_head_with_another_hash_is_found(unit):
    make_task(unit)
    kept = audit.current_head()
    result = audit.verify(head=audit.Head(kept.id, "a" * 64))
    assert result.bad_id == kept.id


def test_head_reads_back_as_printed():
    head = audit.Head(42, "ab" * 32)
    assert audit.Head.parse(str(head)) == head
