"""Inspections: the list a user can see, and registering a new one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from rectify.errors import Forbidden, NotVisible, RectifyError
from rectify.inspections import services
from rectify.inspections.models import Inspection
from rectify.inspections.selectors import inspection_stats, inspections_visible_to, registrable_units


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(inspections_visible_to(request.user).order_by("-feedback_date", "-pk"), 50).get_page(  # type: ignore[arg-type]
        request.GET.get("page"))
    ids = [i.pk for i in page.object_list]
    order = {pk: n for n, pk in enumerate(ids)}
    rows = sorted(inspection_stats(Inspection.objects.filter(pk__in=ids).select_related("target")),
                  key=lambda row: order[row["id"]])
    for row in rows:
        total = row["tasks"]["total"]
        row["rate"] = round(100 * row["tasks"]["closed"] / total, 1) if total else 0
    return render(request, "inspections/list.html", {
        "rows": rows, "page": page, "can_create": bool(registrable_units(request.user)),
    })


# The form shows these fields' errors under the field itself.
INLINE_FIELDS = frozenset({"target", "title", "inspector", "term", "round", "group", "onsite_start", "onsite_end",
                           "feedback_date"})


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    units = registrable_units(request.user)
    if not units:
        return HttpResponse(_("您无权登记巡视巡察"), status=403)
    values = request.POST if request.method == "POST" else {}
    error = field = None
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("target")), None)
        dates = {}
        for name, label in (("onsite_start", _("进驻开始")), ("onsite_end", _("进驻结束")),
                            ("feedback_date", _("反馈日期"))):
            raw = request.POST.get(name, "").strip()
            try:
                dates[name] = parse_date(raw) if raw else None
            except ValueError:  # well formed but no such day, e.g. 2025-13-01
                dates[name] = None
            if raw and dates[name] is None:
                error, field = _("「%(label)s」无法识别：%(value)s") % {"label": label, "value": raw}, name
        round_raw = request.POST.get("round", "").strip()
        try:
            round_number = int(round_raw) if round_raw else None
        except ValueError:
            error, field = _("「轮次」应为整数：%(value)s") % {"value": round_raw}, "round"
        if unit is None:
            error, field = _("请选择被巡视巡察单位"), "target"
        if error is None:
            try:
                inspection = services.create_inspection(
                    request.user, target=unit, title=request.POST.get("title", ""),  # type: ignore[arg-type]
                    kind=request.POST.get("kind") or Inspection.Kind.XUNSHI,
                    type=request.POST.get("type") or Inspection.Type.REGULAR,
                    inspector=request.POST.get("inspector", "").strip(), term=request.POST.get("term", "").strip(),
                    round=round_number, group=request.POST.get("group", "").strip(),
                    **dates,
                )
            except (Forbidden, NotVisible):
                return HttpResponse(_("您无权登记巡视巡察"), status=403)
            except RectifyError as exc:
                error, field = exc.message, exc.field
            else:
                messages.success(request, _("巡视巡察已登记，请录入反馈问题"))
                return redirect("ledger:findings", pk=inspection.pk)
    return render(request, "inspections/create.html", {
        "units": units, "values": values, "error": error, "field": field, "inline_error": field in INLINE_FIELDS,
        "kinds": Inspection.Kind.choices, "types": Inspection.Type.choices,
    })
