"""Telling the people who act next when a task moves (退回, 审核, 审批, 整改不实 …): inbox, e-mail, webhook,
through the same `notify` as the reminders and the orders (五书)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from rectify.ledger.announce import Step
from rectify.ledger.models import Task
from rectify.organizations.models import Membership, Role
from rectify.supervision.models import Notification
from rectify.supervision.services.notifications import Warning, notify

# Who must act after each step, and the words of the notification's title (stored in Chinese).
OFFICE, LEADER, DEPARTMENT = "office", "leader", "department"
NEXT: dict[str, tuple[str, str]] = {
    "task.submit": (OFFICE, "【待审核】{dept}申请销号"),
    "task.withdraw": (OFFICE, "【已撤回】{dept}撤回销号申请"),
    "task.review": (LEADER, "【待审批】整改办审核通过，请审批销号"),
    "task.return": (DEPARTMENT, "【已退回】销号申请被退回，请补充整改"),
    "task.close": (DEPARTMENT, "【已销号】任务已审批销号"),
    "task.reopen": (DEPARTMENT, "【已重启】任务重启，请重新整改"),
    "task.flag": (OFFICE, "【整改不实】纪检监督标记整改不实，请复核"),
    "task.uphold": (DEPARTMENT, "【复核】整改不实标记经复核，维持销号"),
    "task.extend": (OFFICE, "【延期申请】{dept}申请延期，请审核"),
    "task.extend.review": (LEADER, "【延期申请】整改办同意延期，请审批"),
    "task.extend.decide": (DEPARTMENT, "【延期申请】延期申请已办理"),
    "task.second_round": (DEPARTMENT, "【二次整改】整改评估未通过，请按二次整改完成时限重新整改"),
}


def _members(organization_id: int | None, role: str) -> list[int]:
    if organization_id is None:
        return []
    return list(Membership.objects.filter(organization_id=organization_id, role=role).values_list("user_id", flat=True))


def recipients(who: str, task: Task) -> list[int]:
    """The people of the office, the responsible leader (or the unit's leaders), or the lead department."""
    if who == OFFICE:
        return _members(task.unit_id, Role.RECTIFICATION_OFFICE)
    if who == LEADER:
        return [task.leader_id] if task.leader_id else _members(task.unit_id, Role.LEADER)
    people = _members(task.lead_org_id, Role.DEPARTMENT)
    return ([task.handler_id] if task.handler_id else []) + people


def tell_next(step: Step) -> list[Notification]:
    """Notify whoever acts next after a step of the closure chain; the actor is not told of their own step."""
    if step.action not in NEXT:
        return []
    who, title = NEXT[step.action]
    task = step.task
    people = [pk for pk in recipients(who, task) if step.actor is None or pk != step.actor.pk]
    with translation.override(settings.LANGUAGE_CODE):  # a stored notification is Chinese
        dept = task.lead_org.name if task.lead_org is not None else "牵头单位"
        by = f"{step.actor.display_name}：" if step.actor is not None else ""
        body = f"{task.display_number}. {task.title.strip()}" + (f"\n{by}{step.note.strip()}" if step.note.strip() else "")
        return notify([Warning(
            kind=Notification.Kind.TASK, key=f"{step.action}:{task.pk}:{step.key}", title=title.format(dept=dept),
            body=body, recipients=people, unit_id=task.unit_id, task_id=task.pk, inspection_id=task.inspection_id,
            due_on=task.deadline,
        )])
