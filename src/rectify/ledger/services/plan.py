"""The plan: creating and editing tasks, and handing responsibility over (整改责任交接)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.inspections.models import Finding
from rectify.inspections.services import reason_after_draft
from rectify.ledger.models import Handover, Task
from rectify.ledger.services import tallies
from rectify.ledger.services.versioning import save_versioned
from rectify.organizations.models import Membership, Organization, User
from rectify.organizations.scoping import SYSTEM, Action, require_task, require_unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EDITABLE = ("title", "category", "deadline", "leader", "leader_name", "lead_org", "handler", "number",
            "exempt", "exempt_reason", "finding")


CATEGORIES = frozenset(Task.Category.values)
LEAD_ORG, CO_ORGS = gettext_lazy("牵头单位"), gettext_lazy("配合单位")  # translated only for a message


def _check_org(unit: Organization, org: Organization | None, field: str, label: StrOrPromise) -> None:
    if org is None:
        return
    if not org.path.startswith(unit.path) or org.kind != Organization.Kind.DEPARTMENT:
        # Another unit's department is not named: its existence stays hidden.
        raise ValidationFailed(_("「%(label)s」不是本单位的部门") % {"label": label}, field=field)


def _in_unit(user_id: int, unit: Organization, members: set[int] | None = None) -> bool:
    """True when the user holds a role in the unit or one of its departments (`members` saves the query)."""
    if members is not None:
        return user_id in members
    return Membership.objects.filter(user_id=user_id, organization__path__startswith=unit.path).exists()


def _check_task(task: Task, co_orgs: Iterable[Organization] | None, *, members: set[int] | None = None) -> None:
    """Validate a task before it is written; `members` (the unit's user ids) saves a query per task."""
    inspection = task.inspection
    if not (task.title or "").strip():
        raise ValidationFailed(_("「整改措施」不能为空"), field="title")
    if task.category not in CATEGORIES:
        raise ValidationFailed(_("「整改类型」无法识别：%(value)s") % {"value": task.category}, field="category")
    if task.category == Task.Category.DEADLINE and task.deadline is None:
        raise ValidationFailed(_("限期整改任务必须填写「完成时限」"), field="deadline")
    if task.category == Task.Category.LONG_TERM:
        task.deadline = None
    start = inspection.feedback_date or inspection.onsite_start
    if task.deadline is not None and start is not None and task.deadline < start:
        raise ValidationFailed(
            _("「完成时限」%(deadline)s 早于巡视反馈日期 %(start)s")
            % {"deadline": task.deadline.isoformat(), "start": start.isoformat()},
            field="deadline",
        )
    if task.finding.inspection_id != inspection.pk:
        raise ValidationFailed(_("「反馈问题」不属于本次巡视巡察"), field="finding")
    if task.exempt and not task.exempt_reason.strip():
        raise ValidationFailed(_("「不予公开理由」不能为空"), field="exempt_reason")
    _check_org(inspection.target, task.lead_org, "lead_org", LEAD_ORG)
    for org in co_orgs or []:
        _check_org(inspection.target, org, "co_orgs", CO_ORGS)
    if task.category == Task.Category.LONG_TERM and task.status in (
        Task.Status.SUBMITTED, Task.Status.REVIEWED, Task.Status.CLOSED
    ):
        raise ValidationFailed(_("已申请销号或已销号的任务不能改为长期整改"), field="category")
    if task.leader_id is not None and not _in_unit(task.leader_id, inspection.target, members):
        raise ValidationFailed(_("「责任领导」不是本单位的人员"), field="leader")
    # A handler (经办人) gets the task in their inbox: never someone of another unit.
    if task.handler_id is not None and not _in_unit(task.handler_id, inspection.target, members):
        raise ValidationFailed(_("「经办人」不是本单位的人员"), field="handler")
    if task.leader is not None and not task.leader_name:
        task.leader_name = task.leader.display_name


@transaction.atomic
def create_task(
    actor: User, finding: Finding, *, title: str, category: str = Task.Category.DEADLINE,
    deadline: dt.date | None = None, leader: User | None = None, leader_name: str = "",
    lead_org: Organization | None = None, co_orgs: Iterable[Organization] = (), handler: User | None = None,
    number: str = "", exempt: bool = False, exempt_reason: str = "", position: int | None = None,
) -> Task:
    """Add a task (整改任务) answering a finding to the plan."""
    inspection = finding.inspection
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    co_orgs = list(co_orgs)
    task = Task(
        inspection=inspection, finding=finding, unit=inspection.target, title=(title or "").strip(),
        category=category, deadline=deadline, leader=leader, leader_name=leader_name.strip(), lead_org=lead_org,
        handler=handler, number=number, exempt=exempt, exempt_reason=exempt_reason,
        position=position if position is not None else inspection.tasks.count(),
    )
    _check_task(task, co_orgs)
    task.save()
    if co_orgs:
        task.co_orgs.set(co_orgs)
    tallies.refresh_units([task.unit_id])
    audit.record(actor, "task.create", task, unit_id=task.unit_id, after={**audit.snapshot(task), "co_orgs": [o.pk for o in co_orgs]})
    return task


def _differs(task: Task, name: str, value: Any) -> bool:
    """Whether writing `value` changes the task (a related row is compared by its key, without loading it)."""
    field = Task._meta.get_field(name)
    if field.is_relation:
        return getattr(task, field.attname) != (value.pk if value is not None else None)  # type: ignore[union-attr]
    return bool(getattr(task, name) != value)


def deadline_note(old: dt.date | None, new: dt.date | None, reason: str) -> str:
    """How a moved deadline reads in the timeline: from, to, and why."""
    note = _("完成时限由 %(old)s 调整为 %(new)s") % {"old": old.isoformat() if old else "—",
                                                   "new": new.isoformat() if new else "—"}
    return f"{note}{_('；')}{reason.strip()}" if reason.strip() else note


@transaction.atomic
def update_task(
    actor: User, task: Task, *, expected_version: int | None = None, co_orgs: Iterable[Organization] | None = None,
    reason: str = "", **changes: Any,
) -> Task:
    """Edit a task of the plan; a stale `expected_version` raises StaleWrite. A moved deadline keeps the plan's
    original one (原定时限) and is recorded with its reason; once the plan is submitted every change needs its
    reason (修改原因), shown in the task's timeline."""
    require_task(actor, Action.EDIT_PLAN, task)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    co_list = list(co_orgs) if co_orgs is not None else None
    changed = any(_differs(task, name, value) for name, value in changes.items()) or (
        co_list is not None and {o.pk for o in co_list} != set(task.co_orgs.values_list("pk", flat=True)))
    if changed:
        reason = reason_after_draft(task.inspection, reason, edit=True)
    before = audit.snapshot(task)
    moved = "deadline" in changes and changes["deadline"] != task.deadline and task.deadline is not None
    old_deadline = task.deadline
    if moved and task.original_deadline is None:
        changes["original_deadline"] = task.deadline
    for name, value in changes.items():
        setattr(task, name, value)
    if "leader" in changes and "leader_name" not in changes:
        task.leader_name = task.leader.display_name if task.leader else ""
    _check_task(task, co_list)
    fields = list(changes) + (["leader_name"] if "leader" in changes else []) + (["deadline"] if "category" in changes else [])
    save_versioned(task, fields=sorted(set(fields)), expected_version=expected_version)
    after = audit.snapshot(task)
    if co_list is not None:
        before["co_orgs"] = list(task.co_orgs.values_list("pk", flat=True))
        task.co_orgs.set(co_list)
        after["co_orgs"] = [o.pk for o in co_list]
    audit.record(actor, "task.update", task, unit_id=task.unit_id, before=before, after=after, note=reason.strip())
    if moved:
        audit.record(actor, "task.deadline", task, unit_id=task.unit_id, note=deadline_note(old_deadline, task.deadline, reason))
    return task


@transaction.atomic
def hand_over(
    actor: User, *, unit: Organization, role: str, from_user: User, to_user: User, note: str = "",
    from_password: str | None = None, to_password: str | None = None,
) -> Handover:
    """整改责任交接: move every open task of a departing leader or handler to a successor of the same unit,
    signed by both: each confirms with their own password (the command line's system actor excepted)."""
    roles = require_unit(actor, Action.HANDOVER, unit)
    if from_user.pk == to_user.pk:
        raise ValidationFailed(_("「接收人」不能与「移交人」相同"), field="to_user")
    members = set(Membership.objects.filter(organization__path__startswith=unit.path).values_list("user_id", flat=True))
    for person, name in ((from_user, "from_user"), (to_user, "to_user")):
        if person.pk not in members:
            raise ValidationFailed(_("%(name)s 不是本单位人员，不能办理交接") % {"name": person.display_name}, field=name)
    if not to_user.is_active:
        raise ValidationFailed(_("%(name)s 的账号已停用，不能接收任务") % {"name": to_user.display_name}, field="to_user")
    if SYSTEM not in roles:
        for person, password, name in ((from_user, from_password, "from_password"), (to_user, to_password, "to_password")):
            if not password or not person.check_password(password):
                raise ValidationFailed(_("%(name)s 的签字密码不正确") % {"name": person.display_name}, field=name)
    field = {Handover.Role.LEADER: "leader", Handover.Role.HANDLER: "handler"}.get(role)  # type: ignore[call-overload]
    if field is None:
        raise ValidationFailed(_("「交接类别」无法识别：%(value)s") % {"value": role}, field="role")
    tasks = list(
        Task.objects.select_for_update().filter(unit__path__startswith=unit.path, **{field: from_user})
        .exclude(status=Task.Status.CLOSED).order_by("pk")
    )
    if not tasks:
        raise ValidationFailed(_("%(name)s 名下没有未销号的任务") % {"name": from_user.display_name}, field="from_user")
    payload = {
        "unit": unit.pk, "role": role, "from": from_user.pk, "to": to_user.pk,
        "tasks": [t.pk for t in tasks], "note": note, "actor": actor.pk,
        "signed_by": [] if SYSTEM in roles else [from_user.pk, to_user.pk],
    }
    signature = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    handover = Handover.objects.create(
        unit=unit, role=role, from_user=from_user, to_user=to_user, note=note, signature=signature, actor=actor
    )
    handover.tasks.set(tasks)
    for task in tasks:
        setattr(task, field, to_user)
        fields = [field]
        if field == "leader":
            task.leader_name = to_user.display_name
            fields.append("leader_name")
        save_versioned(task, fields=fields)
    audit.record(actor, "task.hand_over", handover, unit_id=unit.pk, after=payload, note=note)
    return handover


@transaction.atomic
def delete_task(actor: User, task: Task, *, reason: str = "") -> None:
    """Delete a task entered by mistake (删除任务): never one with a history of its own (progress, reviews,
    look-backs, orders); the audit chain keeps what it said. Once the plan is submitted, with a reason."""
    require_task(actor, Action.EDIT_PLAN, task)
    reason = reason_after_draft(task.inspection, reason)
    if task.progress.exists() or task.reviews.exists() or task.look_backs.exists() or task.orders.exists():
        raise ValidationFailed(_("该任务已有整改进展或办理记录，不能删除；如需调整请修改任务"), field="task")
    before = {**audit.snapshot(task), "co_orgs": list(task.co_orgs.values_list("pk", flat=True))}
    audit.record(actor, "task.delete", object_type="ledger.task", object_id=task.pk, unit_id=task.unit_id,
                 before=before, note=reason)
    unit_id = task.unit_id
    task.delete()
    tallies.refresh_units([unit_id])
