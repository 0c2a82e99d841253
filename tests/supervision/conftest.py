"""Supervision fixtures: one world per test module (built once, rolled back at the end), on a fixed date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings

from rectify import clock

# A Monday, so dispatch weeks start on it; 2025 is covered by the holiday tables.
START = dt.date(2025, 3, 3)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def shared_world(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[object]:
    """`tests.factories.build_world()` on START, shared by the tests of a module; each test still runs
    in its own savepoint (through `db`), and the whole module's data is rolled back afterwards."""
    from tests.factories import build_world

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with clock.frozen(START):
                world = build_world()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def sw(shared_world: object, db: None) -> object:
    """The module's world inside this test's savepoint."""
    return shared_world


@pytest.fixture
def on_start() -> Iterator[dt.date]:
    with clock.frozen(START):
        yield START
