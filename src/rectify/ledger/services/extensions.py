"""Deadline extensions (延期申请) and withdrawing a closure request (撤回销号申请)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import InvalidTransition, ValidationFailed
from rectify.ledger.announce import announce
from rectify.ledger.models import Extension, Task
from rectify.ledger.services.lifecycle import _transition, _validate_text, require_status
from rectify.ledger.services.plan import deadline_note
from rectify.ledger.services.versioning import save_versioned
from rectify.organizations.models import User
from rectify.organizations.scoping import Action, require_task

S = Task.Status


@transaction.atomic
def withdraw_task(actor: User, task: Task, *, note: str = "", expected_version: int | None = None) -> Task:
    """The department withdraws its closure request (撤回销号申请) before the office has reviewed it."""
    require_task(actor, Action.WITHDRAW, task)
    require_status(task, Action.WITHDRAW, _("只有待审核的销号申请才能撤回"))
    task.submitted_at = None
    return _transition(actor, task, S.IN_PROGRESS, "task.withdraw", note=note.strip(), fields=["submitted_at"],
                       expected_version=expected_version)


@transaction.atomic
def request_extension(actor: User, task: Task, *, deadline: dt.date | None, reason: str) -> Extension:
    """The lead department asks for a new deadline (延期申请) with a reason; the office and the leader decide."""
    require_task(actor, Action.REQUEST_EXTENSION, task)
    reason = _validate_text(reason, "reason", _("延期理由"))
    require_status(task, Action.REQUEST_EXTENSION, _("已销号或长期整改的任务不能申请延期"))
    if deadline is None:
        raise ValidationFailed(_("「申请延期至」不能为空"), field="deadline")
    if deadline <= max(clock.today(), task.deadline or clock.today()):
        raise ValidationFailed(_("「申请延期至」应晚于今天和现完成时限"), field="deadline")
    if task.extensions.filter(status__in=[Extension.Status.PENDING, Extension.Status.REVIEWED]).exists():
        raise InvalidTransition(_("该任务已有待办理的延期申请"))
    extension = Extension.objects.create(task=task, original_deadline=task.deadline, requested_deadline=deadline,
                                         reason=reason, requested_by=actor)
    audit.record(actor, "task.extend", extension, unit_id=task.unit_id, note=reason)
    announce(actor, "task.extend", task, note=reason, key=f"ext{extension.pk}")
    return extension


def _open_extension(task: Task, status: str) -> Extension:
    extension = task.extensions.select_for_update().filter(status=status).first()
    if extension is None:
        raise InvalidTransition(_("没有待办理的延期申请"))
    return extension


@transaction.atomic
def review_extension(actor: User, task: Task, *, approve: bool, note: str = "") -> Extension:
    """The office reviews an extension request: passes it to the leader, or refuses it with a reason."""
    require_task(actor, Action.REVIEW, task)
    extension = _open_extension(task, Extension.Status.PENDING)
    if not approve:
        note = _validate_text(note, "note", _("不同意理由"))
    before = audit.snapshot(extension)
    extension.reviewed_by, extension.review_note = actor, note.strip()
    if approve:
        extension.status = Extension.Status.REVIEWED
    else:
        extension.status, extension.decided_at = Extension.Status.REFUSED, clock.now()
    extension.save()
    audit.record(actor, "extension.review", extension, unit_id=task.unit_id, before=before, note=note)
    announce(actor, "task.extend.review" if approve else "task.extend.decide", task, note=note,
             key=f"ext{extension.pk}:{extension.status}")
    return extension


@transaction.atomic
def decide_extension(actor: User, task: Task, *, approve: bool, note: str = "") -> Extension:
    """The leader approves the new deadline (the original is kept on the task) or refuses it."""
    require_task(actor, Action.APPROVE, task)
    extension = _open_extension(task, Extension.Status.REVIEWED)
    if not approve:
        note = _validate_text(note, "note", _("不同意理由"))
    before = audit.snapshot(extension)
    extension.decided_by, extension.decision_note, extension.decided_at = actor, note.strip(), clock.now()
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.save()
    audit.record(actor, "extension.decide", extension, unit_id=task.unit_id, before=before, note=note)
    if approve:
        task_before = audit.snapshot(task)
        if task.original_deadline is None:
            task.original_deadline = task.deadline
        task.deadline = extension.requested_deadline
        save_versioned(task, fields=["deadline", "original_deadline"])
        reason = _("同意延期：%(reason)s") % {"reason": extension.reason}
        audit.record(actor, "task.deadline", task, unit_id=task.unit_id, before=task_before,
                     note=deadline_note(extension.original_deadline, task.deadline, reason))
    announce(actor, "task.extend.decide", task, note=note, key=f"ext{extension.pk}:{extension.status}")
    return extension
