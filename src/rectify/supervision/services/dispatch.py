"""一周一调度: the weekly sheet of a unit (due within 7 days, overdue, silent, returned) and the
meeting's decisions on tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.ledger.lights import light_rules
from rectify.ledger.models import Task
from rectify.organizations.models import Organization, User
from rectify.organizations.scoping import require_unit
from rectify.rules.lights import is_silent, silent_days
from rectify.rules.permissions import AWAITING_CLOSURE, Action
from rectify.supervision.models import Dispatch, DispatchDecision


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class DispatchRow:
    task: Task
    days: int  # days left, days overdue, or days silent, by section
    last_progress: dt.date | None


@dataclass
class DispatchSheet:
    """One unit's sheet for the week starting `week_of` (a Monday)."""

    unit: Organization
    week_of: dt.date
    due_soon: list[DispatchRow] = field(default_factory=list)
    overdue: list[DispatchRow] = field(default_factory=list)
    silent: list[DispatchRow] = field(default_factory=list)
    returned: list[DispatchRow] = field(default_factory=list)
    dispatch: Dispatch | None = None
    decisions: list[DispatchDecision] = field(default_factory=list)

    @property
    def week_end(self) -> dt.date:
        return self.week_of + dt.timedelta(days=6)

    def sections(self) -> list[tuple[str, str, list[DispatchRow]]]:
        """(key, Chinese heading, rows) in the order the meeting goes through them."""
        return [
            ("overdue", _("逾期未完成"), self.overdue),
            ("due_soon", _("7日内到期"), self.due_soon),
            ("returned", _("被退回、问题反弹"), self.returned),
            ("silent", _("7日以上未报送进展"), self.silent),
        ]

    @property
    def total(self) -> int:
        return sum(len(rows) for _k, _l, rows in self.sections())


def build_dispatch(actor: User, unit: Organization, week_of: dt.date) -> DispatchSheet:
    """The dispatch sheet (调度表) of a unit for a week: what the weekly meeting must go through."""
    require_unit(actor, Action.VIEW_DISPATCH, unit, message=_("只有整改办、领导、纪检监督或巡视巡察办可以查看调度表"))
    week_of = monday(week_of)
    sheet = DispatchSheet(unit=unit, week_of=week_of)
    rules = light_rules()
    # A unit's open tasks (hundreds at most): one query, sorted into the sections in Python.
    tasks = (
        Task.objects.filter(unit=unit).exclude(status=Task.Status.CLOSED)
        .select_related("lead_org", "finding", "handler").order_by("deadline", "position", "pk")
    )
    for task in tasks:
        last = timezone.localtime(task.last_progress_at).date() if task.last_progress_at else None
        if task.is_overdue(week_of):
            sheet.overdue.append(DispatchRow(task, task.days_overdue(week_of), last))
        elif task.deadline is not None and task.deadline <= sheet.week_end and task.status not in AWAITING_CLOSURE:
            sheet.due_soon.append(DispatchRow(task, (task.deadline - week_of).days, last))
        if task.status in (Task.Status.RETURNED, Task.Status.REOPENED):
            sheet.returned.append(DispatchRow(task, task.returned_count, last))
        quiet_since = task.last_activity_day()
        if quiet_since is not None and is_silent(quiet_since, week_of, rules) and task.status not in AWAITING_CLOSURE:
            sheet.silent.append(DispatchRow(task, silent_days(quiet_since, week_of), last))
    sheet.overdue.sort(key=lambda r: -r.days)
    sheet.silent.sort(key=lambda r: -r.days)
    sheet.dispatch = Dispatch.objects.filter(unit=unit, week_of=week_of).first()
    if sheet.dispatch is not None:
        sheet.decisions = list(sheet.dispatch.decisions.select_related("task").order_by("pk"))
    return sheet


def _dispatch_for(actor: User, unit: Organization, week_of: dt.date, held_on: dt.date | None, note: str) -> Dispatch:
    dispatch, created = Dispatch.objects.get_or_create(
        unit=unit, week_of=monday(week_of),
        defaults={"held_on": held_on or clock.today(), "note": note.strip(), "created_by": actor},
    )
    if created:
        audit.record(actor, "dispatch.create", dispatch, unit_id=unit.pk)
    elif note.strip() and note.strip() != dispatch.note:
        before = audit.snapshot(dispatch)
        dispatch.note = note.strip()
        dispatch.save(update_fields=["note"])
        audit.record(actor, "dispatch.update", dispatch, unit_id=unit.pk, before=before)
    return dispatch


@transaction.atomic
def record_dispatch(
    actor: User, unit: Organization, *, week_of: dt.date, held_on: dt.date | None = None, note: str = ""
) -> Dispatch:
    """Record the week's dispatch meeting (调度会) of a unit; one per unit and week."""
    require_unit(actor, Action.RECORD_DISPATCH, unit, message=_("只有整改办可以记录调度情况"))
    return _dispatch_for(actor, unit, week_of, held_on, note)


@transaction.atomic
def record_decision(
    actor: User, unit: Organization, *, week_of: dt.date, task: Task, text: str, responsible: str,
    due_on: dt.date | None,
) -> DispatchDecision:
    """Record a decision of the dispatch meeting on a task (调度意见: what, who, by when)."""
    require_unit(actor, Action.RECORD_DISPATCH, unit, message=_("只有整改办可以记录调度意见"))
    if task.unit_id != unit.pk:
        raise ValidationFailed(_("「整改任务」不属于本单位"), field="task")
    text, responsible = (text or "").strip(), (responsible or "").strip()
    if not text:
        raise ValidationFailed(_("「调度意见」不能为空"), field="text")
    if not responsible:
        raise ValidationFailed(_("「责任人」不能为空"), field="responsible")
    if due_on is None:
        raise ValidationFailed(_("「完成时限」不能为空"), field="due_on")
    dispatch = _dispatch_for(actor, unit, week_of, None, "")
    if due_on < dispatch.week_of:
        raise ValidationFailed(_("「完成时限」不能早于调度周"), field="due_on")
    decision = DispatchDecision.objects.create(
        dispatch=dispatch, task=task, text=text, responsible=responsible, due_on=due_on, created_by=actor
    )
    audit.record(actor, "dispatch.decision", decision, unit_id=unit.pk)
    return decision
