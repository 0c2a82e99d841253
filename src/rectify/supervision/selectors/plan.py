"""Plan integrity (every feedback problem answered) and the clocks an inspection's feedback starts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rectify import clock
from rectify.deadlines import deadline_clock
from rectify.inspections.models import Finding, Inspection
from rectify.language import localize
from rectify.ledger.models import Lead, Task
from rectify.rules.calendar import Due
from rectify.rules.lights import is_past_due

DATELESS = (Task.Category.IMMEDIATE, Task.Category.LONG_TERM)


@dataclass(frozen=True)
class Unanswered:
    finding: Finding
    reason: str


@dataclass(frozen=True)
class Integrity:
    """Whether every leaf feedback problem has at least one complete task (owner, department, deadline)."""

    problems: int
    unanswered: tuple[Unanswered, ...]

    @property
    def ok(self) -> bool:
        return not self.unanswered


def _missing(task: Task) -> list[str]:
    missing = []
    if not task.leader_id and not task.leader_name.strip():
        missing.append(_("责任领导"))
    if not task.lead_org_id:
        missing.append(_("牵头单位"))
    if task.deadline is None and task.category not in DATELESS:
        missing.append(_("完成时限"))
    return missing


def plan_integrity(inspection: Inspection) -> Integrity:
    """方案完整性: each leaf 反馈问题 needs ≥1 task with a leader, a department and a deadline (or a
    立行立改/长期整改 category); recommendations (整改建议) are not problems."""
    findings = list(Finding.objects.filter(inspection=inspection).order_by("position", "pk"))
    parents = {f.parent_id for f in findings if f.parent_id}
    leaves = [f for f in findings if f.pk not in parents and f.kind != Finding.Kind.RECOMMENDATION]
    tasks: dict[int, list[Task]] = {}
    for task in Task.objects.filter(inspection=inspection).only(
        "pk", "finding_id", "leader_id", "leader_name", "lead_org_id", "deadline", "category"
    ):
        tasks.setdefault(task.finding_id, []).append(task)
    unanswered: list[Unanswered] = []
    for finding in leaves:
        own = tasks.get(finding.pk, [])
        if not own:
            unanswered.append(Unanswered(finding, _("没有对应的整改任务")))
            continue
        gaps = [_missing(t) for t in own]
        if all(gaps):
            fewest = min(gaps, key=len)
            unanswered.append(Unanswered(
                finding, _("整改任务缺少%(fields)s") % {"fields": pgettext("list separator", "、").join(fewest)}
            ))
    return Integrity(len(leaves), tuple(unanswered))


@dataclass(frozen=True)
class ClockRow:
    label: str
    due: dt.date
    basis: str
    exact: bool
    days_left: int
    done: bool = False
    note: str = ""  # e.g. 2027年节假日安排未载入…, in the page's language

    @property
    def overdue(self) -> bool:
        today = self.due - dt.timedelta(days=self.days_left)
        return is_past_due(self.due, done=self.done, today=today)


def _row(label: str, due: Due, today: dt.date, done: bool) -> ClockRow:
    note = localize(due.note) if due.note else ""
    return ClockRow(label, due.date, localize(due.basis), due.exact, (due.date - today).days, done, note)


def inspection_clocks(inspection: Inspection, *, plan_done: bool = False, report_done: bool = False) -> list[ClockRow]:
    """整改方案 (15 working days), 整改情况报告 (2 months) and each open lead's reply (3 months)."""
    today = clock.today()
    deadline = deadline_clock()
    rows: list[ClockRow] = []
    if inspection.feedback_date is not None:
        for due, done in ((deadline.plan_due(inspection.feedback_date), plan_done),
                          (deadline.report_due(inspection.feedback_date), report_done)):
            rows.append(_row(localize(due.label), due, today, done))
    for lead in Lead.objects.filter(inspection=inspection).order_by("received_on", "pk"):
        due = deadline.lead_reply_due(lead.received_on)
        label = _("%(label)s：%(lead)s") % {"label": localize(due.label), "lead": lead.reference or lead.summary[:20]}
        rows.append(_row(label, due, today, lead.status == Lead.Status.CONCLUDED))
    return rows
