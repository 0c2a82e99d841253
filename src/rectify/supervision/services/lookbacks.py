"""Sampling closed tasks for look-backs (回头看) and reverse checks (反向核查)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.inspections.models import Inspection
from rectify.ledger.models import LookBack, LookBackSample, Task
from rectify.ledger.services import schedule_look_back
from rectify.organizations.models import User
from rectify.organizations.scoping import require_unit
from rectify.rules.permissions import Action


@transaction.atomic
def sample_for_look_back(
    actor: User, inspection: Inspection, percent: Decimal | int | str, *, categories: Iterable[str] = (),
    seed: int | None = None, scheduled_on: dt.date | None = None, method: str = LookBack.Method.LOOK_BACK,
) -> list[LookBack]:
    """Schedule look-backs for closed tasks: every closed task of the chosen categories, plus `percent`
    of the others drawn at random (reproducible with `seed`); tasks with a pending check are skipped."""
    require_unit(actor, Action.LOOK_BACK, inspection.target, message=_("您无权开展回头看"))
    try:
        share = Decimal(str(percent))
    except ArithmeticError as exc:
        raise ValidationFailed(_("「抽查比例」无法识别：%(value)s") % {"value": percent}, field="percent") from exc
    if not share.is_finite() or not 0 <= share <= 100:
        raise ValidationFailed(_("「抽查比例」应在 0 到 100 之间"), field="percent")
    chosen = set(categories)
    unknown = chosen - set(Task.Category.values)
    if unknown:
        raise ValidationFailed(_("「整改类型」无法识别：%(value)s") % {"value": "、".join(sorted(unknown))},
                               field="categories")
    if method not in LookBack.Method.values:
        raise ValidationFailed(_("「方式」无法识别：%(value)s") % {"value": method}, field="method")
    pending = LookBack.objects.filter(result=LookBack.Result.PENDING).values("task_id")
    closed = list(
        Task.objects.filter(inspection=inspection, status=Task.Status.CLOSED).exclude(pk__in=pending)
        .select_related("unit", "lead_org").order_by("pk")
    )
    forced = [t for t in closed if t.category in chosen]
    rest = [t for t in closed if t.category not in chosen]
    count = min(len(rest), math.ceil(len(rest) * share / 100))
    drawn = random.Random(seed).sample(rest, count)
    picked = sorted(forced + drawn, key=lambda t: t.pk)
    if not picked:
        raise ValidationFailed(_("没有可抽查的已销号任务（已在核查中的任务不重复抽取）"), field="percent")
    scheduled_on = scheduled_on or clock.today()
    sample = LookBackSample.objects.create(
        inspection=inspection, method=method, percent=share, categories=sorted(chosen), seed=seed,
        scheduled_on=scheduled_on, created_by=actor,
    )
    look_backs = [schedule_look_back(actor, task, scheduled_on=scheduled_on, method=method, sample=sample)
                  for task in picked]
    audit.record(
        actor, "lookback.sample", inspection, unit_id=inspection.target_id,
        after={"sample": sample.pk, "percent": str(share), "categories": sorted(chosen), "seed": seed,
               "method": method, "tasks": [t.pk for t in picked]},
    )
    return look_backs
