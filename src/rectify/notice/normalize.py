"""Text as offices copy it, made plain before it is parsed.

Two shapes of the same report are common besides the original: a repost in traditional characters
(converted to simplified, so that one grammar reads both), and the text of a PDF copy, where every
visual line ends in a hard break and the page numbers ("— 3 —") stand between the lines (the lines
of each paragraph are joined again, the page numbers dropped).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from rectify.notice.headings import match_label

# Characters that only traditional script writes, among the commonest of these reports' words
# (黨 視 組 織 關 於 報 會 …): simplified text holds none of them.
_TRADITIONAL_RE = re.compile("[黨視組織關於報會發這國們為對進問題經過時區縣專項領導責員書議實現檢規幹機構將設權辦條當]")
_TRADITIONAL_MIN = 8  # occurrences in the sample before a text is taken for traditional
_SAMPLE = 20_000  # characters looked at to decide

_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-—–－‒―]+\s*\d{1,4}\s*[-—–－‒―]+|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")
# A title fills its line as a paragraph does, but ends the way titles do: "…情况的通报".
_TITLE_END_RE = re.compile(r"(?:巡视|巡察)[^。，,；;]*(?:通报|报告|公告)$")
_BARE_NUMBER_RE = re.compile(r"^\s*\d{1,4}\s*$")
_END_PUNCT = "。；;！!？?：:"
_WRAP_MIN_LINES = 3  # full lines needed before a text is taken for a PDF copy
_WRAP_SHARE = 0.4  # of the lines (twelve characters or more) that reach the margin


@cache
def _tables() -> tuple[dict[int, str], re.Pattern[str] | None, dict[str, str]]:
    """OpenCC's t2s dictionaries as a character table and the phrases it would get wrong.

    OpenCC converts phrase by phrase (TSPhrases), then character by character (TSCharacters).
    Most phrases convert to what their characters give one by one; only the others need to be
    looked for, so a text is converted with one scan for those phrases and one str.translate.
    """
    from pathlib import Path

    import opencc

    folder = Path(opencc.__file__).resolve().parent / "dictionary"

    def entries(name: str) -> list[tuple[str, str]]:
        found = []
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if key and values:
                found.append((key, values.split(" ")[0]))
        return found

    table = {ord(key): value for key, value in entries("TSCharacters.txt") if len(key) == 1}
    special = {key: value for key, value in entries("TSPhrases.txt") if key.translate(table) != value}
    # The look-ahead names every phrase's first character: the engine skips to them.
    firsts = "".join(sorted({key[0] for key in special}))
    pattern = (
        re.compile(f"(?=[{re.escape(firsts)}])(?:"
                   + "|".join(re.escape(key) for key in sorted(special, key=len, reverse=True)) + ")")
        if special else None
    )
    return table, pattern, special


def is_traditional(text: str) -> bool:
    """Whether the text is written in traditional characters (a repost)."""
    return len(_TRADITIONAL_RE.findall(text, 0, _SAMPLE)) >= _TRADITIONAL_MIN


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC's t2s tables, phrases included)."""
    table, pattern, special = _tables()
    if pattern is not None:
        text = pattern.sub(lambda match: special[match.group(0)], text)
    return text.translate(table)


def _width(line: str) -> int:
    """Visual width in half-width units: a CJK character or full-width mark (the ideographic space
    of an indent too) counts two."""
    return len(line) + (len(line.encode("utf-8")) - len(line)) // 2


def _full_width(lines: list[str]) -> int | None:
    """The width of a full visual line when the text is a PDF copy, else None (`lines` keep their
    indent, so the first line of a paragraph measures as full as the others).

    In a PDF copy most lines of the body stop at the same right margin and do not end a sentence;
    a text with one paragraph per line has lines of every length, most ending in 。.
    """
    # Cheapest test first: a text with one paragraph per line has many lines longer than any page
    # is wide (a hundred characters); a PDF copy has none.
    if sum(1 for line in lines if len(line) > 100) > 0.1 * len(lines):
        return None
    # Headings are left out: a list of headings of one length is no margin.
    measured = [(line, _width(line)) for line in lines if len(line) >= 12 and match_label(line.lstrip()) is None]
    if len(measured) < _WRAP_MIN_LINES:
        return None
    # A line that reaches the margin in characters of one width (most of a page's lines) gives
    # the margin; lines with narrower digits or marks stop a little short of it.
    counts = Counter(width for _, width in measured)
    margin, _ = max(counts.items(), key=lambda item: (item[1], item[0]))
    if margin < 40:  # narrower than twenty characters: a list, not a page's margin
        return None
    low = margin - 2
    full = [line for line, width in measured if low <= width <= margin + 2]
    wider = sum(1 for _, width in measured if width > margin + 4)
    open_ended = sum(1 for line in full if line[-1:] not in _END_PUNCT)
    if (
        len(full) < _WRAP_MIN_LINES
        or len(full) < _WRAP_SHARE * len(measured)
        or wider > 0.1 * len(measured)  # paragraphs run past any margin: one per line
        or open_ended < 0.6 * len(full)
    ):
        return None
    return low


def _joins(previous: str, line: str, content: str) -> bool:
    """Whether a visual line goes on the paragraph before it (which reached the margin)."""
    if line[:1] in "\u3000\t" or line[:2] == "  ":
        return False  # an indented line starts a paragraph
    if match_label(content) is None:
        return True
    # A line that starts like a heading ("2024)…", "3.…") still continues a sentence left open,
    # but a heading never runs on into the next heading.
    return previous[-1:] not in _END_PUNCT and (match_label(previous) is None or "。" in previous)


def _is_page_number(content: str) -> bool:
    return len(content) <= 16 and bool(_PAGE_NUMBER_RE.match(content) or _BARE_NUMBER_RE.match(content))


def unwrap(text: str) -> str:
    """The text of a PDF copy with its paragraphs joined and page numbers dropped; any other text
    is returned as it is."""
    head = [line.rstrip() for line in text.split("\n", 400)[:400]]
    has_page_numbers = any(len(line) <= 24 and _PAGE_NUMBER_RE.match(line) for line in head)
    # The margin is found on the first page or so: it is the same on every page.
    full = _full_width([line for line in head if line.strip()])
    if full is None:
        if not has_page_numbers:
            return text
        # Page numbers without hard wraps: only drop the page numbers.
        return "\n".join(line for line in text.split("\n") if not _PAGE_NUMBER_RE.match(line))
    out: list[str] = []
    joining = False
    near = full - 4  # a line of narrow digits and marks stops a little short of the margin
    for raw in text.split("\n"):
        line = raw.rstrip()
        content = line.strip(" \t\u3000\xa0")
        if not content or _is_page_number(content):
            continue
        if joining and _joins(out[-1], line, content):
            out[-1] += content
        else:
            out.append(content)
        if len(line) < 12:
            joining = False
            continue
        width = len(line) + (len(line.encode("utf-8")) - len(line)) // 2
        joining = (width >= full or (width >= near and line[-1] not in _END_PUNCT)) and not _TITLE_END_RE.search(
            out[-1]
        )
    return "\n".join(out)


def normalize(text: str) -> str:
    """The text a notice is parsed from: simplified characters, paragraphs one per line."""
    if is_traditional(text):
        text = to_simplified(text)
    return unwrap(text)
