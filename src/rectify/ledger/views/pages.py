"""Home, my tasks, approvals and search: each role's entry points."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rectify import clock
from rectify.inspections.models import Finding
from rectify.ledger.access import task_q
from rectify.ledger.lights import red_q
from rectify.ledger.models import Progress, Task
from rectify.ledger.selectors import awaiting, inspections_visible_to, own_tasks
from rectify.ledger.views.common import light_row, paginate, query_without_page
from rectify.organizations.models import Role
from rectify.organizations.navigation import main_role
from rectify.organizations.scoping import grants, visible_organizations


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is."""
    role = main_role(request.user)
    if role in {Role.INSPECTION_OFFICE, Role.ADMIN}:
        return redirect("ledger:overview")
    if role == Role.DEPARTMENT:
        return redirect("ledger:my_tasks")
    if role == Role.LEADER:
        return redirect("ledger:approvals")
    unit_ids = [g.organization_id for g in grants(request.user) if g.role != Role.DEPARTMENT]  # type: ignore[arg-type]
    if role in {Role.RECTIFICATION_OFFICE, Role.SUPERVISOR} and unit_ids:
        return redirect("ledger:unit_dashboard", pk=unit_ids[0])
    return render(request, "ledger/empty_home.html")


def by_urgency(qs):  # type: ignore[no-untyped-def]
    """Red first (overdue or returned twice), then returned/reopened, then by deadline (long-term last)."""
    today = clock.today()
    return qs.annotate(
        urgency=Case(
            When(red_q(today), then=Value(0)),
            When(status__in=[Task.Status.RETURNED, Task.Status.REOPENED], then=Value(1)),
            When(status=Task.Status.CLOSED, then=Value(9)),
            default=Value(2), output_field=IntegerField(),
        )
    ).order_by("urgency", "deadline", "pk")


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """A department's tasks (a leader's: those they are responsible for), by urgency; returned items show why."""
    show_closed = request.GET.get("closed") == "1"
    qs = own_tasks(request.user).select_related("inspection", "finding")  # type: ignore[arg-type]
    if not show_closed:
        qs = qs.exclude(status=Task.Status.CLOSED)
    page = paginate(request, by_urgency(qs), per_page=50)
    returned_ids = [t.pk for t in page.object_list if t.status == Task.Status.RETURNED]
    reasons: dict[int, str] = {}
    if returned_ids:
        from rectify.ledger.models import ClosureReview

        for review in ClosureReview.objects.filter(task_id__in=returned_ids, decision="return").order_by("created_at"):
            reasons[review.task_id] = review.reason
    today = clock.today()
    rows = [light_row(t, today, reason=reasons.get(t.pk)) for t in page.object_list]
    return render(request, "ledger/my_tasks.html", {"page": page, "rows": rows, "show_closed": show_closed,
                                                     "query": query_without_page(request)})


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """Closure requests waiting for this user: the office reviews submitted ones, leaders approve reviewed ones."""
    mine = request.GET.get("mine") == "1"
    qs = awaiting(request.user, mine_only=mine).select_related("inspection", "finding")  # type: ignore[arg-type]
    page = paginate(request, qs.order_by("submitted_at", "pk"), per_page=50)
    today = clock.today()
    rows = [light_row(t, today) for t in page.object_list]
    return render(request, "ledger/approvals.html", {"page": page, "rows": rows, "query": query_without_page(request)})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search findings, tasks, progress text and departments, within the user's scope; newest first.

    Newest first is by id, so a common word over a whole province stops after 30 hits of an index walk,
    and a rare one is found through the trigram indexes (bench/notes/search_province.txt).
    """
    q = (request.GET.get("q") or "").strip()[:100]
    results: dict[str, list] = {"findings": [], "tasks": [], "progress": [], "departments": []}
    if q:
        inspections = inspections_visible_to(request.user)  # type: ignore[arg-type]
        results["findings"] = list(
            Finding.objects.filter(inspection__in=inspections).filter(Q(title__icontains=q) | Q(text__icontains=q))
            .select_related("inspection").order_by("-pk")[:30])
        results["tasks"] = list(
            Task.objects.filter(task_q(request.user)).filter(Q(title__icontains=q) | Q(leader_name__icontains=q))  # type: ignore[arg-type]
            .select_related("inspection").order_by("-pk")[:30])
        results["progress"] = list(
            Progress.objects.filter(task__in=Task.objects.filter(task_q(request.user)), text__icontains=q)  # type: ignore[arg-type]
            .select_related("organization").order_by("-pk")[:30])
        results["departments"] = list(visible_organizations(request.user).filter(name__icontains=q)[:30])  # type: ignore[arg-type]
    total = sum(len(v) for v in results.values())
    return render(request, "ledger/search.html", {"q": q, "results": results, "total": total})
