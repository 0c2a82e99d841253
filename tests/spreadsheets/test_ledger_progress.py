"""The 整改进展 cell as a dated history."""

from __future__ import annotations

from datetime import date

from rectify.spreadsheets.progress import Entry, progress_entries


def test_dated_entries_with_the_year_carried_forward() -> None:
    assert progress_entries("2021年3月5日：已起草修订稿。3月20日，召开专题会审议。\n二〇二一年五月八日 印发实施。", year=2020) == [
        Entry(date(2021, 3, 5), "已起草修订稿。"),
        Entry(date(2021, 3, 20), "召开专题会审议。"),
        Entry(date(2021, 5, 8), "印发实施。"),
    ]


def test_entries_without_a_year_take_the_inspections_year() -> None:
    assert progress_entries("6月1日：完成排查", year=2021) == [Entry(date(2021, 6, 1), "完成排查")]


def test_a_cell_without_dates_is_one_entry_of_unknown_date() -> None:
    assert progress_entries("已建立台账，正在推进", year=2021) == [Entry(None, "已建立台账，正在推进")]
    assert progress_entries("", year=2021) == []


def test_dates_inside_a_sentence_do_not_cut_it() -> None:
    assert progress_entries("已于3月5日前完成排查。", year=2021) == [Entry(None, "已于3月5日前完成排查。")]


def test_impossible_dates_do_not_open_an_entry() -> None:
    assert progress_entries("2021年2月30日：完成", year=2021) == [Entry(None, "2021年2月30日：完成")]
