"""Evaluation after the concentrated period (集中整改期满评估) and the second round (二次整改) it may start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.inspections.models import Inspection
from rectify.ledger.lights import overdue_q
from rectify.ledger.models import Task
from rectify.organizations.models import User
from rectify.organizations.scoping import require_unit
from rectify.rules.permissions import Action
from rectify.supervision.models import Evaluation, SecondRound
from rectify.supervision.rules.scoring import CompletionCounts, Deduction, ScoreSheet, evaluate


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


@transaction.atomic
def evaluate_inspection(
    actor: User, inspection: Inspection, *, deductions: Iterable[tuple[str, Decimal | int | str, str]] = (),
    satisfaction: Decimal | str | None = None, evaluated_on: dt.date | None = None,
) -> Evaluation:
    """Score a unit's rectification (好/较好/一般/差); 一般 or 差 starts a second round (二次整改)."""
    require_unit(actor, Action.EVALUATE, inspection.target, message=_("只有巡视巡察办可以开展整改评估"))
    evaluated_on = evaluated_on or clock.today()
    try:
        items = [Deduction(section, Decimal(str(points)), reason) for section, points, reason in deductions]
        sheet = evaluate(
            deductions=items, completion=completion_counts(inspection, evaluated_on),
            satisfaction=Decimal(str(satisfaction)) if satisfaction not in (None, "") else None,
        )
    except (ValueError, ArithmeticError) as exc:
        raise ValidationFailed(_("评分数据有误：%(error)s") % {"error": exc}, field="deductions") from exc
    evaluation = Evaluation.objects.create(
        inspection=inspection, evaluated_on=evaluated_on, sections=_sheet_json(sheet),
        deductions=[{"section": d.section, "points": str(d.points), "reason": d.reason} for d in items],
        notes=list(sheet.notes), total=sheet.total, grade=sheet.grade.value,
        needs_second_round=sheet.needs_second_round, evaluator=actor,
    )
    audit.record(actor, "evaluation.create", evaluation, unit_id=inspection.target_id)
    if sheet.needs_second_round and not SecondRound.objects.filter(inspection=inspection).exists():
        second = SecondRound.objects.create(inspection=inspection, evaluation=evaluation, started_on=evaluated_on)
        audit.record(actor, "inspection.second_round", second, unit_id=inspection.target_id)
    return evaluation
