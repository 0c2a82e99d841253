"""Template hooks for other apps' pages: `{% load supervision %}{% task_formalism task %}` on the task
page, `{% unread_notifications user %}` next to the navigation."""

from __future__ import annotations

from typing import Any

from django import template

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


@register.simple_tag
def unread_notifications(user: User) -> int:
    """Unread notifications of the user (for a badge)."""
    return unread_count(user)
