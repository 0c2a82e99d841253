"""The tasks a user sees (整改任务): the Q every task list starts from, built on the user's grants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from rectify.ledger.models import Task
from rectify.organizations.models import Organization, Role
from rectify.organizations.scoping import grants
from rectify.rules.permissions import UNIT_ROLES

if TYPE_CHECKING:
    from rectify.organizations.models import User


def task_q(user: User) -> Q:
    """Q over visible tasks: whole units for unit-level roles, own tasks for departments."""
    q = Q(pk__in=[])
    for g in grants(user):
        if g.role in UNIT_ROLES:
            q |= Q(unit__path__startswith=g.path)
        elif g.role == Role.DEPARTMENT:
            # One id list (led ∪ co-operated) instead of an OR across two joins: 1.3 s → 20 ms at 1M tasks.
            orgs = Organization.objects.filter(path__startswith=g.path).values("pk")
            led = Task.objects.filter(lead_org__in=orgs).order_by().values("pk")
            co = Task.co_orgs.through.objects.filter(organization__in=orgs).order_by().values("task_id")
            q |= Q(pk__in=led.union(co))
    return q
