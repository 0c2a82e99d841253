"""Figures (数字成效): clauses that state quantities, kept verbatim with number + unit + what.

"整改任务173项", "问责23人", "追缴资金120.5万元", "38项整改任务中有7项已整改完成".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

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
    # The number's first character comes first, outside the groups: a pattern that starts with a
    # character class lets the engine skip to candidate characters (a leading look-ahead does not).
    # The look-behinds then tell the two kinds apart and check what precedes the number, so they
    # only run where a number can start. Groups `a` and `c` hold the number after its first character.
    r"[\d二三四五六七八九十两](?:"
    r"(?<=\d)(?<![\d.．\-－/第]\d)(?P<a>\d*+(?:,\d{3})*+(?:[.．]\d+)?+)\s*+(?P<more>余|多)?\s*+(?P<au>" + _UNIT + r")"
    r"|(?<=[二三四五六七八九十两])(?<![第一二三四五六七八九十百千两零〇].)(?P<c>[十百千]?[一二三四五六七八九十]?)"
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


# The words naming what was counted: CJK ideographs and “”, up to a stop character (no ideograph
# of U+4E00–U+9FFF is a digit, so str.isdigit() excludes nothing more).
_WHAT_AFTER_RE = re.compile("(?:(?![" + re.escape("".join(sorted(_STOP_AFTER))) + "])[\u4e00-\u9fff“”])*")


def _what(text: str, start: int, end: int) -> str:
    following = _WHAT_AFTER_RE.match(text, end, end + 12).group()  # type: ignore[union-attr]
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


_UNIT_NAMES = {"余万元": "万元", "％": "%"}
# Quantities are a few characters ("173", "120.5", "二十三"): their values are cached.
_value_of = lru_cache(maxsize=4096)(to_number)


def _numbers(clause: str, matches: Iterable[re.Match[str]], offset: int) -> list[Number]:
    found: list[Number] = []
    for match in matches:
        start, end = match.start() - offset, match.end() - offset
        if match["a"] is not None:
            raw, unit = clause[start:match.end("a") - offset], match["au"]
            unit = _UNIT_NAMES.get(unit, unit)
        else:
            raw, unit = clause[start:match.end("c") - offset], match["cu"]
            if clause.startswith(_IDIOMS, start, end + 4):
                continue
        if _in_quotes(clause, start):
            continue
        try:
            value = _value_of(raw)
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


def extract_figures(paragraphs: Iterable[str]) -> list[Figure]:
    """Figures of the report body, one per clause (text between ，。；：) that states a quantity."""
    figures: list[Figure] = []
    separator = _SEPARATOR_RE.search
    for paragraph in paragraphs:
        matches = list(_NUMBER_RE.finditer(paragraph))
        if not matches:
            continue
        # A clause runs from after the last separator before its first number to the first
        # separator after that number's end; the last one before is found in the reversed text.
        length = len(paragraph)
        backwards = paragraph[::-1]
        count = len(matches)
        position = 0
        while position < count:
            match = matches[position]
            left = separator(backwards, length - match.start())
            start = length - left.start() if left else 0
            right = separator(paragraph, match.end())
            end = right.start() if right else length
            found = [match]
            position += 1
            while position < count and matches[position].end() <= end:
                found.append(matches[position])
                position += 1
            raw = paragraph[start:end]
            text = raw.strip()
            numbers = _numbers(raw, found, start)
            if numbers and text:
                figures.append(Figure(text=text, numbers=numbers))
    return figures
