"""A report's content (title, sections, tables, signature) in its formats: plain text, HTML
(through templates), .docx (GB/T 9704, through `OfficialDocument`) and PDF (that .docx through
LibreOffice, `reports.pdf`).

`content` is the dict a `ReportVersion` freezes, and the one a draft is previewed from:
{"kind", "title", "addressee", "signer", "date": "YYYY-MM-DD", "sections": [{"key", "heading",
"body", "table": {"headers", "rows", "widths"} | None}]}. No Django models here, only templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from rectify.notice.headings import AR_PAREN, match_label
from rectify.reports.gbt9704 import OfficialDocument, chinese_date
from rectify.reports.pdf import to_pdf
from rectify.rules.wording import full_width

FORMATS = {
    "txt": ("text/plain; charset=utf-8", "txt"),
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}


@dataclass
class Block:
    """One thing on the page, in reading order: a heading (level 1–4), a paragraph or a table."""

    kind: str
    text: str = ""
    level: int = 0
    run_in: str = ""
    table: dict[str, Any] | None = None


def chinese_punctuation(content: dict[str, Any]) -> dict[str, Any]:
    """The content with full-width punctuation throughout, as Chinese documents are written."""
    def table(value: dict[str, Any] | None) -> dict[str, Any] | None:
        if not value:
            return value
        return {**value, "headers": [full_width(h) for h in value.get("headers", [])],
                "rows": [[full_width(c) for c in row] for row in value.get("rows", [])]}

    return {
        **content,
        **{key: full_width(content.get(key, "")) for key in ("title", "addressee", "signer")},
        "sections": [
            {**section, "heading": full_width(section.get("heading", "")), "body": full_width(section.get("body", "")),
             "table": table(section.get("table"))}
            for section in content.get("sections", [])
        ],
    }


def _date(content: dict[str, Any]) -> dt.date | None:
    value = content.get("date")
    return dt.date.fromisoformat(value) if value else None


def _body_blocks(body: str) -> list[Block]:
    """Lines starting with a 公文 label become headings of their level, with run-in text after the first 。."""
    blocks = []
    for line in body.split("\n"):
        line = line.strip()
        if not line:
            continue
        label = match_label(line)
        if label is None or label.style > AR_PAREN:
            blocks.append(Block("paragraph", line))
            continue
        stop = line.find("。")
        head, run_in = (line[:stop], line[stop + 1 :]) if stop > 0 else (line, "")
        blocks.append(Block("heading", head, level=label.style + 1, run_in=run_in))
    return blocks


def _is_appendix(table: dict[str, Any] | None) -> bool:
    return bool(table and table.get("appendix"))


def blocks(content: dict[str, Any]) -> list[Block]:
    """The body of a report as blocks (title, addressee, signature and appendices are separate)."""
    out: list[Block] = []
    for section in content.get("sections", []):
        if section.get("heading"):
            out.append(Block("heading", section["heading"], level=1))
        out.extend(_body_blocks(section.get("body", "")))
        table = section.get("table")
        if table and table.get("rows") and not _is_appendix(table):
            out.append(Block("table", table=table))
    return out


def appendices(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The tables that go after the signature as attachments (附件1 …), each with its title."""
    tables = [s["table"] for s in content.get("sections", []) if _is_appendix(s.get("table")) and s["table"].get("rows")]
    return [{"label": f"附件{n}" if len(tables) > 1 else "附件", "title": t["appendix"], "table": t}
            for n, t in enumerate(tables, start=1)]


def title_lines(content: dict[str, Any]) -> list[str]:
    """The title broken after the issuing unit, as 公文 titles are (a trapezoid)."""
    title = content.get("title", "").strip()
    cut = title.find("关于")
    return [title[:cut], title[cut:]] if cut > 1 else [title]


def render_text(content: dict[str, Any]) -> str:
    """Plain text: title, addressee, sections (tables as | rows), signature and date."""
    content = chinese_punctuation(content)
    lines = [*title_lines(content), ""]
    if content.get("addressee"):
        lines.append(f"{content['addressee']}：")
    for section in content.get("sections", []):
        if section.get("heading"):
            lines.append(section["heading"])
        lines.extend(line.strip() for line in section.get("body", "").split("\n") if line.strip())
        table = section.get("table")
        if table and table.get("rows") and not _is_appendix(table):
            lines.append(" | ".join(table["headers"]))
            lines.extend(" | ".join(row) for row in table["rows"])
    attached = appendices(content)
    if attached:
        lines.append("附件：" + "、".join(a["title"] for a in attached))
    lines.append("")
    if content.get("signer"):
        lines.append(content["signer"])
    day = _date(content)
    if day:
        lines.append(chinese_date(day))
    for appendix in attached:
        table = appendix["table"]
        lines.extend(["", appendix["label"], appendix["title"], " | ".join(table["headers"])])
        lines.extend(" | ".join(row) for row in table["rows"])
    return "\n".join(lines) + "\n"


def section_text(section: dict[str, Any]) -> list[str]:
    """A section's lines for comparison: heading, body lines, table rows."""
    lines = [section["heading"]] if section.get("heading") else []
    lines.extend(line.strip() for line in section.get("body", "").split("\n") if line.strip())
    table = section.get("table")
    if table and table.get("rows"):
        lines.append(" | ".join(table["headers"]))
        lines.extend(" | ".join(row) for row in table["rows"])
    return lines


def html_context(content: dict[str, Any]) -> dict[str, Any]:
    content = chinese_punctuation(content)
    day = _date(content)
    return {
        "title_lines": title_lines(content),
        "addressee": content.get("addressee", ""),
        "blocks": blocks(content),
        "signer": content.get("signer", ""),
        "date_text": chinese_date(day) if day else "",
        "appendices": appendices(content),
    }


def render_html(content: dict[str, Any]) -> str:
    """A standalone HTML file of the report (for download; the pages include the same partial)."""
    return render_to_string("reports/document_file.html", {"document": html_context(content)})


def render_docx(content: dict[str, Any]) -> bytes:
    """The report as a GB/T 9704 .docx (punctuation made full-width as text enters the document)."""
    document = OfficialDocument()
    document.title("\n".join(title_lines(content)))
    if content.get("addressee"):
        document.addressee(content["addressee"])
    body = blocks(content)
    for index, block in enumerate(body):
        if block.kind == "heading":
            following = body[index + 1] if index + 1 < len(body) else None
            document.heading(block.level, block.text, run_in=block.run_in,
                             text_follows=following is not None and following.kind != "heading")
        elif block.kind == "table" and block.table:
            document.table(block.table["headers"], block.table["rows"], block.table.get("widths"))
        else:
            document.paragraph(block.text)
    attached = appendices(content)
    if attached:
        document.attachment_note([a["title"] for a in attached])
    document.signature(content.get("signer", ""), _date(content))
    for appendix in attached:
        table = appendix["table"]
        document.appendix(appendix["label"], appendix["title"], table["headers"], table["rows"], table.get("widths"))
    return document.to_bytes()


def render(content: dict[str, Any], fmt: str) -> bytes:
    """The content in one of FORMATS as bytes."""
    if fmt == "txt":
        return render_text(content).encode()
    if fmt == "html":
        return render_html(content).encode()
    if fmt == "docx":
        return render_docx(content)
    if fmt == "pdf":
        return to_pdf(render_docx(content), "docx")  # raises PdfUnavailable without LibreOffice
    raise ValueError(f"unknown format {fmt}")
