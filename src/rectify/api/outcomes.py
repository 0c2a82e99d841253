"""Quantified outcomes (整改成效): 问责 N 人, 追缴资金 N 万元, 压减经费 N%."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from rectify.api.auth import actor
from rectify.api.inspections import visible_inspection
from rectify.api.leads import RecordQuery
from rectify.api.records import records_visible_to
from rectify.api.schemas import Day, Id, OrgRef, Page, PageQuery, errors, paginate, short_text
from rectify.errors import ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import Outcome, Task

router = Router(tags=["整改成效"])


class OutcomeOut(Schema):
    id: int
    inspection_id: int
    unit: OrgRef
    task_id: int | None
    kind: str
    kind_label: str
    what: str
    value: Decimal
    value_unit: str
    recorded_on: dt.date
    exempt: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: Outcome) -> str:
        return str(obj.get_kind_display())


class OutcomeIn(Schema):
    inspection: Id
    kind: Outcome.Kind
    what: short_text(200)  # type: ignore[valid-type]
    # Bounded like the column (14 digits, 2 decimals), so no value can overflow it.
    value: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    value_unit: short_text(16)  # type: ignore[valid-type]
    task: Id | None = None
    recorded_on: Day | None = None
    exempt: bool = False


@router.get("/outcomes", response={200: Page[OutcomeOut], **errors()}, summary="整改成效列表")
def list_outcomes(request: HttpRequest, filters: Query[RecordQuery], paging: Query[PageQuery]) -> dict[str, Any]:
    return paginate(records_visible_to(actor(request), Outcome, filters.inspection), paging)


@router.post("/outcomes", response={201: OutcomeOut, **errors(403, 404)}, summary="记录整改成效")
def record_outcome(request: HttpRequest, payload: OutcomeIn) -> Status[Outcome]:
    inspection = visible_inspection(request, payload.inspection)
    task = None
    if payload.task is not None:
        task = Task.objects.filter(pk=payload.task, inspection=inspection).first()
        if task is None:
            raise ValidationFailed(_("「整改任务」不属于本次巡视巡察"), field="task")
    outcome = ledger.record_outcome(
        actor(request), inspection, kind=payload.kind, what=payload.what, value=payload.value,
        value_unit=payload.value_unit, task=task, recorded_on=payload.recorded_on, exempt=payload.exempt,
    )
    return Status(201, outcome)
