"""Supervision's parts of other apps' pages: the formalism panel of the task page (registered with
ledger.panels), `{% task_formalism task %}` and `{% unread_notifications user %}` for templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from rectify.ledger.models import Task
from rectify.organizations.models import User
from rectify.supervision.models import Order
from rectify.supervision.selectors import formalism_flags, unread_count
from rectify.supervision.services.orders import suggest_next_order

register = template.Library()


def task_flags_context(task: Task) -> dict[str, Any]:
    suggested = suggest_next_order(task)
    return {
        "task": task, "flags": formalism_flags(task), "suggested": suggested,
        "suggested_label": Order.Kind(suggested).label if suggested else "",
    }


@register.inclusion_tag("supervision/partials/_task_flags.html")
def task_formalism(task: Task) -> dict[str, Any]:
    """The formalism flags of a task and the order the warnings call for."""
    return task_flags_context(task)


def formalism_panel(request: HttpRequest, task: Task) -> SafeString:
    """The same flags as a panel of the ledger's task page (registered in SupervisionConfig.ready)."""
    return render_to_string("supervision/partials/_task_flags.html", task_flags_context(task), request=request)


@register.simple_tag
def unread_notifications(user: User) -> int:
    """Unread notifications of the user (for a badge)."""
    return unread_count(user)
