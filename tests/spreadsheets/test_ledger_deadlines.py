from datetime import date, datetime

import pytest

from rectify.spreadsheets import DeadlineError, parse_deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年6月底前", date(2021, 6, 30)),
        ("6月底前", date(2021, 6, 30)),
        ("12月31日前", date(2021, 12, 31)),
        ("2021.12", date(2021, 12, 31)),
        ("2021/9/30", date(2021, 9, 30)),
        ("2022-03-31", date(2022, 3, 31)),
        ("2021年12月", date(2021, 12, 31)),
        ("2月底前", date(2021, 2, 28)),
        ("年底前", date(2021, 12, 31)),
        ("年内", date(2021, 12, 31)),
        ("上半年", date(2021, 6, 30)),
        ("２０２１年９月底前", date(2021, 9, 30)),
        ("2021年6月底前完成排查，12月底前完成整改", date(2021, 12, 31)),
    ],
)
def test_parse_deadline_reads_common_forms_as_deadline_tasks(text: str, expected: date) -> None:
    deadline = parse_deadline(text, year=2021)
    assert (deadline.date, deadline.category) == (expected, "限期整改")


def test_parse_deadline_takes_excel_dates_as_they_are() -> None:
    assert parse_deadline(datetime(2021, 5, 6, 0, 0), year=None).date == date(2021, 5, 6)
    assert parse_deadline(date(2022, 1, 31), year=None).category == "限期整改"


def test_month_end_follows_leap_years() -> None:
    assert parse_deadline("2月底前", year=2024).date == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["长期坚持", "长期整改", "持续推进", "常态化"])
def test_long_term_words_give_long_term_without_deadline(text: str) -> None:
    deadline = parse_deadline(text, year=2021)
    assert (deadline.date, deadline.category) == (None, "长期整改")


def test_immediate_keeps_a_date_only_when_one_is_given() -> None:
    assert parse_deadline("立行立改", year=2021) == parse_deadline("立行立改", year=None)
    assert parse_deadline("立行立改", year=2021).date is None
    with_date = parse_deadline("立行立改，2021年5月底前", year=2021)
    assert (with_date.date, with_date.category) == (date(2021, 5, 31), "立行立改")


def test_done_remark_is_kept_as_progress() -> None:
    deadline = parse_deadline("已整改完成（2021年5月）", year=None)
    assert deadline.progress == "已整改完成"
    assert deadline.date == date(2021, 5, 31)
    assert parse_deadline("已完成", year=2021).progress == "已完成"


@pytest.mark.parametrize(
    ("text", "named"), [("2021年2月30日", "2021年2月30日"), ("13月底前", "13"), ("2021.13", "13")]
)
def test_impossible_dates_are_errors_naming_the_value(text: str, named: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, year=2021)
    assert named in str(caught.value)


def test_missing_year_is_an_error_when_the_text_needs_one() -> None:
    with pytest.raises(DeadlineError, match="年份"):
        parse_deadline("6月底前", year=None)
    assert parse_deadline("2021年6月底前", year=None).date == date(2021, 6, 30)


@pytest.mark.parametrize("text", ["", "  ", "尽快", "月底前"])
def test_text_without_a_deadline_is_an_error(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text, year=2021)
