"""Office-side report pages (/reports/…): list, generate, edit sections, publish, versions, compare,
download, and the inbox of feedback from the public. Out of scope → 404, no role → 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rectify.errors import InvalidTransition, StaleWrite, ValidationFailed
from rectify.jobs.models import Job
from rectify.jobs.views import follow, offer_file
from rectify.refusals import htmx_refusal
from rectify.reports import jobs as background
from rectify.reports import selectors, services
from rectify.reports.forms import GenerateForm, HandleForm, PublishForm, SectionForm, TitleForm
from rectify.reports.models import Report, ReportSection
from rectify.reports.pdf import PdfUnavailable
from rectify.reports.rendering import FORMATS, html_context
from rectify.reports.rendering import render as render_format
from rectify.rules.ids import parse_id

# Login is all a view here needs: NotVisible is a 404 and Forbidden a 403 by themselves.
scoped = login_required

@scoped
@require_GET
def inspection_reports(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.inspection_for(request.user, inspection_id)
    return render(request, "reports/inspection_reports.html", {
        "inspection": inspection,
        "reports": selectors.reports_of(inspection),
        "due": selectors.reports_due([inspection]),
        "kinds": Report.Kind.choices,
        **selectors.report_flags(request.user, inspection),
    })


@scoped
@require_POST
def generate(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.inspection_for(request.user, inspection_id)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择报告类别"))
        return redirect("reports:inspection", inspection_id=inspection.pk)
    if background.generation_waits_for_worker(inspection):
        job = background.start_generation(request.user, inspection, form.cleaned_data["kind"])
        return redirect("reports:generate_job", inspection_id=inspection.pk, job=job.pk)
    report = services.generate_report(request.user, inspection, form.cleaned_data["kind"])
    messages.success(request, _("已根据台账最新数据生成「%(title)s」") % {"title": report.title})
    return redirect("reports:detail", report_id=report.pk)


@scoped
@require_GET
def generate_job(request: HttpRequest, inspection_id: int, job: int) -> HttpResponse:
    """后台生成报告的进度, for the unit's rectification office."""
    inspection = selectors.inspection_for(request.user, inspection_id)
    if not selectors.report_flags(request.user, inspection)["can_edit"]:
        return HttpResponse(_("只有整改办可以生成报告"), status=403)
    found = background.generation_job(inspection, job)
    if found is None:
        raise Http404
    return follow(request, found, title=_("正在生成报告"), finish=lambda done: _generated(request, inspection, done),
                  context={"inspection": inspection})


def _generated(request: HttpRequest, inspection: Any, job: Job) -> HttpResponse:
    result = job.result or {}
    if job.status == Job.Status.FAILED or not result.get("report"):
        messages.error(request, result.get("error") or _("后台生成报告未能完成，请重试；如反复出现请联系系统管理员"))
        return redirect("reports:inspection", inspection_id=inspection.pk)
    messages.success(request, _("已根据台账最新数据生成「%(title)s」") % {"title": result["title"]})
    return redirect("reports:detail", report_id=result["report"])


def _detail_context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    sections = list(report.sections.order_by("position"))
    forms = {s.pk: SectionForm(initial={"heading": s.heading, "body": s.body, "version": s.version}) for s in sections}
    forms.update(extra.pop("forms", {}))
    return {
        "report": report,
        "sections": [(s, forms[s.pk]) for s in sections],
        "title_form": extra.pop("title_form", None)
        or TitleForm(initial={"title": report.title, "signer": report.signer, "version": report.version}),
        "preview": html_context(selectors.draft_content(report)),
        **selectors.report_flags(request.user, report.inspection, report.kind),
        **extra,
    }


@scoped
@require_GET
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(request.user, report_id)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


@scoped
@require_POST
def rename(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(request.user, report_id, "edit")
    form = TitleForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.rename_report(request.user, report, title=form.cleaned_data["title"],
                                   signer=form.cleaned_data["signer"], expected_version=form.cleaned_data["version"])
            messages.success(request, _("标题已保存"))
            return redirect("reports:detail", report_id=report.pk)
        except (ValidationFailed, StaleWrite) as exc:
            form.add_error(None, exc.message)
            status = 409 if isinstance(exc, StaleWrite) else 400
    report.refresh_from_db()
    return render(request, "reports/report_detail.html", _detail_context(request, report, title_form=form), status=status)


@scoped
@require_http_methods(["GET", "POST"])
def edit_section(request: HttpRequest, report_id: int, section_id: int) -> HttpResponse:
    report = selectors.report_for(request.user, report_id, "edit")
    section = get_object_or_404(ReportSection, pk=section_id, report=report)
    if request.method == "GET":
        form = SectionForm(initial={"heading": section.heading, "body": section.body, "version": section.version})
        return render(request, "reports/section_edit.html", {"report": report, "section": section, "form": form})
    form = SectionForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_section(request.user, section, heading=data["heading"], body=data["body"],
                                    expected_version=data["version"])
            messages.success(request, _("章节「%(heading)s」已保存") % {"heading": data["heading"] or _("正文")})
            return redirect(f"{report.get_absolute_url()}#section-{section.pk}")
        except (ValidationFailed, StaleWrite) as exc:
            form.add_error(None, exc.message)
            status = 409 if isinstance(exc, StaleWrite) else 400
    section.refresh_from_db()
    return render(request, "reports/section_edit.html", {"report": report, "section": section, "form": form},
                  status=status)


@scoped
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(request.user, report_id, "publish")
    error, status = "", 200
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                version = services.publish_report(
                    request.user, report, expected_version=form.cleaned_data["version"], note=form.cleaned_data["note"]
                )
                messages.success(request, _("已发布第 %(number)d 版") % {"number": version.number})
                return redirect("reports:version", report_id=report.pk, number=version.number)
            except (ValidationFailed, StaleWrite, InvalidTransition) as exc:
                if (refused := htmx_refusal(request, exc)) is not None:
                    return refused  # the boosted form shows why, in place
                error, status = exc.message, 409
                report.refresh_from_db()
        else:
            error, status = _("表单已失效，请刷新后重试"), 400
    return render(request, "reports/publish_confirm.html", {
        "report": report, "form": PublishForm(initial={"version": report.version}), "error": error,
        "preview": html_context(selectors.draft_content(report)),
    }, status=status)


@scoped
@require_GET
def versions(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(request.user, report_id)
    return render(request, "reports/versions.html", {"report": report, "versions": selectors.versions_of(report)})


@scoped
@require_GET
def version(request: HttpRequest, report_id: int, number: int) -> HttpResponse:
    report = selectors.report_for(request.user, report_id)
    frozen = selectors.version_of(report, number)
    return render(request, "reports/version_detail.html", {
        "report": report, "version": frozen, "document": html_context(frozen.content), "formats": FORMATS,
    })


@scoped
@require_GET
def compare(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(request.user, report_id)
    numbers = [v.number for v in selectors.versions_of(report)]
    a, b = parse_id(request.GET.get("a")), parse_id(request.GET.get("b"))
    if a is None or b is None:
        a, b = (numbers[1], numbers[0]) if len(numbers) > 1 else (0, 0)
    if not a or not b:
        return render(request, "reports/compare.html", {"report": report, "numbers": numbers, "diff": None})
    old, new = selectors.version_of(report, a), selectors.version_of(report, b)
    return render(request, "reports/compare.html", {
        "report": report, "numbers": numbers, "old": old, "new": new, "diff": services.diff_versions(old, new),
    })


def _download(request: HttpRequest, report: Report, content: dict[str, Any], fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(_("不支持的格式"))
    try:
        data = render_format(content, fmt)
    except PdfUnavailable as error:  # no LibreOffice on this server: say so on the report's page
        messages.error(request, services.pdf_message(error))
        return redirect("reports:detail", report.pk)
    return _attachment(data, fmt, name)


def _attachment(data: bytes, fmt: str, name: str) -> HttpResponse:
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="report.{extension}"; filename*=UTF-8\'\'{_quote(name)}.{extension}'
    return response


def _in_background(request: HttpRequest, report: Report, fmt: str, number: int | None) -> HttpResponse:
    """A PDF is made by the worker (LibreOffice may take seconds): its page follows it, then offers it."""
    job = background.start_rendering(request.user, report, fmt=fmt, number=number)  # type: ignore[arg-type]
    return redirect("reports:file_job", report_id=report.pk, job=job.pk)


@scoped
@require_GET
def file_job(request: HttpRequest, report_id: int, job: int) -> HttpResponse:
    """后台生成文件的进度 (a report's PDF), then the link that downloads it."""
    report = selectors.report_for(request.user, report_id)
    found = background.rendering_job(report, job)
    if found is None:
        raise Http404
    title = _("正在生成「%(title)s」的 PDF") % {"title": report.title}
    context = {"report": report}

    def finish(done: Job) -> HttpResponse:
        result = done.result or {}
        if done.status == Job.Status.FAILED or result.get("error"):
            messages.error(request, result.get("error") or _("后台生成文件未能完成，请重试；如反复出现请联系系统管理员"))
            return redirect("reports:detail", report.pk)
        return offer_file(request, done, title=title, url=reverse("reports:job_file", args=[report.pk, done.pk]),
                          label=_("下载 PDF 文件"), context=context)

    return follow(request, found, title=title, finish=finish, context=context)


@scoped
@require_GET
def job_file(request: HttpRequest, report_id: int, job: int) -> HttpResponse:
    """The file a finished job made, for whoever may read the report."""
    report = selectors.report_for(request.user, report_id)
    found = background.rendering_job(report, job, with_file=True)
    if found is None or found.status != Job.Status.DONE or found.output is None:
        raise Http404
    return _attachment(bytes(found.output), found.payload["format"], found.result["name"])


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name[:80], safe="")


@scoped
@require_GET
def download(request: HttpRequest, report_id: int, number: int, fmt: str) -> HttpResponse:
    report = selectors.report_for(request.user, report_id)
    frozen = selectors.version_of(report, number)
    if fmt in background.BACKGROUND_FORMATS:
        return _in_background(request, report, fmt, frozen.number)
    return _download(request, report, frozen.content, fmt, f"{frozen.title}（第{frozen.number}版）")


@scoped
@require_GET
def download_draft(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    report = selectors.report_for(request.user, report_id)
    if fmt in background.BACKGROUND_FORMATS:
        return _in_background(request, report, fmt, None)
    return _download(request, report, selectors.draft_content(report), fmt, f"{report.title}（草稿）")


@scoped
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    items = selectors.inbox_for(request.user)
    return render(request, "reports/inbox.html", {"items": items[:200], "form": HandleForm()})


@scoped
@require_POST
def handle(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.feedback_for(request.user, feedback_id)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            services.handle_feedback(request.user, feedback, note=form.cleaned_data["note"])
            messages.success(request, _("意见 %(ref)s 已标记为已处理") % {"ref": feedback.reference})
        except (ValidationFailed, InvalidTransition) as exc:
            messages.error(request, exc.message)
    return redirect("reports:inbox")
