"""The sections of a public notice (整改进展情况通报), from a `Notice` and the paragraphs written for it.

One path for every notice the system writes: `compose.notice_draft` builds its sections here from
the ledger, the office edits them, and `rendering` turns them into the text, HTML, .docx and PDF
users download. Pure Python, no Django, so the benchmark and the layout tests render exactly what
users get.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from rectify.notice import Notice
from rectify.notice.numerals import int_to_chinese
from rectify.notice.render import contact_paragraph, node_lines, opening_sentence, short_unit, title_of

__all__ = ["contact_paragraph", "notice_content", "notice_sections", "opening_sentence", "short_unit"]


_END = "。！？；…”）"


def _sentence(text: str) -> str:
    text = text.strip().rstrip("，,；;、")
    return text if not text or text.endswith(tuple(_END)) or text.endswith("：") else f"{text}。"


def _section(key: str, heading: str, lines: list[str], *, sentences: bool = False) -> dict[str, Any]:
    lines = [_sentence(line) if sentences else line.strip() for line in lines if line.strip()]
    return {"key": key, "heading": heading, "body": "\n".join(lines), "table": None}


def _unstated_figures(notice: Notice, written: list[str]) -> str:
    """The notice's figures that no paragraph states, as one sentence (none for a composed notice,
    whose figures are read from its own paragraphs)."""
    text = "\n".join(written)
    clauses = [f.text.strip().rstrip("。；;，,") for f in notice.figures if f.text.strip()]
    missing = [clause for clause in clauses if clause not in text]
    return f"截至目前，{'，'.join(missing)}。" if missing else ""


def notice_sections(
    notice: Notice, *, basics: list[str], steps: list[str], unit_short: str | None = None
) -> list[dict[str, Any]]:
    """opening, 一、整改工作基本情况, 二、…反馈意见整改落实情况 (the findings tree), 三、下一步工作打算, contact."""
    kind = notice.kind or "巡视"
    unit = unit_short or short_unit(notice.unit, notice.inspector)
    sections = [_section("opening", "", [opening_sentence(notice, unit_short=unit)])]
    findings = node_lines(notice.findings)
    basics = [*basics, _unstated_figures(notice, [*basics, *findings, *steps])]
    titled = [("basics", "整改工作基本情况", basics)] if any(line.strip() for line in basics) else []
    if findings:
        titled.append(("findings", f"{notice.inspector or ''}{kind}组反馈意见整改落实情况", findings))
    if any(line.strip() for line in steps):
        titled.append(("next_steps", "下一步工作打算", steps))
    for number, (key, heading, lines) in enumerate(titled, start=1):
        sections.append(_section(key, f"{int_to_chinese(number)}、{heading}", lines, sentences=key != "findings"))
    sections.append(_section("contact", "", [contact_paragraph(kind, notice.contact)]))
    return sections


def notice_content(
    notice: Notice, *, basics: list[str], steps: list[str], unit_short: str | None = None,
    day: dt.date | None = None,
) -> dict[str, Any]:
    """The notice as the content `rendering` takes (what a report version freezes); dated its
    publication day, else today in Beijing."""
    day = day or notice.published or dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return {
        "kind": "notice", "title": notice.title.strip() or title_of(notice), "addressee": "", "signer": notice.unit,
        "date": day.isoformat(),
        "sections": notice_sections(notice, basics=basics, steps=steps, unit_short=unit_short),
    }
