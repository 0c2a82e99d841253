"""The traffic light (红黄绿灯) and "overdue" (逾期), defined once.

- overdue: the deadline is before today and the task is not closed. A day counts whole: a task due
  on 1 March is overdue from 2 March on, 1 day overdue that day.
- silent (未报送): the last progress report, or the task's creation if it has none, fell on a day
  (Asia/Shanghai) at least `silent_days` before today.
- red (红灯（逾期）): open and overdue, or returned (退回) at least `red_returns` times.
- yellow (黄灯（预警）): open, not red, and the deadline within `yellow_days` days or silent.
- green (绿灯): everything else, closed tasks included.

Every comparison is between Asia/Shanghai dates, never between instants: a report sent at 23:00 on
1 January counts as a report of 1 January. `LightBounds` restates the rule as the bounds a database
query compares stored columns with, so the light computed here and the one filtered in SQL are the
same by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_RULES",
    "ZONE",
    "Light",
    "LightBounds",
    "LightRules",
    "bounds",
    "days_overdue",
    "is_past_due",
    "is_silent",
    "light",
    "local_day",
    "silent_days",
]

# The one time zone of every day count (DESIGN.md: Asia/Shanghai).
ZONE = ZoneInfo("Asia/Shanghai")


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class LightRules:
    """A deployment's thresholds (RECTIFY_YELLOW_DAYS, RECTIFY_SILENT_DAYS, RECTIFY_RED_RETURNS)."""

    yellow_days: int = 10
    silent_days: int = 7
    red_returns: int = 2

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"{f.name} must not be negative")

    @classmethod
    def from_mapping(cls, rules: Mapping[str, object]) -> LightRules:
        """Pick this class's fields out of a larger mapping such as settings.RECTIFY_RULES."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(str(v)) for k, v in rules.items() if k in known})


DEFAULT_RULES = LightRules()


def local_day(moment: dt.datetime) -> dt.date:
    """The Asia/Shanghai date of an aware instant."""
    return moment.astimezone(ZONE).date()


def is_past_due(due: dt.date | None, *, done: bool, today: dt.date) -> bool:
    """逾期: a deadline before today and the thing not done (tasks, leads, reports, plan clocks)."""
    return due is not None and not done and due < today


def days_overdue(due: dt.date | None, *, done: bool, today: dt.date) -> int:
    """How many days past its deadline ("逾期 12 天"); 0 when not overdue."""
    return (today - due).days if due is not None and is_past_due(due, done=done, today=today) else 0


def silent_days(last_activity: dt.date, today: dt.date) -> int:
    """Days since the last report (or creation) day."""
    return (today - last_activity).days


@dataclass(frozen=True)
class LightBounds:
    """The rule as bounds on stored values, for one `today`.

    overdue  ⇔ deadline < overdue_before
    near     ⇔ deadline ≤ near_until
    silent   ⇔ the Asia/Shanghai day of the last activity ≤ silent_until
             ⇔ the last activity instant < silent_before (midnight after silent_until, Asia/Shanghai)
    returned ⇔ returned_count ≥ red_returns
    """

    overdue_before: dt.date
    near_until: dt.date
    silent_until: dt.date
    red_returns: int

    @property
    def silent_before(self) -> dt.datetime:
        return dt.datetime.combine(self.silent_until + dt.timedelta(days=1), dt.time(0), tzinfo=ZONE)


def bounds(today: dt.date, rules: LightRules = DEFAULT_RULES) -> LightBounds:
    return LightBounds(
        overdue_before=today,
        near_until=today + dt.timedelta(days=rules.yellow_days),
        silent_until=today - dt.timedelta(days=rules.silent_days),
        red_returns=rules.red_returns,
    )


def is_silent(last_activity: dt.date | None, today: dt.date, rules: LightRules = DEFAULT_RULES) -> bool:
    """未报送: the last report (or creation) day at least `silent_days` before today."""
    return last_activity is not None and last_activity <= bounds(today, rules).silent_until


def light(
    *,
    closed: bool,
    deadline: dt.date | None,
    returned_count: int,
    last_activity: dt.date | None,
    today: dt.date,
    rules: LightRules = DEFAULT_RULES,
) -> Light:
    """The traffic light of a task; `last_activity` is the day of its last progress report, else of its creation."""
    if closed:
        return Light.GREEN
    b = bounds(today, rules)
    if is_past_due(deadline, done=False, today=b.overdue_before) or returned_count >= b.red_returns:
        return Light.RED
    if deadline is not None and deadline <= b.near_until:
        return Light.YELLOW
    if is_silent(last_activity, today, rules):
        return Light.YELLOW
    return Light.GREEN
