"""One place for width folding, numerals and item numbers."""

from __future__ import annotations

import pytest

from rectify.notice import numerals
from rectify.rules.text import (
    arabic_dates,
    chinese_to_int,
    fold_width,
    half_width,
    numbering_of,
    strip_numbering,
)
from rectify.spreadsheets import text as ledger_text


def test_notice_and_ledger_readers_use_the_same_functions() -> None:
    assert numerals.fold_width is fold_width and numerals.chinese_to_int is chinese_to_int
    assert ledger_text.half_width is half_width and ledger_text.strip_numbering is strip_numbering


def test_fold_width_folds_marks_and_half_width_keeps_chinese_punctuation() -> None:
    assert fold_width("２０２１（一）：") == "2021(一):"
    assert half_width("２０２１（一）：") == "2021（一）："


@pytest.mark.parametrize(
    ("text", "expected"),
    [("二〇二一年六月底前", "2021年6月底前"), ("二〇二一年十二月三十一日", "2021年12月31日"), ("三个月内", "三个月内"),
     ("第一季度", "第一季度")],
)
def test_dates_in_chinese_numerals(text: str, expected: str) -> None:
    assert arabic_dates(text) == expected


@pytest.mark.parametrize(("line", "label"), [("（一）学习不深入", "（一）"), ("1.加强", "1."), ("一、政治建设", "一、"),
                                             ("1.5万元", ""), ("加强学习", "")])
def test_item_numbers(line: str, label: str) -> None:
    assert numbering_of(line) == label
    assert strip_numbering(line) == line[len(label):].lstrip() if label else strip_numbering(line) == line
