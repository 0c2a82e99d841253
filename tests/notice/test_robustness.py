"""Damaged or unusual input never crashes the parser: it parses, or raises NoticeError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify.notice import NoticeError, parse, read_file
from tests.notice.cases import OWN_CASES, SEED_CASES, Case

CASES = {case.name: case for case in SEED_CASES + OWN_CASES}
_JUNK = st.sampled_from(
    ["分享到：", "【打印本页】【关闭窗口】", "字号：大 中 小", "微信“扫一扫”", "首页 > 巡视巡察", "(责编:张三)",
     "浏览次数：1024", "上一篇：关于…", "版权所有 某某网站 ICP备12345678号"]
)
_FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _parse_or_refuse(text: str) -> None:
    try:
        parse(text)
    except NoticeError:
        pass


@_FAST
@given(name=st.sampled_from(sorted(CASES)), data=st.data())
def test_junk_lines_inserted_keep_header_and_tree(name: str, data: st.DataObject) -> None:
    case: Case = CASES[name]
    lines = case.text.splitlines()
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        lines.insert(data.draw(st.integers(min_value=0, max_value=len(lines))), data.draw(_JUNK))
    notice = parse("\n".join(lines))
    assert notice.unit == case.expected["unit"]
    assert notice.levels() == case.expected["findings_levels"]


@_FAST
@given(name=st.sampled_from(sorted(CASES)), data=st.data())
def test_moved_line_breaks_never_crash(name: str, data: st.DataObject) -> None:
    text = CASES[name].text
    positions = data.draw(st.lists(st.integers(min_value=0, max_value=len(text)), max_size=8))
    for position in sorted(positions, reverse=True):
        text = text[:position] + "\n" + text[position:]
    removed = data.draw(st.lists(st.integers(min_value=0, max_value=len(text) - 1), max_size=8))
    chars = list(text)
    for position in removed:
        if chars[position] == "\n":
            chars[position] = ""
    _parse_or_refuse("".join(chars))


@_FAST
@given(name=st.sampled_from(sorted(CASES)), cut=st.floats(min_value=0, max_value=1))
def test_truncated_text_never_crashes(name: str, cut: float) -> None:
    text = CASES[name].text
    _parse_or_refuse(text[: int(len(text) * cut)])


@_FAST
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".html", ".docx", ""]))
def test_random_bytes_raise_only_notice_error(data: bytes, suffix: str) -> None:
    try:
        parse(read_file(data, f"x{suffix}"))
    except NoticeError:
        pass


@_FAST
@given(text=st.text(max_size=3000))
def test_random_text_raises_only_notice_error(text: str) -> None:
    _parse_or_refuse(text)


@pytest.mark.parametrize("case", SEED_CASES + OWN_CASES, ids=str)
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_encodings_parse_to_the_same_notice(case: Case, encoding: str) -> None:
    data = case.text.encode(encoding)
    assert parse(read_file(data, "notice.txt")).to_dict() == parse(case.text).to_dict()


def test_full_width_digits_and_brackets_read_like_half_width() -> None:
    case = OWN_CASES[0]
    narrow = case.text.replace("（", "(").replace("）", ")")
    wide = narrow.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}).replace("(", "（").replace(")", "）")
    for text in (narrow, wide):
        notice = parse(text)
        assert notice.to_dict()["onsite_start"] == case.expected["onsite_start"]
        assert notice.levels() == case.expected["findings_levels"]
        assert notice.contact.postcode == case.expected["contact"]["postcode"]


def test_control_bytes_name_the_line() -> None:
    with pytest.raises(NoticeError, match="第 3 行"):
        parse("中共某单位关于巡视整改进展情况的通报\n根据省委统一部署\n坏\x00行\n")


def test_empty_file_is_refused() -> None:
    with pytest.raises(NoticeError, match="文件为空"):
        read_file(b"  \n", "a.txt")


def test_text_that_is_not_a_notice_is_refused() -> None:
    with pytest.raises(NoticeError, match="不是整改进展情况通报"):
        parse("今天天气很好。\n我们去公园散步。\n")
