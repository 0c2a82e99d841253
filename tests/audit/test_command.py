"""`rectify audit verify [--head ID:HASH]`, and the head printed by the daily run and by backups."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from rectify.audit import services as audit
from rectify.audit.models import AuditEvent
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
    printed = json.loads(_run("head", "--json"))
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
