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


# --- headings kept with their text -------------------------------------------------------------

def _label_line(text: str) -> bool:
    from rectify.notice.headings import match_label

    return match_label(text) is not None


def headed_notice() -> tuple[dict, list[str], list[tuple[str, str]]]:
    """A notice with every kind of heading: section (一、), aspect (（一）), problem (1.) alone or with
    its text run in, sub-problem (（1）) with run-in text, short and long, between body paragraphs.
    Returns the content, the headings that stand alone, and (head, start of its text) of the others."""
    lines: list[str] = []
    alone: list[str] = []
    run_in: list[tuple[str, str]] = []
    for a in range(1, 5):
        aspect = f"（{'一二三四'[a - 1]}）关于落实第{a}方面要求的问题"
        lines.append(aspect)
        alone.append(aspect)
        for p in range(1, 5):
            head = f"{p}.关于第{a}方面第{p}个问题"
            if p % 2:
                body = f"{p + 2}项整改任务均正在推进。一是{WORDS * (1 + (a + p) % 6)}。"
                lines.append(f"{head}。{body}")
                run_in.append((head, body[:6]))
            else:
                lines.append(head)
                alone.append(head)
                sub = f"（1）针对第{p}个问题的具体表现"
                lines.append(f"{sub}。{WORDS[: 10 + 7 * a]}。")
                run_in.append((sub, WORDS[:6]))
            for m in range(2, 2 + (a * p) % 4):
                lines.append(f"{'一二三四五六'[m - 1]}是{WORDS * (1 + (a + m) % 5)}。")
    content = {
        "kind": "notice", "title": "中共测试单位党组关于十一届省委第八轮巡视整改进展情况的通报",
        "addressee": "", "signer": "中共测试单位党组", "date": "2026-03-01",
        "sections": [
            {"key": "basics", "heading": "一、整改工作基本情况", "body": WORDS * 9, "table": None},
            {"key": "findings", "heading": "二、省委巡视组反馈意见整改落实情况", "body": "\n".join(lines), "table": None},
            {"key": "next_steps", "heading": "三、下一步工作打算", "body": WORDS * 4, "table": None},
        ],
    }
    return content, ["一、整改工作基本情况", "二、省委巡视组反馈意见整改落实情况", "三、下一步工作打算", *alone], run_in


def findings_report() -> dict:
    """An internal report's findings: aspects, each over a long list of one-line items with their count."""
    body = []
    for a in range(1, 4):
        body.append(f"（{'一二三'[a - 1]}）关于落实第{a}方面要求的问题")
        body += [f"{p}.关于第{p}个问题。{p % 4 + 1}项整改任务均正在推进。" for p in range(1, 25)]
    return {"kind": "internal", "title": "中共测试单位党组关于十一届省委第八轮巡视整改情况的报告",
            "addressee": "省委巡视工作领导小组", "signer": "中共测试单位党组", "date": "2026-03-01",
            "sections": [{"key": "tasks", "heading": "一、反馈问题整改落实情况", "body": "\n".join(body), "table": None}]}


def _compact(page: list[str]) -> str:
    return "".join("".join(line.split()) for line in page)


def assert_pages_half_full(pages: list[list[str]]) -> None:
    """No page but the last is left more than half empty (22 lines a page)."""
    assert all(len(page) > 22 // 2 for page in pages[:-1]), [len(page) for page in pages]


def test_every_heading_stays_with_its_text_and_no_page_is_left_half_empty() -> None:
    content, alone, run_in = headed_notice()
    pages = pages_of(to_pdf(render_docx(content), "docx"))
    assert len(pages) >= 6
    assert_pages_half_full(pages)
    texts = [_compact(page) for page in pages]
    for heading in alone:
        found = [t for t in texts if "".join(heading.split()) in t]
        assert found, f"「{heading}」 is split across pages"
        # Body text follows the heading on its own page: a heading never ends a page.
        assert not found[0].endswith("".join(heading.split())), heading
    for head, start in run_in:
        found = [t for t in texts if head in t]
        assert found, f"「{head}」 is split across pages"
        assert head + "。" + start in found[0], f"「{head}」 ends a page without its text"
    for page, following in zip(pages[:-1], pages[1:], strict=True):
        if _label_line(page[-1]):  # only a one-line item, complete, may end a page
            assert page[-1].endswith("。") and _label_line(following[0]), (page[-1], following[0])


def test_a_long_list_of_headings_with_their_counts_fills_its_pages() -> None:
    pages = pages_of(to_pdf(render_docx(findings_report()), "docx"))
    assert len(pages) >= 3
    assert_pages_half_full(pages)
    for page in pages[:-1]:
        assert not page[-1].startswith("（") or page[-1].endswith("。"), page[-1]  # an aspect never ends a page
