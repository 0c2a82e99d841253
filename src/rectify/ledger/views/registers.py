"""The registers beside the ledger (登记簿): rules made (建章立制), leads (问题线索/信访件), outcomes (整改成效)
and hand-over (整改责任交接). Lists filter in the URL; the office creates and edits through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import clock
from rectify.errors import NotVisible, RectifyError
from rectify.inspections.models import Inspection
from rectify.ledger import services
from rectify.ledger.forms import ConcludeLeadForm, HandoverForm, LeadForm, OutcomeForm, RuleChangeForm
from rectify.ledger.models import Handover, Lead, Outcome, RuleChange, Task
from rectify.ledger.selectors import inspections_visible_to, lead_overdue_q, records_visible_to
from rectify.ledger.views.common import get_inspection, paginate, query_without_page
from rectify.organizations.models import Organization, Role, User
from rectify.organizations.scoping import Action, can_unit, grants, require_unit, visible_organizations

PER_PAGE = 50


def _require_manage(request: HttpRequest, unit: Organization, action: Action = Action.MANAGE_RECORDS) -> None:
    """In scope without the role: Forbidden, which Django answers with 403."""
    try:
        require_unit(request.user, action, unit)  # type: ignore[arg-type]
    except NotVisible as exc:
        raise Http404 from exc


def _save(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any], success: str) -> bool:
    """Run the service with the cleaned data; a refused value becomes the named field's error."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except NotVisible as exc:
        raise Http404 from exc
    except RectifyError as exc:
        if exc.code == "forbidden":
            raise
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    messages.success(request, success)
    return True


def _get_record(request: HttpRequest, model: type[Any], pk: int) -> Any:
    record = records_visible_to(request.user, model, None).filter(pk=pk).first()  # type: ignore[arg-type]
    if record is None:
        raise Http404
    return record


def _tasks(inspection: Inspection) -> QuerySet[Task]:
    return Task.objects.filter(inspection=inspection).only("pk", "number", "title").order_by("position", "pk")


def _departments(unit: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__startswith=unit.path, kind=Organization.Kind.DEPARTMENT).order_by("pk")


def _list_context(request: HttpRequest, inspection: Inspection | None, items: Any, tab: str) -> dict[str, Any]:
    page = paginate(request, items, per_page=PER_PAGE)
    can_manage = inspection is not None and can_unit(request.user, Action.MANAGE_RECORDS, inspection.target)  # type: ignore[arg-type]
    return {"inspection": inspection, "page": page, "query": query_without_page(request), "tab": tab,
            "params": request.GET, "can_manage": can_manage,
            "inspections": None if inspection else inspections_visible_to(request.user).only("pk", "title", "target")}  # type: ignore[arg-type]


def _scope(request: HttpRequest, model: type[Any], pk: int | None) -> tuple[Inspection | None, Any]:
    inspection = get_inspection(request, pk) if pk else None
    wanted = inspection.pk if inspection else (int(request.GET["inspection"]) if request.GET.get("inspection", "").isdigit() else None)
    return inspection, records_visible_to(request.user, model, wanted)  # type: ignore[arg-type]


# 建章立制 ------------------------------------------------------------------------------------------

@login_required
def rules(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """建章立制: the rules made, revised or abolished, filtered by category and keyword."""
    inspection, qs = _scope(request, RuleChange, pk)
    if request.GET.get("action") in RuleChange.Action.values:
        qs = qs.filter(action=request.GET["action"])
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(document_no__icontains=q))
    context = _list_context(request, inspection, qs.select_related("task").order_by("-issued_on", "-pk"), "rules")
    return render(request, "ledger/registers/rules.html", {**context, "actions": RuleChange.Action.choices})


@login_required
def rule_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    _require_manage(request, inspection.target)
    form = RuleChangeForm(request.POST or None, tasks=_tasks(inspection))
    if _save(request, form, lambda d: services.create_rule_change(request.user, inspection, **d), _("制度已登记")):  # type: ignore[arg-type]
        return redirect("ledger:rules", pk=inspection.pk)
    return _form_page(request, form, inspection, _("登记制度立改废"), "rules")


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _get_record(request, RuleChange, pk)
    _require_manage(request, rule.unit)
    initial = {f: getattr(rule, f) for f in ("title", "action", "document_no", "issued_on", "task", "text")}
    form = RuleChangeForm(request.POST or None, initial=initial, tasks=_tasks(rule.inspection))
    if _save(request, form, lambda d: services.update_rule_change(request.user, rule, **d), _("制度记录已修改")):  # type: ignore[arg-type]
        return redirect("ledger:rules", pk=rule.inspection_id)
    return _form_page(request, form, rule.inspection, _("修改制度记录"), "rules")


# 问题线索 / 信访件 ------------------------------------------------------------------------------------

@login_required
def leads(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """问题线索: transferred leads and petitions with their 3-month reply clock; a department sees its own."""
    inspection, qs = _scope(request, Lead, pk)
    params = request.GET
    today = clock.today()
    if params.get("kind") in Lead.Kind.values:
        qs = qs.filter(kind=params["kind"])
    if params.get("status") in Lead.Status.values:
        qs = qs.filter(status=params["status"])
    if params.get("overdue"):
        qs = qs.filter(lead_overdue_q(today))
    if params.get("handler_org", "").isdigit():
        qs = qs.filter(handler_org_id=int(params["handler_org"]))
    if q := params.get("q", "").strip():
        qs = qs.filter(Q(summary__icontains=q) | Q(reference__icontains=q))
    context = _list_context(request, inspection, qs.select_related("handler_org").order_by("received_on", "pk"), "leads")
    context["rows"] = [{"lead": lead, "overdue": lead.is_overdue(today)} for lead in context["page"].object_list]
    return render(request, "ledger/registers/leads.html", {
        **context, "kinds": Lead.Kind.choices, "statuses": Lead.Status.choices,
        "departments": _departments(inspection.target) if inspection else [],
    })


@login_required
def lead_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    _require_manage(request, inspection.target)
    form = LeadForm(request.POST or None, departments=_departments(inspection.target), initial={"received_on": clock.today()})
    del form.fields["status"]

    def create(d: dict[str, Any]) -> Lead:
        return services.create_lead(request.user, inspection, **d)  # type: ignore[arg-type]

    if _save(request, form, create, _("线索已登记")):
        return redirect("ledger:leads", pk=inspection.pk)
    return _form_page(request, form, inspection, _("登记问题线索"), "leads")


@login_required
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get_record(request, Lead, pk)
    _require_manage(request, lead.unit)
    fields = ("kind", "reference", "summary", "received_on", "handler_org", "status", "exempt")
    form = LeadForm(request.POST or None, initial={f: getattr(lead, f) for f in fields},
                    departments=_departments(lead.unit))
    if lead.status == Lead.Status.CONCLUDED:
        del form.fields["status"]
    if _save(request, form, lambda d: services.update_lead(request.user, lead, **d), _("线索已修改")):  # type: ignore[arg-type]
        return redirect("ledger:leads", pk=lead.inspection_id)
    conclude = None if lead.status == Lead.Status.CONCLUDED else ConcludeLeadForm(initial={"concluded_on": clock.today()})
    return _form_page(request, form, lead.inspection, _("修改问题线索"), "leads", record=lead, conclude=conclude)


@login_required
@require_POST
def lead_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get_record(request, Lead, pk)
    _require_manage(request, lead.unit)
    form = ConcludeLeadForm(request.POST)
    if _save(request, form, lambda d: services.conclude_lead(request.user, lead, **d), _("线索已办结")):  # type: ignore[arg-type]
        return redirect("ledger:leads", pk=lead.inspection_id)
    edit = LeadForm(initial={f: getattr(lead, f) for f in ("kind", "reference", "summary", "received_on", "handler_org",
                                                             "status", "exempt")}, departments=_departments(lead.unit))
    return _form_page(request, edit, lead.inspection, _("修改问题线索"), "leads", record=lead, conclude=form)


# 整改成效 ------------------------------------------------------------------------------------------

@login_required
def outcomes(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """整改成效: quantified results, filtered by category and keyword."""
    inspection, qs = _scope(request, Outcome, pk)
    if request.GET.get("kind") in Outcome.Kind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(what__icontains=q)
    context = _list_context(request, inspection, qs.select_related("task").order_by("-recorded_on", "-pk"), "outcomes")
    return render(request, "ledger/registers/outcomes.html", {**context, "kinds": Outcome.Kind.choices})


@login_required
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    _require_manage(request, inspection.target)
    form = OutcomeForm(request.POST or None, tasks=_tasks(inspection), initial={"recorded_on": clock.today()})
    if _save(request, form, lambda d: services.record_outcome(request.user, inspection, **d), _("成效已记录")):  # type: ignore[arg-type]
        return redirect("ledger:outcomes", pk=inspection.pk)
    return _form_page(request, form, inspection, _("记录整改成效"), "outcomes")


@login_required
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = _get_record(request, Outcome, pk)
    _require_manage(request, outcome.unit)
    fields = ("kind", "what", "value", "value_unit", "recorded_on", "task", "exempt")
    form = OutcomeForm(request.POST or None, initial={f: getattr(outcome, f) for f in fields}, tasks=_tasks(outcome.inspection))
    if _save(request, form, lambda d: services.update_outcome(request.user, outcome, **d), _("成效记录已修改")):  # type: ignore[arg-type]
        return redirect("ledger:outcomes", pk=outcome.inspection_id)
    return _form_page(request, form, outcome.inspection, _("修改整改成效"), "outcomes")


def _form_page(request: HttpRequest, form: forms.Form, inspection: Inspection, title: str, tab: str,
               **extra: Any) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/registers/form.html",
                  {"form": form, "inspection": inspection, "title": title, "tab": tab, **extra}, status=status)


# 整改责任交接 ---------------------------------------------------------------------------------------

@login_required
def handover_units(request: HttpRequest) -> HttpResponse:
    """责任交接: straight to the user's own unit, or a choice of the units in reach."""
    managed = {g.organization_id for g in grants(request.user)  # type: ignore[arg-type]
               if g.role in (Role.RECTIFICATION_OFFICE, Role.ADMIN)}
    units = list(visible_organizations(request.user).filter(kind=Organization.Kind.UNIT).order_by("name"))  # type: ignore[arg-type]
    own = [u for u in units if u.pk in managed]
    if len(own) == 1:
        return redirect("ledger:handovers", pk=own[0].pk)
    return render(request, "ledger/registers/handover_units.html", {"units": units, "tab": "handovers"})


@login_required
def handovers(request: HttpRequest, pk: int) -> HttpResponse:
    """整改责任交接 of one unit: the record of hand-overs, and the office's form signed by both people."""
    unit = visible_organizations(request.user).filter(pk=pk, kind=Organization.Kind.UNIT).first()  # type: ignore[arg-type]
    if unit is None:
        raise Http404
    _require_manage(request, unit, Action.HANDOVER)
    people = User.objects.filter(memberships__organization__path__startswith=unit.path).distinct().order_by("full_name", "pk")
    form = HandoverForm(request.POST or None, people=people)
    if _save(request, form, lambda d: services.hand_over(request.user, unit=unit, **d), _("责任交接已完成")):  # type: ignore[arg-type]
        return redirect("ledger:handovers", pk=unit.pk)
    items = (Handover.objects.filter(unit=unit).select_related("from_user", "to_user", "actor")
             .annotate(task_count=Count("tasks")).order_by("-created_at", "-pk"))
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/registers/handovers.html", {
        "unit": unit, "form": form, "page": paginate(request, items, per_page=PER_PAGE),
        "query": query_without_page(request), "tab": "handovers",
    }, status=status)
