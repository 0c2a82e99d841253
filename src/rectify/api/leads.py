"""Transferred leads (问题线索) and petitions (信访件): list, register, conclude (办结)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from rectify.api.auth import actor
from rectify.api.inspections import visible_inspection
from rectify.api.records import records_visible_to
from rectify.api.schemas import MAX_ID, Day, Id, OrgRef, Page, PageQuery, Text, errors, paginate, short_text
from rectify.errors import NotVisible, ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import Lead
from rectify.organizations.models import Organization

router = Router(tags=["问题线索"])


class LeadOut(Schema):
    id: int
    inspection_id: int
    unit: OrgRef
    kind: str
    reference: str
    summary: str
    received_on: dt.date
    reply_due: dt.date = Field(description="答复期限（移交后若干月）")
    overdue: bool
    handler_org: OrgRef | None
    status: str
    concluded_on: dt.date | None
    result: str
    exempt: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_overdue(obj: Lead) -> bool:
        return obj.is_overdue()


class LeadIn(Schema):
    inspection: Id
    summary: Text
    received_on: Day
    kind: Lead.Kind = Lead.Kind.CLUE
    reference: short_text(64) = ""  # type: ignore[valid-type]
    handler_org: Id | None = None


class ConcludeIn(Schema):
    result: Text
    concluded_on: Day | None = None


class RecordQuery(Schema):
    inspection: Id | None = None


@router.get("/leads", response={200: Page[LeadOut], **errors()}, summary="问题线索列表")
def list_leads(request: HttpRequest, filters: Query[RecordQuery], paging: Query[PageQuery]) -> dict[str, Any]:
    qs = records_visible_to(actor(request), Lead, filters.inspection).select_related("handler_org")
    return paginate(qs, paging)


@router.post("/leads", response={201: LeadOut, **errors(403, 404)}, summary="登记问题线索")
def create_lead(request: HttpRequest, payload: LeadIn) -> Status[Lead]:
    inspection = visible_inspection(request, payload.inspection)
    handler_org = None
    if payload.handler_org is not None:
        handler_org = Organization.objects.filter(pk=payload.handler_org).first()
        if handler_org is None:
            raise ValidationFailed(_("「承办单位」不存在"), field="handler_org")
    lead = ledger.create_lead(
        actor(request), inspection, summary=payload.summary, received_on=payload.received_on, kind=payload.kind,
        reference=payload.reference, handler_org=handler_org,
    )
    return Status(201, lead)


@router.post("/leads/{lead_id}/conclude", response={200: LeadOut, **errors(403, 404, 409)}, summary="线索办结")
def conclude_lead(request: HttpRequest, payload: ConcludeIn, lead_id: int = Path(..., ge=1, le=MAX_ID)) -> Lead:
    lead = records_visible_to(actor(request), Lead, None).select_related("handler_org").filter(pk=lead_id).first()
    if lead is None:
        raise NotVisible(_("未找到该记录"))
    return ledger.conclude_lead(actor(request), lead, result=payload.result, concluded_on=payload.concluded_on)
