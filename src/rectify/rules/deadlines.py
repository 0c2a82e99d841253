"""One grammar of deadlines (完成时限), for notices and ledgers alike.

"2021年6月底前", "6月底前", "12月31日前", "2021.12", "2021/9/30", "2022-03-31", "年底前", "明年底",
"2021年上半年", "二〇二一年六月底", "2022年3月至6月底" (the end of the range), an Excel date or
serial number (44377), or no date at all: "立行立改", "长期坚持", "已完成". Several dates give the
latest one. A text without its year takes the reference year (the inspection's); 明年 is the year
after it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from rectify.rules.messages import Message, gettext_noop
from rectify.rules.text import arabic_dates, half_width

__all__ = ["DEADLINE", "IMMEDIATE", "LONG_TERM", "Deadline", "DeadlineError", "category_words", "read_deadline"]

# Categories, as Task.Category stores them.
IMMEDIATE = "immediate"  # 立行立改
DEADLINE = "deadline"  # 限期整改
LONG_TERM = "long_term"  # 长期整改

MIN_YEAR = 1990
MAX_YEAR = 2100
# Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included); serials 32874…73415 are 1990…2100.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = range(32874, 73416)


@dataclass(frozen=True)
class Deadline:
    """A deadline read: the date (if any), the category it implies, and a progress remark."""

    date: date | None
    category: str
    progress: str | None = None


class DeadlineError(ValueError):
    """The text is not a deadline; `message` (a `Message`: Chinese, translatable) names the value and
    the reason."""

    def __init__(self, template: str, **values: Any) -> None:
        self.message = Message(template, **values)
        super().__init__(str(self.message))


_IMMEDIATE = re.compile(r"立行立改|立即整改|即知即改|立知立改|立查立改|边巡边改|边查边改|马上就改|立即落实")
_LONG_TERM = re.compile(
    r"长期坚持|长期整改|长期推进|长期执行|长期|持续推进|持续整改|持续开展|持续|常态化|常抓不懈|久久为功"
)
_DONE = re.compile(
    r"已整改完成|已完成整改|已全部完成|已基本完成|已整改到位|已完成|已整改|已办结|已销号|已落实"
)
# Years named relative to the reference year: "明年底", "今年6月底".
_NEXT_YEAR = re.compile(r"明年|次年|下一年|下年")
_THIS_YEAR = re.compile(r"今年|本年度|本年|当年")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")

_Y = r"(?P<y>\d{4})"
_M = r"(?P<m>\d{1,2})"
_D = r"(?P<d>\d{1,2})"
_PERIODS = {
    "上半年": (6, 30),
    "下半年": (12, 31),
    "一季度": (3, 31),
    "1季度": (3, 31),
    "二季度": (6, 30),
    "2季度": (6, 30),
    "三季度": (9, 30),
    "3季度": (9, 30),
    "四季度": (12, 31),
    "4季度": (12, 31),
}
_PERIOD = r"(?P<p>第?(?:上半年|下半年|[一二三四1-4]季度))"
_YEAR_END = r"(?P<e>年底|年末|年内|年终|底|末|内|全年)"
_MONTH_PART = r"(?P<part>底|末|上旬|中旬|下旬|初|份|中)?"


class _Scan:
    """Dates found in one deadline text, resolving years left out ("2021年3月至6月底")."""

    def __init__(self, original: str, year: int | None) -> None:
        self.original = original
        self.default_year = year
        self.context_year: int | None = None
        self.dates: list[date] = []

    def year(self, text: str | None) -> int:
        if text is not None:
            value = int(text)
            if not MIN_YEAR <= value <= MAX_YEAR:
                raise DeadlineError(gettext_noop("「%(text)s」中的年份 %(year)s 不合理"), text=self.original, year=value)
            self.context_year = value
            return value
        if self.context_year is not None:
            return self.context_year
        if self.default_year is None:
            raise DeadlineError(
                gettext_noop("「%(text)s」没有写年份，请指定巡视（巡察）所在年份后再导入"), text=self.original
            )
        return self.default_year

    def month(self, text: str) -> int:
        value = int(text)
        if not 1 <= value <= 12:
            raise DeadlineError(gettext_noop("「%(text)s」中的月份 %(month)s 不存在"), text=self.original, month=value)
        return value

    def add(self, year: int, month: int, day: int) -> None:
        try:
            self.dates.append(date(year, month, day))
        except ValueError:
            raise DeadlineError(
                gettext_noop("「%(text)s」中的日期 %(year)s年%(month)s月%(day)s日 不存在"),
                text=self.original, year=year, month=month, day=day,
            ) from None

    def month_end(self, year: int, month: int, part: str | None) -> None:
        last = calendar.monthrange(year, month)[1]
        day = {"上旬": 10, "中旬": 20, "中": 15, "初": 10}.get(part or "", last)
        self.add(year, month, day)


def _full_date(scan: _Scan, m: re.Match[str]) -> None:
    y = scan.year(m.group("y"))
    scan.add(y, scan.month(m.group("m")), int(m.group("d")))


def _year_month(scan: _Scan, m: re.Match[str]) -> None:
    y = scan.year(m.group("y"))
    scan.month_end(y, scan.month(m.group("m")), m.groupdict().get("part"))


def _year_period(scan: _Scan, m: re.Match[str]) -> None:
    y = scan.year(m.groupdict().get("y"))
    period = (m.groupdict().get("p") or "").removeprefix("第")
    month, day = _PERIODS.get(period, (12, 31))
    scan.add(y, month, day)


def _month_day(scan: _Scan, m: re.Match[str]) -> None:
    month = scan.month(m.group("m"))
    scan.add(scan.year(None), month, int(m.group("d")))


def _month_only(scan: _Scan, m: re.Match[str]) -> None:
    month = scan.month(m.group("m"))
    scan.month_end(scan.year(None), month, m.group("part"))


def _year_only(scan: _Scan, m: re.Match[str]) -> None:
    scan.add(scan.year(m.group("y")), 12, 31)


_PATTERNS: list[tuple[re.Pattern[str], Callable[[_Scan, re.Match[str]], None]]] = [
    (re.compile(rf"{_Y}年{_M}月{_D}[日号]?"), _full_date),
    (re.compile(rf"{_Y}[.\-/]{_M}[.\-/]{_D}(?!\d)"), _full_date),
    (re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?!\d)"), _full_date),
    (re.compile(rf"{_Y}年{_M}月{_MONTH_PART}"), _year_month),
    (re.compile(rf"{_Y}[.\-/]{_M}(?![\d.\-/])"), _year_month),
    (re.compile(rf"{_Y}年?{_PERIOD}"), _year_period),
    (re.compile(rf"{_Y}年{_YEAR_END}"), _year_period),
    (re.compile(rf"{_Y}年(?![\d上下第一二三四])"), _year_only),
    (re.compile(rf"(?<!\d){_M}月{_D}[日号]"), _month_day),
    (re.compile(rf"(?<!\d){_M}月{_MONTH_PART}"), _month_only),
    (re.compile(_PERIOD), _year_period),
    (re.compile(r"(?P<e>年底|年末|年内|年终|全年)"), _year_period),
]


def read_deadline(value: object, *, year: int | None) -> Deadline:
    """Read one deadline: a cell of the 完成时限 column, or a deadline a measure names.

    `year` is the reference year (the inspection's), used when the text leaves it out ("6月底前")
    and for 明年/今年. Several dates ("2021年6月底前完成排查，12月底前完成整改") give the latest.
    Raises `DeadlineError` for an empty value, an impossible date, or a missing year.
    """
    if isinstance(value, datetime):
        return Deadline(value.date(), DEADLINE)
    if isinstance(value, date):
        return Deadline(value, DEADLINE)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value, str(value))
    text = "" if value is None else str(value)
    return _read_text(text.strip(), year)


def _serial(number: float, original: str) -> Deadline:
    """An Excel date typed as a number (a number cell, or a CSV field): 44377 → 2021-06-30."""
    if number != int(number) or int(number) not in _SERIAL_RANGE:
        raise DeadlineError(gettext_noop("「%(text)s」不是可识别的完成时限"), text=original)
    return Deadline(_EXCEL_EPOCH + timedelta(days=int(number)), DEADLINE)


def category_words(text: str) -> str | None:
    """The category a text's own words give, without a date: LONG_TERM (长期坚持, 持续推进, 常态化…) before
    IMMEDIATE (立行立改, 立即整改…), else None. The words are the ones a 完成时限 cell is read by."""
    if _LONG_TERM.search(text):
        return LONG_TERM
    if _IMMEDIATE.search(text):
        return IMMEDIATE
    return None


@lru_cache(maxsize=4096)
def _read_text(original: str, year: int | None) -> Deadline:
    # Cached: a ledger repeats a few deadlines ("2021年6月底前") down thousands of rows.
    text = arabic_dates(re.sub(r"\s+", "", half_width(original)))
    if not text:
        raise DeadlineError(gettext_noop("完成时限为空"))
    if _SERIAL.match(text):
        return _serial(float(text), original)

    progress = None
    done = _DONE.search(text)
    if done:
        progress = done.group(0)
        text = _DONE.sub("", text)

    immediate = _IMMEDIATE.search(text)
    long_term = _LONG_TERM.search(text)
    for match in (immediate, long_term):
        if match:
            text = text.replace(match.group(0), " ")

    if _NEXT_YEAR.search(text) or _THIS_YEAR.search(text):
        if year is None:
            raise DeadlineError(
                gettext_noop("「%(text)s」没有写年份，请指定巡视（巡察）所在年份后再导入"), text=original
            )
        text = _THIS_YEAR.sub(f"{year}年", _NEXT_YEAR.sub(f"{year + 1}年", text)).replace("年年", "年")

    scan = _Scan(original, year)
    position = 0
    while position < len(text):
        for pattern, handle in _PATTERNS:
            match = pattern.match(text, position)
            if match and match.end() > position:
                handle(scan, match)
                position = match.end()
                break
        else:
            position += 1

    deadline = max(scan.dates) if scan.dates else None
    if immediate and (not long_term or immediate.start() < long_term.start()):
        return Deadline(deadline, IMMEDIATE, progress)
    if long_term:
        return Deadline(deadline, LONG_TERM, progress)
    if deadline is not None:
        return Deadline(deadline, DEADLINE, progress)
    if progress is not None:
        # "已完成" alone: the item was fixed on the spot, without a date to keep.
        return Deadline(None, IMMEDIATE, progress)
    raise DeadlineError(gettext_noop("「%(text)s」不是可识别的完成时限"), text=original)
