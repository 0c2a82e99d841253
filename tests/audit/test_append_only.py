"""On PostgreSQL the database itself refuses to change or delete an audit event."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from rectify.audit import services as audit
from rectify.audit.models import AuditEvent
from tests.factories import make_task

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def test_update_of_an_audit_event_is_refused(unit):
    make_task(unit)
    event = AuditEvent.objects.order_by("id").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["篡改", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == event.note


def test_delete_of_an_audit_event_is_refused(unit):
    make_task(unit)
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == count
    assert audit.verify().ok


def test_appending_still_works(unit):
    make_task(unit)
    before = AuditEvent.objects.count()
    make_task(unit)
    assert AuditEvent.objects.count() > before
    assert audit.verify().ok
