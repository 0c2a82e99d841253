"""Deadlines on the Chinese working-day calendar. Expected dates come from the State Council's
holiday notices (国务院办公厅关于2024年、2025年部分节假日安排的通知), checked by hand."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rectify.rules.calendar import (
    DeadlineClock,
    DeadlineRules,
    WorkCalendar,
    add_months,
    add_working_days,
    is_working_day,
    lead_reply_due,
    plan_due,
    report_due,
)


@pytest.mark.parametrize(
    "day",
    [date(2024, 2, 10), date(2024, 2, 12), date(2024, 2, 14), date(2024, 2, 16), date(2024, 2, 17)],
)
def test_spring_festival_2024_is_off(day: date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [date(2024, 2, 4), date(2024, 2, 18)])
def test_spring_festival_2024_makeup_sundays_are_worked(day: date) -> None:
    assert day.weekday() == 6
    assert is_working_day(day)


@pytest.mark.parametrize("day", [date(2024, 5, 11), date(2024, 10, 12), date(2025, 2, 8), date(2025, 10, 11)])
def test_makeup_saturdays_are_worked(day: date) -> None:
    assert day.weekday() == 5
    assert is_working_day(day)


def test_national_day_2025_runs_from_1_to_8_october() -> None:
    off = [date(2025, 10, d) for d in range(1, 9)]
    assert not any(is_working_day(d) for d in off)
    assert is_working_day(date(2025, 9, 28))  # Sunday worked before the holiday
    assert is_working_day(date(2025, 10, 9))


def test_plan_due_15_working_days_across_national_day_2025() -> None:
    # Feedback on Monday 22 September: 9/23-26 (4), 9/28 Sun (5), 9/29-30 (7), then 10/9-10 (9),
    # 10/11 Sat (10), 10/13-17 (15).
    due = plan_due(date(2025, 9, 22))
    assert due.date == date(2025, 10, 17)
    assert due.label == "整改方案报送时限"
    assert due.basis == "反馈后15个工作日"
    assert due.exact


def test_working_days_skip_the_holiday_but_count_the_makeup_day() -> None:
    assert add_working_days(date(2024, 2, 8), 1) == date(2024, 2, 9)
    assert add_working_days(date(2024, 2, 9), 1) == date(2024, 2, 18)
    assert add_working_days(date(2024, 2, 18), -1) == date(2024, 2, 9)


def test_zero_working_days_is_the_same_day() -> None:
    assert add_working_days(date(2024, 2, 10), 0) == date(2024, 2, 10)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2021, 2, 7), 2, date(2021, 4, 7)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_report_and_lead_deadlines_are_calendar_months() -> None:
    report = report_due(date(2024, 12, 31))
    assert (report.date, report.label, report.basis) == (
        date(2025, 2, 28),
        "整改情况报告报送时限",
        "反馈后2个月",
    )
    lead = lead_reply_due(date(2024, 11, 30))
    assert (lead.date, lead.label, lead.basis) == (date(2025, 2, 28), "问题线索办理时限", "收到后3个月")


def test_xuncha_rules_with_three_months_and_rolling_past_holidays() -> None:
    clock = DeadlineClock(rules=DeadlineRules(report_due_months=3, roll_to_working_day=True))
    # 2025-07-01 + 3 months = 2025-10-01, inside National Day: rolls to Thursday 9 October.
    due = clock.report_due(date(2025, 7, 1))
    assert due.date == date(2025, 10, 9)
    assert due.basis == "反馈后3个月"


def test_years_outside_the_table_fall_back_to_weekdays_and_say_so() -> None:
    due = plan_due(date(2099, 1, 1))  # a Thursday
    assert due.date == add_working_days(date(2099, 1, 1), 15)
    assert due.date.weekday() < 5
    assert not due.exact


def test_deployment_mapping_completes_a_future_year(tmp_path) -> None:
    path = tmp_path / "calendar.json"
    path.write_text(
        json.dumps({"holidays": ["2099-01-02"], "working_days": ["2099-01-10"], "years": [2099]}),
        encoding="utf-8",
    )
    calendar = WorkCalendar.from_json(path)
    assert not calendar.is_working_day(date(2099, 1, 2))  # a Friday made a holiday
    assert calendar.is_working_day(date(2099, 1, 10))  # a Saturday made a working day
    due = DeadlineClock(calendar=calendar).plan_due(date(2098, 12, 20))
    assert due.exact is False  # the walk crosses late 2098, which is not declared
    assert DeadlineClock(calendar=calendar).plan_due(date(2099, 1, 1)).exact


def test_extra_holiday_in_a_known_year_moves_the_deadline() -> None:
    local = WorkCalendar.from_mapping({"holidays": ["2025-10-13"]})
    due = DeadlineClock(calendar=local).plan_due(date(2025, 9, 22))
    assert due.date == date(2025, 10, 20)


def test_mapping_rejects_a_day_that_is_both_holiday_and_working_day() -> None:
    with pytest.raises(ValueError, match="2025-10-13"):
        WorkCalendar.from_mapping({"holidays": ["2025-10-13"], "working_days": ["2025-10-13"]})


def test_mapping_rejects_bad_dates_and_unknown_keys() -> None:
    with pytest.raises(ValueError, match="ISO"):
        WorkCalendar.from_mapping({"holidays": ["10/13/2025"]})
    with pytest.raises(ValueError, match="holiday"):
        WorkCalendar.from_mapping({"holiday": ["2025-10-13"]})


_days = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))
_counts = st.integers(min_value=0, max_value=80)


@given(_days, _days, _counts)
def test_add_working_days_is_monotonic_in_the_start(a: date, b: date, n: int) -> None:
    first, second = sorted((a, b))
    assert add_working_days(first, n) <= add_working_days(second, n)


@given(_days, _counts, _counts)
def test_add_working_days_is_monotonic_in_the_count(day: date, m: int, n: int) -> None:
    low, high = sorted((m, n))
    assert add_working_days(day, low) <= add_working_days(day, high)


@given(_days, st.integers(min_value=1, max_value=80))
def test_add_working_days_lands_on_a_working_day_n_working_days_later(day: date, n: int) -> None:
    result = add_working_days(day, n)
    assert is_working_day(result)
    calendar = WorkCalendar()
    assert calendar.working_days_between(day, result) == n
    assert calendar.working_days_between(day, result - timedelta(days=1)) == n - 1


@given(_days, st.integers(min_value=1, max_value=80))
def test_going_back_from_a_working_day_undoes_going_forward(day: date, n: int) -> None:
    assume(is_working_day(day))
    assert add_working_days(add_working_days(day, n), -n) == day


def test_rules_can_be_read_from_the_deployment_settings_mapping() -> None:
    rules = DeadlineRules.from_mapping(
        {"report_due_months": 3, "plan_due_working_days": 10, "yellow_days": 10}
    )
    assert (rules.report_due_months, rules.plan_due_working_days, rules.lead_reply_months) == (3, 10, 3)
    assert DeadlineClock(rules=rules).plan_due(date(2025, 9, 22)).basis == "反馈后10个工作日"


# --- 1 January and years whose holiday arrangement is not loaded ---------------------------------


def test_new_year_is_never_a_working_day_even_in_an_unknown_year() -> None:
    assert date(2027, 1, 1).weekday() == 4  # a Friday, which Monday–Friday would count
    assert not is_working_day(date(2027, 1, 1))
    assert not WorkCalendar().is_working_day(date(2098, 1, 1))
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_new_year_cannot_be_declared_a_working_day() -> None:
    with pytest.raises(ValueError, match="元旦"):
        WorkCalendar.from_mapping({"working_days": ["2027-01-01"]})


def test_deadline_over_an_unknown_year_names_the_year_and_says_weekends_only() -> None:
    due = plan_due(date(2026, 12, 20))
    assert not due.exact and due.unknown_years == (2027,)
    assert due.note == "2027年节假日安排未载入，本时限暂按仅周末休息计算工作日，请核对"
    assert due.note.template != due.note  # pages translate it


def test_deadline_inside_known_years_has_no_note() -> None:
    due = plan_due(date(2026, 3, 2))
    assert due.exact and due.unknown_years == () and due.note is None


def test_a_loaded_notice_makes_the_year_exact(tmp_path) -> None:
    path = tmp_path / "2027.json"
    path.write_text(json.dumps({"years": [2027], "holidays": ["2027-01-01"], "working_days": []}), encoding="utf-8")
    due = DeadlineClock(calendar=WorkCalendar.from_json(path)).plan_due(date(2026, 12, 20))
    assert due.exact and due.note is None
