"""The grammar of notices beyond the seeds, on small constructed documents.

Each document below is written for the test (not copied from a publication) to exercise one
variant the seeds do not show: other heading ladders, numerals, dates, types of inspection.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rectify.notice import parse
from rectify.notice.dates import find_range, parse_deadline, standalone_date
from rectify.notice.headings import AR_DOT, AR_PAREN, CIRCLED, CN_COMMA, CN_PAREN, match_label, split_measures
from rectify.notice.numerals import chinese_to_int, to_number
from rectify.notice.sections.figures import numbers_in


@pytest.mark.parametrize(
    ("text", "value"),
    [("十四", 14), ("二十", 20), ("一百七十三", 173), ("一百零五", 105), ("二〇二一", 2021), ("两千零二十", 2020), ("三万五千", 35000)],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


def test_quantities_keep_decimals_exact() -> None:
    assert to_number("120.5") == Decimal("120.5")
    assert to_number("１７３") == 173


@pytest.mark.parametrize(
    ("line", "style", "number"),
    [
        ("一、整改工作基本情况", CN_COMMA, 1), ("（十二）关于…", CN_PAREN, 12), ("(三) 关于…", CN_PAREN, 3),
        ("〔四〕关于…", CN_PAREN, 4), ("7.强化", AR_DOT, 7), ("7．强化", AR_DOT, 7), ("12、强化", AR_DOT, 12),
        ("（23）针对", AR_PAREN, 23), ("（２３）针对", AR_PAREN, 23), ("3）针对", AR_PAREN, 3), ("②建立", CIRCLED, 2),
    ],
)
def test_heading_labels(line: str, style: int, number: int) -> None:
    label = match_label(line)
    assert label is not None and (label.style, label.number) == (style, number)


@pytest.mark.parametrize("line", ["1.5万元资金已追缴", "2021年3月", "一是加强学习", "(责编:王)", "（一）"])
def test_lines_that_are_not_headings(line: str) -> None:
    assert match_label(line) is None


def test_measure_runs_ignore_out_of_order_markers() -> None:
    lead, measures = split_measures("总体推进。一是统一思想，这统一是前提。二是压实责任。四是另起。三是完善制度。")
    assert lead == "总体推进。"
    assert [m[:2] for m in measures] == ["一是", "二是", "三是"]
    assert "四是另起" in measures[1]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021年3月16日至5月15盟委", date(2021, 3, 16), date(2021, 5, 15)),
        ("2020年11月2日至2021年1月25日", date(2020, 11, 2), date(2021, 1, 25)),
        ("2020年11月2日至1月25日", date(2020, 11, 2), date(2021, 1, 25)),
        ("二〇二一年三月十六日至五月十五日", date(2021, 3, 16), date(2021, 5, 15)),
        ("2022年4月6日—6月30日", date(2022, 4, 6), date(2022, 6, 30)),
    ],
)
def test_onsite_ranges(text: str, start: date, end: date) -> None:
    found = find_range(text)
    assert found is not None and found[:2] == (start, end)


@pytest.mark.parametrize(
    ("text", "value"),
    [("6月底前", date(2021, 6, 30)), ("年底前", date(2021, 12, 31)), ("2022年6月底", date(2022, 6, 30)),
     ("9月15日前", date(2021, 9, 15)), ("长期坚持", None), ("2022年底", date(2022, 12, 31))],
)
def test_deadlines(text: str, value: date | None) -> None:
    assert parse_deadline(text, 2021) == value


def test_document_date_in_chinese_numerals() -> None:
    assert standalone_date("二〇二一年八月二十六日") == date(2021, 8, 26)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("明确整改任务173项", [(173, "项", "明确整改任务")]),
        ("问责23人", [(23, "人", "问责")]),
        ("追缴资金120.5万元", [(Decimal("120.5"), "万元", "追缴资金")]),
        ("38项整改任务中有7项已整改完成", [(38, "项", "整改任务"), (7, "项", "整改任务")]),
        ("增强“四个意识”、做到两个维护", []),
        ("2021年度第8轮", []),
    ],
)
def test_figures(clause: str, expected: list[tuple[object, str, str]]) -> None:
    assert [(n.value, n.unit, n.what) for n in numbers_in(clause)] == expected


COUNTY = """首页 > 巡察工作 > 整改公开
中共某某县财政局党组
关于十三届县委第五轮巡察“回头看”
整改进展情况的通报
发布时间：2023-03-02
根据县委统一部署，二〇二二年九月五日至十月二十八日，县委第三巡察组对县财政局党组开展了巡察“回头看”。十二月二日，县委巡察组向县财政局党组反馈了巡察意见。现将整改进展情况公布如下。
一、整改工作开展情况
局党组召开专题会议12次，制定整改措施46条，清退违规资金3.6万元。
二、巡察反馈问题整改落实情况
（一）关于贯彻落实党的理论和路线方针政策方面的问题
1、理论学习不深入的问题
①建立“第一议题”制度。
②每月集中学习一次。
2、执行上级决策部署有偏差的问题
完成整改，制定制度3项。
（二）关于全面从严治党方面的问题
3、廉政风险防控不到位的问题
一是开展风险排查；二是完善内控制度。
三、下一步工作打算
持续巩固整改成果。
欢迎广大干部群众进行监督。联系电话：0123－4567890，电子邮箱：czj@example.com，通信地址：某某县人民路8号（邮编：123456）。
中共某某县财政局党组
2023年2月28日
"""


def test_county_notice_with_other_ladder_and_lookback() -> None:
    notice = parse(COUNTY)
    assert notice.unit == "中共某某县财政局党组"
    assert (notice.inspector, notice.kind, notice.term, notice.round) == ("县委", "巡察", "十三届", 5)
    assert (notice.group, notice.type) == ("第三巡察组", "巡察回头看")
    assert (notice.onsite_start, notice.onsite_end) == (date(2022, 9, 5), date(2022, 10, 28))
    assert notice.feedback_date == date(2022, 12, 2)
    assert notice.published == date(2023, 2, 28)
    assert notice.levels() == [2, 3, 2]
    assert notice.findings[1].children[0].measures == ["一是开展风险排查；", "二是完善内控制度。"]
    assert notice.contact.phone == ["0123-4567890"] and notice.contact.postcode == "123456"
    assert any("清退违规资金3.6万元" == f.text for f in notice.figures)


ASPECTS_AT_TOP = """中共某某市水利局党组关于市委第二轮机动巡察整改进展情况的通报
根据市委统一部署，2024年3月4日至4月30日，市委第六巡察组对市水利局党组开展了机动巡察。2024年6月3日，市委巡察组反馈了巡察意见。
一、关于落实党中央决策部署方面存在的问题
（一）河湖长制落实不到位的问题。完成整改。
（二）项目监管不严的问题。完成整改。
二、关于全面从严治党方面存在的问题
（一）“四风”问题仍有发生的问题。已整改到位。
三、关于干部队伍建设方面存在的问题
（一）选人用人不规范的问题。已整改到位。
下一步，局党组将持续抓好整改。
中共某某市水利局党组
2024年9月10日
"""


def test_aspects_may_be_the_top_level_sections() -> None:
    notice = parse(ASPECTS_AT_TOP)
    assert notice.type == "机动巡察" and notice.round == 2 and notice.group == "第六巡察组"
    assert notice.levels() == [3, 4]
    assert notice.findings[0].label == "一、"


def test_central_notice_without_year_on_feedback_date_in_next_year() -> None:
    text = (
        "中共某某部党组关于十九届中央第五轮巡视整改进展情况的通报\n"
        "根据中央统一部署，2020年10月12日至12月20日，中央第七巡视组对某某部党组开展了常规巡视。"
        "2月4日，中央巡视组向某某部党组反馈了巡视意见。\n"
    )
    notice = parse(text)
    assert notice.feedback_date == date(2021, 2, 4)
    assert (notice.inspector, notice.term, notice.round, notice.group) == ("中央", "十九届", 5, "第七巡视组")
