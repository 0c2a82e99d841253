"""Rules made, revised or abolished (建章立制 / 制度立改废)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from rectify.api.auth import actor
from rectify.api.inspections import visible_inspection
from rectify.api.leads import RecordQuery
from rectify.api.records import records_visible_to
from rectify.api.schemas import Day, Id, OrgRef, Page, PageQuery, Text, errors, paginate, short_text
from rectify.errors import ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import RuleChange, Task

router = Router(tags=["建章立制"])


class RuleChangeOut(Schema):
    id: int
    inspection_id: int
    unit: OrgRef
    task_id: int | None
    action: str
    action_label: str
    title: str
    document_no: str
    issued_on: dt.date | None
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_action_label(obj: RuleChange) -> str:
        return str(obj.get_action_display())


class RuleChangeIn(Schema):
    inspection: Id
    title: short_text(255)  # type: ignore[valid-type]
    action: RuleChange.Action = RuleChange.Action.CREATE
    task: Id | None = None
    document_no: short_text(64) = ""  # type: ignore[valid-type]
    issued_on: Day | None = None
    text: Text = ""


@router.get("/rules", response={200: Page[RuleChangeOut], **errors()}, summary="建章立制列表")
def list_rules(request: HttpRequest, filters: Query[RecordQuery], paging: Query[PageQuery]) -> dict[str, Any]:
    return paginate(records_visible_to(actor(request), RuleChange, filters.inspection), paging)


@router.post("/rules", response={201: RuleChangeOut, **errors(403, 404)}, summary="登记制度立改废")
def create_rule_change(request: HttpRequest, payload: RuleChangeIn) -> Status[RuleChange]:
    inspection = visible_inspection(request, payload.inspection)
    task = None
    if payload.task is not None:
        task = Task.objects.filter(pk=payload.task).first()
        if task is None:
            raise ValidationFailed(_("「整改任务」不存在"), field="task")
    rule = ledger.create_rule_change(
        actor(request), inspection, title=payload.title, action=payload.action, task=task,
        document_no=payload.document_no, issued_on=payload.issued_on, text=payload.text,
    )
    return Status(201, rule)
