"""A task's timeline (办理过程): every step of the closure chain and of supervision, with people's names
and roles, read in a fixed number of queries whatever the task's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectify.audit.models import AuditEvent
from rectify.ledger.models import ClosureReview, Comment, Extension, LookBack, Progress, Task
from rectify.organizations.models import Membership, Role

# What an audit action means, in words: the 修改记录 table and the steps only the audit chain holds.
AUDIT_LABELS: dict[str, Any] = {
    "task.create": gettext_lazy("创建任务"),
    "task.update": gettext_lazy("修改任务"),
    "task.start": gettext_lazy("启动整改"),
    "task.progress": gettext_lazy("报送整改进展"),
    "task.phased_result": gettext_lazy("报送阶段性成效"),
    "task.submit": gettext_lazy("申请销号"),
    "task.withdraw": gettext_lazy("撤回销号申请"),
    "task.review": gettext_lazy("整改办审核通过"),
    "task.return": gettext_lazy("退回"),
    "task.close": gettext_lazy("领导审批销号"),
    "task.reopen": gettext_lazy("重启任务"),
    "task.recheck": gettext_lazy("标记整改不实，进入复核"),
    "task.uphold": gettext_lazy("复核后维持销号"),
    "task.comment": gettext_lazy("发表意见"),
    "task.flag": gettext_lazy("标记整改不实"),
    "task.handover": gettext_lazy("责任交接"),
    "task.extend": gettext_lazy("延期申请"),
    "task.deadline": gettext_lazy("调整完成时限"),
    "task.delete": gettext_lazy("删除任务"),
}

# Steps of the chain that no other table records: read from the audit chain.
AUDIT_STEPS = ("task.start", "task.submit", "task.withdraw", "task.reopen", "task.uphold", "task.deadline")


@dataclass
class Event:
    """One entry of a task's timeline."""

    kind: str  # progress | phased | submit | review | return | comment | flag | check | order | step
    at: dt.datetime
    who: str
    title: str
    text: str
    files: list[Any] = field(default_factory=list)
    role: str = ""
    user_id: int | None = None
    order_id: int | None = None
    day_only: bool = False  # only the day is known (a date the user gave, not the moment it was entered)


def _moment(day: dt.date | None, entered: dt.datetime) -> tuple[dt.datetime, bool]:
    """When a dated record (an order's 印发日期, a check's 核查日期) happened, and whether only its day is
    known: the moment it was entered when that was on the day, else the day itself (placed at local noon
    for the order of the timeline, and shown without a time)."""
    if day is None or timezone.localtime(entered).date() == day:
        return entered, False
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone()), True


def _name(user: Any) -> str:
    return user.display_name if user is not None else _("系统")


def role_labels(task: Task, user_ids: set[int]) -> dict[int, str]:
    """The role each person acts in on this task (责任领导, 整改办, the department's name …), one query."""
    labels: dict[int, str] = {}
    unit_path = task.unit.path
    found = Membership.objects.filter(user_id__in=user_ids).select_related("organization").order_by("pk")
    for m in found:
        org = m.organization
        inside = org.path.startswith(unit_path)
        above = unit_path.startswith(org.path)
        if not (inside or above):
            continue
        label = org.name if m.role == Role.DEPARTMENT else str(m.get_role_display())
        # A role inside the unit says more than one held above it (巡视巡察办 over many units).
        if m.user_id not in labels or inside:
            labels[m.user_id] = label
    if task.leader_id in user_ids:
        labels[task.leader_id] = str(_("责任领导"))  # type: ignore[index]
    return labels


def timeline(task: Task) -> list[Event]:
    """A task's timeline (办理过程): progress, 申请销号, 审核, 退回, 审批, 阶段性成效, 回头看, flags and orders,
    newest first, in nine queries."""
    events: list[Event] = []
    for p in Progress.objects.filter(task=task).select_related("author", "organization").prefetch_related("evidence"):
        kind = "phased" if p.kind == Progress.Kind.PHASED_RESULT else "progress"
        events.append(Event(kind, p.created_at, _name(p.author), str(p.get_kind_display()), p.text,
                            list(p.evidence.all()), role=p.organization.name if p.organization else "",
                            user_id=p.author_id))
    for r in ClosureReview.objects.filter(task=task).select_related("reviewer"):
        kind = "return" if r.decision == ClosureReview.Decision.RETURN else "review"
        title = _("%(stage)s：%(decision)s") % {"stage": r.get_stage_display(), "decision": r.get_decision_display()}
        text = _("退回理由：%(reason)s") % {"reason": r.reason} if kind == "return" else r.reason
        events.append(Event(kind, r.created_at, _name(r.reviewer), title, text, user_id=r.reviewer_id))
    for c in Comment.objects.filter(task=task).select_related("author"):
        text = c.text
        if c.kind == Comment.Kind.FLAG and c.resolved_at is not None:
            text = _("%(text)s（已于 %(date)s 处理）") % {"text": c.text, "date": f"{c.resolved_at:%Y-%m-%d}"}
        events.append(Event(c.kind, c.created_at, _name(c.author), str(c.get_kind_display()), text,
                            user_id=c.author_id))
    for lb in LookBack.objects.filter(task=task).select_related("checker"):
        if lb.result == LookBack.Result.PENDING:
            title = _("%(method)s：已安排，待核查") % {"method": lb.get_method_display()}
            events.append(Event("check", lb.created_at, "", title, ""))
            continue
        title = _("%(method)s：%(result)s") % {"method": lb.get_method_display(), "result": lb.get_result_display()}
        asked = _("核查对象：%(asked)s") % {"asked": lb.asked} if lb.asked else ""
        text = _("；").join(x for x in (asked, lb.answer, lb.reason) if x)
        at, day_only = _moment(lb.checked_on, lb.created_at)
        events.append(Event("check", at, _name(lb.checker), title, text, user_id=lb.checker_id, day_only=day_only))
    # Orders (五书) live in the supervision app; the reverse relation reads them without importing it.
    for o in task.orders.select_related("issued_by").order_by("pk"):  # type: ignore[attr-defined]
        title = f"{o.get_kind_display()}{(' ' + o.number) if o.number else ''}"
        text = _("回复时限：%(due)s；%(status)s") % {"due": f"{o.reply_due:%Y-%m-%d}", "status": o.get_status_display()}
        if o.reply_text:
            text += _("；回复：%(reply)s") % {"reply": o.reply_text}
        text = _("印发：%(issuer)s；") % {"issuer": o.issuer} + text
        at, day_only = _moment(o.issued_on, o.created_at)
        events.append(Event("order", at, _name(o.issued_by), title, text, role=o.issuer, user_id=o.issued_by_id,
                            order_id=o.pk, day_only=day_only))
    for x in Extension.objects.filter(task=task).select_related("requested_by", "reviewed_by", "decided_by"):
        asked = _("申请延期至 %(new)s（原完成时限 %(old)s）：%(reason)s") % {
            "new": f"{x.requested_deadline:%Y-%m-%d}", "old": f"{x.original_deadline:%Y-%m-%d}" if x.original_deadline
            else "—", "reason": x.reason}
        events.append(Event("extension", x.requested_at, _name(x.requested_by), str(_("延期申请")), asked,
                            user_id=x.requested_by_id))
        if x.decided_at is not None:
            by = x.decided_by or x.reviewed_by
            note = x.decision_note if x.decided_by else x.review_note
            events.append(Event("extension", x.decided_at, _name(by), str(x.get_status_display()), note,
                                user_id=by.pk if by else None))
    # An edit with its reason (修改原因, required once the plan is submitted) is a step of the timeline too.
    steps = AuditEvent.objects.filter(object_type="ledger.task", object_id=str(task.pk)).filter(
        Q(action__in=AUDIT_STEPS) | (Q(action="task.update") & ~Q(note="")))
    for ev in steps.select_related("actor").order_by("pk"):
        kind = "submit" if ev.action == "task.submit" else "step"
        who = ev.actor.display_name if ev.actor is not None else ev.actor_name
        text = edit_note(ev.before, ev.after, ev.note) if ev.action == "task.update" else ev.note
        events.append(Event(kind, ev.created_at, who, str(AUDIT_LABELS[ev.action]), text, user_id=ev.actor_id))
    roles = role_labels(task, {e.user_id for e in events if e.user_id is not None})
    for e in events:
        if e.user_id in roles and (not e.role or e.kind not in ("progress", "phased")):
            e.role = roles[e.user_id]  # type: ignore[index]
    events.sort(key=lambda e: e.at, reverse=True)
    return events


# Bookkeeping columns an edit changes by itself: not what the user corrected.
UNSHOWN = frozenset({"version", "updated_at", "original_deadline", "leader_name"})


def edit_note(before: dict[str, Any] | None, after: dict[str, Any] | None, reason: str) -> str:
    """What an edit changed, field by field in words, and why: 修改「完成时限」「责任领导」；修改原因：…"""
    before, after = before or {}, after or {}
    names = []
    for key in after:
        if key in UNSHOWN or before.get(key) == after[key]:
            continue
        if key == "co_orgs":
            names.append(str(_("配合单位")))
            continue
        field = next((f for f in Task._meta.concrete_fields if f.attname == key), None)
        names.append(str(field.verbose_name) if field is not None else key)
    changed = "".join(f"「{name}」" for name in names)
    because = _("修改原因：%(reason)s") % {"reason": reason}
    return f"{_('修改')}{changed}{_('；')}{because}" if changed else because


def audit_label(action: str) -> str:
    """The words for an audit action; the code itself when it has none."""
    label = AUDIT_LABELS.get(action)
    return str(label) if label is not None else action
