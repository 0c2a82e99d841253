"""Clean the text officials type into ledger cells.

Full-width digits and letters, stray spaces (including the padding of two-character names),
line breaks inside cells, leading numbering (``1.`` ``（1）`` ``一、``) and several names in one
cell are all everyday habits; these functions turn them into one normal form so that a ledger
written by `write_ledger` and read back gives the same text.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache

from rectify.rules.text import half_width, numbering_of, starts_with_numbering, strip_numbering

__all__ = [
    "cell_text",
    "clean_text",
    "half_width",
    "numbering_of",
    "sort_roles",
    "split_names",
    "starts_with_numbering",
    "strip_numbering",
]

# Characters that cannot live in an XLSX cell (openpyxl refuses them) and never carry meaning.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|_x000[dD]_")
_SPACES = re.compile(r"[ \t\x0b\x0c]+")
_CJK = (
    "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    "\u2018\u2019\u201c\u201d\u2026\u2014"
)
# A space next to a Chinese character is padding, never a word separator.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")

_SENTENCE_END = tuple("。；;：:！!？?）)”」")

_NAME_SEPARATORS = re.compile(r"[、，,;；/|]+|\n")


def cell_text(value: object) -> str:
    """Render a cell value as the text a user sees (numbers without a trailing ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _clean_line(line: str) -> str:
    line = _SPACES.sub(" ", line).strip()
    return _SPACE_NEAR_CJK.sub("", line) if " " in line else line


def clean_text(value: object, *, numbering: bool = True) -> str:
    """Normal form of a text cell.

    Lines are stripped and empty ones dropped. A line break is kept where it separates items
    (the line before ends a sentence, or the next line starts with a number) and dropped where
    it only wrapped a sentence by hand. With ``numbering``, a single item's leading number is
    removed ("1.加强…" → "加强…"); a cell that lists several numbered items keeps its numbers.
    """
    if value is None:
        return ""
    return _clean(cell_text(value), numbering)


@lru_cache(maxsize=8192)
def _clean(text: str, numbering: bool) -> str:
    # Cached: a merged or repeated cell (an aspect over 50 rows) is cleaned once.
    text = _CONTROL.sub("", half_width(text))
    lines = [_clean_line(line) for line in _LINE_BREAK.split(text)]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    numbered_later = any(starts_with_numbering(line) for line in lines[1:])
    if numbering and not numbered_later:
        first = strip_numbering(lines[0]).strip()
        if first:
            lines[0] = first
    joined = lines[0]
    for line in lines[1:]:
        if joined.endswith(_SENTENCE_END) or starts_with_numbering(line):
            joined += "\n" + line
        elif joined[-1:].isascii() and joined[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum():
            joined += " " + line
        else:
            joined += line
    return joined


# Marks that say which role an organization plays when one column lists both.
_LEAD_MARK = re.compile(r"[(（\[【]\s*(?:牵头|牵头单位|主责|负责)\s*[)）\]】]|[(（]\s*牵\s*[)）]")
_CO_MARK = re.compile(r"[(（\[【]\s*(?:配合|配合单位|协办|协同|参与)\s*[)）\]】]")
_LEAD_PREFIX = re.compile(r"^(?:牵头(?:单位)?[:：])")
_CO_PREFIX = re.compile(r"^(?:配合(?:单位)?[:：]|协办(?:单位)?[:：])")


def split_names(value: object) -> list[str]:
    """Split a cell listing several people or organizations.

    Separators are 、，,;；/ and line breaks; whitespace separates too, unless a piece would be a
    single character — "张  三" is one name padded to line up with three-character names.
    """
    if value is None:
        return []
    return list(_split(cell_text(value)))


@lru_cache(maxsize=8192)
def _split(text: str) -> tuple[str, ...]:
    text = _CONTROL.sub("", half_width(text))
    names: list[str] = []
    for part in _NAME_SEPARATORS.split(_LINE_BREAK.sub("\n", text)):
        part = _SPACES.sub(" ", part).strip()
        if not part:
            continue
        pieces = part.split(" ")
        if len(pieces) > 1 and all(len(piece) > 1 for piece in pieces) and not _inside_brackets(part):
            candidates = pieces
        else:
            candidates = ["".join(pieces)]
        for name in candidates:
            name = strip_numbering(name).strip("：: 。.")
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _inside_brackets(part: str) -> bool:
    """True when a space sits inside (…), as in "办公室 (牵头)", which is one name."""
    depth = 0
    for char in part:
        if char in "(（[【":
            depth += 1
        elif char in ")）]】":
            depth -= 1
        elif char == " " and depth > 0:
            return True
    # "办公室 (牵头)": the mark belongs to the name before it.
    return bool(re.search(r" [(（\[【]", part))


def sort_roles(names: list[str], *, default_lead: bool) -> tuple[list[str], list[str]]:
    """Split organization names into (lead, co) using "（牵头）"/"（配合）" marks.

    When any name carries a mark, marked names go to their role and unmarked ones to the other
    role than the marked ones; without marks every name takes the column's own role.
    """
    lead, co = _sort_roles(tuple(names), default_lead)
    return list(lead), list(co)


@lru_cache(maxsize=4096)
def _sort_roles(names: tuple[str, ...], default_lead: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    lead: list[str] = []
    co: list[str] = []
    has_lead_mark = any(_LEAD_MARK.search(n) or _LEAD_PREFIX.match(n) for n in names)
    has_co_mark = any(_CO_MARK.search(n) or _CO_PREFIX.match(n) for n in names)
    for name in names:
        is_lead_marked = bool(_LEAD_MARK.search(name) or _LEAD_PREFIX.match(name))
        is_co_marked = bool(_CO_MARK.search(name) or _CO_PREFIX.match(name))
        bare = _CO_PREFIX.sub("", _LEAD_PREFIX.sub("", _CO_MARK.sub("", _LEAD_MARK.sub("", name)))).strip()
        if not bare:
            continue
        if is_lead_marked:
            is_lead = True
        elif is_co_marked:
            is_lead = False
        elif has_lead_mark:
            is_lead = False
        elif has_co_mark:
            is_lead = True
        else:
            is_lead = default_lead
        target = lead if is_lead else co
        if bare not in target:
            target.append(bare)
    return tuple(lead), tuple(co)
