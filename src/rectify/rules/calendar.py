"""Deadlines on the Chinese working-day calendar (工作日, 法定节假日, 调休).

Statutory holidays and the weekends worked in exchange (调休上班) come from the `chinesecalendar`
package (import name `chinese_calendar`), which covers the years the State Council has announced.
A deployment can add or correct days with a mapping, e.g. read from a JSON file:

    {"holidays": ["2027-01-01"], "working_days": ["2027-02-06"], "years": [2027]}

`years` declares that the mapping lists every deviation from Monday–Friday for those years (the
deployment typed in that year's State Council notice), so dates in them count as exact. A deployment
names such a file in RECTIFY_CALENDAR_FILE. For any other year outside the package's table the
calendar falls back to Monday–Friday and says so: `WorkCalendar.is_exact(d)` is False and every
`Due` computed across such a day has `exact=False`, the years in `unknown_years` and a `note` that
pages show. 1 January (元旦) is off in every year, known or not: the law fixes it.

The deadlines themselves follow DESIGN.md (each configurable through `DeadlineRules`): the plan
(整改方案) 15 working days after feedback, the report (整改情况报告) 2 months after feedback, the
reply on a transferred lead (问题线索) 3 months after it was received.
"""

from __future__ import annotations

import calendar as _gregorian
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import chinese_calendar

from rectify.rules.messages import Message, gettext_noop

__all__ = [
    "DEFAULT_CALENDAR",
    "DEFAULT_RULES",
    "DeadlineClock",
    "DeadlineRules",
    "Due",
    "WorkCalendar",
    "add_months",
    "add_working_days",
    "is_working_day",
    "lead_reply_due",
    "plan_due",
    "report_due",
]

# Never walk further than this many calendar days looking for working days (a guard, not a rule).
_MAX_STEPS = 100_000


@cache
def _package_years() -> frozenset[int]:
    """Years the installed chinesecalendar release knows; it raises NotImplementedError outside them."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return frozenset(years)


def _parse_day(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}")


@dataclass(frozen=True)
class WorkCalendar:
    """The package's calendar plus a deployment's corrections; extra days win over the package."""

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    complete_years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        both = self.extra_holidays & self.extra_working_days
        if both:
            days = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"days listed both as holiday and as working day: {days}")
        new_year = sorted(d.isoformat() for d in self.extra_working_days if _is_new_year(d))
        if new_year:
            raise ValueError(f"1 January (元旦) is a statutory holiday, not a working day: {', '.join(new_year)}")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Iterable[object]]) -> WorkCalendar:
        """Build from {"holidays": [...], "working_days": [...], "years": [...]} (ISO date strings)."""
        unknown = set(mapping) - {"holidays", "working_days", "years"}
        if unknown:
            raise ValueError(f"unknown keys in calendar mapping: {', '.join(sorted(unknown))}")
        return cls(
            frozenset(_parse_day(v) for v in mapping.get("holidays", ())),
            frozenset(_parse_day(v) for v in mapping.get("working_days", ())),
            frozenset(int(str(v)) for v in mapping.get("years", ())),
        )

    @classmethod
    def from_json(cls, path: str | Path) -> WorkCalendar:
        with open(path, encoding="utf-8") as handle:
            return cls.from_mapping(json.load(handle))

    def is_exact(self, day: date) -> bool:
        """Whether `day` is known from an official table, not guessed from the weekday."""
        return (
            day.year in _package_years()
            or _is_new_year(day)
            or day.year in self.complete_years
            or day in self.extra_holidays
            or day in self.extra_working_days
        )

    def unknown_year(self, day: date) -> int | None:
        """The year of `day` if its holiday arrangement is not loaded (weekends only are assumed)."""
        return None if self.is_exact(day) else day.year

    def is_working_day(self, day: date) -> bool:
        if _is_new_year(day):
            return False
        if day in self.extra_holidays:
            return False
        if day in self.extra_working_days:
            return True
        if day.year in _package_years():
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (before it, if negative); `day` itself is not counted.

        Zero returns `day` unchanged, working day or not.
        """
        return self._walk(day, count)[0]

    def _walk(self, day: date, count: int) -> tuple[date, tuple[int, ...]]:
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        unknown: set[int] = set()
        current = day
        steps = 0
        while remaining:
            current += step
            steps += 1
            if steps > _MAX_STEPS:
                raise OverflowError("working-day count too large")
            if not self.is_exact(current):
                unknown.add(current.year)
            if self.is_working_day(current):
                remaining -= 1
        return current, tuple(sorted(unknown))

    def add_working_days_exact(self, day: date, count: int) -> tuple[date, bool]:
        """Like `add_working_days`, and whether every day walked over was known exactly."""
        due, unknown = self._walk(day, count)
        return due, not unknown

    def add_working_days_checked(self, day: date, count: int) -> tuple[date, tuple[int, ...]]:
        """Like `add_working_days`, and the years walked over whose holidays are not loaded."""
        return self._walk(day, count)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if `end` is before `start`)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        current = day
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current


def _is_new_year(day: date) -> bool:
    return day.month == 1 and day.day == 1


DEFAULT_CALENDAR = WorkCalendar()


def is_working_day(day: date, calendar: WorkCalendar | None = None) -> bool:
    """Whether `day` is a working day (statutory holidays off, 调休 weekends on)."""
    return (calendar or DEFAULT_CALENDAR).is_working_day(day)


def add_working_days(day: date, count: int, calendar: WorkCalendar | None = None) -> date:
    """The `count`-th working day after `day`; see `WorkCalendar.add_working_days`."""
    return (calendar or DEFAULT_CALENDAR).add_working_days(day, count)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's end: 1月31日 + 1 → 2月28/29日."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    last = _gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


# ---------------------------------------------------------------------------------------------


CALENDAR_NOTE = gettext_noop("%(years)s年节假日安排未载入，本时限暂按仅周末休息计算工作日，请核对")


@dataclass(frozen=True)
class Due:
    """A deadline with its Chinese label and the rule it comes from (依据), e.g. "反馈后15个工作日".

    `exact` is False when the date was computed over days the calendar only guessed (Monday–Friday
    outside the official tables): `unknown_years` names those years and `note` says so to the reader.
    """

    label: Message
    date: date
    basis: Message
    exact: bool = True
    unknown_years: tuple[int, ...] = ()

    @property
    def note(self) -> Message | None:
        """The visible warning for a deadline counted over a year whose holidays are not loaded."""
        if not self.unknown_years:
            return None
        return Message(CALENDAR_NOTE, years="、".join(str(y) for y in self.unknown_years))


@dataclass(frozen=True)
class DeadlineRules:
    """A deployment's deadline rules. 巡视工作条例 art. 27 gives 2 months; many 巡察 rules say 3."""

    plan_due_working_days: int = 15
    report_due_months: int = 2
    lead_reply_months: int = 3
    # If a month-based deadline falls on a holiday, move it to the next working day (期间届满日
    # 遇节假日顺延). Off by default: the rules speak of plain months.
    roll_to_working_day: bool = False

    def __post_init__(self) -> None:
        for name in ("plan_due_working_days", "report_due_months", "lead_reply_months"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    @classmethod
    def from_mapping(cls, rules: Mapping[str, object]) -> DeadlineRules:
        """Pick this class's fields out of a larger mapping such as settings.RECTIFY_RULES."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in rules.items() if k in known})  # type: ignore[arg-type]


DEFAULT_RULES = DeadlineRules()

PLAN_LABEL = gettext_noop("整改方案报送时限")
REPORT_LABEL = gettext_noop("整改情况报告报送时限")
LEAD_LABEL = gettext_noop("问题线索办理时限")
PLAN_BASIS = gettext_noop("反馈后%(n)d个工作日")
REPORT_BASIS = gettext_noop("反馈后%(n)d个月")
LEAD_BASIS = gettext_noop("收到后%(n)d个月")


def _due(label: str, day: date, template: str, n: int, unknown: tuple[int, ...]) -> Due:
    return Due(Message(label), day, Message(template, n=n), not unknown, unknown)


@dataclass(frozen=True)
class DeadlineClock:
    """Computes the deadlines of one deployment from its calendar and rules."""

    calendar: WorkCalendar = DEFAULT_CALENDAR
    rules: DeadlineRules = DEFAULT_RULES

    def _months(self, start: date, months: int) -> tuple[date, tuple[int, ...]]:
        due = add_months(start, months)
        if not self.rules.roll_to_working_day:
            return due, ()  # plain month arithmetic needs no holiday table
        rolled = self.calendar.next_working_day(due)
        span = (due + timedelta(days=i) for i in range((rolled - due).days + 1))
        return rolled, tuple(sorted({y for d in span if (y := self.calendar.unknown_year(d)) is not None}))

    def plan_due(self, feedback: date) -> Due:
        """整改方案: due the given number of working days after feedback (反馈)."""
        n = self.rules.plan_due_working_days
        day, unknown = self.calendar.add_working_days_checked(feedback, n)
        return _due(PLAN_LABEL, day, PLAN_BASIS, n, unknown)

    def report_due(self, feedback: date) -> Due:
        """整改情况报告 (and 主要负责人组织落实情况报告): months after feedback."""
        n = self.rules.report_due_months
        day, unknown = self._months(feedback, n)
        return _due(REPORT_LABEL, day, REPORT_BASIS, n, unknown)

    def lead_reply_due(self, received: date) -> Due:
        """问题线索、信访件: the reply is due months after the transfer was received."""
        n = self.rules.lead_reply_months
        day, unknown = self._months(received, n)
        return _due(LEAD_LABEL, day, LEAD_BASIS, n, unknown)

    def inspection_dues(self, feedback: date) -> list[Due]:
        """The deadlines an inspection's feedback starts, in date order."""
        return sorted([self.plan_due(feedback), self.report_due(feedback)], key=lambda d: d.date)


DEFAULT_CLOCK = DeadlineClock()


def plan_due(feedback: date, clock: DeadlineClock | None = None) -> Due:
    return (clock or DEFAULT_CLOCK).plan_due(feedback)


def report_due(feedback: date, clock: DeadlineClock | None = None) -> Due:
    return (clock or DEFAULT_CLOCK).report_due(feedback)


def lead_reply_due(received: date, clock: DeadlineClock | None = None) -> Due:
    return (clock or DEFAULT_CLOCK).lead_reply_due(received)
