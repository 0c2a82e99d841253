"""Figures (数字成效): clauses that state quantities, kept verbatim with number + unit + what.

"整改任务173项", "问责23人", "追缴资金120.5万元", "38项整改任务中有7项已整改完成".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from rectify.notice.model import Figure, Number
from rectify.notice.numerals import to_number

_UNITS = sorted(
    [
        "万元", "亿元", "千元", "元", "万人次", "人次", "万人", "人", "名", "位", "项", "个", "条", "次",
        "件", "篇", "场", "期", "批", "起", "家", "户", "所", "份", "部", "本", "册", "处", "套",
        "台", "辆", "万平方米", "平方米", "亩", "公里", "千米", "课时", "学时", "小时", "天", "类",
        "笔", "宗", "座", "间", "吨", "%", "％", "‰", "倍", "封", "块", "张", "支", "余万元", "章",
        "万字", "字", "轮次", "轮",
    ],
    key=len,
    reverse=True,
)
# A look-ahead on the units' first characters rejects most candidates before the long alternation.
_UNIT = "(?=[" + "".join(sorted({u[0] for u in _UNITS})) + "])(?:" + "|".join(re.escape(u) for u in _UNITS) + ")"
_CN_UNITS = "个方面|个问题|项|条|名|人|次|个|件|篇|场|家|批|期"

# Full-width digits match \d too, so text needs no folding. An Arabic number must not be part of a larger number, a
# date (2021年), an ordinal (第8), a phone or a code; a Chinese one must be ≥ 2 (一项 is idiom).
_NUMBER_RE = re.compile(
    # The leading look-ahead lets the engine skip to candidate characters; the look-behinds sit
    # after the first digit, so they only run where a number starts.
    r"(?=[\d二三四五六七八九十两])(?:"
    r"(?P<a>\d(?<![\d.．\-－/第]\d)\d*+(?:,\d{3})*+(?:[.．]\d+)?+)\s*+(?P<more>余|多)?\s*+(?P<au>" + _UNIT + r")"
    r"|(?P<c>[二三四五六七八九十两](?<![第一二三四五六七八九十百千两零〇].)[十百千]?[一二三四五六七八九十]?)"
    r"(?P<cmore>余|多)?(?P<cu>" + _CN_UNITS + r"))"
)
# Set phrases whose numerals are not quantities: “两个维护”, 三会一课 …
_SET_PHRASES = (
    "两个维护", "两个确立", "四个意识", "四个自信", "两个责任", "三个聚焦", "四个聚焦", "三会一课",
    "三重一大", "两学一做", "四个全面", "五位一体", "三个务必", "两个务必", "四个服从", "两个大局",
    "三个代表", "四个伟大", "三个区分开来", "四个方面", "五个方面", "三个方面", "两个方面",
    "六个方面", "四个一", "三个一", "两个一", "八项规定", "四下基层", "四不两直", "两个覆盖",
)
_STOP_AFTER = set("，,。；;：:、的中和及与等已均全被共其为在对向从于并且也都")
_STOP_BEFORE = set("，,。；;：:、共有达计为和及与对向在从于将把中其")
_VERB_AFTER = re.compile(r"开展|进行|完成|取得|实现|得到|予以|纳入|落实|整改到位|办结|参加|参训")


_IDIOMS = tuple(p for p in _SET_PHRASES if p not in ("四个方面", "五个方面", "三个方面", "两个方面", "六个方面"))


def _in_quotes(text: str, index: int) -> bool:
    opened = text.count("“", 0, index) + text.count("‘", 0, index)
    closed = text.count("”", 0, index) + text.count("’", 0, index)
    return opened > closed


def _what(text: str, start: int, end: int) -> str:
    after = []
    for ch in text[end:end + 12]:
        if ch in _STOP_AFTER or ch.isdigit() or not ("\u4e00" <= ch <= "\u9fff" or ch in "“”"):
            break
        after.append(ch)
    following = "".join(after)
    verb = _VERB_AFTER.search(following)
    if verb:
        following = following[: verb.start()]
    following = following.strip("“”")
    if len(following) >= 2:
        return following
    before = []
    head = text[max(0, start - 16):start].rstrip("达为共有计约近超逾")
    for ch in reversed(head):
        if ch in _STOP_BEFORE or ch.isdigit() or not ("\u4e00" <= ch <= "\u9fff" or ch in "“”"):
            break
        before.append(ch)
    return "".join(reversed(before)).strip("“”") or following


def _numbers(clause: str, matches: Iterable[re.Match[str]], offset: int) -> list[Number]:
    found: list[Number] = []
    for match in matches:
        start, end = match.start() - offset, match.end() - offset
        if match["a"] is not None:
            raw, unit = match["a"], match["au"]
            unit = {"余万元": "万元", "％": "%"}.get(unit, unit)
        else:
            raw, unit = match["c"], match["cu"]
            tail = clause[start:end + 4]
            if any(tail.startswith(p) for p in _IDIOMS):
                continue
        if _in_quotes(clause, start):
            continue
        try:
            value = to_number(raw)
        except ValueError:
            continue
        what = _what(clause, start, end) or (found[-1].what if found else "")
        found.append(Number(value=value, unit=unit, what=what))
    return found


def numbers_in(clause: str) -> list[Number]:
    """Every quantity in one clause, in order."""
    return _numbers(clause, _NUMBER_RE.finditer(clause), 0)


_SEPARATORS = "，,。；;！!？?：:\n"
_SEPARATOR_RE = re.compile("[" + _SEPARATORS + "]")


def _clause_of(separators: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    """The span of the clause (between separators) around [start, end), from the separators' positions."""
    i = bisect_left(separators, start)
    left = separators[i - 1] + 1 if i else 0
    j = bisect_left(separators, end)
    return left, separators[j] if j < len(separators) else length


def extract_figures(paragraphs: Iterable[str]) -> list[Figure]:
    """Figures of the report body, one per clause (text between ，。；：) that states a quantity."""
    figures: list[Figure] = []
    for paragraph in paragraphs:
        matches = list(_NUMBER_RE.finditer(paragraph))
        if not matches:
            continue
        separators = [m.start() for m in _SEPARATOR_RE.finditer(paragraph)]
        position = 0
        while position < len(matches):
            start, end = _clause_of(separators, len(paragraph), matches[position].start(), matches[position].end())
            found = [matches[position]]
            position += 1
            while position < len(matches) and matches[position].end() <= end:
                found.append(matches[position])
                position += 1
            raw = paragraph[start:end]
            text = raw.strip()
            numbers = _numbers(raw, found, start)
            if numbers and text:
                figures.append(Figure(text=text, numbers=numbers))
    return figures
