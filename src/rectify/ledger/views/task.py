"""The task page: what it answers, its timeline, its audit history, who acts next, and the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rectify.audit.models import AuditEvent
from rectify.errors import ValidationFailed
from rectify.ledger import services
from rectify.ledger.downloads import evidence_response
from rectify.ledger.models import Evidence, Extension, LookBack, Task
from rectify.ledger.panels import task_panels
from rectify.ledger.selectors import tasks_visible_to, timeline
from rectify.ledger.services.evidence import Upload
from rectify.ledger.timeline import audit_label
from rectify.ledger.views.common import get_task, perform
from rectify.organizations.scoping import Action, actions_on_task, can_task
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
    "answer_flag": gettext_lazy("复核意见已记录"),
    "withdraw": gettext_lazy("销号申请已撤回"),
    "extend": gettext_lazy("延期申请已提交，等待整改办审核"),
    "extend_review": gettext_lazy("延期申请审核意见已记录"),
    "extend_decide": gettext_lazy("延期申请已办理"),
    "delete": gettext_lazy("任务已删除，删除前的内容保存在审计记录中"),
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
    if status == Task.Status.RECHECK:
        return _("整改办：复核整改不实问题，维持销号或重启整改。"), False
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
    extension = task.extensions.filter(status__in=[Extension.Status.PENDING, Extension.Status.REVIEWED]).first()
    audit = list(AuditEvent.objects.filter(object_type="ledger.task", object_id=str(task.pk))
                 .select_related("actor").order_by("-id")[:50])
    for ev in audit:
        ev.label = audit_label(ev.action)  # type: ignore[attr-defined]
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
        "overdue_days": task.days_overdue(),
        "pending_checks": [lb for lb in task.look_backs.all() if lb.result == LookBack.Result.PENDING],
        "panels": task_panels(request, task),
        "extension": extension,
        # An open extension request is decided at two steps: the office reviews, the leader decides.
        "can_review_extension": extension is not None and extension.status == Extension.Status.PENDING
        and can_task(user, Action.REVIEW, task),  # type: ignore[arg-type]
        "can_decide_extension": extension is not None and extension.status == Extension.Status.REVIEWED
        and can_task(user, Action.APPROVE, task),  # type: ignore[arg-type]
    }
    # One decision for every form on the page: rules.permissions over the user's facts and the task's status.
    allowed = actions_on_task(user, task)  # type: ignore[arg-type]
    if extension is not None:
        allowed -= {Action.REQUEST_EXTENSION}  # one request at a time
    context["allowed"] = {str(action) for action in allowed}
    context["progress_action"] = str(Action.PHASED_RESULT if Action.PHASED_RESULT in allowed else Action.REPORT_PROGRESS)
    context["review_action"] = str(Action.REVIEW if Action.REVIEW in allowed else Action.APPROVE)
    context["draft_text"] = request.session.pop(_draft_key(task), "")
    context["extension_action"] = "extend_review" if context["can_review_extension"] else "extend_decide"
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
        "answer_flag": lambda: services.answer_flag(user, task, uphold=post.get("uphold") == "1",
                                                    reason=post.get("reason", ""), expected_version=version),
        "lookback": lambda: _look_back(request, task),
        "withdraw": lambda: services.withdraw_task(user, task, note=post.get("note", ""), expected_version=version),
        "extend": lambda: services.request_extension(user, task, deadline=_date(post.get("deadline", ""), _("申请延期至")),
                                                     reason=post.get("reason", "")),
        "extend_review": lambda: services.review_extension(user, task, approve=post.get("approve") == "1",
                                                           note=post.get("note", "")),
        "extend_decide": lambda: services.decide_extension(user, task, approve=post.get("approve") == "1",
                                                           note=post.get("note", "")),
        "delete": lambda: services.delete_task(user, task, reason=post.get("reason", "")),
    }
    if action not in calls:
        raise Http404
    if action in ("progress", "phased"):
        calls[action] = _keeping_draft(request, task, calls[action])
    back = post.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("ledger:task", args=[task.pk])
    if action == "delete":
        return perform(request, calls[action], success=str(ACTION_LABELS[action]),
                       back=reverse("ledger:ledger", args=[task.inspection_id]), failed=back)
    return perform(request, calls[action], success=str(ACTION_LABELS[action]), back=back)  # type: ignore[arg-type]


def _draft_key(task: Task) -> str:
    return f"progress-draft-{task.pk}"


def _keeping_draft(request: HttpRequest, task: Task, call: Any) -> Any:
    """The typed progress text survives a refused step (a rejected file): the page shows it again."""
    def run() -> Any:
        request.session[_draft_key(task)] = request.POST.get("text", "")[:20000]
        result = call()
        request.session.pop(_draft_key(task), None)
        return result
    return run


def _date(value: str, label: str) -> dt.date | None:
    value = value.strip()
    try:
        day = parse_date(value) if value else None
    except ValueError:  # well formed but not a day, like 2026-02-30
        day = None
    if value and day is None:
        raise ValidationFailed(_("「%(label)s」无法识别：%(value)s") % {"label": label, "value": value}, field="deadline")
    return day


def _look_back(request: HttpRequest, task: Task) -> Any:
    from rectify import clock

    post = request.POST
    # A check already scheduled (a sampled one) is the one recorded; otherwise one is scheduled now.
    look_back = task.look_backs.filter(result=LookBack.Result.PENDING).first() or services.schedule_look_back(
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
