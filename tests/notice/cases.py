"""The seed reports and the extra corpus of real notices, each with its hand-checked answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.corpus import SEEDS

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXTRA = HERE / "corpus"


@dataclass(frozen=True)
class Case:
    """A real published notice and its hand-checked answer."""

    name: str
    text: str
    expected: dict[str, Any]

    def __str__(self) -> str:
        return self.name


def _cases(folder: Path) -> list[Case]:
    cases = []
    for answer in sorted(folder.glob("*.json")):
        expected = json.loads(answer.read_text(encoding="utf-8"))
        text = (folder / expected["file"]).read_text(encoding="utf-8")
        cases.append(Case(name=answer.stem, text=text, expected=expected))
    return cases


SEED_CASES = _cases(SEEDS) if SEEDS.is_dir() else []
EXTRA_CASES = _cases(EXTRA) if EXTRA.is_dir() else []
ALL_CASES = SEED_CASES + EXTRA_CASES
