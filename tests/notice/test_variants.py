"""PDF copies and traditional reposts of a report read like the report itself."""

from __future__ import annotations

import pytest

from rectify.notice import parse
from rectify.notice.normalize import is_traditional, unwrap
from tests.notice.cases import SEED_CASES, Case
from tests.notice.test_real_pages import CHROME_FIRST, NO_TITLE, TWICE_SPLIT
from tests.notice.variants import pdf_like, traditional

HEADER = ("title", "unit", "inspector", "kind", "term", "round", "group", "type",
          "onsite_start", "onsite_end", "feedback_date")
OWN = {"chrome-first": CHROME_FIRST, "twice-split": TWICE_SPLIT, "no-title": NO_TITLE}


def _header(text: str) -> dict:
    got = parse(text).to_dict()
    return {field: got[field] for field in HEADER}


@pytest.mark.parametrize("case", SEED_CASES, ids=str)
def test_pdf_copy_of_a_seed_reads_like_the_seed(case: Case) -> None:
    copy = pdf_like(case.text)
    assert _header(copy) == _header(case.text)
    assert parse(copy).levels() == parse(case.text).levels()


@pytest.mark.parametrize("case", SEED_CASES, ids=str)
def test_traditional_repost_of_a_seed_reads_like_the_seed(case: Case) -> None:
    repost = traditional(case.text)
    assert is_traditional(repost)
    assert parse(repost).to_dict() == parse(case.text).to_dict()


@pytest.mark.parametrize("name", sorted(OWN))
def test_pdf_copy_and_repost_of_own_openings(name: str) -> None:
    text = OWN[name]
    assert _header(pdf_like(text)) == _header(text)
    assert _header(traditional(text)) == _header(text)


def test_page_numbers_are_dropped_and_wrapped_lines_joined() -> None:
    body = "根据县委统一部署，" + "县委第一巡察组对县某某局党组开展了常规巡察，" * 6 + "并反馈了巡察意见。"
    text = pdf_like("中共某某县某某局党组关于县委巡察整改进展情况的通报\n" + body + "\n一、整改情况\n" + body, page_lines=3)
    assert "— 1 —" in text
    lines = unwrap(text).splitlines()
    assert body in lines and not any("—" in line for line in lines)


def test_plain_text_is_left_as_it_is() -> None:
    for case in SEED_CASES:
        assert unwrap(case.text) == case.text
        assert not is_traditional(case.text)
