"""The public notice (整改进展情况通报) written from the ledger: `compose_notice(inspection) -> Notice`.

Every figure is counted from the rows, never typed: tasks and how many are closed, rules made,
outcomes, concluded leads. Exempt items (Finding/Task/Outcome/Lead `exempt`; leads are exempt by
default) never reach the notice, and nothing under an exempt finding does either: they are left out
before anything is counted or written.

The same composition gives the report sections the office edits (`notice_draft`), so the notice
shown on the portal, the .docx and the text all start from one reading of the ledger.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.inspections.models import Finding, Inspection
from rectify.ledger.models import Lead, Outcome, Progress, RuleChange, Task
from rectify.notice import Contact, Node, Notice
from rectify.notice.headings import AR_DOT, AR_PAREN, CN_PAREN, make_label, match_label
from rectify.notice.numerals import int_to_chinese
from rectify.notice.render import node_lines, short_unit
from rectify.notice.sections.figures import extract_figures
from rectify.reports.notice_sections import notice_sections
from rectify.rules import wording

# Labels by depth for findings written without one, and when exemptions force renumbering.
_LADDER = (CN_PAREN, AR_DOT, AR_PAREN)
_MARKER_RE = re.compile(r"^[一二三四五六七八九十]{1,3}是")
_SPLIT_CONTACT_RE = re.compile(r"[、,，;；/\s]+")
_END = "。！？；…”）"


@dataclass
class SectionDraft:
    """A section as generated: the office may edit heading and body afterwards."""

    key: str
    heading: str
    body: str
    table: dict[str, Any] | None = None


@dataclass
class ReportDraft:
    title: str
    signer: str
    sections: list[SectionDraft]
    addressee: str = ""


@dataclass
class LedgerFacts:
    """What one inspection's ledger holds, read in a fixed number of queries."""

    inspection: Inspection
    findings: list[Finding]
    tasks: list[Task]
    latest: dict[int, Progress]
    rules: list[RuleChange]
    outcomes: list[Outcome]
    leads: list[Lead]
    exempt_findings: int = 0
    # The figures the notice the ledger was imported from states of itself (通报自述), as it states them.
    stated: dict[str, int] = field(default_factory=dict)
    children: dict[int | None, list[Finding]] = field(default_factory=dict)
    tasks_of: dict[int, list[Task]] = field(default_factory=dict)
    # Every state the ledger holds came from the notice it was imported from (`state_from_import_only`).
    imported_only: bool = False

    def __post_init__(self) -> None:
        self.children = defaultdict(list)
        for finding in self.findings:
            self.children[finding.parent_id].append(finding)
        self.tasks_of = defaultdict(list)
        for task in self.tasks:
            self.tasks_of[task.finding_id].append(task)

    @classmethod
    def read(cls, inspection: Inspection) -> LedgerFacts:
        findings = list(Finding.objects.filter(inspection=inspection).order_by("level", "position", "id"))
        tasks = list(
            Task.objects.filter(inspection=inspection).select_related("lead_org", "leader").order_by("position", "id")
        )
        latest: dict[int, Progress] = {}
        # Newest first per task; the first row seen for a task is its latest progress.
        for progress in Progress.objects.filter(task__inspection=inspection).order_by("task_id", "-reported_on", "-id"):
            latest.setdefault(progress.task_id, progress)
        leads = list(Lead.objects.filter(inspection=inspection).select_related("handler_org").order_by("received_on", "id"))
        return cls(
            inspection=inspection,
            findings=findings,
            tasks=tasks,
            latest=latest,
            rules=list(RuleChange.objects.filter(inspection=inspection).order_by("issued_on", "id")),
            outcomes=list(Outcome.objects.filter(inspection=inspection).order_by("recorded_on", "id")),
            leads=leads,
            stated=stated_by_source(inspection),
            imported_only=not latest and not leads and state_from_import_only(inspection, tasks),
        )

    def public(self) -> LedgerFacts:
        """The same facts with every exempt item, and everything under one, left out."""
        hidden: set[int] = set()
        for finding in self.findings:  # ordered by level: parents come first
            if finding.exempt or finding.parent_id in hidden:
                hidden.add(finding.pk)
        tasks = [t for t in self.tasks if not t.exempt and t.finding_id not in hidden]
        shown = {t.pk for t in tasks}
        return replace(
            self,
            findings=[f for f in self.findings if f.pk not in hidden],
            tasks=tasks,
            latest={pk: p for pk, p in self.latest.items() if pk in shown},
            rules=[r for r in self.rules if r.task_id is None or r.task_id in shown],
            outcomes=[o for o in self.outcomes if not o.exempt and (o.task_id is None or o.task_id in shown)],
            leads=[lead for lead in self.leads if not lead.exempt],
            exempt_findings=len(hidden),
        )

    # --- figures ------------------------------------------------------------------------------

    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == Finding.Kind.PROBLEM]

    def levels(self) -> tuple[int, int, int]:
        """方面, 问题, 具体问题: the problem findings counted level by level."""
        counts = [0, 0, 0]
        for finding in self.problems():
            counts[min(finding.level, 3) - 1] += 1
        return counts[0], counts[1], counts[2]

    def states(self, tasks: list[Task] | None = None) -> dict[str, int]:
        """Tasks counted by the words a document uses for their state (已完成, 正在推进 …)."""
        counts: dict[str, int] = defaultdict(int)
        for task in self.tasks if tasks is None else tasks:
            counts[wording.task_state(task.status)] += 1
        return counts

    def progress(self, tasks: list[Task] | None = None, *, rest: bool = True) -> str:
        """How far the tasks have got, in a document's words (`wording.tasks_progress`)."""
        return wording.tasks_progress(self.states(tasks), rest=rest)

    def source_backed(self) -> bool:
        """True unless the source notice states figures of itself that this ledger does not hold."""
        if not self.stated:
            return True
        aspects, problems, sub_problems = self.levels()
        return wording.source_backed(
            self.stated, aspects=aspects, problems=(problems, sub_problems), tasks=len(self.tasks),
            closed=self.closed(), long_term=self.by_category()[Task.Category.LONG_TERM],
        )

    def as_stated(self) -> str:
        """The source notice's own figures, attributed to it and its date ("" when the ledger backs them)."""
        if self.source_backed():
            return ""
        published = self.inspection.published
        day = f"{published.year}年{published.month}月{published.day}日" if published else ""
        return wording.as_stated(self.stated, published=day)

    def as_of(self, day: dt.date) -> dt.date:
        """The date the ledger's counts are as of (截至): the source notice's publication date while every
        state the ledger holds came from importing it, else `day` (the ledger has moved on since)."""
        published = self.inspection.published
        return published if self.imported_only and published is not None else day

    def closed(self, tasks: list[Task] | None = None) -> int:
        return sum(1 for t in (self.tasks if tasks is None else tasks) if t.status == Task.Status.CLOSED)

    def by_category(self) -> dict[str, int]:
        counts = dict.fromkeys(Task.Category.values, 0)
        for task in self.tasks:
            counts[task.category] += 1
        return counts

    def outcome_totals(self) -> list[tuple[str, Decimal, str]]:
        """Outcomes summed by what and unit, in the order first recorded: (问责, 3, 人)."""
        totals: dict[tuple[str, str], Decimal] = {}
        for outcome in self.outcomes:
            key = (outcome.what.strip(), outcome.value_unit.strip())
            totals[key] = totals.get(key, Decimal(0)) + outcome.value
        return [(what, value, unit) for (what, unit), value in totals.items()]


number_text = wording.number


def stated_by_source(inspection: Inspection) -> dict[str, int]:
    """The figures the imported notice states of its own rectification, kept at its import (通报自述)."""
    event = (
        AuditEvent.objects.filter(
            action="inspection.import_stated", object_type="inspections.inspection", object_id=str(inspection.pk)
        )
        .order_by("-id")
        .values_list("after", flat=True)
        .first()
    )
    stated = (event or {}).get("stated") or {}
    return {key: int(value) for key, value in stated.items() if key in wording.STATED_KEYS}


# Audit actions on a task that leave what a document counts of it (state, category, deadline) as it was.
_STATE_KEEPING_ACTIONS = ("task.create", "task.import_state", "task.comment", "task.flag", "task.hand_over",
                          "task.handover")


def state_from_import_only(inspection: Inspection, tasks: list[Task]) -> bool:
    """True while every task's state is the one the imported notice (导入的通报) gave it at its publication
    date: each task came with the import, and nothing has been recorded on any since (no progress, review,
    closure, reopening, new deadline or category). Progress and leads the caller checks from its own rows."""
    if inspection.published is None or not inspection.source_hash or not tasks:
        return False
    events = AuditEvent.objects.filter(
        unit_id=inspection.target_id, object_type=Task._meta.label_lower, object_id__in=[str(t.pk) for t in tasks]
    )
    imported = set(events.filter(action="task.import_state").values_list("object_id", flat=True))
    if len(imported) != len(tasks):
        return False  # a task added to the plan after the import
    return not events.exclude(action__in=_STATE_KEEPING_ACTIONS).exists()


def sentence(text: str) -> str:
    text = text.strip().rstrip("，,；;、：:")
    return text if not text or text.endswith(tuple(_END)) else f"{text}。"


def notice_type(inspection: Inspection) -> str:
    if inspection.type == Inspection.Type.LOOK_BACK:
        return f"{inspection.kind}“回头看”"
    return f"{inspection.type}{inspection.kind}"


def inspection_phrase(inspection: Inspection) -> str:
    """十一届省委第八轮巡视: how titles name the inspection."""
    round_text = f"第{int_to_chinese(inspection.round)}轮" if inspection.round else ""
    term = inspection.term if (inspection.inspector or inspection.round) else ""
    return f"{term}{inspection.inspector}{round_text}{inspection.kind}"


def notice_title(inspection: Inspection, *, what: str = "整改进展情况的通报") -> str:
    """中共某某党组关于十一届省委第八轮巡视整改进展情况的通报, from the inspection's fields."""
    return f"{inspection.target.name}关于{inspection_phrase(inspection)}{what}"


def unit_contact(inspection: Inspection) -> Contact:
    """The feedback channel named in the notice: the unit's phone, email, address and postcode."""
    unit = inspection.target
    phones = [p for p in _SPLIT_CONTACT_RE.split(unit.phone.strip()) if p] if unit.phone.strip() else []
    return Contact(
        phone=phones,
        email=[unit.email.strip()] if unit.email.strip() else [],
        address=unit.address.strip() or None,
        postcode=unit.postcode.strip() or None,
    )


def header_notice(inspection: Inspection, *, published: dt.date | None = None) -> Notice:
    """A Notice with the header fields only, as the inspection records them."""
    return Notice(
        title=notice_title(inspection),
        unit=inspection.target.name,
        inspector=inspection.inspector or None,
        kind=inspection.kind,
        term=inspection.term or None,
        round=inspection.round,
        group=inspection.group or None,
        type=notice_type(inspection),
        onsite_start=inspection.onsite_start,
        onsite_end=inspection.onsite_end,
        feedback_date=inspection.feedback_date,
        published=published,
        contact=unit_contact(inspection),
    )


# --- the findings tree ------------------------------------------------------------------------


def task_measure(task: Task, progress: Progress | None, *, marker: str = "") -> str:
    """A task as the notice states it: its measure, what was done (latest progress), then its state.

    The state words come from the task's status alone (`wording.task_state`); a sentence of the
    measure or the progress that claims a state of its own is left out, so the two never disagree.
    """
    title = sentence(wording.without_state_claims(_MARKER_RE.sub("", task.title.strip())) or task.title.strip())
    done = sentence(wording.without_state_claims(progress.text)) if progress is not None else ""
    return wording.full_width(f"{marker}{title}{done}{wording.task_state(task.status)}。")


def _label(finding: Finding, depth: int, position: int, renumber: bool) -> str:
    if finding.label.strip() and not renumber:
        return finding.label.strip()
    found = match_label(f"{finding.label.strip()}题") if finding.label.strip() else None
    style = found.style if found else _LADDER[min(depth, len(_LADDER) - 1)]
    return make_label(style, position)


def finding_nodes(facts: LedgerFacts, parent_id: int | None = None, depth: int = 0) -> list[Node]:
    """The findings tree (problems only; 整改建议 and 即知即改 are counted, not listed).

    Labels are kept as imported, except when exempt findings were left out: then siblings are
    renumbered, so a gap in the numbering cannot reveal that something was withheld.
    """
    nodes: list[Node] = []
    siblings = [f for f in facts.children.get(parent_id, []) if f.kind == Finding.Kind.PROBLEM]
    for position, finding in enumerate(siblings, start=1):
        tasks = facts.tasks_of.get(finding.pk, [])
        node = Node(
            label=wording.full_width_label(_label(finding, depth, position, facts.exempt_findings > 0)),
            title=wording.full_width(finding.title.strip().rstrip("。；;，,")),
        )
        if len(tasks) > 1:
            node.text = f"{facts.progress(tasks, rest=False)}。"
            node.measures = [
                task_measure(t, facts.latest.get(t.pk), marker=f"{int_to_chinese(i)}是")
                for i, t in enumerate(tasks, start=1)
            ]
        elif tasks:
            node.measures = [task_measure(tasks[0], facts.latest.get(tasks[0].pk))]
        node.children = finding_nodes(facts, finding.pk, depth + 1)
        nodes.append(node)
    return nodes


# --- the sections -------------------------------------------------------------------------------


def _organisation(facts: LedgerFacts, unit: str) -> list[str]:
    """How the rectification was organised, claiming only what the ledger holds: the plan's tasks,
    their owners, the immediate fixes, the closures."""
    inspection = facts.inspection
    kind = inspection.kind
    categories = facts.by_category()
    aspects, problems, sub_problems = facts.levels()
    leaders = {t.leader_id or t.leader_name for t in facts.tasks if t.leader_id or t.leader_name}
    departments = {t.lead_org_id for t in facts.tasks if t.lead_org_id}
    named = {
        "立行立改": categories[Task.Category.IMMEDIATE],
        "限期整改": categories[Task.Category.DEADLINE],
        "长期整改": categories[Task.Category.LONG_TERM],
    }
    split = "、".join(f"{name}{count}项" for name, count in named.items() if count)
    owners = "、".join(o for o in (f"责任领导{len(leaders)}名" if leaders else "",
                                   f"牵头单位{len(departments)}个" if departments else "") if o)
    parts = [f"{unit}把{inspection.inspector}{kind}整改作为重大政治任务，研究制定整改方案，抓好整改落实。"]
    source = facts.as_stated()
    if source:
        # The ledger cannot back the source's own figures task by task: each is said as its own.
        parts.append(f"{source}。")
    if facts.tasks:
        scope = wording.scope(aspects, problems, sub_problems)
        parts.append(
            (f"整改台账现录入{scope}的{len(facts.tasks)}项整改任务" if source
             else f"对{kind}反馈的{scope}逐条梳理，细化为{len(facts.tasks)}项整改任务")
            + (f"，逐项明确{owners}" if owners else "")
            + (f"，其中{split}。" if split else "。")
        )
    immediate = sum(1 for f in facts.findings if f.kind == Finding.Kind.IMMEDIATE)
    if immediate:
        parts.append(f"坚持边巡边改、立行立改，对{kind}期间发现的{immediate}个即知即改问题及时整改到位。")
    closed = facts.closed()
    if closed:
        parts.append(f"对已完成的{closed}项整改任务逐项对账销号，完成一项、销号一项。")
    return parts


def progress_sentence(facts: LedgerFacts, day: dt.date) -> str:
    """截至…（the date `LedgerFacts.as_of` gives），N项整改任务中已完成M项；新建或修订完善制度N项；问责N人 …"""
    whose = wording.ledger_own(facts.source_backed())
    day = facts.as_of(day)
    clauses = [f"截至{day.year}年{day.month}月{day.day}日，{whose}{facts.progress()}"]
    made = [r for r in facts.rules if r.action in (RuleChange.Action.CREATE, RuleChange.Action.REVISE)]
    if made:
        clauses.append(f"新建或修订完善制度{len(made)}项")
    abolished = len(facts.rules) - len(made)
    if abolished:
        clauses.append(f"废止制度{abolished}项")
    for what, value, unit in facts.outcome_totals():
        clauses.append(wording.quantity(what, value, unit))
    if facts.leads:
        concluded = sum(1 for lead in facts.leads if lead.status == Lead.Status.CONCLUDED)
        clauses.append(wording.leads_done(len(facts.leads), concluded))
    return "，".join(clauses) + "。"


def _next_steps(facts: LedgerFacts) -> list[str]:
    kind = facts.inspection.kind
    long_term = facts.by_category()[Task.Category.LONG_TERM]
    open_tasks = sum(1 for t in facts.tasks if t.status != Task.Status.CLOSED and t.category != Task.Category.LONG_TERM)
    whose = wording.ledger_own(facts.source_backed())  # the ledger's counts, said as the ledger's
    parts = [f"下一步，将坚持目标不变、标准不降、力度不减，持续巩固深化{kind}整改成果，坚决防止问题反弹。"]
    if open_tasks:
        parts.append(f"对{whose}尚未完成的{open_tasks}项整改任务，盯住时间节点，一周一调度，确保按期完成。")
    if long_term:
        parts.append(f"对{whose}{long_term}项长期整改任务，定期报告阶段性成效，久久为功、常抓不懈。")
    parts.append("坚持举一反三，健全长效机制，把整改成果转化为推动高质量发展的实际成效。")
    return parts


def numbered(sections: list[SectionDraft]) -> list[SectionDraft]:
    """Give the titled sections their 一、二、三、 labels in order."""
    number = 0
    for section in sections:
        if section.heading:
            number += 1
            section.heading = f"{int_to_chinese(number)}、{section.heading}"
    return sections


def notice_draft(inspection: Inspection, *, day: dt.date | None = None) -> tuple[Notice, ReportDraft]:
    """The notice and the sections it is written in, from the public part of the ledger."""
    day = day or clock.today()
    facts = LedgerFacts.read(inspection).public()
    notice = header_notice(inspection, published=day)
    notice.findings = finding_nodes(facts)
    unit = short_unit(notice.unit, notice.inspector)

    basics = [*_organisation(facts, unit), progress_sentence(facts, day)]
    steps = _next_steps(facts)
    sections = [SectionDraft(s["key"], s["heading"], s["body"])
                for s in notice_sections(notice, basics=basics, steps=steps, unit_short=unit)]
    findings = node_lines(notice.findings)
    # The figures are every clause that states a quantity, in reading order, as a reader (and
    # `rectify.notice.parse`) finds them in the body.
    notice.figures = extract_figures([*basics, *findings, *steps])
    return notice, ReportDraft(title=notice.title, signer=notice.unit, sections=sections)


def compose_notice(inspection: Inspection, *, day: dt.date | None = None) -> Notice:
    """The public 整改进展情况通报 of an inspection, composed from its ledger (exempt items left out)."""
    return notice_draft(inspection, day=day)[0]
