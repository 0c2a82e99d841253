"""The task page: what it answers, its timeline, its audit history, who acts next, and the actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rectify.audit.models import AuditEvent
from rectify.ledger import services
from rectify.ledger.downloads import evidence_response
from rectify.ledger.models import Evidence, LookBack, Task
from rectify.ledger.selectors import tasks_visible_to, timeline
from rectify.ledger.services.evidence import Upload
from rectify.ledger.views.common import get_task, perform
from rectify.organizations.scoping import Action, can_task
from rectify.rules.ids import parse_id

ACTION_LABELS = {
    "start": gettext_lazy("已启动整改"),
    "progress": gettext_lazy("整改进展已报送"),
    "phased": gettext_lazy("阶段性成效已报送"),
    "submit": gettext_lazy("已申请销号，等待整改办审核"),
    "review": gettext_lazy("审核通过，已提交领导审批"),
    "return": gettext_lazy("已退回"),
    "approve": gettext_lazy("已销号"),
    "comment": gettext_lazy("意见已发表"),
    "flag": gettext_lazy("已标记整改不实"),
    "lookback": gettext_lazy("已安排回头看"),
}


def next_actor(task: Task) -> tuple[str, bool]:
    """Who must act next, in words, and whether the task is done."""
    dept = task.lead_org.name if task.lead_org else _("牵头单位")
    handler = _("（%(name)s）") % {"name": task.handler.display_name} if task.handler else ""
    who = {"who": f"{dept}{handler}"}
    status = task.status
    if status == Task.Status.CLOSED:
        return _("已销号，无需办理；整改办适时开展回头看。"), True
    if status == Task.Status.SUBMITTED:
        return _("整改办：审核销号申请（同意或退回）。"), False
    if status == Task.Status.REVIEWED:
        if task.leader_name:
            return _("责任领导%(name)s：审批销号。") % {"name": task.leader_name}, False
        return _("责任领导：审批销号。"), False
    if status == Task.Status.RETURNED:
        return _("%(who)s：按退回意见补充整改后重新申请销号。") % who, False
    if status == Task.Status.REOPENED:
        return _("%(who)s：问题反弹，重新整改并报送进展。") % who, False
    if task.category == Task.Category.LONG_TERM:
        return _("%(who)s：长期整改，定期报送阶段性成效。") % who, False
    if status == Task.Status.NOT_STARTED:
        return _("%(who)s：启动整改并报送进展。") % who, False
    return _("%(who)s：推进整改，完成后上传佐证材料并申请销号。") % who, False


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    user = request.user
    who, done = next_actor(task)
    audit = AuditEvent.objects.filter(object_type="ledger.task", object_id=str(task.pk)).order_by("-id")[:50]
    context: dict[str, Any] = {
        "task": task,
        "finding_path": [f for f in (task.finding.parent, task.finding) if f is not None],
        "co_orgs": list(task.co_orgs.all()),
        "events": timeline(task),
        "audit": audit,
        "next_actor": who,
        "done": done,
        "light": task.light(),
        "overdue": task.is_overdue(),
        "can_progress": can_task(user, Action.REPORT_PROGRESS, task) and task.status in services.lifecycle.PROGRESS_FROM,  # type: ignore[arg-type]
        "can_submit": can_task(user, Action.SUBMIT, task) and task.status in services.lifecycle.SUBMIT_FROM  # type: ignore[arg-type]
        and task.category != Task.Category.LONG_TERM,
        "can_phased": can_task(user, Action.REPORT_PROGRESS, task) and task.category == Task.Category.LONG_TERM  # type: ignore[arg-type]
        and task.status in services.lifecycle.PROGRESS_FROM,
        "can_review": can_task(user, Action.REVIEW, task) and task.status == Task.Status.SUBMITTED,  # type: ignore[arg-type]
        "can_approve": can_task(user, Action.APPROVE, task) and task.status == Task.Status.REVIEWED,  # type: ignore[arg-type]
        "can_comment": can_task(user, Action.COMMENT, task),  # type: ignore[arg-type]
        "can_flag": can_task(user, Action.FLAG, task),  # type: ignore[arg-type]
        "can_lookback": can_task(user, Action.LOOK_BACK, task) and task.status == Task.Status.CLOSED,  # type: ignore[arg-type]
        "pending_checks": [lb for lb in task.look_backs.all() if lb.result == LookBack.Result.PENDING],
        "can_edit": can_task(user, Action.EDIT_PLAN, task),  # type: ignore[arg-type]
    }
    context["progress_action"] = "phased" if context["can_phased"] else "progress"
    context["review_action"] = "review" if context["can_review"] else "approve"
    return render(request, "ledger/task_detail.html", context)


def _uploads(request: HttpRequest) -> list[Upload]:
    return [Upload(name=f.name or "file", data=f.read()) for f in request.FILES.getlist("files")]


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    task = get_task(request, pk)
    user = request.user
    post = request.POST
    version = parse_id(post.get("version"))
    calls = {
        "start": lambda: services.start_task(user, task, expected_version=version),
        "progress": lambda: services.report_progress(user, task, text=post.get("text", ""), files=_uploads(request),
                                                     expected_version=version),
        "phased": lambda: services.record_phased_result(user, task, text=post.get("text", ""), files=_uploads(request),
                                                        expected_version=version),
        "submit": lambda: services.submit_task(user, task, note=post.get("note", ""), expected_version=version),
        "review": lambda: services.review_task(user, task, note=post.get("note", ""), expected_version=version),
        "return": lambda: services.return_task(user, task, reason=post.get("reason", ""), expected_version=version),
        "approve": lambda: services.approve_task(user, task, note=post.get("note", ""), expected_version=version),
        "comment": lambda: services.comment_task(user, task, text=post.get("text", "")),
        "flag": lambda: services.flag_task(user, task, text=post.get("text", "")),
        "lookback": lambda: _look_back(request, task),
    }
    if action not in calls:
        raise Http404
    back = post.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("ledger:task", args=[task.pk])
    return perform(request, calls[action], success=str(ACTION_LABELS[action]), back=back)  # type: ignore[arg-type]


def _look_back(request: HttpRequest, task: Task) -> Any:
    from rectify import clock

    post = request.POST
    look_back = services.schedule_look_back(
        request.user, task, scheduled_on=clock.today(),  # type: ignore[arg-type]
        method=post.get("method") if post.get("method") in LookBack.Method.values else LookBack.Method.LOOK_BACK,
    )
    if post.get("result") in {"passed", "failed"}:
        services.record_look_back(request.user, look_back, passed=post["result"] == "passed",  # type: ignore[arg-type]
                                  asked=post.get("asked", ""), answer=post.get("answer", ""),
                                  reason=post.get("reason", ""))
    return look_back


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file as an attachment, only to users who can see its task."""
    try:
        item = Evidence.objects.select_related("task").get(pk=pk, task__in=tasks_visible_to(request.user))  # type: ignore[arg-type]
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    try:
        return evidence_response(item)
    except FileNotFoundError as exc:
        raise Http404 from exc
