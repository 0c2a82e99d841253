"""Generated documents look right in LibreOffice: a notice at 28 characters × 22 lines, no half-empty
pages, and the 台账 workbook printed on A4 landscape with its header on every page.

The files are converted to PDF with LibreOffice headless (`rectify.reports.pdf`) under the project's
font aliases, then read back with pdftotext -layout. Skipped, with one line, without LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from rectify.reports.pdf import soffice, to_pdf
from rectify.reports.rendering import render_docx

pytestmark = pytest.mark.skipif(
    soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or pdftotext not installed (scripts/setup.sh --test installs them)",
)

# Pure Chinese text, so a line's length is its number of characters whatever pdftotext's spacing.
WORDS = "坚持问题导向压实整改责任健全长效机制推动巡视整改走深走实"


def pages_of(pdf: bytes) -> list[list[str]]:
    """Each page's text lines (the page number "— n —" left out)."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pages = []
    for page in text.decode("utf-8").split("\f"):
        lines = [line.strip() for line in page.split("\n") if line.strip() and not line.strip().startswith("—")]
        if lines:
            pages.append(lines)
    return pages


def notice_content(measures: int) -> dict:
    body = "\n".join(f"{i}.关于问题的整改。{WORDS * 3}" if i % 5 == 1 else (WORDS * 4)[: 60 + i % 50]
                     for i in range(1, measures + 1))
    return {
        "kind": "notice", "title": "中共测试单位党组关于十一届省委第八轮巡视整改进展情况的通报",
        "addressee": "", "signer": "中共测试单位党组", "date": "2026-03-01",
        "sections": [
            {"key": "basics", "heading": "一、整改工作基本情况", "body": WORDS * 5, "table": None},
            {"key": "findings", "heading": "二、省委巡视组反馈意见整改落实情况", "body": body, "table": None},
        ],
    }


@pytest.fixture(scope="module")
def notice_pages() -> list[list[str]]:
    return pages_of(to_pdf(render_docx(notice_content(40)), "docx"))


def test_notice_lines_hold_28_characters(notice_pages) -> None:
    body = [line for page in notice_pages[1:] for line in page]
    assert max(len(line) for line in body) == 28
    # Lines other than a paragraph's last are full: 28 characters, 26 after a first-line indent.
    assert sum(1 for line in body if len(line) == 28) >= 40
    assert sum(1 for line in body if len(line) == 26) >= 10


def test_notice_pages_hold_22_lines(notice_pages) -> None:
    # Every page but the last is full: 22 lines, nothing pushed over leaving half a page empty.
    assert [len(page) for page in notice_pages[1:-1]] == [22] * (len(notice_pages) - 2)
    assert len(notice_pages[0]) >= 20  # the title takes its own lines on the first page


def ledger_pages(tasks: int) -> list[list[str]]:
    from rectify.spreadsheets.model import ExportRow
    from rectify.spreadsheets.writer import write_ledger

    rows = [ExportRow(aspect=f"第{1 + i // 20}方面", finding=f"问题{1 + i // 4}" + WORDS * 2, measure=f"措施{i}" + WORDS * 4,
                      leader=["张三"], lead_org=["办公室"], status="推进中", progress=WORDS * 3)
            for i in range(tasks)]
    data = write_ledger(rows, title="整改台账", unit="测试单位", date_label="填报日期：2026年3月1日")
    return pages_of(to_pdf(data, "xlsx"))


def test_ledger_prints_on_as_many_pages_as_its_rows_need_with_the_header_on_each() -> None:
    pages = ledger_pages(60)
    assert len(pages) >= 4  # not squeezed onto one A4 page
    for page in pages:
        assert any("整改措施" in line and "责任领导" in line for line in page)
    # Every measure is printed whole, on its own lines: wrapped text overprints nothing.
    text = "".join(line.replace(" ", "") for page in pages for line in page)
    assert all(f"措施{i}" in text for i in range(60))
