"""The deployment test builds a whole deployment: it runs when selected (`-m deployment`), as scripts/test.sh does."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expression = config.getoption("markexpr") or ""
    if "deployment" in expression and "not deployment" not in expression:
        return
    skip = pytest.mark.skip(reason="builds a whole deployment: run with -m deployment (scripts/test.sh does)")
    for item in items:
        if "deployment" in item.keywords:
            item.add_marker(skip)
