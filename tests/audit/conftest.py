"""Tampering tests act as someone who owns the database: on PostgreSQL they first switch the
append-only trigger off (inside the test's transaction, so it is back on afterwards)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def database_owner(db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
