"""The traffic light and "overdue" rule (rules.lights), in pure Python."""

from __future__ import annotations

import datetime as dt

import pytest

from rectify.rules.lights import (
    ZONE,
    Light,
    LightRules,
    bounds,
    days_overdue,
    is_past_due,
    is_silent,
    light,
    local_day,
)

TODAY = dt.date(2025, 1, 8)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)


def open_task(**overrides: object) -> Light:
    values: dict[str, object] = {
        "closed": False, "deadline": TODAY + dt.timedelta(days=60), "returned_count": 0,
        "last_activity": TODAY, "today": TODAY,
    }
    values.update(overrides)
    return light(**values)  # type: ignore[arg-type]


def test_a_report_at_23_00_counts_for_its_own_shanghai_day():
    # 2025-01-01 23:00 Beijing time is 15:00 UTC: still 1 January.
    assert local_day(at(dt.date(2025, 1, 1), 23)) == dt.date(2025, 1, 1)
    assert local_day(dt.datetime(2025, 1, 1, 16, 30, tzinfo=dt.UTC)) == dt.date(2025, 1, 2)


def test_silent_since_1_january_23_00_is_yellow_on_8_january():
    assert open_task(last_activity=local_day(at(dt.date(2025, 1, 1), 23))) == Light.YELLOW


def test_silent_for_six_days_is_still_green():
    assert open_task(last_activity=dt.date(2025, 1, 2)) == Light.GREEN


def test_silence_bound_is_the_shanghai_midnight_after_the_last_silent_day():
    b = bounds(TODAY)
    assert b.silent_until == dt.date(2025, 1, 1)
    assert b.silent_before == at(dt.date(2025, 1, 2), 0)


def test_overdue_the_day_after_the_deadline_and_not_on_it():
    assert not is_past_due(TODAY, done=False, today=TODAY)
    assert is_past_due(TODAY - dt.timedelta(days=1), done=False, today=TODAY)
    assert days_overdue(TODAY - dt.timedelta(days=12), done=False, today=TODAY) == 12


def test_done_or_undated_is_never_overdue():
    assert not is_past_due(TODAY - dt.timedelta(days=5), done=True, today=TODAY)
    assert not is_past_due(None, done=False, today=TODAY)
    assert days_overdue(TODAY - dt.timedelta(days=5), done=True, today=TODAY) == 0


def test_overdue_is_red():
    assert open_task(deadline=TODAY - dt.timedelta(days=1)) == Light.RED


def test_returned_twice_is_red_before_the_deadline():
    assert open_task(returned_count=2) == Light.RED
    assert open_task(returned_count=1) == Light.GREEN


def test_due_within_yellow_days_is_yellow():
    assert open_task(deadline=TODAY + dt.timedelta(days=10)) == Light.YELLOW
    assert open_task(deadline=TODAY + dt.timedelta(days=11)) == Light.GREEN


def test_closed_is_green_whatever_else():
    assert open_task(closed=True, deadline=TODAY - dt.timedelta(days=30), returned_count=5) == Light.GREEN


def test_thresholds_come_from_the_rules():
    rules = LightRules(yellow_days=3, silent_days=2, red_returns=1)
    assert open_task(returned_count=1, rules=rules) == Light.RED
    assert open_task(deadline=TODAY + dt.timedelta(days=4), rules=rules) == Light.GREEN
    assert is_silent(TODAY - dt.timedelta(days=2), TODAY, rules)
    assert not is_silent(TODAY - dt.timedelta(days=1), TODAY, rules)


def test_rules_are_read_from_the_settings_mapping_and_refuse_negatives():
    rules = LightRules.from_mapping({"yellow_days": 5, "silent_days": 3, "red_returns": 4, "report_due_months": 2})
    assert rules == LightRules(5, 3, 4)
    with pytest.raises(ValueError, match="silent_days"):
        LightRules(silent_days=-1)
