"""The supervision rules need no Django: these tests run with or without pytest-django.

The repository-wide autouse fixtures adjust Django `settings`; here they get a plain namespace.
Seed measures are the "一是……二是……" items of the published reports in corpus/seeds.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from tests import corpus

SEEDS = corpus.SEEDS

_MARK = re.compile(r"(?:十[一二三四五六七八九]|[一二三四五六七八九十])是")


def split_measures(text: str) -> list[str]:
    """The 一是/二是 items of a report, each up to the next item or the end of its paragraph."""
    found: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        starts = [
            m.start()
            for m in _MARK.finditer(paragraph)
            if m.start() == 0 or paragraph[m.start() - 1] in "。；;：:，,（() "
        ]
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(paragraph)
            found.append(paragraph[start:end].strip())
    return found


@pytest.fixture
def settings() -> SimpleNamespace:
    """Stands in for pytest-django's fixture: the rules read no settings."""
    return SimpleNamespace()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    corpus.require(SEEDS)
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_measures(seed_texts: dict[str, str]) -> list[tuple[str, str]]:
    """(report name, measure) for every 一是/二是 item of the seed reports."""
    return [(name, m) for name, text in seed_texts.items() for m in split_measures(text)]
