"""The audit log is a keyed hash chain per unit: any edit, insertion or deletion behind the system's back is found."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection, transaction

from rectify import clock
from rectify.audit import services as audit
from rectify.audit.models import AuditEvent, AuditHead
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
    assert result.chains == AuditEvent.objects.values("chain").distinct().count() > 1


def test_each_units_events_form_a_chain_of_their_own(unit, other):
    make_task(unit)
    make_task(other)
    for org in (unit.org, other.org):
        events = list(AuditEvent.objects.filter(unit_id=org.pk).order_by("id"))
        assert [e.chain for e in events] == [org.pk] * len(events)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[0].prev_hash == audit.GENESIS
        assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    # Events of no unit (creating the units themselves, logins) go on the system chain.
    assert not AuditEvent.objects.filter(unit_id__isnull=True).exclude(chain=audit.SYSTEM_CHAIN).exists()
    assert audit.verify().ok


def _successor(event: AuditEvent) -> AuditEvent:
    return AuditEvent.objects.get(chain=event.chain, seq=event.seq + 1)


def _inner_event(unit) -> AuditEvent:
    """An event of the unit's chain with events after it."""
    return AuditEvent.objects.filter(chain=unit.org.pk).order_by("seq")[2]


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
    victim = _inner_event(unit)
    victim.note = "篡改"
    forged = audit.seal(victim)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = %s, hash = %s WHERE id = %s", ["篡改", forged, victim.pk])
    result = audit.verify()
    assert not result.ok
    assert (result.bad_id, result.chain, result.seq) == (_successor(victim).pk, unit.org.pk, victim.seq + 1)


def test_deleted_event_is_found(unit):
    make_task(unit)
    victim = _inner_event(unit)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    result = audit.verify()
    assert not result.ok
    assert (result.chain, result.seq) == (unit.org.pk, victim.seq)


def test_deleted_event_of_the_system_chain_is_found(unit):
    make_task(unit)
    for name in ("甲", "乙", "丙"):
        audit.record(None, "auth.login_failed", object_type="auth.user", object_id=name)
    victim = AuditEvent.objects.filter(chain=audit.SYSTEM_CHAIN).order_by("seq")[1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    result = audit.verify()
    assert (result.ok, result.chain, result.seq) == (False, audit.SYSTEM_CHAIN, victim.seq)


def test_deleted_last_event_is_found(unit):
    make_task(unit)
    last = AuditEvent.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    result = audit.verify()
    assert not result.ok
    assert (result.chain, result.seq) == (last.chain, last.seq)


def test_deleted_last_event_of_every_chain_is_found(unit, other):
    make_task(unit)
    make_task(other)
    audit.record(None, "auth.login_failed", object_type="auth.user", object_id="甲")
    for chain in (audit.SYSTEM_CHAIN, unit.org.pk, other.org.pk):
        with transaction.atomic():
            last = AuditEvent.objects.filter(chain=chain).order_by("-seq").first()
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
            result = audit.verify()
            assert (result.ok, result.chain, result.seq) == (False, chain, last.seq)
            transaction.set_rollback(True)


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


def _rehash_unkeyed(chain: int, from_seq: int) -> AuditEvent:
    """Rewrite a chain from `from_seq` on with the unkeyed SHA-256, head and all, as a forger would;
    the first rewritten event."""
    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    prev = events[from_seq - 2].hash if from_seq > 1 else audit.GENESIS
    with connection.cursor() as cursor:
        for event in events[from_seq - 1:]:
            if event.seq == from_seq:
                event.note = "篡改"
            event.prev_hash = prev
            event.hash = hashlib.sha256(audit.canonical(event)).hexdigest()
            cursor.execute("UPDATE audit_auditevent SET note = %s, prev_hash = %s, hash = %s WHERE id = %s",
                           [event.note, event.prev_hash, event.hash, event.pk])
            prev = event.hash
        cursor.execute("UPDATE audit_audithead SET last_hash = %s WHERE chain = %s", [prev, chain])
    return events[from_seq - 1]


def test_chain_rehashed_without_the_key_is_found(unit):
    make_task(unit)
    first = _rehash_unkeyed(unit.org.pk, 3)
    result = audit.verify()
    assert not result.ok
    assert (result.bad_id, result.chain, result.seq) == (first.pk, unit.org.pk, 3)


def test_chain_rehashed_from_the_start_without_the_key_is_found(unit):
    make_task(unit)
    first = _rehash_unkeyed(unit.org.pk, 1)
    assert audit.verify().bad_id == first.pk


def test_system_chain_rehashed_without_the_key_is_found(unit):
    make_task(unit)
    for name in ("甲", "乙", "丙"):
        audit.record(None, "auth.login_failed", object_type="auth.user", object_id=name)
    first = _rehash_unkeyed(audit.SYSTEM_CHAIN, 2)
    assert audit.verify().bad_id == first.pk


def test_forged_event_appended_to_a_unit_chain_is_found(unit):
    make_task(unit)
    head = AuditHead.objects.get(chain=unit.org.pk)
    row = {"chain": unit.org.pk, "seq": head.count + 1, "created_at": clock.now(), "actor_id": None,
           "actor_name": "system", "action": "task.close", "object_type": "ledger.task", "object_id": "1",
           "unit_id": unit.org.pk, "before": None, "after": None, "note": "", "prev_hash": head.last_hash}
    row["hash"] = hashlib.sha256(audit.canonical(row)).hexdigest()
    forged = AuditEvent.objects.create(**row)
    AuditHead.objects.filter(pk=head.pk).update(last_id=forged.pk, last_hash=forged.hash, count=forged.seq)
    result = audit.verify()
    assert (result.ok, result.bad_id, result.chain) == (False, forged.pk, unit.org.pk)


def test_another_key_does_not_verify_the_chain(unit, settings, tmp_path):
    make_task(unit)
    settings.RECTIFY_AUDIT_KEY_FILE = str(tmp_path / "other_key")
    (tmp_path / "other_key").write_text("f" * 64)
    first = AuditEvent.objects.order_by("chain", "seq").first()
    assert audit.verify().bad_id == first.pk


def _cut_back(chain: int, keep: int) -> None:
    """Remove a chain's events after `keep` and move its head row back, so the database alone looks consistent."""
    survivor = AuditEvent.objects.filter(chain=chain, seq=keep).first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = %s AND seq > %s", [chain, keep])
        if survivor is None:
            cursor.execute("DELETE FROM audit_audithead WHERE chain = %s", [chain])
        else:
            cursor.execute("UPDATE audit_audithead SET last_id = %s, last_hash = %s, count = %s WHERE chain = %s",
                           [survivor.pk, survivor.hash, keep, chain])


def test_cut_back_chain_verifies_alone_as_the_database_holds_it(unit):
    make_task(unit)
    _cut_back(unit.org.pk, 2)
    assert audit.verify().ok


def test_chain_cut_back_below_a_checkpoint_is_found(unit, other):
    make_task(unit)
    make_task(other)
    audit.checkpoint()
    make_task(other)
    _cut_back(unit.org.pk, 2)
    result = audit.verify()
    assert (result.ok, result.chain, result.seq) == (False, unit.org.pk, 3)
    assert "checkpoint" in result.reason


def test_chain_removed_whole_is_found_by_the_checkpoint(unit, other):
    make_task(unit)
    make_task(other)
    audit.checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = %s", [other.org.pk])
        cursor.execute("DELETE FROM audit_audithead WHERE chain = %s", [other.org.pk])
    result = audit.verify()
    assert (result.ok, result.chain) == (False, other.org.pk)


def test_chain_removed_whole_is_found_by_its_head_row(unit, other):
    make_task(unit)
    make_task(other)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = %s", [other.org.pk])
    result = audit.verify()
    assert (result.ok, result.chain) == (False, other.org.pk)


def test_removed_newest_events_are_found_against_the_kept_head(unit):
    make_task(unit)
    kept = audit.checkpoint()
    # The forger removes the checkpoint too, and moves every head row back.
    _cut_back(audit.SYSTEM_CHAIN, AuditEvent.objects.get(pk=kept.id).seq - 1)
    _cut_back(unit.org.pk, 2)
    assert audit.verify().ok
    result = audit.verify(head=kept)
    assert not result.ok
    assert result.bad_id == kept.id and "missing" in result.reason


def test_chain_cut_back_below_the_kept_checkpoint_is_found(unit):
    make_task(unit)
    kept = audit.checkpoint()
    make_task(unit)
    later = audit.checkpoint()
    # The forger removes the later checkpoint, then cuts the unit's chain below the kept one.
    _cut_back(audit.SYSTEM_CHAIN, AuditEvent.objects.get(pk=later.id).seq - 1)
    _cut_back(unit.org.pk, 2)
    assert not audit.verify().ok  # the kept checkpoint is still the newest one left
    result = audit.verify(head=kept)
    assert (result.ok, result.chain, result.seq) == (False, unit.org.pk, 3)


def test_newest_event_kept_as_a_head_anchors_its_chain(unit):
    make_task(unit)
    kept = audit.current_head()
    newest = AuditEvent.objects.order_by("-id").first()
    assert (kept.id, kept.hash) == (newest.pk, newest.hash)
    assert audit.verify(head=kept).ok
    _cut_back(newest.chain, newest.seq - 1)
    assert audit.verify().ok
    assert audit.verify(head=kept).bad_id == newest.pk


def test_chain_grown_past_the_kept_head_verifies(unit):
    make_task(unit)
    kept = audit.checkpoint()
    make_task(unit)
    assert audit.verify(head=kept).ok


def test_kept_head_with_another_hash_is_found(unit):
    make_task(unit)
    kept = audit.checkpoint()
    result = audit.verify(head=audit.Head(kept.id, "a" * 64))
    assert result.bad_id == kept.id


def test_checkpoint_seals_every_unit_chains_head(unit, other):
    make_task(unit)
    make_task(other)
    kept = audit.checkpoint()
    event = AuditEvent.objects.get(pk=kept.id)
    heads = {str(h.chain): f"{h.count}:{h.last_hash}" for h in AuditHead.objects.exclude(chain=audit.SYSTEM_CHAIN)}
    assert (event.chain, event.action, event.hash) == (audit.SYSTEM_CHAIN, "audit.checkpoint", kept.hash)
    assert event.after["chains"] == heads and str(unit.org.pk) in heads and str(other.org.pk) in heads


def test_head_reads_back_as_printed():
    head = audit.Head(42, "ab" * 32)
    assert audit.Head.parse(str(head)) == head
