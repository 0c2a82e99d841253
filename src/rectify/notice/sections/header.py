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


# Who the group belongs to, as written right before it: "中央", "省委", "教育部党组", "集团党委".
_ORG_BEFORE_RE = re.compile(r"(?P<o>[\u4e00-\u9fff]{0,24}?(?:中央|党组|党委|党工委|工委|委))$")
_CLAUSE_CUT_RE = re.compile(r"[，,。；;、：:\s()（）]|\d日|\d号|^根据|^按照")
# "根据省委统一部署", "根据市委巡察工作统一部署": who ordered the round.
_BASIS_ORG_RE = re.compile(
    r"(?:根据|按照|依据)(?P<o>[\u4e00-\u9fff]{1,24}?(?:中央|党组|党委|党工委|工委|委))(?:巡视|巡察)?(?:工作)?(?:的)?统一"
)
_CENTRE = {"党中央": "中央", "中共中央": "中央"}
# The inspected unit in the opening: the one the feedback went to, else the one inspected.
_PRONOUN_RE = re.compile(r"^我(?:单位|局|委|部|院|校|办|厅|会|公司|中心|们)")
_RECIPIENT_RE = re.compile(r"向(?P<u>[^，,。；;向对]{2,40}?)(?:党组|党委|党工委|党总支|党支部)?(?:集中)?(?:反馈|通报)")
_TARGET_RE = re.compile(r"对(?P<u>[^，,。；;对]{2,40}?)(?:开展|进行|实施)了?")
_ALIAS_RE = re.compile(r"[(（]以下简称[^)）]*[)）]")
_FEEDBACK_VERB_RE = re.compile(
    r"反馈(?:了|的)?(?:巡视|巡察)?(?:意见|问题)|反馈会|(?:作|进行|作出)了?反馈|反馈了"
)


def _inspector_before(text: str, end: int) -> str | None:
    """The organization written right before the group name, within its clause."""
    head = text[max(0, end - 40):end]
    cuts = list(_CLAUSE_CUT_RE.finditer(head))
    if cuts:
        head = head[cuts[-1].end():]
    match = _ORG_BEFORE_RE.search(head)
    if not match:
        return None
    name = match["o"]
    return _CENTRE.get(name, name)


def _opening_unit(opening: str) -> str:
    """The unit as the opening sentence names it: '向…党组反馈了巡察意见', '对…党组开展了巡察'."""
    text = _ALIAS_RE.sub("", opening)
    for pattern in (_RECIPIENT_RE, _TARGET_RE):
        for match in pattern.finditer(text):
            whole = match.group(0)
            unit = match["u"].strip()
            # Keep the party organ written after the name (the regex left it out of the group).
            tail = re.match(r"(?:党组|党委|党工委|党总支|党支部)", whole[1 + len(match["u"]):])
            if tail:
                unit += tail.group(0)
            if _PRONOUN_RE.match(unit) or "巡视组" in unit or "巡察组" in unit or len(unit) < 2:
                continue
            return unit
    return ""


def read_header(title: str, opening: str, signature: str | None = None) -> Header:
    """Header fields from the title and the opening sentence (either may be empty)."""
    header = Header()
    title_f = fold_width(title)
    opening_f = fold_width(opening)
    header.unit = unit_of(title) or _opening_unit(opening_f) or (signature or "")

    kind_match = _KIND_RE.search(title_f) or _KIND_RE.search(opening_f)
    header.kind = kind_match.group() if kind_match else "巡视"

    inspector = None
    group_match = _GROUP_RE.search(opening_f)
    if group_match:
        inspector = _inspector_before(opening_f, group_match.start())
    else:
        group_match = _GROUP_RE.search(title_f)
        if group_match:
            inspector = _inspector_before(title_f, group_match.start())
    if group_match:
        header.group = group_match["g"]
    # Else who ordered the round ("根据省委统一部署"), else who ran it ("十九届中央第六轮").
    if inspector is None:
        basis = _BASIS_ORG_RE.search(opening_f)
        if basis:
            inspector = _CENTRE.get(basis["o"], basis["o"])
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

    _read_dates(header, opening_f)
    return header


def _read_dates(header: Header, opening: str) -> None:
    """The on-site period (the first range) and the feedback date (the date nearest before the
    feedback verb in its sentence). A date written without its day, or with 年/月 lost in
    extraction ("2024717日"), is left unknown rather than guessed."""
    if not opening:
        return
    found_range = find_range(opening)
    after = 0
    context: int | None = None
    if found_range:
        header.onsite_start, header.onsite_end, after = found_range
        anchor = header.onsite_end or header.onsite_start
        context = anchor.year if anchor else _year_before(opening, after)
    for sentence in _SENTENCE_RE.finditer(opening, after):
        text = sentence.group()
        verb = _FEEDBACK_VERB_RE.search(text)
        if not verb:
            continue
        dates = [d for d in find_dates(text[: verb.start()], context) if d.end <= verb.start()]
        if not dates:
            continue
        found = dates[-1]
        header.feedback_date = found.value
        if found.value and header.onsite_end and found.value < header.onsite_end and not found.has_year:
            try:
                header.feedback_date = found.value.replace(year=found.value.year + 1)
            except ValueError:  # 29 February
                header.feedback_date = None
        break
    if header.onsite_start is None and found_range is None:
        # "2021年3月16日起，…巡察组进驻…": a start without an end.
        for sentence in _SENTENCE_RE.finditer(opening):
            text = sentence.group()
            if re.search(r"进驻|开展", text) and not _FEEDBACK_VERB_RE.search(text):
                dates = [d for d in find_dates(text) if d.value]
                if dates:
                    header.onsite_start = dates[0].value
                break


def _year_before(text: str, end: int) -> int | None:
    """The year written in the range itself when its days are not known ("2022年7月至8月")."""
    found = [d for d in find_dates(text[:end]) if d.has_year]
    return found[0].year if found else None
