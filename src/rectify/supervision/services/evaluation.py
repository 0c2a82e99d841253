"""Evaluation after the concentrated period (集中整改期满评估) and the second round (二次整改) it may start."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.deadlines import deadline_clock
from rectify.errors import InvalidTransition, ValidationFailed
from rectify.inspections.models import Inspection
from rectify.ledger.announce import Step
from rectify.ledger.lights import overdue_q
from rectify.ledger.models import Task
from rectify.ledger.services import create_task
from rectify.organizations.models import Membership, Role, User
from rectify.organizations.scoping import require_unit
from rectify.organizations.services import system_actor
from rectify.rules.permissions import Action
from rectify.supervision.models import Evaluation, Notification, SecondRound
from rectify.supervision.rules.scoring import (
    DEFAULT_SECTIONS,
    CompletionCounts,
    Deduction,
    ScoreSheet,
    evaluate,
)
from rectify.supervision.services.notifications import Warning, notify
from rectify.supervision.services.transitions import tell_next

SECTION_CODES = frozenset(s.code for s in DEFAULT_SECTIONS)


def completion_counts(inspection: Inspection, on: dt.date) -> CompletionCounts:
    """Tasks due by `on` (限期 with a deadline by then, and 立行立改), closed among them, overdue among them."""
    due_q = Q(category=Task.Category.IMMEDIATE) | Q(category=Task.Category.DEADLINE, deadline__lte=on)
    row = Task.objects.filter(due_q, inspection=inspection).aggregate(
        due=Count("pk"),
        closed=Count("pk", filter=Q(status=Task.Status.CLOSED)),
        overdue=Count("pk", filter=overdue_q(on)),
    )
    return CompletionCounts(due=row["due"], closed=row["closed"], overdue=row["overdue"])


def _sheet_json(sheet: ScoreSheet) -> list[dict[str, str]]:
    return [
        {"code": s.section.code, "label": s.section.label, "weight": str(s.section.weight), "base": str(s.base),
         "deducted": str(s.deducted), "points": str(s.points)}
        for s in sheet.sections
    ]


def _number(value: Decimal | int | str, label: str, field: str) -> Decimal:
    """A number as people type it: full-width digits, "95%" (a share), "5分"; refused with the value."""
    text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("分").strip()
    share = text.endswith("%")
    try:
        number = Decimal(text.removesuffix("%").strip())
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationFailed(_("「%(label)s」应为数字：%(value)s") % {"label": label, "value": value}, field=field)
    return number / 100 if share else number


def _deduction(n: int, section: str, points: Decimal | int | str, reason: str) -> Deduction:
    if section not in SECTION_CODES:
        raise ValidationFailed(_("第 %(n)d 项扣分的「扣分项目」无法识别：%(value)s") % {"n": n, "value": section},
                               field="deductions")
    amount = _number(points, _("扣分"), "deductions")
    if amount < 0:
        raise ValidationFailed(_("第 %(n)d 项「扣分」不能为负数：%(value)s") % {"n": n, "value": points}, field="deductions")
    if not (reason or "").strip():
        raise ValidationFailed(_("第 %(n)d 项扣分须写明理由") % {"n": n}, field="deductions")
    return Deduction(section, amount, reason.strip())


@transaction.atomic
def evaluate_inspection(
    actor: User, inspection: Inspection, *, deductions: Iterable[tuple[str, Decimal | int | str, str]] = (),
    satisfaction: Decimal | str | None = None, evaluated_on: dt.date | None = None,
) -> Evaluation:
    """Score a unit's rectification (好/较好/一般/差); 一般 or 差 starts a second round (二次整改)."""
    require_unit(actor, Action.EVALUATE, inspection.target, message=_("只有巡视巡察办可以开展整改评估"))
    evaluated_on = evaluated_on or clock.today()
    items = [_deduction(n, section, points, reason) for n, (section, points, reason) in enumerate(deductions, 1)]
    rate = None
    if satisfaction not in (None, ""):
        rate = _number(satisfaction, _("群众满意率"), "satisfaction")
        if 1 < rate <= 100 and "%" not in str(satisfaction):
            rate = rate / 100  # 95 typed for 95%
        if not 0 <= rate <= 1:
            raise ValidationFailed(_("「群众满意率」应在 0 到 1 之间（或 0%% 到 100%%）：%(value)s") % {"value": satisfaction},
                                   field="satisfaction")
    try:
        sheet = evaluate(deductions=items, completion=completion_counts(inspection, evaluated_on), satisfaction=rate)
    except (ValueError, ArithmeticError) as exc:
        raise ValidationFailed(_("评分数据有误，请检查各项扣分"), field="deductions") from exc
    evaluation = Evaluation.objects.create(
        inspection=inspection, evaluated_on=evaluated_on, sections=_sheet_json(sheet),
        deductions=[{"section": d.section, "points": str(d.points), "reason": d.reason} for d in items],
        notes=list(sheet.notes), total=sheet.total, grade=sheet.grade.value,
        needs_second_round=sheet.needs_second_round, evaluator=actor,
    )
    audit.record(actor, "evaluation.create", evaluation, unit_id=inspection.target_id)
    if sheet.needs_second_round:
        start_second_round(actor, evaluation)
    return evaluation


@transaction.atomic
def start_second_round(actor: User, evaluation: Evaluation) -> SecondRound | None:
    """二次整改: the first evaluation graded 一般 or 差 starts the round itself, once per inspection: its own
    clock (due like a first round's report, counted from the evaluation), every unfinished task planned again,
    and the departments and the rectification office told. None when the round was already started."""
    # The inspection's row is the lock: two evaluations saved at once start one round.
    inspection = Inspection.objects.select_for_update().get(pk=evaluation.inspection_id)
    if SecondRound.objects.filter(inspection=inspection).exists():
        return None
    due = deadline_clock().report_due(evaluation.evaluated_on).date
    second = SecondRound.objects.create(inspection=inspection, evaluation=evaluation,
                                        started_on=evaluation.evaluated_on, due_on=due)
    audit.record(actor, "inspection.second_round", second, unit_id=inspection.target_id,
                 after={"evaluation": evaluation.pk, "grade": evaluation.grade, "due_on": due.isoformat()})
    unfinished = unfinished_before(second)
    # The evaluator (巡视巡察办) does not edit the unit's plan: the round's tasks are the system's, on its behalf.
    created = _plan(system_actor(), second, unfinished) if unfinished else []
    _tell_second_round(actor, second, evaluation, created)
    return second


@transaction.atomic
def plan_second_round(actor: User, second: SecondRound) -> list[Task]:
    """二次整改 started before its tasks were planned with it (or whose tasks were removed): the rectification
    office plans every task unfinished when it started again under its finding, with the same people and the
    round's deadline; done once."""
    second = SecondRound.objects.select_for_update().get(pk=second.pk)
    require_unit(actor, Action.EDIT_PLAN, second.inspection.target)
    if second.tasks.exists():
        raise InvalidTransition(_("二次整改任务已生成"))
    unfinished = unfinished_before(second)
    if not unfinished:
        raise InvalidTransition(_("没有未完成的整改任务，无需生成二次整改任务"))
    return _plan(actor, second, unfinished)


def unfinished_before(second: SecondRound) -> list[Task]:
    """The tasks of the inspection not closed when the second round started, and not its own: planned again."""
    return list(Task.objects.filter(inspection_id=second.inspection_id).exclude(status=Task.Status.CLOSED)
                .filter(created_at__lte=second.created_at).exclude(pk__in=second.tasks.values("pk"))
                .select_related("finding", "leader", "lead_org", "handler")
                .prefetch_related("co_orgs").order_by("position", "pk"))


def _plan(actor: User, second: SecondRound, unfinished: list[Task]) -> list[Task]:
    created = []
    with translation.override(settings.LANGUAGE_CODE):  # stored titles are Chinese, like the plan
        prefix = _("（二次整改）%(title)s")
    for task in unfinished:
        created.append(create_task(
            actor, task.finding, title=prefix % {"title": task.title}, category=task.category,
            deadline=second.due_on if task.category != Task.Category.LONG_TERM else None, leader=task.leader,
            leader_name=task.leader_name, lead_org=task.lead_org, co_orgs=list(task.co_orgs.all()),
            handler=task.handler, exempt=task.exempt, exempt_reason=task.exempt_reason,
        ))
    second.tasks.set(created)
    audit.record(actor, "inspection.second_round_plan", second, unit_id=second.inspection.target_id,
                 after={"tasks": [t.pk for t in created], "from": [t.pk for t in unfinished]})
    return created


def _tell_second_round(actor: User, second: SecondRound, evaluation: Evaluation, created: list[Task]) -> None:
    """Who acts next: each new task's department (经办人 and its staff), and the unit's rectification office."""
    inspection = second.inspection
    for task in created:
        tell_next(Step("task.second_round", task, actor, "", f"second:{second.pk}"))
    office = list(Membership.objects.filter(organization_id=inspection.target_id, role=Role.RECTIFICATION_OFFICE)
                  .values_list("user_id", flat=True))
    with translation.override(settings.LANGUAGE_CODE):  # a stored notification is Chinese
        title = f"【二次整改】整改评估为{evaluation.get_grade_display()}，已进入二次整改"
        due = f"{second.due_on:%Y-%m-%d}" if second.due_on else "—"
        body = (f"{inspection.title}：已生成 {len(created)} 项二次整改任务，完成时限 {due}。" if created
                else f"{inspection.title}：无未完成的整改任务，请针对评估指出的问题补充二次整改任务，完成时限 {due}。")
    notify([Warning(kind=Notification.Kind.REVIEW, key=f"second_round:{second.pk}", title=title, body=body,
                    recipients=[pk for pk in office if pk != actor.pk], unit_id=inspection.target_id,
                    inspection_id=inspection.pk, due_on=second.due_on)])
