"""The one scoping function: what a user may see and do, by organization and role.

A membership reaches the organization it names and its whole subtree (materialized `path`).
Unit-level roles (整改办, 领导, 纪检, 巡视巡察办, 管理员) see every object of the units under them;
a department (责任单位) sees the tasks it leads or co-operates on, and the inspections of its unit.
Out of scope raises NotVisible (a 404); in scope without the role raises Forbidden (a 403).
Who may do what is rules.permissions' table; this module gathers the facts it decides on (grants, and for
a task its departments, its leader and who asked for closure). The tasks a user sees: ledger.access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, NotVisible
from rectify.organizations.models import Membership, Organization, Role
from rectify.rules.permissions import (
    ALLOWED,
    REVIEWED,
    SUBMITTED,
    SYSTEM,
    UNIT_ROLES,
    Action,
    Refusal,
    TaskFacts,
    allowed_actions,
    has_role,
    refusal,
)

if TYPE_CHECKING:
    from rectify.organizations.models import User


# The vocabulary lives in rules.permissions; it is re-exported here for the callers of scoping.
__all__ = ["ALLOWED", "SYSTEM", "UNIT_ROLES", "Action", "Refusal"]

# Marked for translation here, translated when raised (require_unit, ledger.access.require_task).
DENIED_MESSAGES: dict[Action, str] = {
    Action.REGISTER_INSPECTION: gettext_noop("只有巡视巡察办或整改办可以登记巡视巡察"),
    Action.EDIT_PLAN: gettext_noop("只有整改办可以编辑整改方案"),
    Action.START: gettext_noop("只有责任单位或整改办可以报送整改进展"),
    Action.REPORT_PROGRESS: gettext_noop("只有责任单位或整改办可以报送整改进展"),
    Action.PHASED_RESULT: gettext_noop("只有责任单位或整改办可以报送整改进展"),
    Action.SUBMIT: gettext_noop("只有牵头单位或整改办可以申请销号"),
    Action.WITHDRAW: gettext_noop("只有牵头单位或整改办可以撤回销号申请"),
    Action.REQUEST_EXTENSION: gettext_noop("只有牵头单位或整改办可以申请延期"),
    Action.REVIEW: gettext_noop("只有整改办可以审核销号申请"),
    Action.APPROVE: gettext_noop("只有领导可以审批销号"),
    Action.COMMENT: gettext_noop("您无权发表意见"),
    Action.FLAG: gettext_noop("只有纪检监督或巡视巡察办可以标记整改不实"),
    Action.ANSWER_FLAG: gettext_noop("只有整改办可以复核整改不实问题"),
    Action.LOOK_BACK: gettext_noop("您无权开展回头看"),
    Action.REOPEN: gettext_noop("您无权开展回头看"),
    Action.MANAGE_RECORDS: gettext_noop("只有整改办可以维护此项记录"),
    Action.HANDOVER: gettext_noop("只有整改办可以办理责任交接"),
    Action.VIEW_REPORTS: gettext_noop("整改情况报告仅供整改办、领导和纪检监督查阅"),
    Action.PUBLISH_REPORT: gettext_noop("只有整改办或领导可以发布报告"),
    Action.PUBLISH_LEADER_REPORT: gettext_noop("主要负责人组织落实情况报告只能由领导发布"),
    Action.SIGN_PLAN: gettext_noop("只有第一责任人本人可以签字"),
    Action.REPLY_ORDER: gettext_noop("只有被督办的责任单位或整改办可以回复"),
    Action.VIEW_LOOK_BACKS: gettext_noop("您无权查看回头看"),
}

REFUSAL_MESSAGES: dict[Refusal, str] = {
    Refusal.NOT_LEAD: gettext_noop("只有牵头单位可以申请销号，配合单位请报送进展"),
    Refusal.NOT_RESPONSIBLE_LEADER: gettext_noop("只有该任务的责任领导或第一责任人可以审批销号"),
    Refusal.OWN_SUBMISSION: gettext_noop("不能审核本人提出的销号申请，请由整改办其他同志审核"),
}


@dataclass(frozen=True)
class Grant:
    role: str
    path: str
    organization_id: int
    principal: bool = False  # 主要负责人 (a leader's: the unit's 第一责任人)
    # A department's unit (Organization.unit, however deep the department sits): whose inspections it reads.
    unit_path: str = ""


def grants(user: User) -> list[Grant]:
    """The user's memberships, cached on the user object for the request."""
    cached: list[Grant] | None = getattr(user, "_rectify_grants", None)
    if cached is None:
        if not user.is_authenticated or not user.is_active:
            cached = []
        else:
            cached = [
                Grant(role=m.role, path=m.organization.path, organization_id=m.organization_id,
                      principal=m.is_principal,
                      unit_path=m.organization.unit.path if m.role == Role.DEPARTMENT else "")
                for m in Membership.objects.filter(user=user).select_related("organization__parent")
            ]
            if user.is_superuser:
                cached.append(Grant(role=Role.ADMIN, path="/", organization_id=0))
            if user.is_superuser and user.username == SYSTEM and not user.has_usable_password():
                cached.append(Grant(role=SYSTEM, path="/", organization_id=0))
        user._rectify_grants = cached  # type: ignore[attr-defined]
    return cached


def forget_grants(user: User) -> None:
    """Drop the cached grants after memberships change."""
    if hasattr(user, "_rectify_grants"):
        del user._rectify_grants


def roles_over_unit(user: User, unit: Organization) -> set[str]:
    """Roles the user holds over an inspected unit (and everything in it)."""
    roles = {g.role for g in grants(user) if g.role in UNIT_ROLES and unit.path.startswith(g.path)}
    # A department sees its own unit's inspections (read only): it holds the department role there.
    if any(g.role == Role.DEPARTMENT and g.unit_path == unit.path for g in grants(user)):
        roles.add(Role.DEPARTMENT)
    return roles


def is_principal(user: User, unit: Organization) -> bool:
    """True when the user is the unit's 第一责任人: its leader marked 主要负责人."""
    return any(g.role == Role.LEADER and g.principal and g.path == unit.path for g in grants(user))


def denied_message(action: Action, reason: Refusal = Refusal.ROLE) -> str:
    """The translated message for a refusal (403)."""
    if reason != Refusal.ROLE:
        return _(REFUSAL_MESSAGES[reason])
    return _(DENIED_MESSAGES.get(action, gettext_noop("您无权执行此操作")))


def require(user: User, action: Action, roles: Iterable[str], *, message: str | None = None) -> None:
    """Raise NotVisible when `roles` is empty (out of scope), Forbidden when no role allows `action`."""
    held = set(roles)
    if not held:
        raise NotVisible(_("未找到该记录"))
    if not has_role(action, held):
        raise Forbidden(message or denied_message(action))


def require_unit(user: User, action: Action, unit: Organization, *, message: str | None = None) -> set[str]:
    """The user's roles over the unit, if one allows `action`; NotVisible out of scope, else Forbidden."""
    roles = roles_over_unit(user, unit)
    require(user, action, roles, message=message)
    return roles


def can_unit(user: User, action: Action, unit: Organization) -> bool:
    """True when `require_unit` would let the user do `action` (flags for templates)."""
    return has_role(action, roles_over_unit(user, unit))


def task_departments(user: User, task: Any) -> list[Any]:
    """The task's departments the user works in as a department user: its lead department (牵头单位) first,
    then the co-operating ones (配合单位)."""
    dept_paths = [g.path for g in grants(user) if g.role == Role.DEPARTMENT]
    if not dept_paths:
        return []
    orgs = ([task.lead_org] if task.lead_org_id and task.lead_org else []) + list(task.co_orgs.all())
    return [org for org in orgs if any(org.path.startswith(d) for d in dept_paths)]


def task_roles(user: User, task: Any) -> set[str]:
    """Roles over a task: unit-level roles, plus `department` if the user's department leads or co-operates."""
    roles = {g.role for g in grants(user) if g.role in UNIT_ROLES and task.unit.path.startswith(g.path)}
    if task_departments(user, task):
        roles.add(Role.DEPARTMENT)
    return roles


def is_task_lead(user: User, task: Any) -> bool:
    """True when the user belongs to the task's lead department (牵头单位)."""
    if not task.lead_org_id or task.lead_org is None:
        return False
    path = task.lead_org.path
    return any(g.role == Role.DEPARTMENT and path.startswith(g.path) for g in grants(user))


def submitter_id(task: Any) -> int | None:
    """Who asked for the pending closure (申请销号): the actor of the task's last submit event."""
    return (
        AuditEvent.objects.filter(object_type="ledger.task", object_id=str(task.pk), action="task.submit")
        .order_by("-id").values_list("actor_id", flat=True).first()
    )


def task_facts(user: User, task: Any, roles: set[str] | None = None) -> TaskFacts:
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


def require_task(user: User, action: Action, task: Any) -> set[str]:
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


def actions_on_task(user: User, task: Any) -> frozenset[Action]:
    """The task steps the user may take now (the task page's forms, the API's `allowed_actions`)."""
    roles = task_roles(user, task)
    return allowed_actions(task_facts(user, task, roles)) if roles else frozenset()


def can_task(user: User, action: Action, task: Any) -> bool:
    """True when `require_task` would let the user do `action` on the task, whatever its status."""
    roles = task_roles(user, task)
    return bool(roles) and refusal(action, task_facts(user, task, roles)) is None


def unit_q(user: User, field: str = "target") -> Q:
    """Q over objects whose unit (`field`) is visible at unit level; empty Q matches nothing."""
    q = Q(pk__in=[])
    for g in grants(user):
        if g.role in UNIT_ROLES:
            q |= Q(**{f"{field}__path__startswith": g.path})
        elif g.role == Role.DEPARTMENT and g.unit_path:
            q |= Q(**{f"{field}__path": g.unit_path})
    return q


def roles_q(user: User, roles: Iterable[str], field: str = "target") -> Q:
    """Q over objects whose unit (`field`) the user reaches with one of `roles` (unit-level roles only)."""
    wanted = set(roles) | {SYSTEM}
    q = Q(pk__in=[])
    for g in grants(user):
        if g.role in UNIT_ROLES and g.role in wanted:
            q |= Q(**{f"{field}__path__startswith": g.path})
    return q


def visible_organizations(user: User) -> Any:
    """Organizations in the user's reach (for pickers and the admin)."""
    q = Q(pk__in=[])
    for g in grants(user):
        q |= Q(path__startswith=g.path)
    return Organization.objects.filter(q)


def addressed_q(user: User, *, unit: str, department: str) -> Q:
    """Q over objects of the units the user sees at unit level, or addressed to the user's department
    (`department` names the department field, `unit` the unit field)."""
    q = Q(pk__in=[])
    for g in grants(user):
        if g.role in UNIT_ROLES:
            q |= Q(**{f"{unit}__path__startswith": g.path})
        elif g.role == Role.DEPARTMENT:
            q |= Q(**{f"{department}__path__startswith": g.path})
    return q


def lead_q(user: User) -> Q:
    """Q over visible leads (问题线索/信访件): sensitive, so a department sees only those it handles."""
    return addressed_q(user, unit="unit", department="handler_org")
