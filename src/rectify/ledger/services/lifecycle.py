"""The task life cycle (DESIGN.md): progress, closure chain (销号), phased results, look-backs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import InvalidTransition, ValidationFailed
from rectify.ledger.announce import announce
from rectify.ledger.models import ClosureReview, Comment, Evidence, LookBack, LookBackSample, Progress, Task
from rectify.ledger.services.evidence import Upload, add_all_evidence, removes_files_on_failure
from rectify.ledger.services.versioning import save_versioned
from rectify.organizations.models import User
from rectify.organizations.scoping import Action, require_task, task_departments
from rectify.rules.permissions import status_allows

S = Task.Status


def _transition(actor: User, task: Task, status: str, action: str, *, note: str = "", fields: Iterable[str] = (),
                expected_version: int | None = None) -> Task:
    before = audit.snapshot(task)
    task.status = status
    save_versioned(task, fields=["status", *fields], expected_version=expected_version)
    audit.record(actor, action, task, unit_id=task.unit_id, before=before, note=note)
    announce(actor, action, task, note=note)
    return task


def _actor_org(actor: User, task: Task) -> int | None:
    """The department an actor reports for: the task's lead or co department they belong to."""
    mine = task_departments(actor, task)
    return mine[0].pk if mine else task.lead_org_id


def require_status(task: Task, action: Action, message: str) -> None:
    """The life cycle's precondition for a task step (rules.permissions.status_allows, the one the task page
    and the API list steps by); InvalidTransition with `message` when the task's status does not allow it."""
    if not status_allows(action, task.status, task.category):
        raise InvalidTransition(message)


@transaction.atomic
def start_task(actor: User, task: Task, *, expected_version: int | None = None) -> Task:
    """Start a task (启动整改): not started → in progress."""
    require_task(actor, Action.START, task)
    require_status(task, Action.START, _("只有未启动的任务才能启动"))
    return _transition(actor, task, S.IN_PROGRESS, "task.start", expected_version=expected_version)


def _validate_text(text: str, field: str, label: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("「%(label)s」不能为空") % {"label": label}, field=field)
    return text


@removes_files_on_failure
@transaction.atomic
def report_progress(
    actor: User, task: Task, *, text: str, reported_on: dt.date | None = None, files: Iterable[Upload] = (),
    expected_version: int | None = None,
) -> Progress:
    """Report progress (报送整改进展) with optional evidence files; a returned or reopened task resumes."""
    require_task(actor, Action.REPORT_PROGRESS, task)
    text = _validate_text(text, "text", _("进展内容"))
    require_status(task, Action.REPORT_PROGRESS,
                   _("任务当前状态为「%(status)s」，不能报送进展") % {"status": task.get_status_display()})
    today = clock.today()
    reported_on = reported_on or today
    if reported_on > today:
        raise ValidationFailed(_("「报送日期」不能晚于今天"), field="reported_on")
    progress = Progress.objects.create(
        task=task, text=text, reported_on=reported_on, author=actor, organization_id=_actor_org(actor, task)
    )
    add_all_evidence(actor, task, files, progress=progress)
    before = audit.snapshot(task)
    task.last_progress_at = clock.now()
    fields = ["last_progress_at"]
    if task.status != S.IN_PROGRESS:
        task.status = S.IN_PROGRESS
        fields.append("status")
    save_versioned(task, fields=fields, expected_version=expected_version)
    audit.record(actor, "progress.create", progress, unit_id=task.unit_id)
    audit.record(actor, "task.progress", task, unit_id=task.unit_id, before=before)
    return progress


@removes_files_on_failure
@transaction.atomic
def record_phased_result(
    actor: User, task: Task, *, text: str, files: Iterable[Upload] = (), expected_version: int | None = None
) -> Progress:
    """A long-term task reports its phased result (阶段性成效); it is never simply closed."""
    require_task(actor, Action.PHASED_RESULT, task)
    text = _validate_text(text, "text", _("阶段性成效"))
    if task.category != Task.Category.LONG_TERM:
        raise InvalidTransition(_("只有长期整改任务报送阶段性成效，其他任务请申请销号"))
    require_status(task, Action.PHASED_RESULT,
                   _("任务当前状态为「%(status)s」，不能报送阶段性成效") % {"status": task.get_status_display()})
    progress = Progress.objects.create(
        task=task, kind=Progress.Kind.PHASED_RESULT, text=text, reported_on=clock.today(), author=actor,
        organization_id=_actor_org(actor, task),
    )
    add_all_evidence(actor, task, files, progress=progress)
    task.last_progress_at = clock.now()
    _transition(actor, task, S.PHASED_RESULT, "task.phased_result", fields=["last_progress_at"],
                expected_version=expected_version)
    audit.record(actor, "progress.create", progress, unit_id=task.unit_id)
    return progress


@transaction.atomic
def submit_task(actor: User, task: Task, *, note: str = "", expected_version: int | None = None) -> Task:
    """Ask for closure (申请销号); needs a progress entry with evidence unless the deployment says otherwise."""
    require_task(actor, Action.SUBMIT, task)
    if task.category == Task.Category.LONG_TERM:
        raise InvalidTransition(_("长期整改任务不能销号，请报送阶段性成效"))
    require_status(task, Action.SUBMIT,
                   _("任务当前状态为「%(status)s」，不能申请销号") % {"status": task.get_status_display()})
    if not task.progress.exists():
        raise ValidationFailed(_("申请销号前请先报送整改进展"), field="progress")
    if settings.RECTIFY_RULES["closure_needs_evidence"] and not Evidence.objects.filter(task=task).exists():
        raise ValidationFailed(_("申请销号需要上传佐证材料"), field="evidence")
    task.submitted_at = clock.now()
    return _transition(actor, task, S.SUBMITTED, "task.submit", note=note, fields=["submitted_at"],
                       expected_version=expected_version)


@transaction.atomic
def review_task(actor: User, task: Task, *, note: str = "", expected_version: int | None = None) -> Task:
    """The rectification office approves a closure request and passes it to the leader (审核通过);
    never the person who asked for it."""
    require_task(actor, Action.REVIEW, task)
    require_status(task, Action.REVIEW, _("只有待审核的任务才能审核"))
    ClosureReview.objects.create(task=task, stage=ClosureReview.Stage.OFFICE, decision=ClosureReview.Decision.APPROVE,
                                 reason=note, reviewer=actor)
    return _transition(actor, task, S.REVIEWED, "task.review", note=note, expected_version=expected_version)


@transaction.atomic
def return_task(actor: User, task: Task, *, reason: str, expected_version: int | None = None) -> Task:
    """Send a closure request back (退回) with a reason: the office at review, or the leader at approval."""
    require_task(actor, Action.RETURN, task)
    reason = _validate_text(reason, "reason", _("退回理由"))
    require_status(task, Action.RETURN, _("只有待审核或待审批的任务才能退回"))
    stage = ClosureReview.Stage.OFFICE if task.status == S.SUBMITTED else ClosureReview.Stage.LEADER
    ClosureReview.objects.create(task=task, stage=stage, decision=ClosureReview.Decision.RETURN, reason=reason,
                                 reviewer=actor)
    task.returned_count += 1
    return _transition(actor, task, S.RETURNED, "task.return", note=reason, fields=["returned_count"],
                       expected_version=expected_version)


@transaction.atomic
def approve_task(actor: User, task: Task, *, note: str = "", expected_version: int | None = None) -> Task:
    """The task's responsible leader or the unit's 第一责任人 approves closure (领导审批销号): 完成一项、销号一项."""
    require_task(actor, Action.APPROVE, task)
    require_status(task, Action.APPROVE, _("只有整改办审核通过的任务才能审批销号"))
    ClosureReview.objects.create(task=task, stage=ClosureReview.Stage.LEADER, decision=ClosureReview.Decision.APPROVE,
                                 reason=note, reviewer=actor)
    task.closed_at = clock.now()
    return _transition(actor, task, S.CLOSED, "task.close", note=note, fields=["closed_at"],
                       expected_version=expected_version)


@transaction.atomic
def reopen_task(actor: User, task: Task, *, reason: str, expected_version: int | None = None) -> Task:
    """Reopen a closed task (问题反弹): it goes back to the department with the reason."""
    require_task(actor, Action.REOPEN, task)
    reason = _validate_text(reason, "reason", _("重启理由"))
    require_status(task, Action.REOPEN, _("只有已销号的任务才能重启"))
    task.closed_at = None
    return _transition(actor, task, S.REOPENED, "task.reopen", note=reason, fields=["closed_at"],
                       expected_version=expected_version)


@transaction.atomic
def comment_task(actor: User, task: Task, *, text: str) -> Comment:
    """Leave a comment (意见) on a task."""
    require_task(actor, Action.COMMENT, task)
    comment = Comment.objects.create(task=task, text=_validate_text(text, "text", _("意见内容")), author=actor)
    audit.record(actor, "task.comment", comment, unit_id=task.unit_id)
    return comment


@transaction.atomic
def flag_task(actor: User, task: Task, *, text: str, expected_version: int | None = None) -> Comment:
    """A supervisor flags the rectification as not real (整改不实); a closed task goes back to re-check (复核)
    until the office answers the flag."""
    require_task(actor, Action.FLAG, task)
    comment = Comment.objects.create(
        task=task, kind=Comment.Kind.FLAG, text=_validate_text(text, "text", _("整改不实情况")), author=actor
    )
    audit.record(actor, "task.flag", comment, unit_id=task.unit_id)
    if task.status == S.CLOSED:
        before = audit.snapshot(task)
        task.status = S.RECHECK
        save_versioned(task, fields=["status"], expected_version=expected_version)
        audit.record(actor, "task.recheck", task, unit_id=task.unit_id, before=before, note=comment.text)
    announce(actor, "task.flag", task, note=comment.text, key=f"flag{comment.pk}")
    return comment


@transaction.atomic
def answer_flag(actor: User, task: Task, *, uphold: bool, reason: str, expected_version: int | None = None) -> Task:
    """The office answers a 整改不实 flag after re-check (复核): it upholds the closure, or reopens the task."""
    require_task(actor, Action.ANSWER_FLAG, task)
    reason = _validate_text(reason, "reason", _("复核意见"))
    require_status(task, Action.ANSWER_FLAG, _("只有复核中的任务才能答复整改不实标记"))
    task.comments.filter(kind=Comment.Kind.FLAG, resolved_at__isnull=True).update(resolved_at=clock.now())
    if uphold:
        return _transition(actor, task, S.CLOSED, "task.uphold", note=reason, expected_version=expected_version)
    task.closed_at = None
    return _transition(actor, task, S.REOPENED, "task.reopen", note=reason, fields=["closed_at"],
                       expected_version=expected_version)


@transaction.atomic
def schedule_look_back(
    actor: User, task: Task, *, scheduled_on: dt.date, method: str = LookBack.Method.LOOK_BACK,
    sample: LookBackSample | None = None,
) -> LookBack:
    """Schedule a look-back (回头看) or reverse check (反向核查) of a closed task, possibly as part of a sample."""
    require_task(actor, Action.LOOK_BACK, task)
    require_status(task, Action.LOOK_BACK, _("只能对已销号的任务开展回头看"))
    look_back = LookBack.objects.create(task=task, method=method, scheduled_on=scheduled_on, sample=sample)
    audit.record(actor, "lookback.schedule", look_back, unit_id=task.unit_id)
    return look_back


@transaction.atomic
def record_look_back(
    actor: User, look_back: LookBack, *, passed: bool, asked: str = "", answer: str = "", reason: str = "",
    checked_on: dt.date | None = None,
) -> LookBack:
    """Record a look-back's result; a failed check reopens the task with its reason."""
    task = look_back.task
    require_task(actor, Action.LOOK_BACK, task)
    if look_back.result != LookBack.Result.PENDING:
        raise InvalidTransition(_("该回头看已记录结果"))
    if not passed:
        reason = _validate_text(reason, "reason", _("问题反弹情况"))
    before = audit.snapshot(look_back)
    look_back.result = LookBack.Result.PASSED if passed else LookBack.Result.FAILED
    look_back.asked, look_back.answer, look_back.reason = asked.strip(), answer.strip(), reason.strip()
    look_back.checked_on = checked_on or clock.today()
    look_back.checker = actor
    look_back.save()
    audit.record(actor, "lookback.record", look_back, unit_id=task.unit_id, before=before)
    sample = look_back.sample
    if sample is not None and not sample.checks.filter(result=LookBack.Result.PENDING).exists():
        sample.finished_at = clock.now()
        sample.save(update_fields=["finished_at"])
        audit.record(actor, "lookback.sample_finish", sample, unit_id=task.unit_id)
    if not passed and task.status == S.CLOSED:
        reopen_task(actor, task, reason=reason)
    return look_back
