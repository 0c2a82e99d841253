"""Dates as notices write them.

"2021年3月16日至5月15", "8月13日" (year from context), "二〇二一年八月二十六日", "2021-08-26",
and deadlines, read by the one deadline grammar (`rectify.rules.deadlines`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rectify.notice.numerals import fold_width, to_int
from rectify.rules.deadlines import LONG_TERM, DeadlineError, read_deadline

_CN_YEAR = "[〇零○一二三四五六七八九]{4}"
_CN_MD = "[一二三四五六七八九十]{1,3}"
_YEAR = r"(?P<@y>\d{4}|" + _CN_YEAR + r")\s*年\s*"
# A month never follows a digit: "2024717日至830日" (年 and 月 lost in extraction) is no date.
_MONTH = r"(?P<@m>(?<!\d)\d{1,2}|" + _CN_MD + r")\s*月"
_DAY = r"(?:\s*(?P<@d>\d{1,2}|" + _CN_MD + r")(?:\s*[日号])?(?![\d个天次轮届]))?"


def _date_pattern(prefix: str, *, year_required: bool = False) -> str:
    year = _YEAR.replace("@", prefix)
    return (year if year_required else f"(?:{year})?") + _MONTH.replace("@", prefix) + _DAY.replace("@", prefix)


DATE_RE = re.compile(_date_pattern(""))
RANGE_RE = re.compile(
    _date_pattern("a") + r"\s*(?:至|到|—+|-|－|～|~|一)\s*" + _date_pattern("b")
)
ISO_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_STANDALONE_RE = re.compile(
    r"^\s*(?P<y>\d{4}|" + _CN_YEAR + r")\s*年\s*(?P<m>\d{1,2}|" + _CN_MD + r")\s*月\s*"
    r"(?P<d>\d{1,2}|" + _CN_MD + r")\s*日\s*$"
)


@dataclass(frozen=True)
class Found:
    """A date met in the text, with where it was."""

    start: int
    end: int
    value: date | None  # None when the day or the year could not be known
    has_year: bool
    year: int | None
    month: int
    day: int | None


def _valid(year: int | None, month: int, day: int | None) -> date | None:
    if year is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _found(match: re.Match[str], prefix: str, context_year: int | None, offset: int = 0) -> Found | None:
    raw_year = match.group(prefix + "y")
    raw_day = match.group(prefix + "d")
    try:
        month = to_int(match.group(prefix + "m"))
        year = to_int(raw_year) if raw_year else context_year
        day = to_int(raw_day) if raw_day else None
    except ValueError:
        return None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return Found(
        start=match.start() + offset,
        end=match.end() + offset,
        value=_valid(year, month, day),
        has_year=raw_year is not None,
        year=year,
        month=month,
        day=day,
    )


def find_dates(text: str, context_year: int | None = None) -> list[Found]:
    """Every date in the text; a date without a year takes the year of the one before it."""
    folded = fold_width(text)
    found: list[Found] = []
    year = context_year
    last_month = 0
    for match in DATE_RE.finditer(folded):
        item = _found(match, "", year)
        if item is None:
            continue
        if item.has_year:
            year = item.year
        elif year is not None and item.month < last_month:
            # "12月20日 … 2月4日": the later date has rolled into the next year.
            year += 1
            item = Found(item.start, item.end, _valid(year, item.month, item.day), False, year, item.month, item.day)
        last_month = item.month
        found.append(item)
    return found


def find_range(text: str, context_year: int | None = None) -> tuple[date | None, date | None, int] | None:
    """The first "A至B" range in the text: (start, end, index after the range); B may omit year or 日."""
    folded = fold_width(text)
    for match in RANGE_RE.finditer(folded):
        first = _found(match, "a", context_year)
        if first is None:
            continue
        second = _found(match, "b", first.year)
        if second is None:
            continue
        end = second.value
        if not second.has_year and first.year is not None and second.day is not None:
            year = first.year + (1 if second.month < first.month else 0)
            end = _valid(year, second.month, second.day)
        return first.value, end, match.end()
    return None


def standalone_date(line: str) -> date | None:
    """The date when the whole line is one full date (a document's date line): 2021年8月26日."""
    match = _STANDALONE_RE.match(fold_width(line))
    if not match:
        return None
    try:
        return _valid(to_int(match["y"]), to_int(match["m"]), to_int(match["d"]))
    except ValueError:
        return None


def iso_date(text: str) -> date | None:
    """A web page's posting date: 2021-08-26, 2021/8/26, 2021.08.26."""
    match = ISO_RE.search(fold_width(text))
    if not match:
        return None
    return _valid(int(match["y"]), int(match["m"]), int(match["d"]))


def parse_deadline(text: str, year: int) -> date | None:
    """A deadline (完成时限) a notice names, as a date: 6月底前 → 30 June, 明年底 → 31 Dec next year.

    Read by the one deadline grammar (`rectify.rules.deadlines`); `year` is the year the text is
    read in (the notice or plan year). Returns None for long-term tasks (长期坚持, 持续推进) and for
    text that names no deadline.
    """
    try:
        read = read_deadline(text, year=year)
    except DeadlineError:
        return None
    return None if read.category == LONG_TERM else read.date
