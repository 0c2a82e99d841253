"""The ledger (整改台账) of one inspection: grouped by finding, filtered in the URL, editable by the office."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import clock
from rectify.errors import RectifyError, StaleWrite, ValidationFailed
from rectify.inspections.models import Finding, Inspection
from rectify.inspections.services import plan_submitted
from rectify.ledger import lights, services
from rectify.ledger.models import Task
from rectify.ledger.selectors import TaskFilter, filter_tasks, tasks_visible_to
from rectify.ledger.views.common import (
    get_inspection,
    get_task,
    light_row,
    paginate,
    perform,
    query_without_page,
)
from rectify.organizations.models import Organization, Role, User
from rectify.organizations.scoping import Action, can_unit
from rectify.rules.ids import parse_id


def unit_choices(inspection: Any) -> tuple[list[Organization], list[User]]:
    """Departments and leaders of the inspected unit, for filters and assignment."""
    unit = inspection.target
    departments = list(Organization.objects.filter(path__startswith=unit.path, kind=Organization.Kind.DEPARTMENT).order_by("pk"))
    leaders = list(User.objects.filter(memberships__organization=unit, memberships__role=Role.LEADER).order_by("pk").distinct())
    return departments, leaders


def ledger_rows(tasks: list[Task], today: Any) -> list[dict[str, Any]]:
    """Rows for the ledger table: a group row whenever the finding changes, then the task rows."""
    rows: list[dict[str, Any]] = []
    for finding, group in groupby(tasks, key=lambda t: t.finding):
        parent = finding.parent
        rows.append({"group": True, "finding": finding, "parent": parent})
        for task in group:
            rows.append(light_row(task, today))
    return rows


@login_required
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    f = TaskFilter.from_params(request.GET)
    f.inspection = inspection.pk
    tasks = (
        filter_tasks(tasks_visible_to(request.user), f)  # type: ignore[arg-type]
        .select_related("finding__parent", "lead_org", "leader")
        .prefetch_related(Prefetch("co_orgs", queryset=Organization.objects.only("pk", "name", "short_name")))
        .order_by("finding__position", "finding_id", "position", "pk")
    )
    page = paginate(request, tasks, per_page=50)
    departments, leaders = unit_choices(inspection)
    can_edit = can_unit(request.user, Action.EDIT_PLAN, inspection.target)  # type: ignore[arg-type]
    context = {
        "inspection": inspection, "page": page, "rows": ledger_rows(list(page.object_list), clock.today()),
        "filter": f, "departments": departments, "leaders": leaders, "can_edit": can_edit,
        "statuses": Task.Status.choices, "categories": Task.Category.choices, "lights": Task.Light.choices,
        "query": query_without_page(request), "tab": "ledger",
        "needs_reason": can_edit and plan_submitted(inspection),
        "can_edit_header": can_edit,
    }
    return render(request, "ledger/ledger.html", context)


@login_required
@require_POST
def bulk_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign leader, department, deadline or category to the selected tasks at once (批量分派)."""
    inspection = get_inspection(request, pk)
    back = request.POST.get("next", "")
    # Only back into this site: a `next` pointing elsewhere would make the form an open redirect.
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("ledger:ledger", args=[inspection.pk])
    ids = [i for i in map(parse_id, request.POST.getlist("task")) if i is not None]
    changes: dict[str, Any] = {}
    post = request.POST
    if (leader := parse_id(post.get("leader"))) is not None:
        changes["leader"] = User.objects.filter(pk=leader).first()
    if (lead_org := parse_id(post.get("lead_org"))) is not None:
        changes["lead_org"] = Organization.objects.filter(pk=lead_org).first()
    if post.get("category") in Task.Category.values:
        changes["category"] = post["category"]
    if post.get("deadline"):
        deadline = parse_date(post["deadline"])
        if deadline is None:
            messages.error(request, _("「完成时限」无法识别：%(value)s") % {"value": post["deadline"]})
            return redirect(back)
        changes["deadline"] = deadline
    if not ids or not changes:
        messages.error(request, _("请先勾选任务，并选择要批量设置的责任领导、牵头单位、完成时限或整改类型"))
        return redirect(back)
    tasks = list(tasks_visible_to(request.user).filter(inspection=inspection, pk__in=ids))  # type: ignore[arg-type]
    moved = "deadline" in changes and any(t.deadline not in (None, changes["deadline"]) for t in tasks)
    if moved and not post.get("reason", "").strip():
        messages.error(request, _("批量调整完成时限须填写「调整时限的理由」"))
        return redirect(back)

    @transaction.atomic
    def assign_all() -> None:
        for task in tasks:
            services.update_task(request.user, task, reason=post.get("reason", ""), **changes)  # type: ignore[arg-type]

    return perform(request, assign_all, success=_("已批量更新 %(count)d 项任务") % {"count": len(tasks)}, back=back)


@login_required
def task_row_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Inline editing of one ledger row (htmx): GET the form, POST saves and returns the row; a refused save
    shows the form again with the message and what was typed."""
    task = get_task(request, pk)
    departments, leaders = unit_choices(task.inspection)
    error, reason, conflict, status = None, "", [], 200
    deadline_value = task.deadline.isoformat() if task.deadline else ""
    if request.method == "POST":
        post = request.POST
        reason = post.get("reason", "").strip()
        typed = {"title": post.get("title", ""), "category": post.get("category", task.category),
                 "leader_id": parse_id(post.get("leader")), "lead_org_id": parse_id(post.get("lead_org"))}
        try:
            deadline = _deadline(post.get("deadline", ""))
            services.update_task(
                request.user, task,  # type: ignore[arg-type]
                expected_version=parse_id(post.get("version")), reason=reason,
                title=typed["title"], category=typed["category"], deadline=deadline,
                leader=User.objects.filter(pk=typed["leader_id"] or 0).first(),
                lead_org=Organization.objects.filter(pk=typed["lead_org_id"] or 0).first(),
            )
        except StaleWrite:
            # A colleague saved meanwhile: keep what was typed, show what they saved, and carry their version,
            # so that saving again is a deliberate choice that succeeds.
            task = get_task(request, pk)
            conflict = _saved_meanwhile(task, typed, post.get("deadline", ""))
            error = _("任务「%(title)s」已被他人修改（您看到的是第 %(seen)d 版，现为第 %(now)d 版）。您填写的内容"
                      "仍在下面，请对照他人保存的内容，确认后再次保存") % {
                "title": task.title[:30], "seen": parse_id(post.get("version")) or 0, "now": task.version}
            status = 409
            for name, value in typed.items():
                setattr(task, name, value)
            deadline_value = post.get("deadline", "")
        except RectifyError as exc:
            error = exc.message
            task = get_task(request, pk)
            for name, value in typed.items():
                setattr(task, name, value)
            task.version = parse_id(post.get("version")) or task.version  # the version the user was editing
            deadline_value = post.get("deadline", "")
        else:
            task = get_task(request, pk)
            row = light_row(task)
            return render(request, "ledger/partials/_task_row.html", {"row": row, "can_edit": True})
    response = render(request, "ledger/partials/_task_row_form.html", {
        "task": task, "departments": departments, "leaders": leaders, "categories": Task.Category.choices,
        "error": error, "reason": reason, "needs_reason": plan_submitted(task.inspection),
        "deadline_value": deadline_value, "conflict": conflict,
    }, status=status)
    if status == 409:
        response["HX-Reswap"] = "outerHTML"  # the refused form replaces the row (static/rectify/app.js)
    return response


def _saved_meanwhile(current: Task, typed: dict[str, Any], deadline_raw: str) -> list[tuple[str, str]]:
    """What a colleague's save left in the fields that now differ from what the user typed: (label, value)."""
    def name(obj: Any, attr: str) -> str:
        return str(getattr(obj, attr)) if obj is not None else "—"

    shown = [
        (_("整改措施"), current.title != typed["title"], current.title),
        (_("牵头单位"), current.lead_org_id != typed["lead_org_id"], name(current.lead_org, "name")),
        (_("责任领导"), current.leader_id != typed["leader_id"], name(current.leader, "display_name")),
        (_("整改类型"), current.category != typed["category"], str(current.get_category_display())),
        (_("完成时限"), (current.deadline.isoformat() if current.deadline else "") != deadline_raw.strip(),
         current.deadline.isoformat() if current.deadline else "—"),
    ]
    return [(label, value) for label, differs, value in shown if differs]


def _deadline(raw: str) -> Any:
    """The 完成时限 typed in a form: empty is none; a day that cannot be read is refused with its value."""
    raw = raw.strip()
    try:
        day = parse_date(raw) if raw else None
    except ValueError:  # well formed but no such day, e.g. 2026-02-30
        day = None
    if raw and day is None:
        raise ValidationFailed(_("「完成时限」无法识别：%(value)s") % {"value": raw}, field="deadline")
    return day


@login_required
def task_row(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    row = light_row(task)
    can_edit = can_unit(request.user, Action.EDIT_PLAN, task.unit)  # type: ignore[arg-type]
    return render(request, "ledger/partials/_task_row.html", {"row": row, "can_edit": can_edit})


@login_required
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    """问题清单: the findings tree with its tasks counted; the office adds findings and tasks here."""
    inspection = get_inspection(request, pk)
    visible = tasks_visible_to(request.user).filter(inspection=inspection)  # type: ignore[arg-type]
    counts = {row["finding_id"]: row for row in visible.values("finding_id").annotate(
        total=Count("id"), closed=Count("id", filter=Q(status=Task.Status.CLOSED)))}
    nodes = list(Finding.objects.filter(inspection=inspection).order_by("position", "pk"))
    parents = {n.parent_id for n in nodes if n.parent_id}
    can_edit = can_unit(request.user, Action.EDIT_PLAN, inspection.target)  # type: ignore[arg-type]
    # ?finding=ID opens the edit form filled with that finding's current values (htmx: the form alone).
    shown = parse_id(request.GET.get("finding"))
    editing = next((n for n in nodes if n.pk == shown), None) if can_edit else None
    context = {
        "inspection": inspection, "nodes": [(n, counts.get(n.pk, {})) for n in nodes], "can_edit": can_edit,
        "editing": editing, "finding_kinds": Finding.Kind.choices, "needs_reason": can_edit and plan_submitted(inspection),
    }
    if request.htmx and not request.htmx.boosted and can_edit:  # type: ignore[attr-defined]
        # The choice replaced the form the user was in: the keyboard stays on the choice.
        return render(request, "ledger/partials/_finding_edit_form.html", {**context, "refocus": True})
    departments, leaders = unit_choices(inspection)
    return render(request, "ledger/findings.html", {
        **context, "tab": "findings", "can_edit_header": can_edit, "departments": departments, "leaders": leaders, "categories": Task.Category.choices,
        "unanswered": [n for n in nodes if n.pk not in parents and not counts.get(n.pk)] if can_edit else [],
    })


def _posted_finding(request: HttpRequest, inspection: Inspection, field: str = "finding") -> Finding | None:
    """The finding of this inspection a form names in `field`; None when it names none of them."""
    pk = parse_id(request.POST.get(field))
    return Finding.objects.filter(inspection=inspection, pk=pk).first() if pk is not None else None


@login_required
@require_POST
def add_finding(request: HttpRequest, pk: int) -> HttpResponse:
    from rectify.inspections import services as inspection_services

    inspection = get_inspection(request, pk)
    post = request.POST
    parent = _posted_finding(request, inspection, "parent")
    return perform(request, lambda: inspection_services.add_finding(
        request.user, inspection, title=post.get("title", ""), label=post.get("label", ""),  # type: ignore[arg-type]
        parent=parent, text=post.get("text", "")),
        success=_("问题已添加"), back=reverse("ledger:findings", args=[inspection.pk]))


@login_required
@require_POST
def edit_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a finding's number and wording (修改反馈问题); once the plan is submitted, with the reason."""
    from rectify.inspections import services as inspection_services

    inspection = get_inspection(request, pk)
    post = request.POST
    finding = _posted_finding(request, inspection)
    back = reverse("ledger:findings", args=[inspection.pk])
    if finding is None:
        messages.error(request, _("请选择要修改的问题"))
        return redirect(back)
    changes = {"title": post.get("title", "")}
    if post.get("label", "").strip():  # an empty 序号 keeps the one the finding has
        changes["label"] = post["label"].strip()
    # The form showed this finding's content and category: what it sends back replaces them. A form that
    # showed another finding (or none) only renames.
    if parse_id(post.get("shown")) == finding.pk:
        changes["text"] = post.get("text", "")
        if post.get("kind") in Finding.Kind.values:
            changes["kind"] = post["kind"]
    return perform(request, lambda: inspection_services.update_finding(
        request.user, finding, reason=post.get("reason", ""), **changes),  # type: ignore[arg-type]
        success=_("问题已修改"), back=back)


@login_required
@require_POST
def delete_finding(request: HttpRequest, pk: int) -> HttpResponse:
    from rectify.inspections import services as inspection_services

    inspection = get_inspection(request, pk)
    finding = _posted_finding(request, inspection)
    back = reverse("ledger:findings", args=[inspection.pk])
    if finding is None:
        messages.error(request, _("请选择要删除的问题"))
        return redirect(back)
    return perform(request, lambda: inspection_services.delete_finding(
        request.user, finding, reason=request.POST.get("reason", "")),  # type: ignore[arg-type]
        success=_("问题已删除，删除前的内容保存在审计记录中"), back=back)


@login_required
@require_POST
def add_task(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    post = request.POST
    finding = _posted_finding(request, inspection)
    back = reverse("ledger:findings", args=[inspection.pk])
    if finding is None:
        messages.error(request, _("请选择任务所对应的反馈问题"))
        return redirect(back)
    deadline = parse_date(post.get("deadline") or "") if post.get("deadline") else None
    return perform(request, lambda: services.create_task(
        request.user, finding, title=post.get("title", ""), category=post.get("category") or Task.Category.DEADLINE,  # type: ignore[arg-type]
        deadline=deadline, leader=User.objects.filter(pk=post.get("leader") or 0).first(),
        lead_org=Organization.objects.filter(pk=post.get("lead_org") or 0).first(),
        co_orgs=Organization.objects.filter(pk__in=[i for i in map(parse_id, post.getlist("co_orgs")) if i is not None])),
        success=_("任务已添加"), back=back)


@login_required
def responsibility(request: HttpRequest, pk: int) -> HttpResponse:
    """责任清单 and 各部门更新情况: per leader and per department, open, overdue and silent tasks."""
    inspection = get_inspection(request, pk)
    today = clock.today()
    visible = tasks_visible_to(request.user).filter(inspection=inspection)  # type: ignore[arg-type]
    open_q = ~Q(status=Task.Status.CLOSED)
    stats = dict(
        total=Count("id"), closed=Count("id", filter=Q(status=Task.Status.CLOSED)),
        overdue=Count("id", filter=lights.overdue_q(today)),
        silent=Count("id", filter=open_q & lights.silent_q(today)),
        last=Max("last_progress_at"),
    )
    by_leader = visible.values("leader_name").annotate(**stats).order_by("leader_name")
    by_dept = visible.values("lead_org__name", "lead_org_id").annotate(**stats).order_by("-silent", "lead_org__name")
    return render(request, "ledger/responsibility.html", {
        "inspection": inspection, "by_leader": by_leader, "by_dept": by_dept, "tab": "responsibility",
        "silent_days": settings.RECTIFY_RULES["silent_days"],
    })
