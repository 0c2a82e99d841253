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


def test_verify_names_the_head_it_reached(unit):
    make_task(unit)
    head = audit.current_head()
    text = _run("verify", "--head", str(head))
    assert "审计日志完整" in text and f"已到达保存的链头 #{head.id}" in text


@pytest.mark.usefixtures("database_owner")
def test_verify_fails_when_the_kept_head_was_cut_off(unit):
    make_task(unit)
    kept = audit.current_head()
    last = AuditEvent.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
        cursor.execute("UPDATE audit_audithead SET last_id = %s, last_hash = %s WHERE id = 1",
                       [last.pk - 1, last.prev_hash])
    with pytest.raises(CommandError, match=f"#{last.pk}"):
        _run("verify", "--head", str(kept))


def test_verify_refuses_a_malformed_head(db):
    with pytest.raises(CommandError, match="「--head」无法识别：12"):
        _run("verify", "--head", "12")


def test_head_prints_id_and_hash(unit):
    make_task(unit)
    assert json.loads(_run("head", "--json")) == {"head": str(audit.current_head())}


def test_daily_run_prints_the_head(unit):
    make_task(unit)
    out = io.StringIO()
    call_command("remind", "--no-email", stdout=out)
    assert f"审计链头 {audit.current_head()}" in out.getvalue()

