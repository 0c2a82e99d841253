"""The public 整改进展情况通报 as the .docx users download (`notice_content` → `rendering.render_docx`)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx.oxml.ns import qn

from rectify.notice import Notice
from rectify.reports.notice_sections import notice_content, short_unit
from rectify.reports.rendering import render_docx

from .conftest import open_docx

NOTICE: dict[str, Any] = {
    "title": "中共山东省委统战部关于十一届省委第八轮巡视整改进展情况的通报",
    "unit": "中共山东省委统战部",
    "inspector": "省委",
    "kind": "巡视",
    "term": "十一届",
    "round": 8,
    "group": "第十四巡视组",
    "type": "常规巡视",
    "onsite_start": "2020-10-18",
    "onsite_end": "2020-12-25",
    "feedback_date": "2021-01-30",
    "published": "2021-08-26",
    "figures": [
        {
            "text": "38项整改任务中有7项已整改完成",
            "numbers": [{"value": 38, "unit": "项", "what": "整改任务"}],
        },
        {"text": "新建或修订完善制度25项", "numbers": [{"value": 25, "unit": "项", "what": "制度"}]},
    ],
    "findings": [
        {
            "label": "（一）",
            "title": "关于贯彻落实中央关于统战工作重大决策部署和省委工作要求方面问题",
            "children": [
                {
                    "label": "1.",
                    "title": "关于“学习贯彻习近平总书记关于加强和改进统一战线工作的重要思想不够深入”的问题",
                    "measures": [
                        "一是着力强化思想政治引领。",
                        "二是健全学习制度，修订理论学习中心组学习规则。",
                    ],
                },
                {
                    "label": "2.",
                    "title": "关于“牵头构建大统战工作格局不到位”的问题",
                    "children": [
                        {
                            "label": "(1)",
                            "title": "针对“统筹协调不够”问题",
                            "measures": ["召开领导小组会议2次。"],
                        },
                        {
                            "label": "(2)",
                            "title": "针对“督促检查不力”问题",
                            "measures": ["开展专项督查1轮。"],
                        },
                    ],
                },
            ],
        },
        {
            "label": "（二）",
            "title": "问题线索及信访件办理情况",
            "text": "省委巡视组向省委统战部移交的信访件已全部办结。",
        },
    ],
    "contact": {
        "phone": ["0531-51775418"],
        "email": ["sdtzxx0531@126.com"],
        "address": "济南市市中区纬一路482号省委统战部",
        "postcode": "250001",
    },
}


def render_notice_docx(notice: Notice, *, body_before: list[str] | None = None, next_steps: list[str] | None = None,
                       unit_short: str | None = None) -> bytes:
    """The notice through the one path every generated notice takes."""
    content = notice_content(notice, basics=body_before or [], steps=next_steps or [], unit_short=unit_short)
    return render_docx(content)


def paragraphs(data: bytes) -> list[Any]:
    return [p for p in open_docx(data).paragraphs if p.text.strip()]


def texts(data: bytes) -> list[str]:
    return [p.text for p in paragraphs(data)]


def all_nodes(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for node in nodes:
        found.append(node)
        found.extend(all_nodes(node.get("children", [])))
    return found


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_notice_docx(
        Notice.from_dict(NOTICE),
        body_before=["省委统战部领导班子高度重视巡视整改工作。"],
        next_steps=["一是坚决做到“两个维护”。", "二是扛牢管党治党主体责任"],
    )


def test_every_finding_title_and_measure_appears(rendered: bytes):
    body = "\n".join(texts(rendered))
    for node in all_nodes(NOTICE["findings"]):
        assert node["title"] in body
        for measure in node.get("measures", []):
            assert measure in body
        if node.get("text"):
            assert node["text"] in body


def test_findings_follow_the_heading_ladder_with_its_fonts(rendered: bytes):
    fonts = {}
    for paragraph in paragraphs(rendered):
        rfonts = paragraph.runs[0]._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        fonts[paragraph.text] = (rfonts.get(qn("w:eastAsia")), bool(paragraph.runs[0].font.bold))
    assert fonts["一、整改工作基本情况"] == ("黑体", False)
    assert fonts["二、省委巡视组反馈意见整改落实情况"] == ("黑体", False)
    assert fonts["（一）关于贯彻落实中央关于统战工作重大决策部署和省委工作要求方面问题"] == (
        "楷体_GB2312",
        False,
    )
    assert fonts["2.关于“牵头构建大统战工作格局不到位”的问题"] == ("仿宋_GB2312", True)
    # Half-width brackets of a parsed label come out in the full-width form of the ladder.
    assert fonts["（1）针对“统筹协调不够”问题"] == ("仿宋_GB2312", False)
    assert fonts["二是扛牢管党治党主体责任。"] == ("仿宋_GB2312", False)


def test_sections_come_in_order(rendered: bytes):
    headings = [t for t in texts(rendered) if re.match(r"^[一二三四五六七八九十]+、", t)]
    assert headings == ["一、整改工作基本情况", "二、省委巡视组反馈意见整改落实情况", "三、下一步工作打算"]


def test_title_opening_contact_and_signature(rendered: bytes):
    lines = texts(rendered)
    assert lines[0].split("\n")[0] == "中共山东省委统战部"
    assert "".join(lines[0].split("\n")) == NOTICE["title"]
    assert lines[1].startswith("根据省委统一部署，2020年10月18日至12月25日，省委第十四巡视组对省委统战部")
    contact = next(t for t in lines if t.startswith("欢迎广大干部群众"))
    for value in ("0531-51775418", "sdtzxx0531@126.com", "济南市市中区纬一路482号省委统战部", "250001"):
        assert value in contact
    assert lines[-2:] == ["中共山东省委统战部", "2021年8月26日"]


def test_figures_are_stated_once(rendered: bytes):
    body = "\n".join(texts(rendered))
    assert body.count("38项整改任务中有7项已整改完成") == 1
    again = render_notice_docx(
        Notice.from_dict(NOTICE), body_before=["经过集中整改，38项整改任务中有7项已整改完成。"]
    )
    body = "\n".join(texts(again))
    assert body.count("38项整改任务中有7项已整改完成") == 1
    assert "新建或修订完善制度25项" in body


def test_a_notice_without_optional_parts_still_renders():
    data = render_notice_docx(Notice(unit="某单位", findings=[]))
    lines = texts(data)
    assert lines[0] == "某单位\n关于巡视整改进展情况的通报"
    assert (
        lines[1]
        == "根据统一部署，巡视组对某单位开展了巡视。巡视组向某单位反馈了巡视意见。按照巡视工作有关要求，现将巡视整改进展情况予以公布。"
    )
    assert not any(re.match(r"^[一二三]、", t) for t in lines)  # no empty sections
    assert lines[-2] == "某单位"


def test_hostile_notice_text_still_gives_a_valid_document():
    hostile = dict(NOTICE)
    hostile["title"] = "<w:p>\x00通报\x1b"
    hostile["findings"] = [
        {"label": "（一）", "title": "</w:t>\x0b问题", "measures": ["<script>alert(1)</script>\x08措施"]}
    ]
    body = "\n".join(texts(render_notice_docx(Notice.from_dict(hostile))))
    assert "<w:p>通报" in body
    assert "</w:t>问题" in body
    assert "<script>alert(1)</script>措施" in body


@pytest.mark.parametrize(
    ("seed", "unit_short"),
    [
        ("shandong-tongzhanbu-2021", None),
        ("shandong-renfangban-2021", "省人防办党组"),
        ("quanguo-zhengxie-2021", "全国政协机关党组"),
    ],
)
def test_opening_sentence_reads_like_the_published_notice(seeds: Path, seed: str, unit_short: str | None):
    answer = json.loads((seeds / f"{seed}.json").read_text(encoding="utf-8"))
    source = (seeds / f"{seed}.txt").read_text(encoding="utf-8")
    published = next(line.strip() for line in source.splitlines() if line.strip().startswith("根据"))
    notice = Notice.from_dict({**answer, "title": "", "figures": [], "findings": []})
    lines = texts(render_notice_docx(notice, unit_short=unit_short))
    # The web pages converted the full-width commas; compare in the documents' own punctuation.
    assert lines[1] == published.replace(",", "，")


@pytest.mark.parametrize(
    ("unit", "inspector", "expected"),
    [
        ("中共山东省委统战部", "省委", "省委统战部"),
        ("中共枣庄市政协机关党组", "市委", "市政协机关党组"),
        ("中共锡盟委统战部", "盟委", "盟委统战部"),
        ("中共政协全国委员会机关党组", "中央", "政协全国委员会机关党组"),
    ],
)
def test_short_unit_drops_party_prefix_and_place(unit: str, inspector: str, expected: str):
    assert short_unit(unit, inspector) == expected


def test_signature_falls_back_to_today_in_beijing_when_unpublished():
    beijing = ZoneInfo("Asia/Shanghai")
    before = datetime.now(beijing).date()
    data = render_notice_docx(Notice.from_dict({**NOTICE, "published": None}))
    after = datetime.now(beijing).date()
    assert texts(data)[-1] in {f"{d.year}年{d.month}月{d.day}日" for d in (before, after)}


def test_a_findings_text_runs_on_after_its_heading_in_body_font(rendered: bytes):
    heading = next(p for p in paragraphs(rendered) if p.text.startswith("（二）"))
    assert heading.text == "（二）问题线索及信访件办理情况。省委巡视组向省委统战部移交的信访件已全部办结。"
    title_run, text_run = heading.runs
    assert title_run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "楷体_GB2312"
    assert text_run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert text_run.font.bold is False  # regular, though the paragraph's heading style may be bold


def test_run_in_text_after_a_bold_problem_heading_is_regular():
    notice = Notice.from_dict(
        {
            "unit": "某单位",
            "findings": [
                {
                    "label": "（一）",
                    "title": "方面",
                    "children": [
                        {
                            "label": "1.",
                            "title": "强化党的政治建设",
                            "text": "召开专题会议。",
                            "measures": ["一是建立台账。"],
                        }
                    ],
                }
            ],
        }
    )
    heading = next(p for p in paragraphs(render_notice_docx(notice)) if p.text.startswith("1."))
    assert heading.text == "1.强化党的政治建设。召开专题会议。一是建立台账。"
    assert heading.runs[0].font.bold is True
    assert heading.runs[1].font.bold is False
