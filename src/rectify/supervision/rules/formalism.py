"""Checks against formalism (反形式主义): paper-only rectification the system should not accept.

Each check returns a list of `Flag(code, message_zh, evidence, subjects)`; an empty list means the
text passed. The checks are heuristics tuned on published reports (corpus/seeds): they point a
reviewer at a measure, a closure or a progress entry, they do not decide on their own.

- `check_measure`: a vague measure (措施空泛) has no deliverable, no owner and no date; a slogan
  measure (口号式措施) is made of 加强/进一步/提高-type verbs with nothing that can be checked.
- `check_duplicate_measures`: measures repeated within one plan or copied from other units' plans.
- `check_copied_rules`: 建章立制 that copies a superior's or another unit's text.
- `check_closure_evidence`: closure evidence that is only meeting notices, or minutes without outcome.
- `check_progress`: 数字整改, progress that counts meetings and documents but reports no result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from rectify.rules.messages import Message, gettext_noop
from rectify.supervision.rules.similarity import (
    _EPSILON,
    DEFAULT_NGRAM,
    SimilarityIndex,
    _check_threshold,
    containment,
    jaccard,
    shingles,
)

__all__ = [
    "DEFAULT_MEASURE_THRESHOLD",
    "DEFAULT_RULE_CONTAINMENT",
    "DEFAULT_RULE_THRESHOLD",
    "EvidenceFile",
    "Flag",
    "TextItem",
    "check_closure_evidence",
    "check_copied_rules",
    "check_duplicate_measures",
    "check_measure",
    "check_progress",
    "describe_measure",
]

DEFAULT_MEASURE_THRESHOLD = 0.6
DEFAULT_RULE_THRESHOLD = 0.6
DEFAULT_RULE_CONTAINMENT = 0.8

# A slogan measure: at least this share of its clauses carry a 加强/进一步-type verb.
SLOGAN_CLAUSE_SHARE = 2 / 3


@dataclass(frozen=True)
class Flag:
    """One finding of a check: an English `code`, a Chinese message (pages translate it), and what triggered it."""

    code: str
    message_zh: Message
    evidence: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()


def _flag(
    code: str, template: str, params: dict[str, object] | None = None, *,
    evidence: tuple[str, ...] = (), subjects: tuple[str, ...] = (),
) -> Flag:
    return Flag(code, Message(template, **(params or {})), evidence=evidence, subjects=subjects)


@dataclass(frozen=True)
class TextItem:
    """A measure or a rule to compare: the caller's key, its text, and the unit it belongs to."""

    key: str
    text: str
    unit: str | None = None


@dataclass(frozen=True)
class EvidenceFile:
    """One piece of closure evidence (佐证材料): its file name or title, and its text if extracted."""

    name: str
    text: str = ""


# ---------------------------------------------------------------------------------------------
# Vocabulary. Patterns are matched on the NFKC-folded text (full-width digits become ASCII).

_NUM_CN = "[一二两三四五六七八九十百千万]+"
_MEASURE_WORD = (
    "(?:人次|场次|万元|亿元|次|项|个|名|篇|条|份|场|期|家|批|轮|件|册|元|户|处|类|套|本|部|所|台|人)"
)

# Something a reviewer can ask to see: a named document, a document or register, an event, an
# inspection, a disciplinary or financial action, a completed state.
_DELIVERABLE = re.compile(
    r"《[^》]{2,}》|[”\"](?:主题教育|学习教育|教育实践活动|主题活动|活动|专项行动|行动|专项整治)|"
    r"(?<!公)函|文件|制度|办法|规定|规则|细则|规程|方案|清单|台账|报告|纪要|记录|通知|意见书|目录|手册|"
    r"汇编|档案|(?:学习|工作|培训|建设|实施|调研|年度|整改|检查|监督)计划|要点|问卷|合同|预算|发票|账目|协议|"
    r"会议|(?:生活|党组|务|专题|座谈|推进|动员|协调|部署|调度|警示教育|交流|研讨|评审|论证|听证|务虚)会|"
    r"座谈|培训|讲座|党课|宣讲|研讨|教育片|"
    r"检查|督查|督导|督办|巡查|审计|审核|审查|核查|核实|核对|排查|摸排|抽查|调研|评估|考核|测评|评议|"
    r"约谈|谈话|函询|问责|处分|追责|诫勉|通报|公示|"
    r"收回|追缴|退还|退回|清退|上缴|撤销|划转|拆除|腾退|清理|挂失|签订|招标|归档|轮岗|选派|开通|上线|购置|采购|发放|"
    r"(?:信息|管理|办公|网络|OA|审批|监管)系统|平台|数据库|模块|网站|专栏|专班|工作组|领导小组|小组|"
    r"整改到位|已办结|已完成|已全部"
)
# A noun followed by these names an abstraction, not a thing: "学习文件精神", "加强制度建设".
_NOT_DELIVERABLE_AFTER = ("精神", "建设", "机制", "体系", "优势", "规范")
# Numbers inside political formulas and quotations are not quantities ("两个维护", "八项规定").
_FORMULA = re.compile(
    r"[“\"][^”\"]{0,40}[”\"]|《[^》]*》|两个维护|两个确立|四个意识|四个自信|四个认同|八项规定|三重一大|三会一课|"
    r"一岗双责|四风|两学一做|不忘初心|一把手|第一议题|一体推进|一抓到底|一件一件|一项一项|一个一个|一起"
)
_NUM_COUNT = "(?:[二两三四五六七八九十百千万][一二两三四五六七八九十百千万]*|一(?=次|人次|场))"
_NUMBER = re.compile(r"\d|" + _NUM_COUNT + _MEASURE_WORD + "|" + _NUM_COUNT + "(?:年|月|日|天|周)")
_DATE = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月(?!份?之)|年底|年末|年内|年前|月底|月末|"
    r"季度|上半年|下半年|年度|前完成|日前|节前|届内|"
    r"每(?:年|季|月|周|半年|旬)|\d+\s*个?(?:工作日|日|天|周|月)内"
)
_OWNER = re.compile(
    r"由[^，,。；;]{1,20}?(?:负责|牵头|承担|落实|组织)|牵头|负责同志|负责人|责任人|责任单位|责任部门|"
    r"责任领导|责任处室|责任科室|专人|分管领导|主要负责|"
    r"(?:办公室|办公厅|处|科|室|部|委|局|厅|中心|支部|党组|党委|组)(?:负责|牵头|抓总|具体落实)"
)
_SLOGAN_VERB = re.compile(
    r"加强|进一步|提高|提升|深化|强化|持续|切实|不断|增强|加大|狠抓|抓好|抓实|推进|推动|落实|坚持|"
    r"筑牢|树牢|牢固树立|营造|严格|着力|全面|认真|扎实|努力|确保|巩固|完善|健全|注重|坚决|始终|积极|"
    r"大力|深入|高度重视|统筹|压实|夯实|激发|发挥|凝聚|增进|引导|做到|做好|保持|贯彻|领会|树立|"
    r"加快|优化|改进|规范|防止|杜绝|谋划"
)
_ORDINAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}是|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.、．])"
)
_CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?：:]+")

_IMMEDIATE = {"immediate", "立行立改"}
_LONG_TERM = {"long_term", "长期整改", "长期坚持", "长期"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _clauses(text: str) -> list[str]:
    body = _ORDINAL.sub("", text.strip(), count=1)
    return [c.strip() for c in _CLAUSE_SPLIT.split(body) if len(c.strip()) >= 2]


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0) if match else None


@dataclass(frozen=True)
class MeasureTraits:
    """What `check_measure` found in a measure: the first deliverable, number, date and owner marker."""

    deliverable: str | None
    number: str | None
    date: str | None
    owner: str | None
    clauses: int
    slogan_clauses: int

    @property
    def concrete(self) -> bool:
        return self.deliverable is not None or self.number is not None


def _deliverable(text: str) -> str | None:
    for match in _DELIVERABLE.finditer(text):
        if not text.startswith(_NOT_DELIVERABLE_AFTER, match.end()):
            return match.group(0)
    return None


def describe_measure(text: str) -> MeasureTraits:
    """The concrete and slogan-like parts of a measure's text, for `check_measure` and for review pages."""
    text = _fold(text)
    clauses = _clauses(text)
    body = _ORDINAL.sub("", text.strip(), count=1)
    return MeasureTraits(
        deliverable=_deliverable(text),
        number=_first(_NUMBER, _FORMULA.sub("", body)),
        date=_first(_DATE, text),
        owner=_first(_OWNER, text),
        clauses=len(clauses),
        slogan_clauses=sum(1 for c in clauses if _SLOGAN_VERB.search(c)),
    )


def _is_deadline(value: date | str | None) -> bool:
    """A date, or deadline text that names one ("2021年6月底前", "2021-06-30"); "尽快" does not."""
    if value is None or isinstance(value, date):
        return value is not None
    return bool(re.search(r"\d", value) or _DATE.search(value))


def check_measure(
    text: str,
    *,
    owner: str | None = None,
    deadline: date | str | None = None,
    category: str | None = None,
    strict: bool = False,
) -> list[Flag]:
    """Flag a vague (措施空泛) or slogan-only (口号式) rectification measure.

    `owner`, `deadline` and `category` are the plan's own columns when the measure comes from a
    ledger; a notice's narrative has none and the text is searched instead. With `strict=True`
    (reviewing a plan row) a missing owner or deadline is flagged on its own; 立行立改 and 长期整改
    measures need no date.
    """
    traits = describe_measure(text)
    has_owner = bool(owner and owner.strip()) or traits.owner is not None
    has_date = _is_deadline(deadline) or traits.date is not None
    dateless = category in _IMMEDIATE or category in _LONG_TERM
    flags: list[Flag] = []

    if not traits.concrete and not has_owner and (not has_date or category in _LONG_TERM):
        flags.append(
            _flag(
                "vague_measure",
                gettext_noop("措施空泛：未写明具体成果（如文件、制度、台账、会议、检查或数量）、责任主体和完成时限"),
                evidence=(text.strip(),),
            )
        )
    if (
        not traits.concrete
        and traits.clauses > 0
        and traits.slogan_clauses >= SLOGAN_CLAUSE_SHARE * traits.clauses
    ):
        slogans = tuple(c for c in _clauses(_fold(text)) if _SLOGAN_VERB.search(c))
        flags.append(
            _flag(
                "slogan_measure",
                gettext_noop("措施多为“加强”“进一步提高”等表态性用语，缺少可检验的具体内容"),
                evidence=slogans,
            )
        )
    if strict and not (owner and owner.strip()):
        flags.append(_flag("missing_owner", gettext_noop("未明确责任单位或责任人"), evidence=(text.strip(),)))
    if strict and not _is_deadline(deadline) and not dateless:
        flags.append(_flag("missing_deadline", gettext_noop("未明确完成时限"), evidence=(text.strip(),)))
    return flags


# ---------------------------------------------------------------------------------------------
# Copied measures and rules.


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _score(value: float) -> str:
    return f"{value:.2f}"


def _index(items: Sequence[TextItem], n: int) -> tuple[SimilarityIndex, dict[str, TextItem]]:
    """An index over the items, grouped by unit, and the items by (string) key."""
    index = SimilarityIndex(n=n)
    by_key = _by_key(items)
    for key, item in by_key.items():
        index.add(key, item.text, group=item.unit)
    return index, by_key


def _by_key(items: Sequence[TextItem]) -> dict[str, TextItem]:
    by_key: dict[str, TextItem] = {}
    for item in items:
        key = str(item.key)
        if key in by_key:
            raise ValueError(f"duplicate key {key!r}")
        by_key[key] = item
    return by_key


_FEW = 8  # up to this many measures are compared one by one instead of through an index


def _search_all(text: str, items: Sequence[TextItem], threshold: float, n: int) -> list[tuple[str, float]]:
    """What `SimilarityIndex.search` finds (Jaccard, best first), by comparing with every item."""
    _check_threshold(threshold)
    tokens = shingles(text, n)
    if not tokens:
        return []
    # |A ∩ B| / |A ∪ B| ≥ t needs t·|A| ≤ |B| ≤ |A| / t: most texts are ruled out by their size alone.
    shortest, longest = threshold * len(tokens) - _EPSILON, len(tokens) / max(threshold, _EPSILON) + _EPSILON
    found = []
    for item in items:
        other = shingles(item.text, n)
        if other and shortest <= len(other) <= longest and (score := jaccard(tokens, other)) + _EPSILON >= threshold:
            found.append((str(item.key), score))
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return found


def check_duplicate_measures(
    plan: Sequence[TextItem],
    others: Sequence[TextItem] = (),
    *,
    threshold: float = DEFAULT_MEASURE_THRESHOLD,
    n: int = DEFAULT_NGRAM,
    only: Collection[str] | None = None,
    per_item: int | None = None,
) -> list[Flag]:
    """Flag measures of one plan that repeat each other (duplicate) or copy other units' plans (copied).

    Similarity is the Jaccard index of character n-grams after punctuation and ordinals are removed,
    so a measure with changed punctuation or a few changed words is still found. `only` limits the
    search to the plan items with these keys (one task's page), still compared with everything;
    `per_item` keeps the closest that many flags of each kind per searched item.
    """
    everything = (*plan, *others)
    if only is not None and len(only) <= _FEW:
        # One task's page: comparing its measure with each text directly beats building an index.
        by_key = _by_key(everything)
        def search(text: str) -> list[tuple[str, float]]:
            return _search_all(text, everything, threshold, n)
    else:
        index, by_key = _index(everything, n)
        def search(text: str) -> list[tuple[str, float]]:
            return index.search(text, threshold)  # type: ignore[return-value]
    in_plan = {str(item.key) for item in plan}

    flags: list[Flag] = []
    seen: set[tuple[str, str]] = set()
    for item in plan:
        key = str(item.key)
        if only is not None and key not in only:
            continue
        kept = {"duplicate_measure": 0, "copied_measure": 0}
        for other_key, score in search(item.text):
            other_key = str(other_key)
            if other_key == key:
                continue
            both_in_plan = other_key in in_plan
            pair = (min(key, other_key), max(key, other_key)) if both_in_plan else (key, other_key)
            if pair in seen:
                continue
            seen.add(pair)
            code = "duplicate_measure" if both_in_plan else "copied_measure"
            if per_item is not None:
                if kept[code] >= per_item:
                    continue
                kept[code] += 1
            other = by_key[other_key]
            if both_in_plan:
                first, second = by_key[pair[0]], by_key[pair[1]]
                flags.append(
                    _flag(
                        "duplicate_measure",
                        gettext_noop("本方案内措施高度雷同（相似度 %(score)s），请合并或写明各自的具体内容"),
                        {"score": _score(score)},
                        evidence=(first.text, second.text),
                        subjects=pair,
                    )
                )
            else:
                if other.unit:
                    template = gettext_noop("措施与「%(unit)s」的整改措施高度雷同（相似度 %(score)s），疑似照抄照搬")
                else:
                    template = gettext_noop("措施与其他方案的整改措施高度雷同（相似度 %(score)s），疑似照抄照搬")
                flags.append(
                    _flag(
                        "copied_measure",
                        template,
                        {"unit": other.unit, "score": _score(score)} if other.unit else {"score": _score(score)},
                        evidence=(item.text, other.text),
                        subjects=pair,
                    )
                )
    return flags


def check_copied_rules(
    rules: Sequence[TextItem],
    sources: Sequence[TextItem] = (),
    *,
    threshold: float = DEFAULT_RULE_THRESHOLD,
    containment_threshold: float = DEFAULT_RULE_CONTAINMENT,
    n: int = DEFAULT_NGRAM,
) -> list[Flag]:
    """Flag rules (建章立制) that copy a superior's or another unit's text.

    A rule is compared with `sources` (superiors' documents, other units' rules) and with the other
    rules in `rules` that belong to a different unit. It is flagged when the two texts are similar as a
    whole (Jaccard ≥ threshold) or when most of the rule appears inside a longer source
    (containment ≥ containment_threshold).
    """
    index, by_key = _index((*rules, *sources), n)
    rule_keys = {str(item.key) for item in rules}

    flags: list[Flag] = []
    seen: set[tuple[str, str]] = set()
    for rule in rules:
        key = str(rule.key)
        tokens = shingles(rule.text, n)
        candidates = {str(k) for k, _ in index.search(rule.text, threshold)}
        candidates.update(
            str(k) for k, _ in index.search(rule.text, containment_threshold, measure="containment")
        )
        for other_key in sorted(candidates):
            if other_key == key:
                continue
            other = by_key[other_key]
            if rule.unit is not None and rule.unit == other.unit:
                continue  # a unit revising its own rule (修订) is not copying
            if other_key in rule_keys:
                pair = (min(key, other_key), max(key, other_key))
                if pair in seen:
                    continue
                seen.add(pair)
            other_tokens = shingles(other.text, n)
            jac, share = jaccard(tokens, other_tokens), containment(tokens, other_tokens)
            values: dict[str, object] = {
                "title": _excerpt(_title(other.text), 30), "score": _score(jac), "share": f"{share:.0%}",
            }
            if other.unit:
                values["unit"] = other.unit
                template = gettext_noop(
                    "制度文本与「%(unit)s」的《%(title)s》高度雷同（相似度 %(score)s，重合 %(share)s），"
                    "疑似照抄照搬，未结合本单位实际"
                )
            else:
                template = gettext_noop(
                    "制度文本与《%(title)s》高度雷同（相似度 %(score)s，重合 %(share)s），疑似照抄照搬，未结合本单位实际"
                )
            flags.append(
                _flag(
                    "copied_rule",
                    template,
                    values,
                    evidence=(_excerpt(rule.text, 200), _excerpt(other.text, 200)),
                    subjects=(key, other_key),
                )
            )
    return flags


def _title(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    named = re.search(r"《([^》]+)》", first)
    return named.group(1) if named else first.strip()


# ---------------------------------------------------------------------------------------------
# Closure evidence and progress entries.

_MEETING_ONLY = re.compile(
    r"会议通知|开会通知|召开[^。]{0,30}会议?的通知|参会|与会|签到|会议议程|议程|报名表|回执|"
    r"会议照片|会场照片|会议现场|会议安排"
)
_MINUTES = re.compile(r"会议纪要|纪要|会议记录|会议材料")
_OUTCOME = re.compile(
    r"《[^》]{2,}》|已(?:全部|基本)?(?:完成|整改|办结|收回|追缴|退还|清退|上缴|结算|印发|出台|撤销|拆除|腾退|"
    r"签订|归档|调整|补缴|纠正)|整改到位|办结|收回|追缴|退还|清退|上缴|补缴|挽回|处分|问责|追责|诫勉|"
    r"印发|出台|修订|废止|撤销|拆除|腾退|下降|减少|压减|节约|降低|完成率|整改率|全覆盖|"
    r"\d+(?:\.\d+)?\s*(?:%|万元|元)"
)


def _evidence_kind(item: EvidenceFile) -> str:
    label = _fold(item.name)
    if _MEETING_ONLY.search(label):
        return "meeting"
    if _MINUTES.search(label):
        return "minutes"
    return "other"


def check_closure_evidence(evidence: Sequence[EvidenceFile | str], *, summary: str = "") -> list[Flag]:
    """Flag a closure (销号) whose evidence cannot show the problem was fixed.

    Evidence made only of meeting notices, sign-in sheets and agendas proves a meeting was called,
    not that anything changed; minutes count only if they (or the closure summary) state an outcome.
    """
    files = [EvidenceFile(item) if isinstance(item, str) else item for item in evidence]
    if not files:
        return [_flag("no_evidence", gettext_noop("申请销号未上传佐证材料"))]
    kinds = [_evidence_kind(item) for item in files]
    names = tuple(item.name for item in files)
    if all(kind == "meeting" for kind in kinds):
        return [
            _flag(
                "meeting_notice_only",
                gettext_noop("佐证材料仅有会议通知、签到表、议程等会议类材料，不能证明整改结果"),
                evidence=names,
            )
        ]
    if all(kind in ("meeting", "minutes") for kind in kinds):
        texts = [summary, *(item.text for item in files)]
        outcome = next((m.group(0) for t in texts if t and (m := _OUTCOME.search(_fold(t)))), None)
        if outcome is None:
            return [
                _flag(
                    "minutes_without_outcome",
                    gettext_noop("佐证材料仅有会议纪要，未体现整改结果（如印发的制度、收回的资金、处理的人员）"),
                    evidence=names,
                )
            ]
    return []


_ACTIVITY_COUNT = re.compile(
    r"(?:召开|开展|组织|举办|印发|下发|转发|制定|出台|学习|研讨|谈话|调度|督查|检查|督导|培训|宣讲|"
    r"发放|报送|编印|发出|开会|座谈)[^，,。；;]{0,15}?"
    r"(?:\d+|" + _NUM_CN + r")\s*(?:人次|场次|次|个|份|场|期|篇|轮|项|件|批|期)|"
    r"(?:\d+|" + _NUM_CN + r")\s*(?:次|场|期|个|份|篇|轮|项|件)[^，,。；;]{0,6}?"
    r"(?:会议|会|培训|学习|文件|通知|简报|材料|活动|研讨|调度|督查|督导|检查)"
)


def check_progress(text: str) -> list[Flag]:
    """Flag 数字整改: progress that lists how many meetings and documents, but no result."""
    text = _fold(text)
    counts = tuple(dict.fromkeys(m.group(0) for m in _ACTIVITY_COUNT.finditer(text)))
    # "印发文件3个" is itself a count, not an outcome: look for results outside the counts.
    if not counts or _OUTCOME.search(_ACTIVITY_COUNT.sub("", text)):
        return []
    return [
        _flag(
            "numbers_without_result",
            gettext_noop("整改进展只列举开会、发文等数量，未说明问题是否解决、取得什么结果（数字整改）"),
            evidence=counts,
        )
    ]
