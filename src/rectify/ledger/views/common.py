"""What every ledger view shares: scoped lookups and running a service on behalf of a request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect

from rectify import clock
from rectify.errors import Forbidden, NotVisible, RectifyError
from rectify.inspections.models import Inspection
from rectify.ledger.models import Task
from rectify.ledger.selectors import inspections_visible_to, tasks_visible_to
from rectify.refusals import htmx_refusal


def light_row(task: Task, today: dt.date | None = None, **extra: Any) -> dict[str, Any]:
    """A task row with its traffic light (红黄绿灯), whether it is overdue (逾期) and by how many days."""
    today = today or clock.today()
    return {"task": task, "light": task.light(today), "overdue": task.is_overdue(today),
            "overdue_days": task.days_overdue(today), **extra}


def get_task(request: HttpRequest, pk: int) -> Task:
    """The task if the user may see it; otherwise 404, so existence stays hidden."""
    try:
        return tasks_visible_to(request.user).select_related("inspection", "handler", "finding__parent").get(pk=pk)  # type: ignore[arg-type]
    except Task.DoesNotExist as exc:
        raise Http404 from exc


def get_inspection(request: HttpRequest, pk: int) -> Inspection:
    try:
        return inspections_visible_to(request.user).get(pk=pk)  # type: ignore[arg-type]
    except Inspection.DoesNotExist as exc:
        raise Http404 from exc


def perform(request: HttpRequest, action: Callable[[], Any], *, success: str, back: str,
            failed: str | None = None) -> HttpResponse:
    """Run a service: 404/403 for scope and role, a message for a refused step, then back to `back`
    (or to `failed` when the step was refused); through htmx a refused step leaves the page as it was."""
    try:
        action()
    except Forbidden as exc:
        return HttpResponseForbidden(exc.message)
    except RectifyError as exc:
        if isinstance(exc, NotVisible):
            raise  # a 404, as Django answers it
        if (refused := htmx_refusal(request, exc)) is not None:
            return refused  # the page stays as it is, with what was typed
        messages.error(request, exc.message)
        return redirect(failed or back)
    messages.success(request, success)
    return redirect(back)


def paginate(request: HttpRequest, items: Any, per_page: int = 100) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
