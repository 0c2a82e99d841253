"""The heading ladder of 公文: 一、 / （一） / 1. / （1） / ①, and 一是…二是… runs inside paragraphs.

A label's *style* is its place in the conventional ladder (GB/T 9704); a document may skip or
reorder styles, so trees are built from the order styles first appear, not from the style alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rectify.notice.numerals import to_int

# Styles, in the conventional order of the ladder.
CN_COMMA = 0  # 一、
CN_PAREN = 1  # （一）
AR_DOT = 2  # 1.  1．  1、
AR_PAREN = 3  # （1）  1）
CIRCLED = 4  # ①

STYLE_NAMES = ("一、", "（一）", "1.", "（1）", "①")

_CIRCLED_DIGITS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN = r"[一二三四五六七八九十百零〇两]{1,4}"

# Full- and half-width forms are both written out, so lines need no folding first (speed).
_OPEN = r"[(（〔\[［]"
_CLOSE = r"[)）〕\]］]"
_DOT = r"[.．、]"
_LABEL_RE = re.compile(
    r"^[ \t\u3000]*(?:"
    rf"(?P<cn_comma>{_CN})[ \t]*[、.．][ \t]*"
    rf"|{_OPEN}[ \t]*(?P<cn_paren>{_CN})[ \t]*{_CLOSE}[ \t]*{_DOT}?[ \t]*"
    rf"|(?P<ar_dot>\d{{1,3}})[ \t]*{_DOT}(?![\d.．])[ \t]*"
    rf"|{_OPEN}[ \t]*(?P<ar_paren>\d{{1,3}})[ \t]*{_CLOSE}[ \t]*{_DOT}?[ \t]*"
    rf"|(?P<ar_close>\d{{1,3}})[ \t]*[)）][ \t]*"
    rf"|(?P<circled>[{_CIRCLED_DIGITS}])[ \t]*{_DOT}?[ \t]*"
    r")"
)
# A label can only start with one of these characters: most lines are rejected at once.
_LABEL_START = frozenset("一二三四五六七八九十百零〇两(（〔[［" + _CIRCLED_DIGITS + "0123456789０１２３４５６７８９")


@dataclass(frozen=True)
class Label:
    """A heading label at the start of a line: its style, its number, and the rest of the line."""

    style: int
    number: int
    label: str  # as written, e.g. "（一）", "1."
    rest: str


_STYLES = {
    "cn_comma": CN_COMMA,
    "cn_paren": CN_PAREN,
    "ar_dot": AR_DOT,
    "ar_paren": AR_PAREN,
    "ar_close": AR_PAREN,
    "circled": CIRCLED,
}
# After "1.": a quantity ("1.5万元"), not a label.
_NUMERIC_AT = re.compile(r"\d|[%％‰万亿元]")
# Label numbers are a few characters ("十二", "3"): their values are cached.
_label_number = lru_cache(maxsize=4096)(to_int)


def match_label(line: str) -> Label | None:
    """The heading label that starts `line`, if any: "（二）加强组织领导" → style CN_PAREN, 2."""
    if not line or line[0] not in _LABEL_START or line[1:2] == "是":
        return None
    match = _LABEL_RE.match(line)
    if not match:
        return None
    end = match.end()
    rest = line[end:].strip()
    if not rest:
        return None
    kind = match.lastgroup
    raw = match.group(kind or "")
    if kind == "ar_dot" and _NUMERIC_AT.match(line, end):
        # "1.5万元" is a quantity, not the label "1." followed by text.
        return None
    try:
        number = _CIRCLED_DIGITS.index(raw) + 1 if kind == "circled" else _label_number(raw)
    except ValueError:
        return None
    return Label(_STYLES[kind or "cn_comma"], number, line[:end].strip(), rest)


def style_of(label: str) -> int | None:
    """Style of a bare label as stored in a Node ("（一）" → CN_PAREN); None if it is not a label."""
    found = match_label(label + "题")
    return found.style if found else None


def make_label(style: int, number: int) -> str:
    """The canonical label of a style and number: (CN_PAREN, 2) → "（二）"."""
    from rectify.notice.numerals import int_to_chinese

    if style == CN_COMMA:
        return f"{int_to_chinese(number)}、"
    if style == CN_PAREN:
        return f"（{int_to_chinese(number)}）"
    if style == AR_DOT:
        return f"{number}."
    if style == AR_PAREN:
        return f"（{number}）"
    if 1 <= number <= len(_CIRCLED_DIGITS):
        return _CIRCLED_DIGITS[number - 1]
    return f"（{number}）"


_OPEN_QUOTES = "“‘「『《(（〔【"
_CLOSE_QUOTES = "”’」』》)）〕】"
_TITLE_END_RE = re.compile("[。！!？?]")
_QUOTE_RE = re.compile("[" + re.escape(_OPEN_QUOTES + _CLOSE_QUOTES) + '"]')


def split_title(rest: str) -> tuple[str, str]:
    """Split a heading's text into its title and what follows, at the first 。 outside quotes.

    "强化党的政治建设。一是…" → ("强化党的政治建设", "一是…").
    """
    first = _TITLE_END_RE.search(rest)
    if first is None:
        return rest.strip().rstrip("：:；;，,"), ""
    index = first.start()
    if _QUOTE_RE.search(rest, 0, index) is None:  # the common case: no quotes before the first 。
        return rest[:index].strip(), rest[index + 1:].strip()
    depth = 0
    previous = 0
    for match in _TITLE_END_RE.finditer(rest):
        index = match.start()
        for ch in _QUOTE_RE.findall(rest, previous, index):
            if ch in _OPEN_QUOTES:
                depth += 1
            elif ch == '"':
                depth = 0 if depth else 1
            else:
                depth = max(0, depth - 1)
        previous = index
        if depth == 0:
            return rest[:index].strip(), rest[index + 1:].strip()
    return rest.strip().rstrip("：:；;，,"), ""


# 一是 … 二是 …: a marker is one to three of these numerals before 是, and starts the paragraph
# or follows a sentence break. Markers are found from each 是 (str.find is far cheaper than a
# regular expression scan of the paragraph), reading the numerals back from it.
_MARKER_NUMERALS = frozenset("一二三四五六七八九十")
_MARKER_AFTER = frozenset("。；;！!？?：: \t\u3000")
_marker_number = lru_cache(maxsize=None)(to_int)  # at most 1,110 keys: 一 … 十十十


def split_measures(paragraph: str) -> tuple[str, list[str]]:
    """Split "lead。一是A。二是B。" into ("lead。", ["一是A。", "二是B。"]).

    Only a run counting up by one is taken (一是, 二是, 三是 …), so "统一是…" or a stray "三是"
    inside a sentence does not cut the paragraph. A run may start at any number when it starts
    the paragraph (the paragraphs of one list: "五是…").
    """
    find = paragraph.find
    shi = find("是")
    if shi < 0:
        return paragraph.strip(), []
    cuts: list[int] = []
    expected: int | None = None
    first = len(paragraph) - len(paragraph.lstrip()) if paragraph[:1].isspace() else 0
    while shi >= 0:
        # The marker starts at the leftmost of the (at most three) numerals right before 是.
        start = shi
        while start > 0 and shi - start < 3 and paragraph[start - 1] in _MARKER_NUMERALS:
            start -= 1
        if start < shi and (start <= first or paragraph[start - 1] in _MARKER_AFTER):
            number = _marker_number(paragraph[start:shi])
            if expected is None:
                if number == 1 or (start == first and number < 20):
                    cuts.append(start)
                    expected = number + 1
            elif number == expected:
                cuts.append(start)
                expected += 1
        shi = find("是", shi + 1)
    if not cuts:
        return paragraph.strip(), []
    lead = paragraph[: cuts[0]].strip()
    measures = [paragraph[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(paragraph)], strict=True)]
    return lead, [m for m in measures if m]
