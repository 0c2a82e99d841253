"""Inspections: the list a user can see, registering a new one and correcting its header."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rectify.errors import Forbidden, NotVisible, RectifyError
from rectify.inspections import services
from rectify.inspections.models import Inspection
from rectify.inspections.selectors import inspection_stats, inspections_visible_to, registrable_units
from rectify.organizations.scoping import Action, can_unit
from rectify.refusals import htmx_refusal


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
INLINE_FIELDS = frozenset({"target", "title", "kind", "type", "inspector", "term", "round", "group", "onsite_start",
                           "onsite_end", "feedback_date", "reason"})
DATE_FIELDS = (("onsite_start", gettext_lazy("进驻开始")), ("onsite_end", gettext_lazy("进驻结束")),
               ("feedback_date", gettext_lazy("反馈日期")))


def _posted_header(post: Any) -> tuple[dict[str, Any], str | None, str | None]:
    """The header fields a registration or edit form sent, read into values; the first unreadable one is
    refused with its value and field, as the service would name it."""
    error = field = None
    header: dict[str, Any] = {"title": post.get("title", "")}
    for name, choices in (("kind", Inspection.Kind), ("type", Inspection.Type)):
        raw = post.get(name, "").strip()
        header[name] = raw or choices.values[0]
        if header[name] not in choices.values:
            label = Inspection._meta.get_field(name).verbose_name
            error, field = _("「%(label)s」无法识别：%(value)s") % {"label": label, "value": raw}, name
    for name in ("inspector", "term", "group"):
        header[name] = post.get(name, "").strip()
    round_raw = post.get("round", "").strip()
    try:
        header["round"] = int(round_raw) if round_raw else None
    except ValueError:
        error, field = _("「轮次」应为整数：%(value)s") % {"value": round_raw}, "round"
    for name, label in DATE_FIELDS:
        raw = post.get(name, "").strip()
        try:
            header[name] = parse_date(raw) if raw else None
        except ValueError:  # well formed but no such day, e.g. 2025-13-01
            header[name] = None
        if raw and header[name] is None:
            error, field = _("「%(label)s」无法识别：%(value)s") % {"label": label, "value": raw}, name
    return header, error, field


def _form_context(values: Any, error: str | None, field: str | None) -> dict[str, Any]:
    return {"values": values, "error": error, "field": field, "inline_error": field in INLINE_FIELDS,
            "kinds": Inspection.Kind.choices, "types": Inspection.Type.choices}


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    units = registrable_units(request.user)
    if not units:
        return HttpResponse(_("您无权登记巡视巡察"), status=403)
    values = request.POST if request.method == "POST" else {}
    error = field = None
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("target")), None)
        header, error, field = _posted_header(request.POST)
        if unit is None:
            error, field = _("请选择被巡视巡察单位"), "target"
        if error is None:
            try:
                inspection = services.create_inspection(request.user, target=unit, **header)  # type: ignore[arg-type]
            except (Forbidden, NotVisible):
                return HttpResponse(_("您无权登记巡视巡察"), status=403)
            except RectifyError as exc:
                error, field = exc.message, exc.field
            else:
                messages.success(request, _("巡视巡察已登记，请录入反馈问题"))
                return redirect("ledger:findings", pk=inspection.pk)
    return render(request, "inspections/create.html", {"units": units, **_form_context(values, error, field)})


@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改巡视巡察基本信息: the office corrects the header; once the plan is submitted, with the reason."""
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    if not can_unit(request.user, Action.EDIT_PLAN, inspection.target):  # type: ignore[arg-type]
        return HttpResponseForbidden(_("只有整改办可以编辑整改方案"))
    values: Any = request.POST if request.method == "POST" else header_values(inspection)
    error = field = None
    if request.method == "POST":
        header, error, field = _posted_header(request.POST)
        if error is None:
            try:
                services.update_inspection(request.user, inspection, reason=request.POST.get("reason", ""),  # type: ignore[arg-type]
                                           **header)
            except Forbidden as exc:
                return HttpResponseForbidden(exc.message)
            except RectifyError as exc:
                error, field = exc.message, exc.field
            else:
                messages.success(request, _("巡视巡察基本信息已修改"))
                return redirect("ledger:ledger", pk=inspection.pk)
    return _edit_page(request, inspection, values, error, field)


def _edit_page(request: HttpRequest, inspection: Inspection, values: Any, error: str | None, field: str | None,
               *, status: int = 200) -> HttpResponse:
    return render(request, "inspections/edit.html", {
        "inspection": inspection, "needs_reason": services.plan_submitted(inspection),
        "may_delete": can_unit(request.user, Action.REGISTER_INSPECTION, inspection.target),  # type: ignore[arg-type]
        **_form_context(values, error, field)}, status=status)


@login_required
@require_POST
def inspection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """删除误录的巡视巡察: only one with nothing recorded against it; the audit chain keeps what it said."""
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    try:
        services.delete_inspection(request.user, inspection, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
    except Forbidden as exc:
        return HttpResponseForbidden(exc.message)
    except RectifyError as exc:
        if (refused := htmx_refusal(request, exc)) is not None:
            return refused  # the boosted form shows why, in place
        field = "delete_reason" if exc.field == "reason" else "inspection"
        return _edit_page(request, inspection, header_values(inspection), exc.message, field, status=422)
    messages.success(request, _("已删除「%(title)s」，删除前的内容保存在审计记录中") % {"title": inspection.title})
    return redirect("inspections:list")


def header_values(inspection: Inspection) -> dict[str, str]:
    """The header as the form shows it: dates as YYYY-MM-DD, an empty round as nothing."""
    values = {name: getattr(inspection, name) for name in ("title", "kind", "type", "inspector", "term", "group")}
    values["round"] = "" if inspection.round is None else str(inspection.round)
    for name, _label in DATE_FIELDS:
        day = getattr(inspection, name)
        values[name] = day.isoformat() if day else ""
    return values
