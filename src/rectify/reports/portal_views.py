"""The public portal (/portal/, no login): published notices and the feedback form.

Only published notices appear: drafts, internal reports and the leader's report are 404 here.
Pages carry no script at all, so a Content-Security-Policy without inline scripts holds.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rectify.errors import ValidationFailed
from rectify.network import client_ip
from rectify.notice.model import Contact
from rectify.reports import selectors, services
from rectify.reports.compose import unit_contact
from rectify.reports.forms import FeedbackForm
from rectify.reports.models import Report, ReportVersion
from rectify.reports.rendering import FORMATS, html_context
from rectify.reports.rendering import render as render_format


def _notice(pk: int) -> tuple[Report, ReportVersion]:
    return selectors.published_notice(pk)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_notices(), 30).get_page(request.GET.get("page"))
    return render(request, "portal/index.html", {"page": page})


def _context(report: Report, version: ReportVersion, form: FeedbackForm, **extra: Any) -> dict[str, Any]:
    contact: Contact = unit_contact(report.inspection)
    return {"report": report, "version": version, "document": html_context(version.content), "contact": contact,
            "form": form, **extra}


@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, report_id: int) -> HttpResponse:
    report, version = _notice(report_id)
    if request.method == "GET":
        form = FeedbackForm(initial={"token": services.feedback_token(report)})
        return render(request, "portal/notice.html", _context(report, version, form))
    form = FeedbackForm(request.POST)
    error, rate_limited = "", False
    if form.is_valid():
        data = form.cleaned_data
        try:
            feedback = services.submit_feedback(
                report, name=data["name"], contact=data["contact"], message=data["message"], trap=data["website"],
                token=data["token"], client_ip=client_ip(request) or "",
            )
            return render(request, "portal/thanks.html", {"report": report, "feedback": feedback})
        except ValidationFailed as exc:
            error, rate_limited = exc.message, exc.field == "rate"
    else:
        error = _("提交的内容过长或格式不正确，请检查后重新提交")
    # A fresh token: the sender must not be made to wait again for a form they already filled in.
    data = form.data.copy()
    data["token"] = services.feedback_token(report)
    form = FeedbackForm(data)
    form.is_valid()
    status = 429 if rate_limited else 400
    return render(request, "portal/notice.html", _context(report, version, form, error=error), status=status)


@require_GET
def download(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    report, version = _notice(report_id)
    if fmt not in ("docx", "txt"):
        raise Http404(_("不支持的格式"))
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(render_format(version.content, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="notice-{report.pk}-v{version.number}.{extension}"'
    return response


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """意见办理情况查询: the receipt number and the code given at submission show the status, nothing else."""
    if request.method == "GET":
        return render(request, "portal/lookup.html", {})
    reference, code = request.POST.get("reference", "")[:40], request.POST.get("code", "")[:40]
    try:
        feedback = services.lookup_feedback(reference=reference, code=code, client_ip=client_ip(request))
    except ValidationFailed as exc:
        return render(request, "portal/lookup.html", {"error": exc.message, "reference": reference}, status=429)
    if feedback is None:
        error = _("未查到与该受理编号和查询码对应的意见，请核对后重试")
        return render(request, "portal/lookup.html", {"error": error, "reference": reference}, status=404)
    return render(request, "portal/lookup.html", {"feedback": feedback, "reference": reference})
