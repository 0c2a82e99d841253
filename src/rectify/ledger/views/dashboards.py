"""Dashboards: one unit's rectification at a glance, and all units for the inspection office."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from rectify import clock
from rectify.inspections.models import Finding
from rectify.ledger import lights
from rectify.ledger.models import Task
from rectify.ledger.report_status import published_reports
from rectify.ledger.selectors import (
    inspection_stats,
    inspections_visible_to,
    tasks_visible_to,
    unit_tallies,
    weekly_tallies,
)
from rectify.ledger.services import tallies
from rectify.organizations.models import Organization
from rectify.organizations.scoping import UNIT_ROLES, grants, roles_over_unit
from rectify.rules.lights import days_overdue
from rectify.rules.permissions import Action, has_role

logger = logging.getLogger(__name__)

STATUS_COLORS = {
    "not_started": "grey", "in_progress": "blue", "submitted": "purple", "reviewed": "violet",
    "returned": "orange", "closed": "green", "reopened": "maroon", "phased_result": "teal",
    "recheck": "pink",
}


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@login_required
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's dashboard (整改工作看板): completion, overdue, by aspect and by department."""
    unit = Organization.objects.filter(pk=pk, kind=Organization.Kind.UNIT).first()
    if unit is None or not roles_over_unit(request.user, unit) & UNIT_ROLES:  # type: ignore[arg-type]
        raise Http404
    today = clock.today()
    tasks = tasks_visible_to(request.user).filter(unit=unit)  # type: ignore[arg-type]
    by_status = dict(tasks.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    total = sum(by_status.values())
    closed = by_status.get(Task.Status.CLOSED, 0)
    # The traffic lights beside each other (红灯（逾期）, 黄灯（预警）), and how many of the red are overdue.
    light_counts = {
        "red": Count("id", filter=lights.red_q(today)),
        "yellow": Count("id", filter=lights.yellow_q(today)),
    }
    counts = tasks.aggregate(overdue=Count("id", filter=lights.overdue_q(today)), **light_counts)

    # By aspect: count per finding and status, then roll findings up to their top-level aspect.
    findings = {f.pk: f for f in Finding.objects.filter(inspection__target=unit).only("pk", "parent_id", "title", "label")}

    def root(fid: int) -> Finding:
        node = findings[fid]
        while node.parent_id and node.parent_id in findings:
            node = findings[node.parent_id]
        return node

    aspect_counts: dict[int, dict[str, int]] = defaultdict(lambda: {"closed": 0, "open": 0, "red": 0, "yellow": 0})
    rows = tasks.values("finding_id").annotate(
        closed=Count("id", filter=Q(status=Task.Status.CLOSED)), total=Count("id"), **light_counts,
    )
    for row in rows:
        aspect = aspect_counts[root(row["finding_id"]).pk]
        for key in ("closed", "red", "yellow"):
            aspect[key] += row[key]
        aspect["open"] += row["total"] - row["closed"] - row["red"] - row["yellow"]
    aspects = sorted(aspect_counts.items())
    dept_rows = list(tasks.values("lead_org__name").annotate(
        closed=Count("id", filter=Q(status=Task.Status.CLOSED)), total=Count("id"), **light_counts,
    ).order_by("-red", "-yellow", "-total"))
    red_name, yellow_name = Task.Light.RED.label, Task.Light.YELLOW.label
    labels = dict(Task.Status.choices)
    charts = {
        "status": {"items": [{"name": labels[s], "value": by_status.get(s, 0), "color": STATUS_COLORS[s]}
                             for s in Task.Status.values if by_status.get(s)]},
        "aspects": {
            "labels": [f"{findings[a].label}{findings[a].title}"[:40] for a, _c in aspects],
            "series": [{"name": _("已销号"), "values": [c["closed"] for _a, c in aspects], "color": "green"},
                       {"name": _("推进中"), "values": [c["open"] for _a, c in aspects], "color": "blue"},
                       {"name": str(yellow_name), "values": [c["yellow"] for _a, c in aspects], "color": "yellow"},
                       {"name": str(red_name), "values": [c["red"] for _a, c in aspects], "color": "red"}],
        },
        "departments": {
            "labels": [r["lead_org__name"] or _("未分派") for r in dept_rows],
            "series": [{"name": _("已销号"), "values": [r["closed"] for r in dept_rows], "color": "green"},
                       {"name": _("推进中"), "values": [r["total"] - r["closed"] - r["red"] - r["yellow"]
                                                      for r in dept_rows], "color": "blue"},
                       {"name": str(yellow_name), "values": [r["yellow"] for r in dept_rows], "color": "yellow"},
                       {"name": str(red_name), "values": [r["red"] for r in dept_rows], "color": "red"}],
        },
    }
    inspections = inspection_stats(inspections_visible_to(request.user).filter(target=unit))  # type: ignore[arg-type]
    published = published_reports(row["id"] for row in inspections)
    for row in inspections:
        # 整改情况报告 past its due date and not published: "已逾期N天未报送".
        due = dt.date.fromisoformat(row["report_due"]) if row["report_due"] else None
        row["report_overdue_days"] = days_overdue(due, done=row["id"] in published, today=today)
    return render(request, "ledger/unit_dashboard.html", {
        "unit": unit, "total": total, "closed": closed, "rate": _rate(closed, total), **counts,
        "red_label": red_name, "yellow_label": yellow_name,
        "submitted": by_status.get(Task.Status.SUBMITTED, 0), "reviewed": by_status.get(Task.Status.REVIEWED, 0),
        "returned": by_status.get(Task.Status.RETURNED, 0), "recheck": by_status.get(Task.Status.RECHECK, 0),
        "charts": charts,
        "inspections": inspections, "today": today,
    })


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """All units at a glance (各单位整改总览): completion and overdue rates per unit, trend over 12 weeks."""
    held = {g.role for g in grants(request.user)}  # type: ignore[arg-type]
    if not has_role(Action.VIEW_OVERVIEW, held):
        raise Http404
    today = clock.today()
    try:
        with transaction.atomic():
            tallies.refresh_stale(today=today)  # "overdue" as of today; `rectify remind` does it each morning
    except DatabaseError:
        logger.warning("overview: unit tallies judged before %s could not be recounted (read-only database?)", today)
    per_unit = unit_tallies(request.user)  # type: ignore[arg-type]
    levels = {code: str(label) for code, label in Organization.Level.choices}
    # One reverse() for 300 rows: the unit's id goes where the placeholder's is.
    url = reverse("ledger:unit_dashboard", args=[987654321]).replace("987654321", "{}")
    for row in per_unit:
        row["rate"] = _rate(row["closed"], row["total"])
        row["rate_width"] = int(row["rate"] + 0.5)  # as floatformat:0 rounds
        row["overdue_rate"] = _rate(row["overdue"], row["total"])
        row["url"] = url.format(row["unit_id"])
        row["level_label"] = levels.get(row["unit__level"], "")
        row["level_rank"] = RANKS.get(row["unit__level"], len(RANKS))  # 中央级 first, a unit without one last
    regions = sorted({(r["unit__parent_id"], r["unit__parent__name"]) for r in per_unit if r["unit__parent_id"]},
                     key=lambda x: x[1])
    per_unit = _filter_units(per_unit, request.GET)
    sort, descending = _sort_units(per_unit, request.GET)
    if request.GET.get("format") == "xlsx":
        return _overview_xlsx(per_unit)
    total = sum(r["total"] for r in per_unit)
    closed = sum(r["closed"] for r in per_unit)
    overdue = sum(r["overdue"] for r in per_unit)
    red, yellow = sum(r["red"] for r in per_unit), sum(r["yellow"] for r in per_unit)
    charts = {"trend": _trend(weekly_tallies(request.user), today), "units": {
        "labels": [r["unit__name"] for r in per_unit],
        "series": [{"name": _("完成率"), "values": [r["rate"] for r in per_unit], "color": "green"},
                   {"name": _("逾期率"), "values": [r["overdue_rate"] for r in per_unit], "color": "red"}],
        "links": [r["url"] for r in per_unit],
    }}
    sort_links = {c: _with(request.GET, sort=c, dir="asc" if sort == c and descending else "desc") for c in SORTS}
    return render(request, "ledger/overview.html", {
        "units": per_unit, "total": total, "closed": closed, "overdue": overdue, "rate": _rate(closed, total),
        "red": red, "yellow": yellow, "red_label": Task.Light.RED.label, "yellow_label": Task.Light.YELLOW.label,
        "overdue_rate": _rate(overdue, total), "charts": charts, "regions": regions, "params": request.GET,
        "sort": sort, "descending": descending, "lights": Task.Light.choices, "levels": Organization.Level.choices,
        "export_query": _with(request.GET, format="xlsx"),
        "sort_links": sort_links,
        # The same orders for a phone, where the table's header row is not shown.
        "sort_choices": [(label, sort_links[c], sort == c) for c, label in _sort_labels().items()],
    })


def _sort_labels() -> dict[str, str]:
    return {"name": _("单位"), "level": _("层级"), "total": _("任务"), "closed": _("已销号"), "rate": _("完成率"),
            "overdue": _("逾期"), "overdue_rate": _("逾期率"), "red": str(Task.Light.RED.label),
            "yellow": str(Task.Light.YELLOW.label), "waiting": _("待审核审批")}


RANKS = {code: n for n, code in enumerate(Organization.Level.values)}
SORTS = {"name": "unit__name", "level": "level_rank", "total": "total", "closed": "closed", "rate": "rate", "overdue": "overdue",
         "overdue_rate": "overdue_rate", "red": "red", "yellow": "yellow", "waiting": "waiting"}


def _with(params: Any, **changes: str) -> str:
    query = params.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _filter_units(rows: list[dict[str, Any]], params: Any) -> list[dict[str, Any]]:
    """The overview's filters: region (所属巡视巡察机构), level (层级), light (any red / any yellow / all green),
    name."""
    if params.get("region", "").isdigit():
        rows = [r for r in rows if r["unit__parent_id"] == int(params["region"])]
    if params.get("level") in Organization.Level.values:
        rows = [r for r in rows if r["unit__level"] == params["level"]]
    light = params.get("light")
    if light == Task.Light.RED:
        rows = [r for r in rows if r["red"]]
    elif light == Task.Light.YELLOW:
        rows = [r for r in rows if r["yellow"]]
    elif light == Task.Light.GREEN:
        rows = [r for r in rows if not r["red"] and not r["yellow"]]
    if q := params.get("q", "").strip():
        rows = [r for r in rows if q in r["unit__name"]]
    return rows


def _sort_units(rows: list[dict[str, Any]], params: Any) -> tuple[str, bool]:
    """Sort by the chosen column (default: overdue rate, highest first); ties by name."""
    sort = params.get("sort") if params.get("sort") in SORTS else "overdue_rate"
    descending = params.get("dir", "desc") != "asc"
    rows.sort(key=lambda r: r["unit__name"])
    rows.sort(key=lambda r: r[SORTS[sort]], reverse=descending)
    return sort, descending


def _overview_xlsx(rows: list[dict[str, Any]]) -> HttpResponse:
    """The filtered, sorted overview as a workbook (导出 Excel)."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("各单位整改总览")
    sheet.append([_("单位"), _("所属机构"), _("任务"), _("已销号"), _("完成率（%）"), _("逾期"), _("逾期率（%）"),
                  str(Task.Light.RED.label), str(Task.Light.YELLOW.label), _("待审核审批"), _("层级")])
    for r in rows:
        sheet.append([r["unit__name"], r["unit__parent__name"] or "", r["total"], r["closed"], r["rate"], r["overdue"],
                      r["overdue_rate"], r["red"], r["yellow"], r["waiting"], r["level_label"]])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''overview.xlsx"
    return response


def _trend(weekly: dict[dt.date, tuple[int, int]], today: dt.date, weeks: int = 12) -> dict[str, Any]:
    """Completion rate at the end of each of the last `weeks` weeks, from tasks created and closed per week."""
    start = today - dt.timedelta(days=7 * weeks)
    created = {week: made for week, (made, _done) in weekly.items()}
    closed = {week: done for week, (_made, done) in weekly.items()}
    labels, values = [], []
    for i in range(weeks + 1):
        end = start + dt.timedelta(days=7 * i)
        made = sum(n for w, n in created.items() if w and _day(w) <= end)
        done = sum(n for w, n in closed.items() if w and _day(w) <= end)
        labels.append(_("%(month)d月%(day)d日") % {"month": end.month, "day": end.day})
        values.append(_rate(done, made))
    return {"labels": labels, "series": [{"name": _("完成率（%）"), "values": values, "color": "green"}], "max": 100}


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def chart_json(charts: dict[str, Any]) -> str:
    return json.dumps(charts, ensure_ascii=False)
