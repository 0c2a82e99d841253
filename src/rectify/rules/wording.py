"""The words generated documents use for a task's state and for counts: each wording rule once.

Every notice, report, order and sheet the system writes takes its state words and its counted
phrases from here, so the words always follow the ledger and never claim more than it holds.
Pure Python: statuses are the `Task.Status` values, categories the `Task.Category` values.
"""

from __future__ import annotations

import re
from decimal import Decimal

# A task's state as documents say it, by `Task.Status` value.
DONE = "已完成"
PHASED = "已取得阶段性成效"
UNDER_WAY = "正在推进"
NOT_STARTED = "尚未启动"

_STATE_OF_STATUS = {
    "closed": DONE,
    "phased_result": PHASED,
    "not_started": NOT_STARTED,
}

# Phrases that claim a state. A progress text or an imported measure may carry one; a document
# writes the state from the task's status instead, so such sentences are dropped from the text.
_STATE_CLAIM = re.compile(
    r"正在(?:推进|落实|整改|办理)|推进中|持续推进|长期坚持[，,]?持续推进|已(?:全部)?(?:整改)?完成|"
    r"已(?:全部)?整改到位|(?:已|均已)?全部办结|已办结|已销号|尚未启动|未启动|取得阶段性成效"
)
_SENTENCE = re.compile(r"[^。；;！？]*[。；;！？]?")
_CLAUSE = re.compile(r"[，,]")
_TRAILING = "，,；;、：:"


_REPORTS_DONE = re.compile(r"已(?:全部)?(?:整改)?完成|(?:已|均已|全部)?整改到位|已(?:全部)?办结|已销号|整改完毕")


def reports_done(text: str) -> bool:
    """True when a measure's own text says it is done (已整改完成, 整改到位, 已办结 …)."""
    return bool(_REPORTS_DONE.search(text or ""))


def task_state(status: str) -> str:
    """已完成 / 已取得阶段性成效 / 正在推进 / 尚未启动: what a document may say of a task in `status`."""
    return _STATE_OF_STATUS.get(status, UNDER_WAY)


def claims_state(text: str) -> bool:
    """True when the text itself says how far the work has got (正在推进, 已完成, 全部办结 …)."""
    return bool(_STATE_CLAIM.search(text or ""))


def without_state_claims(text: str) -> str:
    """The text with every clause that claims a state left out: the state is the ledger's to say.

    "督查办法已起草，正在推进落实。" → "督查办法已起草。"
    """
    kept = []
    for sentence in _SENTENCE.findall(text or ""):
        if not sentence.strip():
            continue
        end = sentence[-1] if sentence[-1] in "。；;！？" else ""
        clauses = [c for c in _CLAUSE.split(sentence[: len(sentence) - len(end)]) if c.strip()]
        clauses = [c for c in clauses if not claims_state(c)]
        if clauses:
            kept.append("，".join(c.strip() for c in clauses) + end)
    return "".join(kept).strip()


def number(value: Decimal | int) -> str:
    """3.00 → 3, 120.50 → 120.5: how a document writes a quantity."""
    if isinstance(value, int):
        return str(value)
    return format(value.normalize(), "f")


def quantity(what: str, value: Decimal | int, unit: str) -> str:
    """压减经费 + 10 + % → 压减经费10%; a `what` that already ends with the figure is not given it twice."""
    what = (what or "").strip().rstrip(_TRAILING)
    figure = f"{number(value)}{unit}"
    if what.endswith(figure):
        return what
    return f"{what}{figure}"


def scope(aspects: int, problems: int, sub_problems: int = 0) -> str:
    """反馈问题 counted level by level, as the feedback names them: 4个方面11个问题（23个具体问题）."""
    text = f"{aspects}个方面"
    if problems:
        text += f"{problems}个问题"
    elif not sub_problems:
        text += "的问题"
    if sub_problems:
        text += f"{sub_problems}个具体问题"
    return text


def tasks_done(total: int, closed: int) -> str:
    """N项整改任务中已完成M项."""
    return f"{total}项整改任务中已完成{closed}项"


def tasks_progress(counts: dict[str, int], *, rest: bool = True) -> str:
    """How far a set of tasks has got, from the count of each state word (`task_state`).

    With some done: 5项整改任务中已完成2项(，其余3项正在推进 when `rest`). With none done a document
    says what the tasks are doing instead of "已完成0项": 21项整改任务均已取得阶段性成效,
    5项整改任务中正在推进3项、尚未启动2项.
    """
    total = sum(counts.values())
    closed = counts.get(DONE, 0)
    if not total or closed:
        others = remaining(counts) if rest else ""
        return tasks_done(total, closed) + (f"，{others}" if others else "")
    shown = [(state, n) for state in (PHASED, UNDER_WAY, NOT_STARTED) if (n := counts.get(state, 0))]
    if len(shown) == 1:
        return f"{total}项整改任务{'均' if total > 1 else ''}{shown[0][0]}"
    return f"{total}项整改任务中" + "、".join(f"{state}{n}项" for state, n in shown)


# What a published notice states of its own rectification (`stated_figures` of an imported notice).
STATED_KEYS = ("aspects", "problems", "tasks", "closed", "long_term", "all_done")


def stated_closed(stated: dict[str, int]) -> int | None:
    """The number of tasks a source notice states done: its own count, or every task (完成率100%)."""
    if "closed" in stated:
        return stated["closed"]
    if stated.get("all_done") and "tasks" in stated:
        return stated["tasks"]
    return None


def source_backed(
    stated: dict[str, int], *, aspects: int, problems: tuple[int, ...], tasks: int, closed: int, long_term: int
) -> bool:
    """True when every figure a source notice states of itself is also the ledger's count.

    `problems` are the ledger's counts at each level the source may have counted (问题, 具体问题).
    A ledger that cannot back the source task by task (38 stated, 21 measures listed) is not backed:
    a document then states the source's figures as the source's (`as_stated`), the ledger's as the
    ledger's, so that neither claims what the other holds.
    """
    checks = [
        ("aspects" not in stated or stated["aspects"] == aspects),
        ("problems" not in stated or stated["problems"] in problems),
        ("tasks" not in stated or stated["tasks"] == tasks),
        ("long_term" not in stated or stated["long_term"] == long_term),
        (stated_closed(stated) is None or stated_closed(stated) == closed),
    ]
    return all(checks)


def ledger_own(backed: bool) -> str:
    """What a count of the ledger is prefixed with when its source states other figures: 整改台账所列."""
    return "" if backed else "整改台账所列"


def as_stated(stated: dict[str, int], *, published: str, what: str = "整改进展情况通报") -> str:
    """The source's own figures, attributed to it and to its date, nothing added:
    据2021年8月26日发布的整改进展情况通报，反馈问题4个方面11个问题，整改任务38项，其中已完成7项、长期整改31项."""
    parts = []
    if "aspects" in stated:
        scope_text = f"{stated['aspects']}个方面" + (f"{stated['problems']}个问题" if "problems" in stated else "")
        parts.append(f"反馈问题{scope_text}")
    elif "problems" in stated:
        parts.append(f"反馈问题{stated['problems']}个")
    split = []
    if "closed" in stated:
        split.append(f"已完成{stated['closed']}项")
    if "long_term" in stated:
        split.append(f"长期整改{stated['long_term']}项")
    if "tasks" in stated:
        done_all = stated.get("all_done") and "closed" not in stated
        parts.append(f"整改任务{stated['tasks']}项" + ("，已全部完成" if done_all else "")
                     + (f"，其中{'、'.join(split)}" if split else ""))
    elif split:
        parts.append("整改任务中" + "、".join(split))
    elif stated.get("all_done"):
        parts.append("整改任务已全部完成")
    when = f"{published}发布的" if published else ""
    return f"据{when}{what}，" + "，".join(parts) if parts else ""


def remaining(counts: dict[str, int]) -> str:
    """What the tasks not closed are doing, from their states: 其余5项中正在推进3项、尚未启动2项."""
    states = [(PHASED, counts.get(PHASED, 0)), (UNDER_WAY, counts.get(UNDER_WAY, 0)),
              (NOT_STARTED, counts.get(NOT_STARTED, 0))]
    shown = [(state, n) for state, n in states if n]
    total = sum(n for _, n in shown)
    if not total:
        return ""
    if len(shown) == 1:
        return f"其余{total}项{shown[0][0]}"
    return f"其余{total}项中" + "、".join(f"{state}{n}项" for state, n in shown)


def leads_done(total: int, concluded: int) -> str:
    """移交的问题线索和信访件N件中已办结M件 (never "已全部办结" unless every one is)."""
    if total and concluded == total:
        return f"移交的问题线索和信访件{total}件已全部办结"
    return f"移交的问题线索和信访件{total}件中已办结{concluded}件"


_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]"
_ANY_HALF = re.compile(r"[,;:?!()]")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Half-width punctuation next to Chinese text; a comma or colon between digits (1,000 / 10:30) stays.
_HALF_NEAR_CJK = re.compile(
    rf"(?<=\d)[,:](?=\d)|(?<={_CJK})[,;:?!()]|[,;:?!()](?={_CJK})|(?<=[）)])[,;:]|[,;:](?=[（(])"
)


def full_width(text: str) -> str:
    """Chinese documents use full-width punctuation: ",;:?!()" next to Chinese become "，；：？！（）".

    Numbers (1,000, 10:30), e-mail addresses and web addresses keep their ASCII punctuation.
    """
    if not text or not _ANY_HALF.search(text):
        return text

    def swap(match: re.Match[str]) -> str:
        char = match.group(0)
        if match.start() > 0 and text[match.start() - 1].isdigit() and char in ",:" \
                and match.end() < len(text) and text[match.end()].isdigit():
            return char
        return _HALF_TO_FULL[char]

    text = _HALF_NEAR_CJK.sub(swap, text)
    # Brackets pair up: an opening one made full-width turns its partner too, and the other way round.
    text = re.sub(r"（([^()（）]*)\)", r"（\1）", text)
    return re.sub(r"\(([^()（）]*)）", r"（\1）", text)


_LABEL_WIDTH = str.maketrans({"(": "（", ")": "）", "．": "."})


def full_width_label(label: str) -> str:
    """A heading label as Chinese documents write it: (一) → （一）, (1) → （1）; 1. stays."""
    return (label or "").strip().translate(_LABEL_WIDTH)
