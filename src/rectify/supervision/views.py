"""Supervision pages: inbox, dispatch, orders (五书), plan review, common problems. Views parse input
and call one service or selector; out of scope is 404, in scope without the role 403."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rectify import clock
from rectify.errors import Forbidden, NotVisible, RectifyError, ValidationFailed
from rectify.ledger import services as ledger_services
from rectify.ledger.models import LookBack, LookBackSample, Task
from rectify.ledger.selectors import tasks_visible_to
from rectify.ledger.views.common import get_inspection, paginate
from rectify.organizations.models import Organization
from rectify.organizations.scoping import can_unit, require_unit
from rectify.refusals import htmx_refusal
from rectify.rules.ids import parse_id
from rectify.rules.permissions import Action
from rectify.supervision import documents, selectors, services
from rectify.supervision.models import Evaluation, Order, PlanReview, PlanVersion, SecondRound
from rectify.supervision.selectors.problems import DEFAULT_THRESHOLD
from rectify.supervision.services import problems
from rectify.supervision.services.dispatch import monday
from rectify.supervision.services.orders import can_reply, order_tasks
from rectify.supervision.services.reviews import may_sign_plan, party_of, pending_parties
from rectify.supervision.templatetags.supervision import task_flags_context
from rectify.totp.services import active_device

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _official_language() -> translation.override:
    """Generated documents (公文, exported sheets) stay Chinese whatever language the page is in:
    their headings and status labels come from the same translatable choices as the pages."""
    return translation.override(settings.LANGUAGE_CODE)


# Login is all a view here needs: NotVisible is a 404 and Forbidden a 403 by themselves.
scoped = login_required

def _run(request: HttpRequest, action: Callable[[], Any], *, success: str, back: str,
         done: str | None = None) -> HttpResponse:
    """Run a service for a form: a refused step becomes a message, then back to the page (or on to `done`)."""
    try:
        action()
    except RectifyError as exc:
        if isinstance(exc, NotVisible | Forbidden):
            raise  # 404 and 403, as Django answers them
        if (refused := htmx_refusal(request, exc)) is not None:
            return refused  # the page stays as it is, with what was typed
        messages.error(request, exc.message)
        return redirect(back)
    if done is not None:
        messages.success(request, success)
        return redirect(done)
    messages.success(request, success)
    return redirect(back)


def _date(value: str | None, field: str, label: str, *, required: bool = True) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed(_("「%(label)s」不能为空") % {"label": label}, field=field)
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(_("「%(label)s」无法识别：%(value)s") % {"label": label, "value": value},
                              field=field) from exc


def _unit(request: HttpRequest, pk: int) -> Organization:
    unit = Organization.objects.filter(pk=pk, kind=Organization.Kind.UNIT).first()
    if unit is None:
        raise Http404
    require_unit(request.user, Action.VIEW, unit, message=_("您无权查看该单位"))  # type: ignore[arg-type]
    return unit


def _task_of(request: HttpRequest, pk: str | None) -> Task:
    number = parse_id(pk)
    if number is None:
        raise ValidationFailed(_("请选择整改任务"), field="task")
    task = tasks_visible_to(request.user).filter(pk=number).first()  # type: ignore[arg-type,arg-type]
    if task is None:
        raise ValidationFailed(_("请选择整改任务"), field="task")
    return task


# --- inbox ---------------------------------------------------------------------------------------


@scoped
def inbox(request: HttpRequest) -> HttpResponse:
    """站内通知: the user's notifications, unread first in count, newest first in order."""
    items = selectors.inbox(request.user)  # type: ignore[arg-type]
    if request.GET.get("unread"):
        items = items.filter(read_at__isnull=True)
    return render(request, "supervision/inbox.html", {
        "page": paginate(request, items, 50), "unread": selectors.unread_count(request.user),  # type: ignore[arg-type]
        "only_unread": bool(request.GET.get("unread")),
    })


@require_POST
@scoped
def inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (pk) or all as read."""
    pk = request.POST.get("pk", "")
    notification = None
    if pk:
        number = parse_id(pk)
        notification = selectors.inbox(request.user).filter(pk=number).first() if number else None  # type: ignore[arg-type]
        if notification is None:
            raise Http404
    count = services.mark_read(request.user, notification=notification)  # type: ignore[arg-type]
    messages.success(request, ngettext("已标记 %(count)d 条通知为已读", "已标记 %(count)d 条通知为已读", count) % {"count": count})
    return redirect("supervision:inbox")


# --- dispatch ------------------------------------------------------------------------------------


# Weeks a dispatch sheet can show: the page links to the week before and after, which must exist too.
FIRST_WEEK, LAST_WEEK = dt.date(1900, 1, 1), dt.date(9999, 12, 1)


def _week_of(text: str) -> dt.date:
    """The Monday of the week named by a date, this week if it does not parse, kept within the calendar."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return monday(clock.today())
    return monday(min(max(day, FIRST_WEEK), LAST_WEEK))


def _week(request: HttpRequest) -> dt.date:
    return _week_of(request.GET.get("week", ""))


@scoped
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    """一周一调度: the unit's sheet for a week, its decisions, and the form to record one."""
    unit = _unit(request, pk)
    sheet = services.build_dispatch(request.user, unit, _week(request))  # type: ignore[arg-type]
    return render(request, "supervision/dispatch.html", {
        "sheet": sheet, "unit": unit, "can_record": can_unit(request.user, Action.RECORD_DISPATCH, unit),  # type: ignore[arg-type]
        "previous": sheet.week_of - dt.timedelta(days=7), "next": sheet.week_of + dt.timedelta(days=7),
        "tasks": sorted({r.task for _k, _l, rows in sheet.sections() for r in rows}, key=lambda t: t.pk),
    })


@require_POST
@scoped
def dispatch_decide(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    week = _week_of(request.POST.get("week", ""))
    back = f"{reverse('supervision:dispatch', args=[unit.pk])}?week={week.isoformat()}"
    return _run(request, lambda: services.record_decision(
        request.user, unit, week_of=week, task=_task_of(request, request.POST.get("task")),  # type: ignore[arg-type]
        text=request.POST.get("text", ""), responsible=request.POST.get("responsible", ""),
        due_on=_date(request.POST.get("due_on"), "due_on", _("完成时限")),
    ), success=_("调度意见已记录"), back=back)


@scoped
def dispatch_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The dispatch sheet as .docx (公文) or .xlsx."""
    if fmt not in ("docx", "xlsx"):
        raise Http404
    unit = _unit(request, pk)
    sheet = services.build_dispatch(request.user, unit, _week(request))  # type: ignore[arg-type]
    with _official_language():
        data, mime = (documents.dispatch_docx(sheet), DOCX) if fmt == "docx" else (documents.dispatch_xlsx(sheet), XLSX)
    response = HttpResponse(data, content_type=mime)
    name = f"dispatch-{unit.pk}-{sheet.week_of.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- orders --------------------------------------------------------------------------------------


@scoped
def orders(request: HttpRequest, pk: int) -> HttpResponse:
    """督办文书 of a unit, and the form to issue one (五书)."""
    unit = _unit(request, pk)
    if request.method == "POST":
        back = reverse("supervision:orders", args=[unit.pk])
        return _run(request, lambda: services.issue_order(
            request.user, kind=request.POST.get("kind", ""), task=_task_of(request, request.POST.get("task")),  # type: ignore[arg-type]
            reply_due=_date(request.POST.get("reply_due"), "reply_due", _("回复时限")),  # type: ignore[arg-type]
            number=request.POST.get("number", ""), body=request.POST.get("body", ""),
        ), success=_("督办文书已印发"), back=back)
    can_issue = can_unit(request.user, Action.ISSUE_ORDER, unit)  # type: ignore[arg-type]
    open_tasks = (tasks_visible_to(request.user).filter(unit=unit)  # type: ignore[arg-type]
                  .exclude(status=Task.Status.CLOSED).order_by("deadline", "pk")[:300]) if can_issue else []
    suggested = {t.pk: services.suggest_next_order(t) for t in list(open_tasks)[:50]}
    chosen = request.GET.get("task", "")
    return render(request, "supervision/orders.html", {
        "unit": unit, "orders": selectors.orders_visible_to(request.user).filter(unit=unit),  # type: ignore[arg-type]
        "can_issue": can_issue, "kinds": Order.Kind.choices,
        "task_rows": [(t, Order.Kind(suggested[t.pk]).label if suggested.get(t.pk) else "") for t in open_tasks],
        "tasks": open_tasks, "chosen_task": chosen,
        "chosen_kind": request.GET.get("kind") or (suggested.get(int(chosen)) if chosen.isdigit() else "") or "",
        "default_due": clock.today() + dt.timedelta(days=7),
    })


def _order(request: HttpRequest, pk: int) -> Order:
    order = selectors.orders_visible_to(request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if order is None:
        raise Http404
    return order


@scoped
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    return render(request, "supervision/order.html", {
        "order": order, "tasks": order_tasks(order),
        "can_reply": order.status == Order.Status.ISSUED and can_reply(request.user, order),  # type: ignore[arg-type]
        "can_close": order.status == Order.Status.REPLIED and can_unit(request.user, Action.ISSUE_ORDER, order.unit),  # type: ignore[arg-type]
    })


@require_POST
@scoped
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    order = _order(request, pk)
    back = reverse("supervision:order", args=[order.pk])
    if action == "reply":
        return _run(request, lambda: services.reply_order(request.user, order, text=request.POST.get("text", "")),  # type: ignore[arg-type]
                    success=_("回复已提交"), back=back)
    if action == "close":
        return _run(request, lambda: services.close_order(request.user, order), success=_("已办结"), back=back)  # type: ignore[arg-type]
    raise Http404


@scoped
def order_docx(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    with _official_language():
        data = documents.order_docx(order)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="order-{order.pk}.docx"'
    return response


# --- plan review ---------------------------------------------------------------------------------


@scoped
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """方案审核: integrity, formalism flags, clocks, versions and reviews, look-back and evaluation."""
    inspection = get_inspection(request, pk)
    require_unit(request.user, Action.VIEW_PLAN_REVIEW, inspection.target,
                 message=_("只有整改办、领导、纪检监督或巡视巡察办可以查看方案审核"))  # type: ignore[arg-type]
    versions = list(PlanVersion.objects.filter(inspection=inspection).prefetch_related("reviews__reviewer"))
    report_reviews = PlanReview.objects.filter(inspection=inspection).exclude(subject=PlanReview.Subject.PLAN)
    user = request.user
    return render(request, "supervision/review.html", {
        "inspection": inspection, "integrity": selectors.plan_integrity(inspection), "flags": selectors.plan_flags(inspection),
        "clocks": selectors.inspection_clocks(inspection, plan_done=bool(versions),
                                              report_done=report_reviews.exists()),
        "versions": versions, "latest": versions[0] if versions else None, "report_reviews": report_reviews,
        "evaluations": Evaluation.objects.filter(inspection=inspection)[:5],
        "second_round": (second := SecondRound.objects.filter(inspection=inspection).first()),
        "second_round_tasks": (planned := second.tasks.count() if second else 0),
        # A round started before its tasks were planned with it: the office plans them with the button.
        "second_round_backlog": (backlog := second is not None and not planned
                                 and bool(services.unfinished_before(second))),
        "can_plan_second_round": backlog and can_unit(user, Action.EDIT_PLAN, inspection.target),  # type: ignore[arg-type]
        "can_submit": can_unit(user, Action.SUBMIT_PLAN, inspection.target),  # type: ignore[arg-type]
        "can_review": can_unit(user, Action.REVIEW_PLAN, inspection.target),  # type: ignore[arg-type]
        "can_evaluate": can_unit(user, Action.EVALUATE, inspection.target),  # type: ignore[arg-type]
        "can_look_back": can_unit(user, Action.LOOK_BACK, inspection.target),  # type: ignore[arg-type]
        "can_sign": bool(versions) and versions[0].signed_at is None and versions[0].status != PlanVersion.Status.RETURNED
        and may_sign_plan(user, inspection),  # type: ignore[arg-type]
        "sign_needs_code": active_device(user) is not None,  # type: ignore[arg-type]
        "my_party": PlanReview.Party(mine).label if (mine := party_of(user, inspection)) else "",  # type: ignore[arg-type]
        "pending_parties": [PlanReview.Party(p).label for p in pending_parties(versions[0])] if versions else [],
        "parties": PlanReview.Party.choices, "grades": PlanReview.Grade.choices,
        "subjects": [c for c in PlanReview.Subject.choices if c[0] != PlanReview.Subject.PLAN],
        "categories": Task.Category.choices, "methods": LookBack.Method.choices,
    })


@require_POST
@scoped
def review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    inspection = get_inspection(request, pk)
    back = reverse("supervision:review", args=[inspection.pk])
    post, user = request.POST, request.user
    send_back = post.get("send_back") in ("1", "on", "true")
    then = None
    if action == "submit":
        run = lambda: services.submit_plan(user, inspection, note=post.get("note", ""))  # noqa: E731
        done = _("整改方案已报送")
    elif action == "sign":
        version = PlanVersion.objects.filter(inspection=inspection).order_by("-number").first()
        if version is None:
            raise Http404
        run = lambda: services.sign_plan(user, version, code=post.get("code", ""))  # noqa: E731
        done = _("已签字确认")
    elif action == "review-plan":
        version = PlanVersion.objects.filter(inspection=inspection).order_by("-number").first()
        if version is None:
            raise Http404
        run = lambda: services.review_plan(user, version, grade=post.get("grade", ""),  # noqa: E731
                                           comments=post.get("comments", ""), send_back=send_back)
        done = _("审核意见已记录")
    elif action == "review-report":
        run = lambda: services.review_report(user, inspection, subject=post.get("subject", "report"),  # noqa: E731
                                             party=post.get("party", ""), grade=post.get("grade", ""),
                                             comments=post.get("comments", ""), send_back=send_back)
        done = _("审核意见已记录")
    elif action == "look-back":
        run = lambda: services.sample_for_look_back(  # noqa: E731
            user, inspection, post.get("percent", "0"), categories=post.getlist("categories"),
            seed=parse_id(post.get("seed")),
            scheduled_on=_date(post.get("scheduled_on"), "scheduled_on", _("计划日期"), required=False),
            method=post.get("method", LookBack.Method.LOOK_BACK))
        done = _("已抽取并安排回头看，请逐项记录核查结果")
        then = reverse("supervision:look_backs", args=[inspection.pk])
    elif action == "evaluate":
        deductions = [
            (post.get(f"section_{i}", ""), post.get(f"points_{i}", ""), post.get(f"reason_{i}", ""))
            for i in range(3) if post.get(f"points_{i}", "").strip()
        ]
        run = lambda: services.evaluate_inspection(user, inspection, deductions=deductions,  # noqa: E731
                                                   satisfaction=post.get("satisfaction") or None)
        done = _("评估结果已记录")
    elif action == "second-round":
        second = SecondRound.objects.filter(inspection=inspection).first()
        if second is None:
            raise Http404
        run = lambda: services.plan_second_round(user, second)  # noqa: E731
        done = _("二次整改任务已生成，请在台账中逐项推进")
    else:
        raise Http404
    return _run(request, run, success=done, back=back, done=then)


# --- look-back checks ----------------------------------------------------------------------------


@scoped
def look_backs(request: HttpRequest, pk: int) -> HttpResponse:
    """回头看抽查: each sample with its checks; a pending check is recorded here against its sample."""
    inspection = get_inspection(request, pk)
    require_unit(request.user, Action.VIEW_LOOK_BACKS, inspection.target)  # type: ignore[arg-type]
    samples = list(LookBackSample.objects.filter(inspection=inspection).select_related("created_by")
                   .prefetch_related("checks__task", "checks__checker"))
    for sample in samples:
        checks = list(sample.checks.all())
        sample.rows = sorted(checks, key=lambda c: (c.result != LookBack.Result.PENDING, c.task_id))  # type: ignore[attr-defined]
        sample.pending = sum(c.result == LookBack.Result.PENDING for c in checks)  # type: ignore[attr-defined]
    return render(request, "supervision/look_backs.html", {
        "inspection": inspection, "samples": samples,
        "can_record": can_unit(request.user, Action.LOOK_BACK, inspection.target),  # type: ignore[arg-type]
    })


@require_POST
@scoped
def look_back_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one sampled check: passed, or failed with the reason (the task reopens)."""
    check = LookBack.objects.filter(pk=pk, task__in=tasks_visible_to(request.user)).select_related(  # type: ignore[arg-type]
        "task__inspection", "sample").first()
    if check is None:
        raise Http404
    post = request.POST
    back = reverse("supervision:look_backs", args=[check.task.inspection_id]) + f"#check-{check.pk}"
    return _run(request, lambda: ledger_services.record_look_back(
        request.user, check, passed=post.get("result") == "passed", asked=post.get("asked", ""),  # type: ignore[arg-type]
        answer=post.get("answer", ""), reason=post.get("reason", "")), success=_("核查结果已记录"), back=back)


# --- tasks and common problems -------------------------------------------------------------------


@scoped
def task_flags(request: HttpRequest, pk: int) -> HttpResponse:
    """The formalism flags of a task as a partial (for the task page, through htmx or include)."""
    task = tasks_visible_to(request.user).select_related("inspection").filter(pk=pk).first()  # type: ignore[arg-type]
    if task is None:
        raise Http404
    return render(request, "supervision/partials/_task_flags.html", task_flags_context(task))


def _threshold(request: HttpRequest) -> float:
    try:
        value = float(request.GET.get("threshold", DEFAULT_THRESHOLD))
    except ValueError:
        return DEFAULT_THRESHOLD
    if not math.isfinite(value):  # nan would pass every comparison below and reach the selector
        return DEFAULT_THRESHOLD
    return min(max(value, 0.2), 1.0)


@scoped
def common_problems(request: HttpRequest) -> HttpResponse:
    """共性问题: similar findings across the units the inspection office follows, as last analysed in the
    background; a stale analysis is brought up to date by the worker while the page polls (htmx)."""
    threshold = _threshold(request)
    analysis = selectors.common_problems_page(request.user, threshold=threshold)  # type: ignore[arg-type]
    if analysis.stale and not analysis.pending:
        problems.request_analysis(threshold)
        analysis = selectors.common_problems_page(request.user, threshold=threshold)  # type: ignore[arg-type]
    template = "supervision/partials/_common_problems.html" if request.htmx else "supervision/common_problems.html"
    return render(request, template, {"analysis": analysis, "clusters": analysis.clusters, "threshold": threshold})


@scoped
def common_problems_xlsx(request: HttpRequest) -> HttpResponse:
    clusters = selectors.common_problems(request.user, threshold=_threshold(request))  # type: ignore[arg-type]
    with _official_language():
        data = documents.common_problems_xlsx(clusters)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="common-problems.xlsx"'
    return response
