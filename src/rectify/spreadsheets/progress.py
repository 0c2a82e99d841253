"""The 整改进展 column as offices keep it in Excel: a history of dated entries in one cell.

    "2021年3月5日：已起草修订稿。3月20日，办公室召开专题会审议。"
    → [(2021-03-05, "已起草修订稿。"), (2021-03-20, "办公室召开专题会审议。")]

An entry without a year takes the year of the entry before it (or the inspection's year); text
before the first date, or a cell without any date, is one entry of unknown date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rectify.rules.text import arabic_dates, half_width

__all__ = ["Entry", "progress_entries"]

_DATE = (
    r"(?:(?P<y>(?:19|20)\d{2})\s*[年.\-/]\s*)?(?P<m>\d{1,2})\s*[月.\-/]\s*(?P<d>\d{1,2})\s*[日号]?"
)
# A date that opens an entry: at the start of the cell, of a line, or of a sentence.
_ENTRY_START = re.compile(rf"(?:^|(?<=[\n。；;]))\s*{_DATE}\s*[:：，,、\s]?")


@dataclass(frozen=True)
class Entry:
    """One progress entry: the day it was reported (None when the cell does not say) and its text."""

    reported_on: date | None
    text: str


def progress_entries(text: str, *, year: int | None) -> list[Entry]:
    """The dated entries of one 整改进展 cell, in the order written."""
    text = arabic_dates(half_width(text or "")).strip()
    if not text:
        return []
    starts = [m for m in _ENTRY_START.finditer(text) if _valid(m, year)]
    if not starts:
        return [Entry(None, text)]
    entries: list[Entry] = []
    head = text[: starts[0].start()].strip()
    if head:
        entries.append(Entry(None, head))
    current = year
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        body = text[match.end():end].strip()
        if match["y"]:
            current = int(match["y"])
        day = date(current, int(match["m"]), int(match["d"])) if current else None
        if body:
            entries.append(Entry(day, body))
    return entries


def _valid(match: re.Match[str], year: int | None) -> bool:
    value = int(match["y"]) if match["y"] else (year or 2000)
    try:
        date(value, int(match["m"]), int(match["d"]))
    except ValueError:
        return False
    return True
