"""The notice library needs no Django: these tests run with or without pytest-django.

The repository-wide autouse fixtures adjust Django `settings`; here they get a plain namespace, so
nothing in this folder configures or imports Django.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture
def settings() -> SimpleNamespace:
    """Stands in for pytest-django's fixture: the notice library reads no settings."""
    return SimpleNamespace()
