"""A notice's measure and a ledger's 完成时限 cell read the same category words."""

from __future__ import annotations

import datetime as dt

import pytest

from rectify.ledger.models import Task
from rectify.ledger.notice_import import measure_deadline
from rectify.rules.deadlines import read_deadline

FEEDBACK = dt.date(2026, 6, 10)
DEFAULT = dt.date(2026, 12, 10)


@pytest.mark.parametrize(("words", "category"), [
    ("立即整改", Task.Category.IMMEDIATE),
    ("边查边改", Task.Category.IMMEDIATE),
    ("长期坚持", Task.Category.LONG_TERM),
    ("常态化推进", Task.Category.LONG_TERM),
    ("久久为功", Task.Category.LONG_TERM),
])
def test_the_measure_and_the_ledger_cell_agree(words, category):
    assert read_deadline(words, year=2026).category == category
    assert measure_deadline(f"对违规发放津贴问题{words}，建立台账。", feedback=FEEDBACK, default=DEFAULT) == (category, None)


def test_a_measure_with_a_date_keeps_its_date():
    assert measure_deadline("2026年9月底前完成清理，立即整改。", feedback=FEEDBACK, default=DEFAULT) == (
        Task.Category.DEADLINE, dt.date(2026, 9, 30))
