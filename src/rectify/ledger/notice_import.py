"""Import a published 整改进展情况通报 (notice): the inspection, its findings tree, tasks, rules, outcomes.

The notice is parsed by the pure `rectify.notice` library; every write goes through the services,
in one transaction. Importing the same round twice into the same unit finds the first import again
(`source_hash` for the same text, `same_round` for the same notice in another format), so nothing is
duplicated. The tasks carry the state the notice reports at its publication date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import Forbidden, ValidationFailed
from rectify.inspections import services as inspections
from rectify.inspections.models import Finding, Inspection
from rectify.language import localize
from rectify.ledger import services as ledger
from rectify.ledger.models import Outcome, RuleChange, Task
from rectify.ledger.services.versioning import save_versioned
from rectify.notice import Figure, Node, Notice, NoticeError, parse, read_file
from rectify.notice.dates import parse_deadline
from rectify.notice.headings import style_of
from rectify.notice.numerals import to_number
from rectify.organizations import services as orgs
from rectify.organizations.models import Organization, Role, User
from rectify.organizations.scoping import Action, grants, require_unit
from rectify.rules import wording
from rectify.rules.calendar import add_months
from rectify.rules.deadlines import category_words

__all__ = [
    "NoticeImportFailed",
    "NoticeImportResult",
    "find_rule_changes",
    "feedback_nodes",
    "find_outcomes",
    "import_notice",
    "is_leads_report",
    "measure_deadline",
    "same_round",
    "source_hash",
    "stated_figures",
]

DEFAULT_DEADLINE_MONTHS = 6
MAX_LEVEL = 3


class NoticeImportFailed(ValidationFailed):
    """The file cannot be imported as a notice; the message (Chinese) names the file and the reason."""


@dataclass
class NoticeImportResult:
    """What importing a notice created (or found already imported: `created=False`)."""

    inspection: Inspection
    unit: Organization
    notice: Notice
    created: bool = True
    unit_created: bool = False
    dry_run: bool = False
    findings_per_level: list[int] = field(default_factory=lambda: [0, 0, 0])
    tasks: int = 0
    closed: int = 0
    phased: int = 0
    stated: dict[str, int] = field(default_factory=dict)
    rule_changes: int = 0
    outcomes: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "inspection": None if self.dry_run and self.created else self.inspection.pk,
            "title": self.inspection.title,
            "unit": {"id": None if self.dry_run and self.unit_created else self.unit.pk, "name": self.unit.name},
            "created": self.created,
            "unit_created": self.unit_created,
            "dry_run": self.dry_run,
            "findings_per_level": list(self.findings_per_level),
            "tasks": self.tasks,
            "closed": self.closed,
            "phased_result": self.phased,
            "stated": dict(self.stated),
            "rule_changes": self.rule_changes,
            "outcomes": self.outcomes,
        }


def source_hash(text: str) -> str:
    """SHA-256 of the notice text with width, line breaks and spacing normalized."""
    lines = (re.sub(r"\s+", "", unicodedata.normalize("NFKC", line)) for line in text.splitlines())
    return hashlib.sha256("\n".join(line for line in lines if line).encode("utf-8")).hexdigest()


def import_notice(
    actor: User,
    unit: Organization | None,
    *,
    data: bytes,
    filename: str,
    dry_run: bool = False,
) -> NoticeImportResult:
    """Import a 整改进展情况通报 as an inspection with its findings, tasks, rules and outcomes.

    With `unit=None` the unit named in the notice is found by name, or created (administrators only).
    Raises `NoticeImportFailed` when the file is not a readable notice.
    """
    try:
        text = read_file(data, filename)
        notice = parse(text)
    except NoticeError as error:
        raise NoticeImportFailed(
            _("无法导入通报「%(name)s」：%(why)s") % {"name": filename, "why": localize(error.message)}, field="file"
        ) from error
    digest = source_hash(text)
    with transaction.atomic():
        unit_created = False
        if unit is None:
            unit, unit_created = _unit_for(actor, notice)
        existing = (
            Inspection.objects.filter(target=unit, source_hash=digest).select_related("target").first()
            or same_round(unit, notice)
        )
        if existing is not None:
            require_unit(actor, Action.REGISTER_INSPECTION, unit)
            result = _existing(existing, notice)
        else:
            result = _Builder(actor, unit, notice, digest).build()
        result.unit_created = unit_created
        result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return result


def same_round(unit: Organization, notice: Notice) -> Inspection | None:
    """An inspection imported before for the same round at the unit, whatever file it came from.

    The same notice as .docx after .txt differs in bytes and spacing, not in what it names: unit,
    inspector, term, round, group and feedback date. A notice naming neither round nor feedback date
    is matched by its text only.
    """
    if notice.feedback_date is None and not notice.round:
        return None
    kind = notice.kind if notice.kind in Inspection.Kind.values else Inspection.Kind.XUNSHI
    found = Inspection.objects.filter(
        target=unit, kind=kind, inspector=_clip(notice.inspector, "inspector"), term=_clip(notice.term, "term"),
        round=notice.round if notice.round and 0 < notice.round < 32768 else None,
        feedback_date=notice.feedback_date,
    ).exclude(source_hash="").select_related("target")
    group = _clip(notice.group, "group")
    return next((i for i in found.order_by("id") if not group or not i.group or i.group == group), None)


def _unit_for(actor: User, notice: Notice) -> tuple[Organization, bool]:
    """The unit the notice names: exact name, then name without "中共…党组" wrapping; else a new unit."""
    name = (notice.unit or "").strip()
    if not name:
        raise NoticeImportFailed(_("通报中没有找到被巡视巡察单位的名称，请指定单位"), field="unit")
    units = Organization.objects.filter(kind=Organization.Kind.UNIT)
    exact = list(units.filter(name=name)) or list(units.filter(short_name=name))
    if len(exact) == 1:
        return exact[0], False
    core = _core_name(name)
    close = [org for org in units if core in {_core_name(org.name), _core_name(org.short_name)}]
    if len(close) == 1:
        return close[0], False
    if len(exact) > 1 or len(close) > 1:
        raise NoticeImportFailed(
            _("有多个单位名为「%(name)s」，请用 --unit 指定单位编号") % {"name": name}, field="unit"
        )
    if not any(g.role == Role.ADMIN and g.path == "/" for g in grants(actor)):
        raise Forbidden(_("未找到单位「%(name)s」；只有系统管理员可以新建单位") % {"name": name})
    return orgs.create_organization(actor, name=name, kind=Organization.Kind.UNIT), True


def _core_name(name: str) -> str:
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    name = re.sub(r"^中共", "", name)
    return re.sub(r"(?:机关党组|党组|机关党委|党委)$", "", name)


def _existing(inspection: Inspection, notice: Notice) -> NoticeImportResult:
    levels = [0, 0, 0]
    for row in Finding.objects.filter(inspection=inspection).values("level").annotate(n=Count("id")):
        levels[row["level"] - 1] = row["n"]
    return NoticeImportResult(
        inspection=inspection,
        unit=inspection.target,
        notice=notice,
        created=False,
        findings_per_level=levels,
        tasks=inspection.tasks.count(),
        rule_changes=inspection.rule_changes.count(),
        outcomes=inspection.outcomes.count(),
    )


def _inspection_type(text: str | None) -> str:
    text = text or ""
    if "回头看" in text:
        return Inspection.Type.LOOK_BACK
    for value in Inspection.Type.values:
        if text.startswith(value):
            return value
    return Inspection.Type.REGULAR


def _clip(text: str | None, field_name: str, model: type[models.Model] = Inspection) -> str:
    limit = model._meta.get_field(field_name).max_length
    return (text or "").strip()[:limit]


class _Builder:
    """Creates one notice's inspection and everything under it."""

    def __init__(self, actor: User, unit: Organization, notice: Notice, digest: str) -> None:
        self.actor = actor
        self.unit = unit
        self.notice = notice
        self.digest = digest
        self.position = 0
        self.task_position = 0
        self.rules_seen: set[tuple[str, str]] = set()
        self.inspection: Inspection
        self.result: NoticeImportResult

    def build(self) -> NoticeImportResult:
        notice = self.notice
        # Stored titles are data, in Chinese whatever language the importing page is in.
        title = _clip(notice.title, "title") or f"{self.unit.name}{notice.kind}整改进展情况"
        self.inspection = inspections.create_inspection(
            self.actor, target=self.unit, title=title,
            kind=notice.kind if notice.kind in Inspection.Kind.values else Inspection.Kind.XUNSHI,
            inspector=_clip(notice.inspector, "inspector"), term=_clip(notice.term, "term"),
            round=notice.round if notice.round and 0 < notice.round < 32768 else None,
            group=_clip(notice.group, "group"), type=_inspection_type(notice.type),
            onsite_start=notice.onsite_start, onsite_end=notice.onsite_end,
            feedback_date=notice.feedback_date, published=notice.published, source_hash=self.digest,
        )
        self.result = NoticeImportResult(inspection=self.inspection, unit=self.unit, notice=notice)
        base = notice.feedback_date or notice.onsite_end or notice.published or clock.today()
        self.base = base
        self.default_deadline = add_months(base, DEFAULT_DEADLINE_MONTHS)
        self.ranks: dict[object, int] = {}
        self.stated = self.result.stated = stated_figures(notice.figures)
        findings = feedback_nodes(notice)
        for node in findings:
            self.add_node(node, None)
        for node in _walk(findings):
            if not node.measures:
                self.add_rules(node.text, None)  # a node reporting what was done in prose
        self.add_outcomes(notice.figures)
        self.add_contact()
        if self.stated:
            # The figures the notice states, kept as it states them, beside what the import found.
            audit.record(self.actor, "inspection.import_stated", self.inspection, unit_id=self.unit.pk,
                         after={"stated": self.stated, "tasks": self.result.tasks, "closed": self.result.closed,
                                "phased_result": self.result.phased})
        return self.result

    def add_node(self, node: Node, parent: Finding | None) -> None:
        level = self.level_of(node, parent)
        measures = list(node.measures)
        text = node.text
        if level == MAX_LEVEL and node.children:
            # The model holds three levels: deeper headings fold into their level-3 ancestor.
            for child in _walk(node.children):
                measures += child.measures
                text = "\n".join(part for part in (text, f"{child.label}{child.title}", child.text) if part)
        title = (node.title or "").strip() or _first_sentence(text) or node.label or "（无标题）"
        finding = inspections.add_finding(
            self.actor, self.inspection, title=title, parent=parent, label=_clip(node.label, "label", Finding),
            text=text, kind=_finding_kind(title), position=self.position, level=level,
        )
        self.position += 1
        self.result.findings_per_level[level - 1] += 1
        for measure in measures:
            self.add_task(finding, measure)
        if level < MAX_LEVEL:
            for child in node.children:
                self.add_node(child, finding)

    def level_of(self, node: Node, parent: Finding | None) -> int:
        """The heading level by label style (as `Notice.levels` counts it): （22） under （四） stays level 3."""
        below = 1 if parent is None else parent.level + 1
        style = style_of(node.label) if node.label else None
        if style is None:
            return min(below, MAX_LEVEL)
        rank = self.ranks.setdefault(style, len(self.ranks)) + 1
        return min(max(rank, below), MAX_LEVEL)

    def add_task(self, finding: Finding, measure: str) -> None:
        measure = (measure or "").strip()
        if not measure:
            return
        category, deadline = measure_deadline(measure, feedback=self.base, default=self.default_deadline)
        dated = deadline is not None and deadline != self.default_deadline
        if category == Task.Category.DEADLINE and not dated and not wording.reports_done(measure) \
                and self.stated.get("long_term") and self.all_but_long_term_done():
            # The notice says every task is done or long-term: one with no date of its own is long-term.
            category, deadline = Task.Category.LONG_TERM, None
        task = ledger.create_task(
            self.actor, finding, title=measure, category=category, deadline=deadline, position=self.task_position
        )
        self.task_position += 1
        self.result.tasks += 1
        self.carry_state(task, measure)
        self.add_rules(measure, task)

    def all_but_long_term_done(self) -> bool:
        """The notice states that every task not long-term is done (38项中7项已完成，31项长期整改 / 完成率100%)."""
        stated = self.stated
        if stated.get("all_done"):
            return True
        total = stated.get("tasks")
        return bool(total) and stated.get("closed", 0) + stated.get("long_term", 0) >= total

    def carry_state(self, task: Task, measure: str) -> None:
        """Give the task the state the notice reports at its publication date (imported history).

        A measure the text reports done is closed on the publication date; a long-term task has
        阶段性成效; a dated task the notice says is done (every task but the long-term ones) is closed;
        the rest are under way. Audited as an import, never as a review or an approval.
        """
        published = self.notice.published
        if published is None:
            return
        if task.category == Task.Category.LONG_TERM:
            status = Task.Status.PHASED_RESULT
        elif wording.reports_done(measure) or self.all_but_long_term_done():
            status = Task.Status.CLOSED
        else:
            status = Task.Status.IN_PROGRESS
        before = audit.snapshot(task)
        task.status = status
        fields = ["status"]
        if status == Task.Status.CLOSED:
            task.closed_at = timezone.make_aware(dt.datetime.combine(published, dt.time(12)))
            fields.append("closed_at")
            self.result.closed += 1
        elif status == Task.Status.PHASED_RESULT:
            self.result.phased += 1
        save_versioned(task, fields=fields)
        audit.record(self.actor, "task.import_state", task, unit_id=task.unit_id, before=before,
                     after={"status": status, "as_of": published.isoformat()},
                     note=_("按通报（%(day)s）导入的整改状态") % {"day": published.isoformat()})

    def add_contact(self) -> None:
        """The feedback channel the notice names (联系方式) becomes the unit's, where the unit has none."""
        contact = self.notice.contact
        values = {
            "phone": "、".join(contact.phone), "email": contact.email[0] if contact.email else "",
            "address": contact.address or "", "postcode": contact.postcode or "",
        }
        unit = Organization.objects.get(pk=self.unit.pk)
        missing = {
            name: value[: Organization._meta.get_field(name).max_length]
            for name, value in values.items() if value and not getattr(unit, name).strip()
        }
        if not missing:
            return
        before = {name: getattr(unit, name) for name in missing}
        Organization.objects.filter(pk=unit.pk).update(**missing)
        for name, value in missing.items():
            setattr(self.unit, name, value)
        audit.record(self.actor, "organization.contact_from_notice", unit, unit_id=unit.pk, before=before,
                     after=missing)

    def add_rules(self, text: str, task: Task | None) -> None:
        for action, title in find_rule_changes(text):
            if (action, title) in self.rules_seen:
                continue
            self.rules_seen.add((action, title))
            ledger.create_rule_change(self.actor, self.inspection, title=title, action=action, task=task)
            self.result.rule_changes += 1

    def add_outcomes(self, figures: list[Figure]) -> None:
        seen: set[tuple[str, Decimal, str, str]] = set()
        recorded_on = self.notice.published or clock.today()
        for kind, value, value_unit, what in find_outcomes(figures):
            key = (kind, value, value_unit, what)
            if key in seen:
                continue
            seen.add(key)
            ledger.record_outcome(
                self.actor, self.inspection, kind=kind, what=what, value=value, value_unit=value_unit,
                recorded_on=recorded_on,
            )
            self.result.outcomes += 1


# A top-level section reporting how transferred leads were handled (（五）问题线索及信访件办理情况): not a
# feedback aspect, and its sentences ("信访件已全部办结") are claims only `Lead` rows may back.
_LEADS_REPORT = re.compile(r"^(?:关于)?(?:移交的?)?(?:问题线索|信访件|信访举报|线索)[^。]{0,12}(?:办理|处置|查办)")


def is_leads_report(node: Node) -> bool:
    """True for the section of a notice that reports on transferred leads rather than a finding."""
    return bool(_LEADS_REPORT.search(unicodedata.normalize("NFKC", node.title or "").strip()))


def feedback_nodes(notice: Notice) -> list[Node]:
    """The notice's findings that are feedback (方面 and below): the leads report is left out."""
    return [node for node in notice.findings if not is_leads_report(node)]


_FIG_NUM = r"(\d+|[零〇两一二三四五六七八九十百]+)"
_STATED = {
    "tasks": re.compile(rf"{_FIG_NUM}\s*项(?:整改)?(?:任务|举措|措施)(?!中已)"),
    "closed": re.compile(rf"(?:中|其中|有)\s*{_FIG_NUM}\s*项已?(?:整改)?完成|已(?:整改)?完成\s*{_FIG_NUM}\s*项"
                         rf"|{_FIG_NUM}\s*项已(?:整改)?完成"),
    "long_term": re.compile(rf"{_FIG_NUM}\s*项(?:需)?长期(?:整改|坚持)|长期(?:整改)?(?:任务)?\s*{_FIG_NUM}\s*项"),
    # Only "4个方面11个问题" counts the feedback: "检视13个方面问题" is about something else.
    "aspects": re.compile(rf"{_FIG_NUM}\s*个方面(?=\s*(?:\d+|[零〇两一二三四五六七八九十百]+)\s*(?:个|项|条)(?:整改)?问题)"),
    "problems": re.compile(rf"个方面\s*{_FIG_NUM}\s*(?:个|项|条)(?:整改)?问题"),
}
_ALL_DONE = re.compile(r"整改完成率(?:达到?|为)?\s*100\s*%|(?:整改任务|整改事项)(?:已)?全部(?:整改)?完成")


def stated_figures(figures: list[Figure]) -> dict[str, int]:
    """The counts a notice states of its own rectification: tasks, closed, long-term, aspects, problems.

    The first clause stating each is taken ("38项整改任务中有7项已整改完成" → tasks 38, closed 7);
    `all_done` is 1 when the notice says every task is done (整改完成率100%).
    """
    stated: dict[str, int] = {}
    for figure in figures:
        clause = unicodedata.normalize("NFKC", figure.text)
        for name, pattern in _STATED.items():
            if name in stated:
                continue
            match = pattern.search(clause)
            if match is None:
                continue
            value = next(g for g in match.groups() if g)
            try:
                stated[name] = int(to_number(value))
            except ValueError:
                continue
        if _ALL_DONE.search(clause):
            stated["all_done"] = 1
    return stated


def _walk(nodes: list[Node]) -> list[Node]:
    found: list[Node] = []
    for node in nodes:
        found.append(node)
        found += _walk(node.children)
    return found


def _first_sentence(text: str) -> str:
    return re.split(r"[。；;\n]", text.strip(), maxsplit=1)[0][:100] if text else ""


def _finding_kind(title: str) -> str:
    if "即知即改" in title:
        return Finding.Kind.IMMEDIATE
    if "整改建议" in title:
        return Finding.Kind.RECOMMENDATION
    return Finding.Kind.PROBLEM


# ---------------------------------------------------------------------- deadlines

_CN_DIGIT = "一二三四五六七八九十"
_CN_YEAR = "〇零○一二三四五六七八九"
# A deadline as a measure writes it: "6月底前", "2021年9月15日前", "2021年底前", "今年底", "年内".
_DEADLINE_IN_TEXT = re.compile(
    rf"(?:(?:\d{{4}}|[{_CN_YEAR}]{{4}})\s*年\s*)?(?:\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*月\s*"
    rf"(?:(?:\d{{1,2}}|[{_CN_DIGIT}]{{1,3}})\s*[日号]\s*)?(?:底|末|上旬|中旬|下旬)?\s*(?:以前|之前|前)"
    rf"|(?:\d{{4}}|[{_CN_YEAR}]{{4}})\s*年\s*(?:底|末)\s*(?:以前|之前|前)"
    rf"|(?<![\d{_CN_YEAR}十])(?:今|本|明|下)?年\s*(?:底|末|内)"
)
_EXPLICIT_YEAR = re.compile(rf"(?:\d{{4}}|[{_CN_YEAR}]{{4}})\s*年")


def measure_deadline(measure: str, *, feedback: dt.date, default: dt.date) -> tuple[str, dt.date | None]:
    """Category and deadline of a measure: a date it names ("6月底前", "年底前"), else long-term
    wording (长期坚持, 持续), else 立行立改, else `default` (feedback + 6 months)."""
    text = unicodedata.normalize("NFKC", measure)
    for match in _DEADLINE_IN_TEXT.finditer(text):
        fragment = match.group(0)
        day = parse_deadline(fragment, feedback.year)
        if day is not None and day < feedback and not _EXPLICIT_YEAR.search(fragment):
            day = parse_deadline(fragment, feedback.year + 1)  # "3月底前" after a June feedback: next year
        if day is not None and day >= feedback:
            return Task.Category.DEADLINE, day
    category = category_words(text)
    if category is not None:
        return category, None
    return Task.Category.DEADLINE, default


# ---------------------------------------------------------------------- rules (建章立制)

_RULE_VERBS = {
    "制定": RuleChange.Action.CREATE,
    "出台": RuleChange.Action.CREATE,
    "起草": RuleChange.Action.CREATE,
    "新建": RuleChange.Action.CREATE,
    "修订": RuleChange.Action.REVISE,
    "修改": RuleChange.Action.REVISE,
    "废止": RuleChange.Action.ABOLISH,
    "废除": RuleChange.Action.ABOLISH,
}
_RULE = re.compile(
    r"(?<![未无没])(" + "|".join(_RULE_VERBS) + r")[^，。；,;：:《]{0,8}?((?:《[^《》]{2,120}》\s*(?:[、和及与,，]\s*)?)+)"
)
_TITLE = re.compile(r"《([^《》]{2,120})》")
# Documents named after a rule verb that are not rules themselves: notices, minutes, speeches.
_NOT_A_RULE = re.compile(r"(?:通知|通报|纪要|讲话|函|报告)$")


def find_rule_changes(text: str) -> list[tuple[str, str]]:
    """Rules a measure says were made, revised or abolished: "制定《…》", "修订完善《…》", "废止《…》"."""
    found: list[tuple[str, str]] = []
    for match in _RULE.finditer(text or ""):
        action = _RULE_VERBS[match.group(1)]
        for title in _TITLE.findall(match.group(2)):
            title = title.strip()[: RuleChange._meta.get_field("title").max_length]
            if title and not _NOT_A_RULE.search(title) and (action, title) not in found:
                found.append((action, title))
    return found


# ---------------------------------------------------------------------- outcomes (整改成效)

_NUM = r"(\d+(?:\.\d+)?|[零〇两一二三四五六七八九十百千]+)"
_GAP = r"[^，。；,;：:\d]{0,12}?"
_PEOPLE = r"(人次|人|名)"
_OUTCOME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (Outcome.Kind.DISCIPLINE, re.compile(rf"(?:党纪政务处分|党纪处分|政务处分|纪律处分|处分){_GAP}{_NUM}\s*{_PEOPLE}")),
    (Outcome.Kind.DISCIPLINE, re.compile(rf"{_NUM}\s*{_PEOPLE}[^，。；,;]{{0,8}}?处分")),
    (Outcome.Kind.ACCOUNTABILITY, re.compile(rf"(?:问责|追责|处理){_GAP}{_NUM}\s*{_PEOPLE}")),
    (Outcome.Kind.ACCOUNTABILITY, re.compile(rf"{_NUM}\s*{_PEOPLE}[^，。；,;]{{0,8}}?(?:问责|追责)")),
    (Outcome.Kind.FUNDS_RECOVERED, re.compile(rf"(?:追缴|追回|收回|退缴|清退|挽回|退还){_GAP}{_NUM}\s*(亿元|万元|元)")),
    (Outcome.Kind.COST_CUT, re.compile(rf"(?:压减|压缩|节约|节省|削减){_GAP}{_NUM}\s*(%|亿元|万元|元)")),
]


def find_outcomes(figures: list[Figure]) -> list[tuple[str, Decimal, str, str]]:
    """(kind, value, unit, clause) for each accountability or money figure: "问责23人", "追缴资金120.5万元"."""
    found: list[tuple[str, Decimal, str, str]] = []
    what_limit = Outcome._meta.get_field("what").max_length or 200
    for figure in figures:
        clause = unicodedata.normalize("NFKC", figure.text)
        taken: list[tuple[int, int]] = []
        for kind, pattern in _OUTCOME_PATTERNS:
            for match in pattern.finditer(clause):
                span = match.span(1)
                if any(start <= span[0] < end for start, end in taken):
                    continue  # one number, one outcome (处分 wins over 处理)
                try:
                    value = Decimal(str(to_number(match.group(1))))
                except ValueError:
                    continue
                taken.append(span)
                found.append((kind, value, match.group(2), _what(clause, match)[:what_limit]))
    return found


_CLAUSE_START = re.compile(r"[，,；;：:。]")
_VERB_AFTER = re.compile(r"党纪政务处分|党纪处分|政务处分|纪律处分|处分|问责|追责")


def _what(clause: str, match: re.Match[str]) -> str:
    """What an outcome counts, without its figure: "经费预算压减10%" → "经费预算压减"; "给予3人党纪处分" →
    "给予党纪处分". The figure lives in value and unit only, so no document can write it twice."""
    start = max((m.end() for m in _CLAUSE_START.finditer(clause, 0, match.start())), default=0)
    end = next((m.start() for m in _CLAUSE_START.finditer(clause, match.end())), len(clause))
    number_start, unit_end = match.span(1)[0], match.span(2)[1]
    if number_start > match.start():  # the verb comes first: 问责23人
        what = clause[start:number_start]
    else:  # the figure comes first: 给予3人党纪处分 → 党纪处分3人
        verb = _VERB_AFTER.search(clause, unit_end, end)
        what = verb.group(0) if verb else clause[start:number_start] + clause[unit_end:end]
    return re.sub(r"^(?:其中|另外|同时|共|累计)", "", what.strip()).strip() or clause.strip()
