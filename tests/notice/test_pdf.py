"""A report handed in as a PDF file reads through `read_file` like its text (issue: PDF copies)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rectify.notice import NoticeError, parse, read_file
from rectify.notice.command import main
from tests.notice.cases import SEED_CASES, Case
from tests.notice.test_real_pages import CHROME_FIRST
from tests.notice.variants import pdf_like

pytest.importorskip("reportlab")

HEADER = ("title", "unit", "inspector", "kind", "term", "round", "group", "type",
          "onsite_start", "onsite_end", "feedback_date")

OWN = """中共某某县水务局党组关于十三届县委第五轮巡察整改进展情况的通报
根据县委统一部署，2022年9月16日至10月18日，县委第二巡察组对县水务局党组开展了常规巡察。2023年1月17日，县委巡察组向县水务局党组反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。
一、整改工作基本情况
局党组召开专题会议研究整改工作，制定整改措施46条，建立完善制度12项，清退违规资金3.6万元，推动各项整改任务落实落地，确保问题整改到位。
二、巡察反馈问题整改落实情况
（一）关于贯彻落实党的理论和路线方针政策方面的问题
1.理论学习不深入的问题。一是建立“第一议题”制度，每月集中学习一次；二是开展专题研讨三次，形成调研报告两篇。
2.执行上级决策部署有偏差的问题。完成整改，制定制度3项。
三、下一步工作打算
持续巩固整改成果。
"""


def _pdf(text: str) -> bytes:
    """A real PDF of the text as a GB/T 9704 page lays it out: 28 characters a line, 22 lines a
    page, the page number at the foot (reportlab's built-in CJK font, nothing embedded)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    y = 780
    for line in pdf_like(text).splitlines():
        if line.startswith("— "):
            page.setFont("STSong-Light", 12)
            page.drawString(280, 50, line)
            page.showPage()
            y = 780
            continue
        page.setFont("STSong-Light", 16)
        page.drawString(60, y, line)
        y -= 30
    page.showPage()
    page.save()
    return buffer.getvalue()


def _header(text: str) -> dict:
    got = parse(text).to_dict()
    return {field: got[field] for field in HEADER}


@pytest.mark.parametrize("text", [OWN, CHROME_FIRST], ids=["own", "chrome-first"])
def test_pdf_file_reads_like_its_text(text: str) -> None:
    data = _pdf(text)
    assert data.startswith(b"%PDF-")
    read = read_file(data, "通报.pdf")
    assert _header(read) == _header(text)
    assert parse(read).levels() == parse(text).levels()


@pytest.mark.parametrize("case", SEED_CASES[:2], ids=str)
def test_pdf_of_a_seed_reads_like_the_seed(case: Case) -> None:
    read = read_file(_pdf(case.text), "通报.pdf")
    assert _header(read) == _header(case.text)
    assert parse(read).levels() == parse(case.text).levels()


def test_rectify_parse_reads_a_pdf_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "通报.pdf"
    path.write_bytes(_pdf(OWN))
    assert main([str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["group"], data["type"], data["feedback_date"]) == ("第二巡察组", "常规巡察", "2023-01-17")
    assert data["findings"][0]["children"][0]["measures"][0].startswith("一是")


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"%PDF-1.4 nothing", "不是有效的 PDF"), (b"not a pdf at all", "缺少 %PDF- 文件头")],
)
def test_broken_pdf_is_refused_in_chinese(data: bytes, message: str) -> None:
    with pytest.raises(NoticeError, match=message):
        read_file(data, "通报.pdf")
