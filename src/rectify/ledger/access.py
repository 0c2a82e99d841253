"""Who may do what with a task: the facts rules.permissions needs, gathered from memberships and the task.

Built on organizations.scoping (the user's grants); the rule itself lives in rules.permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, NotVisible
from rectify.ledger.models import Task
from rectify.organizations.models import Organization, Role
from rectify.organizations.scoping import denied_message, grants, is_principal
from rectify.rules.permissions import (
    REVIEWED,
    SUBMITTED,
    UNIT_ROLES,
    Action,
    Refusal,
    TaskFacts,
    allowed_actions,
    refusal,
)

if TYPE_CHECKING:
    from rectify.organizations.models import User


def task_roles(user: User, task: Task) -> set[str]:
    """Roles over a task: unit-level roles, plus `department` if the user's department leads or co-operates."""
    roles = {g.role for g in grants(user) if g.role in UNIT_ROLES and task.unit.path.startswith(g.path)}
    dept_paths = [g.path for g in grants(user) if g.role == Role.DEPARTMENT]
    if dept_paths:
        org_paths = [task.lead_org.path] if task.lead_org_id and task.lead_org else []
        org_paths += [o.path for o in task.co_orgs.all()]
        if any(p.startswith(d) for p in org_paths for d in dept_paths):
            roles.add(Role.DEPARTMENT)
    return roles


def is_task_lead(user: User, task: Task) -> bool:
    """True when the user belongs to the task's lead department (牵头单位)."""
    if not task.lead_org_id or task.lead_org is None:
        return False
    path = task.lead_org.path
    return any(g.role == Role.DEPARTMENT and path.startswith(g.path) for g in grants(user))


def submitter_id(task: Task) -> int | None:
    """Who asked for the pending closure (申请销号): the actor of the task's last submit event."""
    return (
        AuditEvent.objects.filter(object_type="ledger.task", object_id=str(task.pk), action="task.submit")
        .order_by("-id").values_list("actor_id", flat=True).first()
    )


def task_facts(user: User, task: Task, roles: set[str] | None = None) -> TaskFacts:
    """The facts about `user` and `task` that rules.permissions decides on."""
    roles = task_roles(user, task) if roles is None else roles
    office = Role.RECTIFICATION_OFFICE in roles
    return TaskFacts(
        roles=frozenset(roles), status=task.status, category=task.category,
        leads=is_task_lead(user, task),
        responsible_leader=task.leader_id is not None and task.leader_id == user.pk,
        principal=Role.LEADER in roles and is_principal(user, task.unit),
        # Only the office reviews, and only a pending request has a submitter worth asking about.
        submitter=office and task.status == SUBMITTED and submitter_id(task) == user.pk,
    )


def require_task(user: User, action: Action, task: Task) -> set[str]:
    """The user's roles over the task if they may take `action`: NotVisible out of scope, else Forbidden."""
    roles = task_roles(user, task)
    if not roles:
        raise NotVisible(_("未找到该记录"))
    reason = refusal(action, task_facts(user, task, roles))
    if reason is not None:
        if reason == Refusal.ROLE and action == Action.RETURN:
            # Returning is the review or the approval decision: refused with that step's words.
            action = Action.APPROVE if task.status == REVIEWED else Action.REVIEW
        raise Forbidden(denied_message(action, reason))
    return roles


def actions_on_task(user: User, task: Task) -> frozenset[Action]:
    """The task steps the user may take now (the task page's forms, the API's `allowed_actions`)."""
    roles = task_roles(user, task)
    return allowed_actions(task_facts(user, task, roles)) if roles else frozenset()


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
