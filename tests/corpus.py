"""Where the real reports are: the corpus beside the repository, or wherever RECTIFY_CORPUS says.

The corpus is not part of the project. Tests over it skip with one clear line when it is absent, so a
fresh clone with nothing beside it still passes; every other test uses fixtures the project writes itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("RECTIFY_CORPUS") or REPO.parent / "shared" / "corpus")
SEEDS = CORPUS / "seeds"
REAL = CORPUS / "real"

ABSENT = f"corpus of real reports not found at {CORPUS} (set RECTIFY_CORPUS to run these tests)"


def require(folder: Path = CORPUS) -> Path:
    """The folder, or skip the calling test with one line naming where the corpus was looked for."""
    if not folder.is_dir():
        pytest.skip(ABSENT)
    return folder


def files(folder: Path, pattern: str = "*.txt") -> list:
    """Parameters for `pytest.mark.parametrize`: one per file, or one skipped parameter when absent."""
    found = sorted(folder.glob(pattern)) if folder.is_dir() else []
    if not found:
        return [pytest.param(None, id="corpus-absent", marks=pytest.mark.skip(reason=ABSENT))]
    return [pytest.param(path, id=path.stem) for path in found]


def params(items: list) -> list:
    """`items` for `pytest.mark.parametrize`, or one skipped parameter naming the absent corpus."""
    if not items:
        return [pytest.param(None, id="corpus-absent", marks=pytest.mark.skip(reason=ABSENT))]
    return [pytest.param(item, id=str(item)) for item in items]
