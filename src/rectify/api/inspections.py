"""Inspections (巡视巡察): the visible list, one inspection, registering a new one."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from rectify.api.auth import actor
from rectify.api.schemas import MAX_ID, Day, Id, OrgRef, Page, PageQuery, Title, errors, paginate, short_text
from rectify.errors import NotVisible
from rectify.inspections import services as inspections
from rectify.inspections.models import Inspection
from rectify.ledger.selectors import inspections_visible_to
from rectify.organizations.models import Organization

router = Router(tags=["巡视巡察"])


class InspectionOut(Schema):
    id: int
    title: str
    kind: str
    inspector: str
    term: str
    round: int | None
    group: str
    type: str
    target: OrgRef
    onsite_start: dt.date | None
    onsite_end: dt.date | None
    feedback_date: dt.date | None
    published: dt.date | None
    report_due: dt.date | None = Field(description="整改情况报告截止日期（反馈后若干月）")
    version: int
    created_at: dt.datetime


class InspectionIn(Schema):
    target: Id = Field(description="被巡视巡察单位的编号")
    title: Title
    kind: Inspection.Kind = Inspection.Kind.XUNSHI
    inspector: short_text(32) = ""  # type: ignore[valid-type]
    term: short_text(16) = ""  # type: ignore[valid-type]
    round: int | None = Field(None, ge=1, le=32767)
    group: short_text(64) = ""  # type: ignore[valid-type]
    type: Inspection.Type = Inspection.Type.REGULAR
    onsite_start: Day | None = None
    onsite_end: Day | None = None
    feedback_date: Day | None = None
    published: Day | None = None


class InspectionQuery(Schema):
    target: Id | None = Field(None, description="只看某个被巡视巡察单位")


def visible_inspection(request: HttpRequest, inspection_id: int) -> Inspection:
    """An inspection the caller may see, or NotVisible (404)."""
    inspection = inspections_visible_to(actor(request)).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotVisible(_("未找到该记录"))
    return inspection


@router.get("/inspections", response={200: Page[InspectionOut], **errors()}, summary="巡视巡察列表")
def list_inspections(request: HttpRequest, filters: Query[InspectionQuery], paging: Query[PageQuery]) -> dict:
    qs = inspections_visible_to(actor(request))
    if filters.target:
        qs = qs.filter(target_id=filters.target)
    return paginate(qs, paging)


@router.get("/inspections/{inspection_id}", response={200: InspectionOut, **errors(404)}, summary="巡视巡察详情")
def get_inspection(request: HttpRequest, inspection_id: int = Path(..., ge=1, le=MAX_ID)) -> Inspection:
    return visible_inspection(request, inspection_id)


@router.post("/inspections", response={201: InspectionOut, **errors(403, 404)}, summary="登记巡视巡察")
def create_inspection(request: HttpRequest, payload: InspectionIn) -> Status[Inspection]:
    target = Organization.objects.filter(pk=payload.target).first()
    if target is None:
        raise NotVisible(_("未找到该记录"))
    fields = payload.model_dump(exclude={"target", "title"})
    return Status(201, inspections.create_inspection(actor(request), target=target, title=payload.title, **fields))
