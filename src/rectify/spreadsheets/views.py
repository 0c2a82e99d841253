"""Excel ledgers in the browser: upload → preview (rows, recognised columns, bad rows) → confirm; export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rectify import clock, uploads
from rectify.errors import Forbidden, NotVisible, RectifyError
from rectify.inspections.models import Inspection
from rectify.jobs.models import Job
from rectify.jobs.views import follow
from rectify.ledger.views.common import get_inspection
from rectify.organizations.scoping import Action, can_unit
from rectify.spreadsheets import LedgerFileError, blank_template
from rectify.spreadsheets import jobs as background
from rectify.spreadsheets.services import export_ledger, import_ledger, localize

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PURPOSE = background.PURPOSE


def _attachment(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def import_ledger_view(request: HttpRequest, pk: int) -> HttpResponse:
    """导入整改台账: the first POST previews (a dry run through every check), the second confirms."""
    inspection = get_inspection(request, pk)
    if not can_unit(request.user, Action.EDIT_PLAN, inspection.target):  # type: ignore[arg-type]
        return HttpResponse(_("只有整改办可以导入整改台账"), status=403)
    context: dict = {"inspection": inspection, "tab": "ledger"}
    if request.method != "POST":
        return render(request, "spreadsheets/import.html", context)
    confirm = request.POST.get("confirm") == "1"
    skip = request.POST.get("skip_bad_rows") == "1"
    if confirm:
        handed = uploads.hand_over(request, request.POST.get("token", ""), PURPOSE, to=background.JOB_PURPOSE,
                                   more_rows_than=settings.RECTIFY_IMPORT_INLINE_ROWS)
        if handed is not None:  # too many rows to import within the request: the worker does it
            job = background.start_import(request.user, inspection, upload=handed, skip_bad_rows=skip)  # type: ignore[arg-type]
            return redirect("spreadsheets:import_job", pk=inspection.pk, job=job.pk)
        held = uploads.take(request, request.POST.get("token", ""), PURPOSE)
        if held is None:
            messages.error(request, _("上传的文件已过期，请重新上传"))
            return redirect("spreadsheets:import_ledger", pk=inspection.pk)
        data, name = held
    else:
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("请选择要导入的 Excel 或 CSV 文件")
            return render(request, "spreadsheets/import.html", context)
        if upload.size > settings.RECTIFY_UPLOAD_MAX_BYTES:
            context["error"] = _("文件 %(name)s 超过大小上限") % {"name": upload.name}
            return render(request, "spreadsheets/import.html", context)
        data, name = upload.read(), upload.name or "ledger.xlsx"
        if len(data) > settings.RECTIFY_IMPORT_PREVIEW_INLINE_BYTES:  # too long to read and check in the request
            token = uploads.hold(request, data, name, background.PREVIEW_PURPOSE)
            job = background.start_preview(request.user, inspection, token=token)  # type: ignore[arg-type]
            return redirect("spreadsheets:import_job", pk=inspection.pk, job=job.pk)
    try:
        result = import_ledger(request.user, inspection, data=data, filename=name, dry_run=not confirm,  # type: ignore[arg-type]
                               skip_bad_rows=skip)
    except LedgerFileError as exc:
        context["error"] = localize(exc.args[0]) if exc.args else str(exc)
        return render(request, "spreadsheets/import.html", context)
    except RectifyError as exc:
        if isinstance(exc, NotVisible | Forbidden):
            raise  # 404 out of scope, 403 in scope without the role
        context["error"] = exc.message or str(exc)
        return render(request, "spreadsheets/import.html", context)
    if confirm:
        return _finish_import(request, inspection, background.outcome(result))
    context.update({
        **background.preview(result),
        "token": uploads.hold(request, data, name, PURPOSE, rows=len(result.parse.tasks)), "filename": name,
    })
    return render(request, "spreadsheets/import_preview.html", context)


def _finish_import(request: HttpRequest, inspection: Inspection, outcome: dict) -> HttpResponse:
    """The page a confirmed import ends on, in the request or in the worker: the ledger with what was
    imported, or the import page with why nothing was."""
    if outcome["error"]:
        context = {"inspection": inspection, "tab": "ledger", "error": outcome["error"]}
        return render(request, "spreadsheets/import.html", context)
    if outcome["committed"]:
        imported, skipped = outcome["tasks"], outcome["refused"]
        text = ngettext("已导入 %(count)d 项整改任务", "已导入 %(count)d 项整改任务", imported) % {"count": imported}
        if skipped:
            text += ngettext("，跳过 %(count)d 行有问题的数据", "，跳过 %(count)d 行有问题的数据", skipped) % {
                "count": skipped}
        messages.success(request, text)
        return redirect("ledger:ledger", pk=inspection.pk)
    if outcome["refused"]:
        messages.error(request, _("有问题的行未处理，未导入任何数据"))
        for line in outcome["errors"]:
            messages.error(request, line)
        return redirect("spreadsheets:import_ledger", pk=inspection.pk)
    # Translators: the separator between two warnings
    messages.info(request, _("没有新的任务需要导入。") + _("；").join(outcome["warnings"]))
    return redirect("ledger:ledger", pk=inspection.pk)


@login_required
def import_job_view(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    """后台导入整改台账的进度: the unit's rectification office follows the import it confirmed."""
    inspection = get_inspection(request, pk)
    if not can_unit(request.user, Action.EDIT_PLAN, inspection.target):  # type: ignore[arg-type]
        return HttpResponse(_("只有整改办可以导入整改台账"), status=403)
    found = background.import_job(inspection, job)
    if found is None:
        raise Http404
    title = _("正在读取并检查整改台账") if found.name == background.PREVIEW_JOB else _("正在导入整改台账")
    return follow(request, found, title=title, finish=lambda done: _finish_job(request, inspection, done),
                  context={"inspection": inspection, "tab": "ledger", "head_template": "ledger/partials/_inspection_head.html"})


def _finish_job(request: HttpRequest, inspection: Inspection, job: Job) -> HttpResponse:
    if job.status == Job.Status.FAILED or not job.result:
        messages.error(request, _("后台导入未能完成，未导入任何数据，请重新上传；如反复出现请联系系统管理员"))
        return redirect("spreadsheets:import_ledger", pk=inspection.pk)
    if job.name == background.PREVIEW_JOB and not job.result["error"]:
        context = {"inspection": inspection, "tab": "ledger", **job.result["preview"],
                   "token": job.result["token"], "filename": job.result["filename"]}
        return render(request, "spreadsheets/import_preview.html", context)
    return _finish_import(request, inspection, job.result)


@login_required
def export_ledger_view(request: HttpRequest, pk: int) -> HttpResponse:
    """导出整改台账 as the standard .xlsx."""
    inspection = get_inspection(request, pk)
    data = export_ledger(request.user, inspection, per_aspect=request.GET.get("per_aspect") == "1")  # type: ignore[arg-type]
    name = f"{slugify(inspection.title, allow_unicode=True) or 'ledger'}-整改台账-{clock.today():%Y%m%d}.xlsx"
    return _attachment(data, name)


@login_required
def ledger_template(request: HttpRequest) -> HttpResponse:
    """A blank ledger to fill in, with a sheet explaining the columns."""
    return _attachment(blank_template(), "整改台账模板.xlsx")
