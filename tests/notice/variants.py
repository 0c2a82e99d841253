"""The same report in the shapes offices also hand in: a PDF copy's text and a traditional repost."""

from __future__ import annotations

from opencc import OpenCC

_S2T = OpenCC("s2t")


def _width(text: str) -> int:
    return sum(1 if ord(ch) < 0x2000 else 2 for ch in text)


def pdf_like(text: str, width: int = 56, page_lines: int = 22) -> str:
    """The text a PDF copy gives: every visual line (`width` half-width units, 28 characters on a
    GB/T 9704 page) ends in a hard break, paragraphs are indented by two characters, and a page
    number "— N —" stands after every `page_lines` lines."""
    out: list[str] = []
    page = 1

    def emit(line: str) -> None:
        nonlocal page
        out.append(line)
        if len(out) % (page_lines + 1) == page_lines:
            out.append(f"— {page} —")
            page += 1

    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        line = "\u3000\u3000"
        for ch in paragraph:
            if _width(line + ch) > width:
                emit(line)
                line = ""
            line += ch
        emit(line)
    return "\n".join(out) + "\n"


def traditional(text: str) -> str:
    """The report reposted in traditional characters."""
    return _S2T.convert(text)
