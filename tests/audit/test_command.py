"""`rectify audit verify [--head ID:HASH]`, and the head printed by the daily run and by backups."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from rectify.audit import services as audit
from rectify.audit.models import AuditEvent, AuditHead
from tests.factories import make_task


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def _newest_checkpoint() -> audit.Head:
    event = AuditEvent.objects.filter(action="audit.checkpoint").order_by("-id").first()
    return audit.Head(event.pk, event.hash)


def test_verify_names_the_head_it_reached(unit):
    make_task(unit)
    head = audit.checkpoint()
    text = _run("verify", "--head", str(head))
    assert "审计日志完整" in text and f"已到达保存的链头 #{head.id}" in text


@pytest.mark.usefixtures("database_owner")
def test_verify_fails_when_the_kept_head_was_cut_off(unit):
    make_task(unit)
    kept = audit.checkpoint()
    last = AuditEvent.objects.get(pk=kept.id)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
        if last.seq == 1:
            cursor.execute("DELETE FROM audit_audithead WHERE chain = %s", [audit.SYSTEM_CHAIN])
        else:
            survivor = AuditEvent.objects.get(chain=audit.SYSTEM_CHAIN, seq=last.seq - 1)
            cursor.execute("UPDATE audit_audithead SET last_id = %s, last_hash = %s, count = %s WHERE chain = %s",
                           [survivor.pk, survivor.hash, survivor.seq, audit.SYSTEM_CHAIN])
    assert audit.verify().ok
    with pytest.raises(CommandError, match=f"#{last.pk}"):
        _run("verify", "--head", str(kept))


@pytest.mark.usefixtures("database_owner")
def test_verify_names_the_chain_and_place_of_a_missing_event(unit):
    make_task(unit)
    victim = AuditEvent.objects.get(chain=unit.org.pk, seq=2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError, match=f"单位 {unit.org.pk} 的审计链第 2 条"):
        _run("verify")


def test_verify_refuses_a_malformed_head(db):
    with pytest.raises(CommandError, match="「--head」无法识别：12"):
        _run("verify", "--head", "12")


def test_head_prints_every_chain_and_the_checkpoint_that_seals_them(unit, other):
    make_task(unit)
    make_task(other)
    printed = json.loads(_run("head", "--json", "--chains"))
    assert printed["head"] == str(_newest_checkpoint())
    for org in (unit.org, other.org):
        last = AuditEvent.objects.filter(chain=org.pk).order_by("-seq").first()
        assert printed["chains"][str(org.pk)] == {"count": last.seq, "head": f"{last.pk}:{last.hash}"}


@pytest.mark.parametrize("as_json", [False, True])
def test_verify_takes_what_head_printed(unit, tmp_path, as_json):
    make_task(unit)
    kept = tmp_path / "audit-head.txt"
    kept.write_text(_run("head", *(["--json"] if as_json else [])), encoding="utf-8")
    make_task(unit)
    text = _run("verify", "--head", str(kept))
    assert f"已到达保存的链头 #{_newest_checkpoint().id}" in text


def test_daily_run_prints_the_head(unit):
    make_task(unit)
    out = io.StringIO()
    call_command("remind", "--no-email", stdout=out)
    head = _newest_checkpoint()
    assert f"审计链头 {head}" in out.getvalue()
    assert "审计日志完整" in _run("verify", "--head", str(head))


def test_the_printed_head_stays_one_line_for_thousands_of_chains(db, tmp_path):
    audit.record_many(None, [audit.Entry("task.update", object_type="ledger.task", object_id="1", unit_id=1000 + i)
                             for i in range(3000)])
    text = _run("head")
    printed = _run("head", "--json")
    assert text.count("\n") == 1 and len(text.encode()) < 400
    assert len(printed.encode()) < 200 and json.loads(printed)["chain_count"] == 3001  # and the system chain
    kept = tmp_path / "audit-head.txt"
    kept.write_text(text, encoding="utf-8")
    assert "审计日志完整：已校验 3001 条审计链" in _run("verify", "--head", str(kept))


@pytest.mark.parametrize("printed", [["--chains"], ["--chains", "--json"]])
def test_verify_still_reads_a_head_printed_with_every_chain(unit, tmp_path, printed):
    make_task(unit)
    kept = tmp_path / "audit-head.txt"
    kept.write_text(_run("head", *printed), encoding="utf-8")
    make_task(unit)
    assert f"已到达保存的链头 #{_newest_checkpoint().id}" in _run("verify", "--head", str(kept))


def _cut_back(chain: int, keep: int) -> None:
    """Remove a chain's events after `keep` and move its head row back, so the database alone looks consistent."""
    survivor = AuditEvent.objects.get(chain=chain, seq=keep)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = %s AND seq > %s", [chain, keep])
    AuditHead.objects.filter(chain=chain).update(last_id=survivor.pk, last_hash=survivor.hash, count=keep)


def _reseal(chain: int, seq: int, change) -> str:
    """Change an event and re-seal its chain from there with the key, as a forger holding the key could;
    the chain's new last hash."""
    before = AuditEvent.objects.filter(chain=chain, seq=seq - 1).values_list("hash", flat=True).first()
    prev = before or audit.GENESIS
    for event in AuditEvent.objects.filter(chain=chain, seq__gte=seq).order_by("seq").values(*audit._COLUMNS):
        if event["seq"] == seq:
            change(event)
        event["prev_hash"] = prev
        event["hash"] = prev = audit.seal(event)
        AuditEvent.objects.filter(pk=event["id"]).update(
            note=event["note"], after=event["after"], prev_hash=event["prev_hash"], hash=event["hash"])
    AuditHead.objects.filter(chain=chain).update(last_hash=prev)
    return prev


@pytest.mark.usefixtures("database_owner")
def test_verify_against_the_printed_head_finds_a_truncated_chain(unit, tmp_path):
    make_task(unit)
    kept = tmp_path / "audit-head.txt"
    kept.write_text(_run("head"), encoding="utf-8")
    make_task(unit)
    _run("head")
    # The forger removes the later checkpoint, then cuts the unit's chain below the kept one.
    _cut_back(audit.SYSTEM_CHAIN, _newest_checkpoint_event().seq - 1)
    _cut_back(unit.org.pk, 2)
    with pytest.raises(CommandError, match=f"单位 {unit.org.pk} 的审计链第 3 条"):
        _run("verify", "--head", str(kept))


@pytest.mark.usefixtures("database_owner")
def test_verify_against_the_printed_head_finds_a_chain_re_sealed_with_the_key(unit, tmp_path):
    make_task(unit)
    kept = tmp_path / "audit-head.txt"
    kept.write_text(_run("head"), encoding="utf-8")
    # The forger holds the key: rewrites the unit's second event, re-seals the chain, and the checkpoint with it.
    last = _reseal(unit.org.pk, 2, lambda event: event.update(note="改写的历史"))
    checkpoint = _newest_checkpoint_event()

    def reseal_checkpoint(event) -> None:
        event["after"]["chains"][str(unit.org.pk)] = f"{AuditHead.objects.get(chain=unit.org.pk).count}:{last}"

    _reseal(audit.SYSTEM_CHAIN, checkpoint.seq, reseal_checkpoint)
    assert audit.verify().ok  # the database alone is consistent again
    with pytest.raises(CommandError, match=f"事件 #{checkpoint.pk}.*differs from the anchored head"):
        _run("verify", "--head", str(kept))


def _newest_checkpoint_event() -> AuditEvent:
    return AuditEvent.objects.filter(action="audit.checkpoint").order_by("-id").first()
