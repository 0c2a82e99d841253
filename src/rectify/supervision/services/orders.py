"""五书: 督办通知书 → 阶段督查指导书 → 提醒书 → 告诫书 → 问责书, each addressed, dated and tracked to its reply."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import Forbidden, InvalidTransition, ValidationFailed
from rectify.ledger.models import Task
from rectify.organizations.models import Membership, Organization, Role, User
from rectify.organizations.scoping import grants, require_unit, roles_over_unit
from rectify.rules.permissions import Action, has_role
from rectify.supervision.models import Notification, Order
from rectify.supervision.services.notifications import Warning, notify

SEQUENCE: tuple[str, ...] = (
    Order.Kind.SUPERVISE, Order.Kind.GUIDANCE, Order.Kind.REMINDER, Order.Kind.WARNING, Order.Kind.ACCOUNTABILITY,
)

OPENINGS: dict[str, str] = {
    Order.Kind.SUPERVISE: "经调度，你单位牵头的下列整改任务推进缓慢，现予督办。请压实责任、倒排工期，确保按时完成。",
    Order.Kind.GUIDANCE: "根据阶段督查情况，你单位牵头的下列整改任务还存在差距，现提出督查指导意见，请对照抓好落实。",
    Order.Kind.REMINDER: "你单位牵头的下列整改任务完成时限临近或已经逾期，现予提醒。请抓紧推进，按时报送整改进展。",
    Order.Kind.WARNING: "你单位牵头的下列整改任务经督办、提醒后仍未整改到位，现予告诫。请主要负责人亲自过问，限期整改到位。",
    Order.Kind.ACCOUNTABILITY: "你单位牵头的下列整改任务经督办、提醒、告诫后仍未整改到位，"
    "依据《中国共产党问责条例》，现启动问责程序。请如实说明情况，按要求报送。",
}


# The ladder (五书): 告诫书 only after an earlier order about the same task or department, 问责书 only after
# a 告诫书 ("经督办、提醒、告诫后仍未整改到位").
PREREQUISITES: dict[str, tuple[str, ...]] = {
    Order.Kind.WARNING: (Order.Kind.SUPERVISE, Order.Kind.GUIDANCE, Order.Kind.REMINDER),
    Order.Kind.ACCOUNTABILITY: (Order.Kind.WARNING,),
}


def _earlier(task: Task | None, department: Organization | None) -> Q:
    return Q(task=task) if task is not None else Q(department=department, task__isnull=True)


def check_ladder(kind: str, task: Task | None, department: Organization | None) -> None:
    """Refuse an order that skips the rungs below it."""
    needed = PREREQUISITES.get(kind)
    if needed and not Order.objects.filter(_earlier(task, department), kind__in=needed).exists():
        raise ValidationFailed(_("「%(kind)s」须在印发「%(needed)s」之后才能印发") % {
            "kind": Order.Kind(kind).label, "needed": "」或「".join(str(Order.Kind(k).label) for k in needed)},
            field="kind")


def late_reply_warnings(today: dt.date, *, unit_id: int | None = None) -> list[Warning]:
    """催办: an order unanswered past its reply date reminds the department (and its issuer) once a week."""
    found = []
    late = Order.objects.filter(status=Order.Status.ISSUED, reply_due__lt=today).select_related("department")
    if unit_id is not None:
        late = late.filter(unit_id=unit_id)
    members: dict[int, list[int]] = {}
    for row in Membership.objects.filter(organization__in=[o.department_id for o in late if o.department_id],
                                         role=Role.DEPARTMENT).values("organization_id", "user_id"):
        members.setdefault(row["organization_id"], []).append(row["user_id"])
    with translation.override(settings.LANGUAGE_CODE):
        for order in late.order_by("pk"):
            over = (today - order.reply_due).days
            people = members.get(order.department_id or 0, []) + ([order.issued_by_id] if order.issued_by_id else [])
            found.append(Warning(
                kind=Notification.Kind.ORDER, key=f"order_late:{order.pk}:w{(over - 1) // 7}",
                title=f"【催办】{order.get_kind_display()}逾期{over}天未回复：{order.addressee}",
                body=f"回复时限为{order.reply_due.year}年{order.reply_due.month}月{order.reply_due.day}日，请尽快书面回复。",
                recipients=people, unit_id=order.unit_id, task_id=order.task_id, due_on=order.reply_due,
            ))
    return found


def order_tasks(order: Order) -> list[Task]:
    """The task(s) an order names: its task, or the department's open tasks."""
    if order.task_id:
        return [order.task]  # type: ignore[list-item]
    return list(
        Task.objects.filter(Q(lead_org=order.department) | Q(co_orgs=order.department), unit=order.unit)
        .exclude(status=Task.Status.CLOSED).distinct().order_by("deadline", "position", "pk")
    )


def default_body(kind: str, tasks: list[Task], reply_due: dt.date) -> str:
    lines = [OPENINGS[kind]]
    for i, task in enumerate(tasks, start=1):
        deadline = f"{task.deadline.year}年{task.deadline.month}月{task.deadline.day}日" if task.deadline else "长期坚持"
        lines.append(f"{i}.{task.title.strip()}（完成时限：{deadline}）")
    lines.append(f"请于{reply_due.year}年{reply_due.month}月{reply_due.day}日前将整改情况书面回复。")
    return "\n".join(lines)


def _issuer(actor: User, roles: set[str], unit: Organization) -> str:
    """Who signs an order when the form names no one: the body the issuing person acts for."""
    if Role.RECTIFICATION_OFFICE in roles:
        return f"{unit.name}整改工作领导小组办公室"
    if Role.SUPERVISOR in roles:
        return f"驻{unit.name}纪检监察组"
    office = Membership.objects.filter(user=actor, role=Role.INSPECTION_OFFICE).select_related("organization").first()
    return office.organization.name if office else f"{unit.name}整改工作领导小组办公室"


@transaction.atomic
def issue_order(
    actor: User, *, kind: str, reply_due: dt.date, task: Task | None = None, department: Organization | None = None,
    body: str = "", number: str = "", issuer: str = "", issued_on: dt.date | None = None,
) -> Order:
    """Issue one of the five supervision documents (五书) about a task or a department's tasks."""
    if kind not in Order.Kind.values:
        raise ValidationFailed(_("「文书类别」无法识别：%(value)s") % {"value": kind}, field="kind")
    if task is None and department is None:
        raise ValidationFailed(_("请选择整改任务或责任单位"), field="task")
    unit = task.unit if task is not None else department.unit  # type: ignore[union-attr]
    roles = require_unit(actor, Action.ISSUE_ORDER, unit, message=_("只有整改办、纪检监督或巡视巡察办可以印发督办文书"))
    if task is not None and department is None:
        department = task.lead_org
    if department is not None and not department.path.startswith(unit.path):
        raise ValidationFailed(_("「责任单位」不属于本单位"), field="department")
    check_ladder(kind, task, department if task is None else None)
    issued_on = issued_on or clock.today()
    if reply_due < issued_on:
        raise ValidationFailed(_("「回复时限」不能早于印发日期"), field="reply_due")
    order = Order(
        unit=unit, kind=kind, number=number.strip(), task=task, department=department,
        addressee=(department.name if department else unit.name), issuer=issuer.strip() or _issuer(actor, roles, unit),
        issued_on=issued_on, reply_due=reply_due, issued_by=actor, body="",
    )
    order.body = (body or "").strip() or default_body(kind, order_tasks(order), reply_due)
    order.save()
    audit.record(actor, "order.issue", order, unit_id=unit.pk)
    recipients = list(
        Membership.objects.filter(organization=department, role=Role.DEPARTMENT).values_list("user_id", flat=True)
    ) if department else []
    with translation.override(settings.LANGUAGE_CODE):  # a stored notification is Chinese, like the order
        title = f"【{order.get_kind_display()}】{order.addressee}"
    notify([Warning(
        kind=Notification.Kind.ORDER, key=f"order:{order.pk}", title=title,
        body=order.body, recipients=recipients, unit_id=unit.pk, task_id=task.pk if task else None,
        inspection_id=task.inspection_id if task else None, due_on=reply_due,
    )])
    return order


def can_reply(actor: User, order: Order) -> bool:
    """Who replies to an order (书面回复): a role the table allows, the office for its unit and a
    department only to an order addressed to it."""
    roles = roles_over_unit(actor, order.unit)
    if not has_role(Action.REPLY_ORDER, roles):
        return False
    if Role.RECTIFICATION_OFFICE in roles:
        return True
    department = order.department
    return department is not None and any(
        g.role == Role.DEPARTMENT and department.path.startswith(g.path) for g in grants(actor)
    )


@transaction.atomic
def reply_order(actor: User, order: Order, *, text: str, replied_on: dt.date | None = None) -> Order:
    """The addressed department replies (书面回复) to an order."""
    require_unit(actor, Action.REPLY_ORDER, order.unit)
    if not can_reply(actor, order):
        raise Forbidden(_("只有被督办的责任单位或整改办可以回复"))
    if order.status != Order.Status.ISSUED:
        raise InvalidTransition(_("该文书已回复"))
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("「回复内容」不能为空"), field="reply_text")
    before = audit.snapshot(order)
    order.reply_text, order.replied_on, order.status = text, replied_on or clock.today(), Order.Status.REPLIED
    order.save(update_fields=["reply_text", "replied_on", "status"])
    audit.record(actor, "order.reply", order, unit_id=order.unit_id, before=before)
    return order


@transaction.atomic
def close_order(actor: User, order: Order, *, note: str = "") -> Order:
    """The issuer accepts the reply (办结)."""
    require_unit(actor, Action.ISSUE_ORDER, order.unit, message=_("只有印发部门可以办结督办文书"))
    if order.status != Order.Status.REPLIED:
        raise InvalidTransition(_("只有已回复的文书才能办结"))
    before = audit.snapshot(order)
    order.status = Order.Status.CLOSED
    order.save(update_fields=["status"])
    audit.record(actor, "order.close", order, unit_id=order.unit_id, before=before, note=note)
    return order


def _overdue_warnings(task: Task, after: Order | None) -> int:
    """Distinct 逾期警示 about the task (one per week bucket), after an order was issued."""
    qs = Notification.objects.filter(task=task, kind=Notification.Kind.OVERDUE)
    if after is not None:
        qs = qs.filter(created_at__gt=after.created_at)
    return qs.values("warning_key").distinct().count()


def suggest_next_order(task: Task, today: dt.date | None = None) -> str | None:
    """The next of the five documents when warnings repeat; None when nothing calls for one.

    No order yet: 督办通知书 once the task has an overdue warning. After an order: the next kind when
    two or more overdue warnings came since it and it is unanswered or the task is still overdue, or
    when its reply is late.
    """
    today = today or clock.today()
    if task.status == Task.Status.CLOSED:
        return None
    last = Order.objects.filter(task=task).order_by("-issued_on", "-pk").first()
    if last is None:
        return SEQUENCE[0] if _overdue_warnings(task, None) >= 1 else None
    position = SEQUENCE.index(last.kind)
    if position + 1 >= len(SEQUENCE):
        return None
    unanswered = last.status == Order.Status.ISSUED
    repeated = _overdue_warnings(task, last) >= 2
    if (repeated and (unanswered or task.is_overdue(today))) or (unanswered and last.reply_due < today):
        return SEQUENCE[position + 1]
    return None
