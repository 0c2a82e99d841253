"""Shared fixtures: two inspected units under one inspection office, and a persona for every role."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Timings belong in bench/, not in tests: no per-example deadline. CI runs the same examples every time.
hypothesis_settings.register_profile(
    "rectify", deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CI") == "true",
)
hypothesis_settings.load_profile("rectify")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
# A short progress notice in the real shape, written for the tests: 3 方面, 6 问题, 12 measures.
NOTICE = FIXTURES / "notice-linjiang-2024.txt"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.RECTIFY_JOB_PROGRESS_DIR = tmp_path / "jobs"


@pytest.fixture(autouse=True)
def _fast_hashing(settings, request):
    # Argon2 is deliberately slow; tests that are not about passwords use a fast hasher.
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from tests.factories import build_world

    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for a whole module, rolled back at its end; each test still runs in its own savepoint.

    For modules of many small tests that only read the world or add rows of their own.
    """
    from django.db import transaction
    from django.test import override_settings

    from tests.factories import build_world

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture
def unit(world):
    return world.units[0]


@pytest.fixture
def other(world):
    return world.units[1]


@pytest.fixture
def today():
    from rectify import clock

    return clock.today()


@pytest.fixture
def feedback_date(today):
    return today - dt.timedelta(days=60)


@pytest.fixture(autouse=True)
def _webhooks_to_this_machine(settings):
    # The webhook tests post to receivers on this machine; deployments list their own hosts.
    settings.RECTIFY_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
