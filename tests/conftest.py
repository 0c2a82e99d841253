"""Shared fixtures: two inspected units under one inspection office, and a persona for every role."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _fast_hashing(settings, request):
    # Argon2 is deliberately slow; tests that are not about passwords use a fast hasher.
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from tests.factories import build_world

    return build_world()


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
