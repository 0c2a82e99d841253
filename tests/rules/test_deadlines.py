"""One deadline grammar: a notice's measure and a ledger's 完成时限 cell give the same date."""

from __future__ import annotations

from datetime import date

import pytest

from rectify.notice.dates import parse_deadline as notice_deadline
from rectify.rules.deadlines import DEADLINE, IMMEDIATE, LONG_TERM, DeadlineError, read_deadline
from rectify.spreadsheets import parse_deadline as ledger_deadline

COMMON = [
    ("2021年6月底前", date(2021, 6, 30)),
    ("6月底前", date(2021, 6, 30)),
    ("年底前", date(2021, 12, 31)),
    ("2021年底", date(2021, 12, 31)),
    ("年内", date(2021, 12, 31)),
    ("9月15日前", date(2021, 9, 15)),
    ("2021-08-26", date(2021, 8, 26)),
    ("2021年6月中旬", date(2021, 6, 20)),
    ("今年底", date(2021, 12, 31)),
    # Where the two importers used to disagree:
    ("2021年上半年", date(2021, 6, 30)),  # the notice reader took 12-31
    ("明年底", date(2022, 12, 31)),  # the ledger reader took this year's end
    ("二〇二一年六月底前", date(2021, 6, 30)),  # the ledger reader refused Chinese numerals
    ("二〇二一年六月底", date(2021, 6, 30)),
    ("2022年3月至6月底", date(2022, 6, 30)),  # the end of the range; the notice reader took 3-31
]


@pytest.mark.parametrize(("text", "expected"), COMMON)
def test_notice_and_ledger_read_a_deadline_alike(text: str, expected: date) -> None:
    assert read_deadline(text, year=2021).date == expected
    assert notice_deadline(text, 2021) == expected
    assert ledger_deadline(text, year=2021).date == expected


@pytest.mark.parametrize("value", [44377, 44377.0, "44377"])
def test_excel_serial_number_is_a_date(value: object) -> None:
    assert read_deadline(value, year=None) == read_deadline(date(2021, 6, 30), year=None)
    assert ledger_deadline(value, year=None).date == date(2021, 6, 30)


@pytest.mark.parametrize("value", [12, 99999, 44377.5])
def test_numbers_that_are_no_dates_are_refused(value: object) -> None:
    with pytest.raises(DeadlineError, match="不是可识别的完成时限"):
        read_deadline(value, year=2021)


def test_next_year_needs_a_reference_year() -> None:
    with pytest.raises(DeadlineError, match="年份"):
        read_deadline("明年底", year=None)


@pytest.mark.parametrize(
    ("text", "category", "day"),
    [("长期坚持", LONG_TERM, None), ("立行立改", IMMEDIATE, None), ("持续推进，年底前见效", LONG_TERM, date(2021, 12, 31)),
     ("2021年9月30日", DEADLINE, date(2021, 9, 30))],
)
def test_categories(text: str, category: str, day: date | None) -> None:
    read = read_deadline(text, year=2021)
    assert (read.category, read.date) == (category, day)


def test_long_term_is_no_date_for_a_notice() -> None:
    assert notice_deadline("持续推进，年底前见效", 2021) is None
    assert notice_deadline("尽快", 2021) is None


def test_an_unreadable_deadline_names_the_value_in_a_translatable_message():
    from django.utils import translation

    from rectify.language import localize
    from rectify.spreadsheets import DeadlineError as LedgerDeadlineError

    with pytest.raises(DeadlineError) as refused:
        read_deadline("尽快", year=2021)
    message = refused.value.message
    assert message == str(refused.value) == "「尽快」不是可识别的完成时限"
    assert message.template == "「%(text)s」不是可识别的完成时限" and message.values == {"text": "尽快"}
    with pytest.raises(LedgerDeadlineError) as ledger_refused:
        ledger_deadline("尽快", year=2021)
    with translation.override("en"):
        assert localize(ledger_refused.value.args[0]) == localize(message) != message
