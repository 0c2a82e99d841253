"""Statistics per visible inspection (每周统计): tasks by status, overdue, leads, rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from rectify.api.auth import actor
from rectify.api.schemas import Id, Page, PageQuery, errors, paginate
from rectify.ledger.selectors import inspection_stats, inspections_visible_to

router = Router(tags=["统计"])


class InspectionStatsOut(Schema):
    id: int
    title: str
    unit: str
    tasks: dict[str, int] = Field(description="total、各状态数量与 overdue（逾期）")
    leads: dict[str, int] = Field(description="open（未办结）与 concluded（已办结）")
    rules: dict[str, int] = Field(description="total、created、revised、abolished")
    report_due: dt.date | None


class StatsQuery(Schema):
    inspection: Id | None = None


@router.get("/stats", response={200: Page[InspectionStatsOut], **errors()}, summary="整改统计")
def stats(request: HttpRequest, filters: Query[StatsQuery], paging: Query[PageQuery]) -> dict[str, Any]:
    visible = inspections_visible_to(actor(request))
    if filters.inspection:
        visible = visible.filter(pk=filters.inspection)
    # Page over the inspections first, so the statistics cover one page, not the whole province.
    page = paginate(visible.order_by("pk"), paging)
    page["items"] = inspection_stats(visible.filter(pk__in=[i.pk for i in page["items"]]))
    return page
