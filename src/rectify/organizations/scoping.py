"""The one scoping function: what a user may see and do, by organization and role.

A membership reaches the organization it names and its whole subtree (materialized `path`).
Unit-level roles (整改办, 领导, 纪检, 巡视巡察办, 管理员) see every object of the units under them;
a department (责任单位) sees the tasks it leads or co-operates on, and the inspections of its unit.
Out of scope raises NotVisible (shown as 404); in scope without the role raises Forbidden (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rectify.errors import Forbidden, NotVisible
from rectify.organizations.models import Membership, Organization, Role

if TYPE_CHECKING:
    from rectify.organizations.models import User


class Action(StrEnum):
    VIEW = "view"
    REGISTER_INSPECTION = "register_inspection"
    EDIT_PLAN = "edit_plan"
    REPORT_PROGRESS = "report_progress"
    SUBMIT = "submit"
    REVIEW = "review"
    APPROVE = "approve"
    COMMENT = "comment"
    FLAG = "flag"
    LOOK_BACK = "look_back"
    MANAGE_RECORDS = "manage_records"
    HANDOVER = "handover"


# The command line's actor (`rectify import-ledger`, `rectify report` …): the operator at the server's
# console, who could change the database anyway, acts with every right and is audited as "system".
SYSTEM = "system"

UNIT_ROLES = frozenset(
    {Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE, Role.LEADER, Role.SUPERVISOR, Role.ADMIN, SYSTEM}
)

# Which roles may do what. The department role is further narrowed to tasks it leads (SUBMIT)
# or takes part in (REPORT_PROGRESS, COMMENT): see `task_roles`.
ALLOWED: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset(Role.values),
    Action.REGISTER_INSPECTION: frozenset({Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE, Role.ADMIN}),
    Action.EDIT_PLAN: frozenset({Role.RECTIFICATION_OFFICE, Role.ADMIN}),
    Action.REPORT_PROGRESS: frozenset({Role.DEPARTMENT, Role.RECTIFICATION_OFFICE}),
    Action.SUBMIT: frozenset({Role.DEPARTMENT, Role.RECTIFICATION_OFFICE}),
    Action.REVIEW: frozenset({Role.RECTIFICATION_OFFICE}),
    Action.APPROVE: frozenset({Role.LEADER}),
    Action.COMMENT: frozenset(Role.values),
    Action.FLAG: frozenset({Role.SUPERVISOR, Role.INSPECTION_OFFICE}),
    Action.LOOK_BACK: frozenset({Role.RECTIFICATION_OFFICE, Role.INSPECTION_OFFICE, Role.SUPERVISOR}),
    Action.MANAGE_RECORDS: frozenset({Role.RECTIFICATION_OFFICE, Role.ADMIN}),
    Action.HANDOVER: frozenset({Role.RECTIFICATION_OFFICE, Role.ADMIN}),
}

# Marked for translation here, translated when raised (require_unit).
DENIED_MESSAGES: dict[Action, str] = {
    Action.REGISTER_INSPECTION: gettext_noop("只有巡视巡察办或整改办可以登记巡视巡察"),
    Action.EDIT_PLAN: gettext_noop("只有整改办可以编辑整改方案"),
    Action.REPORT_PROGRESS: gettext_noop("只有责任单位或整改办可以报送整改进展"),
    Action.SUBMIT: gettext_noop("只有牵头单位或整改办可以申请销号"),
    Action.REVIEW: gettext_noop("只有整改办可以审核销号申请"),
    Action.APPROVE: gettext_noop("只有领导可以审批销号"),
    Action.COMMENT: gettext_noop("您无权发表意见"),
    Action.FLAG: gettext_noop("只有纪检监督或巡视巡察办可以标记整改不实"),
    Action.LOOK_BACK: gettext_noop("您无权开展回头看"),
    Action.MANAGE_RECORDS: gettext_noop("只有整改办可以维护此项记录"),
    Action.HANDOVER: gettext_noop("只有整改办可以办理责任交接"),
}


@dataclass(frozen=True)
class Grant:
    role: str
    path: str
    organization_id: int


def grants(user: User) -> list[Grant]:
    """The user's memberships, cached on the user object for the request."""
    cached: list[Grant] | None = getattr(user, "_rectify_grants", None)
    if cached is None:
        if not user.is_authenticated or not user.is_active:
            cached = []
        else:
            cached = [
                Grant(role=m.role, path=m.organization.path, organization_id=m.organization_id)
                for m in Membership.objects.filter(user=user).select_related("organization")
            ]
            if user.is_superuser:
                cached.append(Grant(role=Role.ADMIN, path="/", organization_id=0))
            if user.is_superuser and user.username == SYSTEM and not user.has_usable_password():
                cached.append(Grant(role=SYSTEM, path="/", organization_id=0))
        user._rectify_grants = cached  # type: ignore[union-attr]
    return cached


def forget_grants(user: User) -> None:
    """Drop the cached grants after memberships change."""
    if hasattr(user, "_rectify_grants"):
        del user._rectify_grants  # type: ignore[union-attr]


def roles_over_unit(user: User, unit: Organization) -> set[str]:
    """Roles the user holds over an inspected unit (and everything in it)."""
    roles = {g.role for g in grants(user) if g.role in UNIT_ROLES and unit.path.startswith(g.path)}
    # A department sees its own unit's inspections (read only): it holds the department role there.
    if any(g.role == Role.DEPARTMENT and g.path.startswith(unit.path) for g in grants(user)):
        roles.add(Role.DEPARTMENT)
    return roles


def task_roles(user: User, task: Any) -> set[str]:
    """Roles over a task: unit-level roles, plus `department` if the user's department leads or co-operates."""
    roles = {g.role for g in grants(user) if g.role in UNIT_ROLES and task.unit.path.startswith(g.path)}
    dept_paths = [g.path for g in grants(user) if g.role == Role.DEPARTMENT]
    if dept_paths:
        org_paths = [task.lead_org.path] if task.lead_org_id else []
        org_paths += [o.path for o in task.co_orgs.all()]
        if any(p.startswith(d) for p in org_paths for d in dept_paths):
            roles.add(Role.DEPARTMENT)
    return roles


def is_task_lead(user: User, task: Any) -> bool:
    """True when the user belongs to the task's lead department (牵头单位)."""
    return task.lead_org_id is not None and any(
        g.role == Role.DEPARTMENT and task.lead_org.path.startswith(g.path) for g in grants(user)
    )


def require(user: User, action: Action, roles: Iterable[str]) -> None:
    """Raise NotVisible when `roles` is empty (out of scope), Forbidden when no role allows `action`."""
    held = set(roles)
    if not held:
        raise NotVisible(_("未找到该记录"))
    if not held & (ALLOWED[action] | {SYSTEM}):
        raise Forbidden(_(DENIED_MESSAGES.get(action, gettext_noop("您无权执行此操作"))))


def require_unit(user: User, action: Action, unit: Organization) -> set[str]:
    roles = roles_over_unit(user, unit)
    require(user, action, roles)
    return roles


def require_task(user: User, action: Action, task: Any) -> set[str]:
    roles = task_roles(user, task)
    require(user, action, roles)
    if action == Action.SUBMIT and not roles & {Role.RECTIFICATION_OFFICE, SYSTEM} and not is_task_lead(user, task):
        raise Forbidden(_("只有牵头单位可以申请销号，配合单位请报送进展"))
    return roles


def unit_q(user: User, field: str = "target") -> Q:
    """Q over objects whose unit (`field`) is visible at unit level; empty Q matches nothing."""
    q = Q(pk__in=[])
    for g in grants(user):
        if g.role in UNIT_ROLES:
            q |= Q(**{f"{field}__path__startswith": g.path})
        elif g.role == Role.DEPARTMENT:
            # The unit holding the department: its path is a prefix of the department's path.
            unit_path = "/".join(g.path.split("/")[:-2]) + "/"
            q |= Q(**{f"{field}__path": unit_path}) if unit_path != "/" else Q(pk__in=[])
    return q


def task_q(user: User) -> Q:
    """Q over visible tasks: whole units for unit-level roles, own tasks for departments."""
    from rectify.ledger.models import Task

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


def visible_organizations(user: User) -> Any:
    """Organizations in the user's reach (for pickers and the admin)."""
    q = Q(pk__in=[])
    for g in grants(user):
        q |= Q(path__startswith=g.path)
    return Organization.objects.filter(q)


def can_task(user: User, action: Action, task: Any) -> bool:
    """True when `require_task` would let the user do `action` on the task (flags for templates)."""
    try:
        require_task(user, action, task)
    except (NotVisible, Forbidden):
        return False
    return True


def can_unit(user: User, action: Action, unit: Organization) -> bool:
    try:
        require_unit(user, action, unit)
    except (NotVisible, Forbidden):
        return False
    return True


def lead_q(user: User) -> Q:
    """Q over visible leads (问题线索/信访件): sensitive, so a department sees only those it handles."""
    q = Q(pk__in=[])
    for g in grants(user):
        if g.role in UNIT_ROLES:
            q |= Q(unit__path__startswith=g.path)
        elif g.role == Role.DEPARTMENT:
            q |= Q(handler_org__path__startswith=g.path)
    return q
