"""Header fields of real report pages, and of small openings written here in the same shapes.

`REAL` holds page copies as they came from web sites (page chrome, reposts, titles printed twice or
missing) with hand-checked header answers; the constructed openings below exercise each rule
without the corpus.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rectify.notice import NoticeError, parse
from tests.corpus import REAL, files, require

FIELDS = (
    "title", "unit", "inspector", "kind", "term", "round", "group", "type",
    "onsite_start", "onsite_end", "feedback_date", "published",
)


def _answers(shape: str) -> list[tuple[str, dict, dict]]:
    from tests.notice.variants import pdf_like, traditional

    change = {"as-is": lambda text: text, "pdf": pdf_like, "traditional": traditional}[shape]
    rows = []
    for answer in sorted(require(REAL).glob("*.json")):
        expected = json.loads(answer.read_text(encoding="utf-8"))
        got = parse(change((REAL / expected["file"]).read_text(encoding="utf-8"))).to_dict()
        rows.append((answer.stem, expected, got))
    return rows


@pytest.mark.parametrize("shape", ["as-is", "pdf", "traditional"])
def test_real_pages_header_fields_are_exact_on_95_percent(shape: str) -> None:
    rows = _answers(shape)
    right: dict[str, int] = dict.fromkeys(FIELDS, 0)
    total: dict[str, int] = dict.fromkeys(FIELDS, 0)
    misses = []
    for name, expected, got in rows:
        for field in FIELDS:
            if field not in expected:
                continue
            want = expected[field] if expected[field] is not None or field != "title" else ""
            total[field] += 1
            if got[field] == want:
                right[field] += 1
            else:
                misses.append((name, field, got[field], want))
    print(f"\nheader fields on {len(rows)} real pages ({shape}):")
    for field in FIELDS:
        print(f"  {field:14} {right[field]}/{total[field]}")
    score = sum(right.values()) / sum(total.values())
    print(f"  all            {sum(right.values())}/{sum(total.values())} = {score:.1%}")
    assert score >= 0.95, misses


@pytest.mark.parametrize("shape", ["as-is", "pdf", "traditional"])
@pytest.mark.parametrize("path", files(REAL))
def test_real_page_parses_or_is_refused_with_a_reason(path: Path, shape: str) -> None:
    from tests.notice.variants import pdf_like, traditional

    text = path.read_text(encoding="utf-8")
    text = {"as-is": text, "pdf": pdf_like(text), "traditional": traditional(text)}[shape]
    try:
        notice = parse(text)
    except NoticeError as error:  # pragma: no cover - none of the sample is refused today
        assert str(error)
    else:
        assert notice.unit


CHROME_FIRST = """首页 > 信息公开 > 法定主动公开内容
信息索引号：11370400MB2800000X/2023-00012
文件名称：中共某某区文化旅游体育局党组关于区委第五轮巡察整改进展情况的通报
发布机构：某某区文化旅游体育局
成文日期：2023年03月20日
发布时间：2023-03-22 09:30
来源：某某区文化旅游体育局 浏览量：512
分享到：
朗读
2022年9月16日至10月18日，区委第二巡察组对区文旅体局党组进行了巡察。2023年1月17日，区委巡察组向区文旅体局党组反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。
一、整改工作基本情况
局党组召开专题会议5次。
"""


def test_page_chrome_before_the_opening_is_skipped() -> None:
    notice = parse(CHROME_FIRST)
    assert notice.title == "中共某某区文化旅游体育局党组关于区委第五轮巡察整改进展情况的通报"
    assert notice.unit == "中共某某区文化旅游体育局党组"
    assert (notice.inspector, notice.kind, notice.round, notice.group) == ("区委", "巡察", 5, "第二巡察组")
    assert (notice.onsite_start, notice.onsite_end) == (date(2022, 9, 16), date(2022, 10, 18))
    assert notice.feedback_date == date(2023, 1, 17)
    assert notice.published == date(2023, 3, 20)  # 成文日期 outranks the posting time


TWICE_SPLIT = """当前位置：首页 > 巡视巡察
中共某某市某某区委员会关于十二届市委第三轮巡视集中整改进展情况的通报
中共某某市某某区委员会
关于十二届市委第三轮巡视集中整改进展情况的通报
根据市委统一部署，市委第二巡视组于2023年3月29日至6月16日对某某区进行了巡视，并于2023年8月29日反馈了巡视意见。按照巡视工作有关要求，现将巡视整改进展情况予以公布。
一、区委组织落实整改情况
区委召开常委会会议研究整改。
"""


def test_title_printed_twice_and_split_over_two_lines() -> None:
    notice = parse(TWICE_SPLIT)
    assert notice.title == "中共某某市某某区委员会关于十二届市委第三轮巡视集中整改进展情况的通报"
    assert (notice.inspector, notice.kind, notice.term, notice.round) == ("市委", "巡视", "十二届", 3)
    assert notice.group == "第二巡视组"
    assert (notice.onsite_start, notice.onsite_end, notice.feedback_date) == (
        date(2023, 3, 29), date(2023, 6, 16), date(2023, 8, 29))


NO_TITLE = """根据市委统一部署，2024年5月7日至6月7日，市委第五巡察组对市某某局党组开展了巡察。7月24日，市委第五巡察组向市某某局党组反馈了巡察意见。现将集中整改进展情况予以公布。
一、党组组织整改落实情况
（一）党组组织巡察整改落实情况
局党组多次召开党组会。
"""


def test_no_title_takes_the_unit_from_the_opening_and_no_heading_as_title() -> None:
    notice = parse(NO_TITLE)
    assert notice.title == ""
    assert notice.unit == "市某某局党组"
    assert (notice.inspector, notice.group) == ("市委", "第五巡察组")
    assert notice.feedback_date == date(2024, 7, 24)  # the year comes from the visit


def test_unit_is_the_feedback_recipient_not_a_pronoun() -> None:
    notice = parse(
        "根据县委统一部署，2024年8月18日至9月14日，县委第二巡察组对我单位进行了巡察。"
        "10月24日，巡察组向中共某某县农业局党组反馈了巡察意见。\n一、整改情况\n正文。\n"
    )
    assert notice.unit == "中共某某县农业局党组"


def test_opening_over_two_paragraphs_reads_the_feedback_sentence() -> None:
    notice = parse(
        "中共某某县水务局党组关于县委巡察整改进展情况的通报\n"
        "2022年9月16日至10月18日，县委第二巡察组对县水务局党组进行了巡察。\n"
        "2023年1月17日，县委巡察组向县水务局党组反馈了巡察意见。\n一、整改情况\n正文。\n"
    )
    assert notice.feedback_date == date(2023, 1, 17)


@pytest.mark.parametrize(
    ("opening", "start", "end", "feedback"),
    [
        # 年 and 月 lost in extraction: no wrong date is made up.
        ("2024717日至830日，市委第一巡察组对市某某局党组开展了巡察。9月11日，市委巡察组向市某某局党组反馈了巡察意见。",
         None, None, None),
        # Month-only periods: the days are unknown.
        ("2024年8月下旬至9月底，市委第一巡察组对市某某局党组开展了巡察。2024年11月5日，市委巡察组向市某某局党组反馈了巡察意见。",
         None, None, date(2024, 11, 5)),
        ("2022年7月至8月，市委第一巡察组对市某某局党组开展了巡察。10月9日，市委巡察组向市某某局党组反馈了巡察意见。",
         None, None, date(2022, 10, 9)),
        # The year of the end and of the feedback comes from the start of the range.
        ("2022年11月1日至1月10日，市委第一巡察组对市某某局党组开展了巡察。3月2日，市委巡察组向市某某局党组反馈了巡察意见。",
         date(2022, 11, 1), date(2023, 1, 10), date(2023, 3, 2)),
        # A date after the feedback verb is not the feedback date.
        ("2021年5月8日至7月5日，中央第三巡视组对某某部党组开展了常规巡视。巡视反馈后，2021年9月3日召开党组会议。"
         "2021年9月2日，中央巡视组向某某部党组反馈了巡视意见。", date(2021, 5, 8), date(2021, 7, 5), date(2021, 9, 2)),
    ],
)
def test_dates_as_they_appear(opening: str, start: date | None, end: date | None, feedback: date | None) -> None:
    notice = parse(opening + "\n一、整改情况\n正文。\n")
    assert (notice.onsite_start, notice.onsite_end, notice.feedback_date) == (start, end, feedback)


@pytest.mark.parametrize(
    ("opening", "inspector", "kind"),
    [
        ("根据教育部党组统一部署，2021年4月6日至5月28日，教育部党组第三巡视组对某某大学党委开展了巡视。", "教育部党组", "巡视"),
        ("根据党中央统一部署，2023年4月7日至6月5日，中央第十五巡视组对某某总局党组开展了机动巡视。", "中央", "巡视"),
        ("根据党中央统一部署，2023年4月7日至6月5日，巡视组对某某总局党组开展了巡视。", "中央", "巡视"),
        ("根据市委统一部署，2023年3月29日至6月16日，市委第一巡视组对某某区委进行了巡视。", "市委", "巡视"),
        ("根据区党工委统一部署，2023年3月1日至4月20日，党工委第一巡察组对某某街道党工委开展了巡察。", "党工委", "巡察"),
        ("根据集团党委统一部署，2023年3月1日至4月20日，集团党委第二巡察组对某某分公司党委开展了巡察。", "集团党委", "巡察"),
    ],
)
def test_inspectors_beyond_the_party_committees(opening: str, inspector: str, kind: str) -> None:
    notice = parse(opening + "\n一、整改情况\n正文。\n")
    assert (notice.inspector, notice.kind) == (inspector, kind)
