"""Header fields from the title and the opening sentence.

"中共山东省委统战部关于十一届省委第八轮巡视整改进展情况的通报" gives the unit, term 十一届,
inspector 省委, round 8, kind 巡视; "根据省委统一部署，2020年10月18日至12月25日，省委第十四巡视组对
省委统战部开展了常规巡视。2021年1月30日，省委巡视组向省委统战部反馈了巡视意见。" gives the group,
the type, the on-site period and the feedback date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rectify.notice.dates import find_dates, find_range
from rectify.notice.numerals import fold_width, to_int

_CN = "[一二三四五六七八九十百零〇两\\d]+"
INSPECTORS = (
    "中央", "自治区党委", "兵团党委", "省委", "市委", "州委", "盟委", "地委", "县委", "区委", "旗委",
    "党工委", "工委", "部党组", "党组", "集团党委", "公司党委", "党委",
)
_INSPECTOR = "|".join(INSPECTORS)
_INSPECTOR_RE = re.compile(rf"(?P<i>{_INSPECTOR})(?=第{_CN}轮|第{_CN}(?:巡视|巡察)组|巡视|巡察|(?:常规|专项|机动|提级|交叉|联动))")
_TERM_RE = re.compile(rf"(?P<t>[一二三四五六七八九十]+届)(?=(?:{_INSPECTOR})|第{_CN}轮)")
_ROUND_RE = re.compile(rf"第(?P<r>{_CN})轮")
_GROUP_RE = re.compile(rf"(?P<g>第{_CN}(?:巡视|巡察)组)")
_TYPE_RE = re.compile(r"(?P<t>常规|专项|机动|提级|交叉|联动|延伸)(?:交叉|联动)?(?P<k>巡视|巡察)")
_LOOKBACK_RE = re.compile(r"回头看")
_FEEDBACK_RE = re.compile(r"反馈")
_KIND_RE = re.compile(r"巡视|巡察")
_UNIT_CUT_RE = re.compile(
    rf"关于|(?:[一二三四五六七八九十]+届)?(?:{_INSPECTOR})?第{_CN}轮|(?:{_INSPECTOR})(?:巡视|巡察)|巡视整改|巡察整改"
)
_SENTENCE_RE = re.compile(r"[^。；;]+[。；;]?")


@dataclass
class Header:
    unit: str = ""
    inspector: str | None = None
    kind: str = "巡视"
    term: str | None = None
    round: int | None = None
    group: str | None = None
    type: str | None = None
    onsite_start: date | None = None
    onsite_end: date | None = None
    feedback_date: date | None = None


def unit_of(title: str) -> str:
    """The inspected unit as the title names it: the words before 关于 (or before the round)."""
    match = _UNIT_CUT_RE.search(title)
    if not match or match.start() == 0:
        return ""
    return title[: match.start()].strip(" ：:，,")


def _first(pattern: re.Pattern[str], group: str, *texts: str) -> str | None:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(group)
    return None


def read_header(title: str, opening: str, signature: str | None = None) -> Header:
    """Header fields from the title and the opening sentence (either may be empty)."""
    header = Header()
    title_f = fold_width(title)
    opening_f = fold_width(opening)
    header.unit = unit_of(title) or (signature or "")

    kind_match = _KIND_RE.search(title_f) or _KIND_RE.search(opening_f)
    header.kind = kind_match.group() if kind_match else "巡视"

    group_match = _GROUP_RE.search(opening_f) or _GROUP_RE.search(title_f)
    if group_match:
        header.group = group_match["g"]
    # The inspector is who sent the group: "省委第十四巡视组"; else who ran the round: "中央第六轮".
    inspector = None
    if group_match:
        before = opening_f[: group_match.start()] if group_match.string is opening_f else title_f[: group_match.start()]
        for name in INSPECTORS:
            if before.endswith(name):
                inspector = name
                break
    header.inspector = inspector or _first(_INSPECTOR_RE, "i", title_f, opening_f)

    header.term = _first(_TERM_RE, "t", title_f, opening_f)
    raw_round = _first(_ROUND_RE, "r", title_f, opening_f)
    if raw_round:
        try:
            header.round = to_int(raw_round)
        except ValueError:
            header.round = None

    if _LOOKBACK_RE.search(opening_f) or _LOOKBACK_RE.search(title_f):
        header.type = f"{header.kind}回头看"
    else:
        type_match = _TYPE_RE.search(opening_f) or _TYPE_RE.search(title_f)
        if type_match:
            header.type = type_match["t"] + type_match["k"]

    _read_dates(header, opening)
    return header


def _read_dates(header: Header, opening: str) -> None:
    if not opening:
        return
    found_range = find_range(opening)
    after = 0
    context: int | None = None
    if found_range:
        header.onsite_start, header.onsite_end, after = found_range
        anchor = header.onsite_end or header.onsite_start
        context = anchor.year if anchor else None
    for sentence in _SENTENCE_RE.finditer(opening[after:]):
        text = sentence.group()
        if not _FEEDBACK_RE.search(text):
            continue
        dates = [d for d in find_dates(text, context) if d.value]
        if dates:
            header.feedback_date = dates[0].value
            if header.onsite_end and header.feedback_date < header.onsite_end and not dates[0].has_year:
                try:
                    header.feedback_date = header.feedback_date.replace(year=header.feedback_date.year + 1)
                except ValueError:  # 29 February
                    header.feedback_date = None
            break
    if header.onsite_start is None:
        # "2021年3月16日起，…巡察组进驻…": a start without an end.
        for sentence in _SENTENCE_RE.finditer(opening):
            text = sentence.group()
            if re.search(r"进驻|开展", text) and not _FEEDBACK_RE.search(text):
                dates = [d for d in find_dates(text) if d.value]
                if dates:
                    header.onsite_start = dates[0].value
                break
