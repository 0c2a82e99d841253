"""导入整改进展情况通报: a published notice becomes an inspection with its findings, tasks, rules and outcomes.

The page is reached under the inspections (`inspections:import_notice`); it lives beside the ledger
because the import writes ledger rows.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rectify import uploads
from rectify.errors import Forbidden, NotVisible, RectifyError
from rectify.inspections.selectors import registrable_units
from rectify.ledger.notice_import import import_notice

NOTICE_PURPOSE = "notice-import"


@login_required
def import_notice_view(request: HttpRequest) -> HttpResponse:
    """导入整改进展情况通报: upload, preview the parsed tree, confirm; importing twice does not duplicate."""
    units = registrable_units(request.user)
    if not units:
        return HttpResponse(_("您无权导入通报"), status=403)
    context: dict = {"units": units}
    if request.method != "POST":
        return render(request, "ledger/import_notice.html", context)
    unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
    context["selected"] = unit.pk if unit else None
    if unit is None:
        context["error"] = _("请选择被巡视巡察单位")
        return render(request, "ledger/import_notice.html", context)
    confirm = request.POST.get("confirm") == "1"
    if confirm:
        held = uploads.take(request, request.POST.get("token", ""), NOTICE_PURPOSE)
        if held is None:
            messages.error(request, _("上传的文件已过期，请重新上传"))
            return redirect("inspections:import_notice")
        data, name = held
    else:
        upload = request.FILES.get("file")
        if upload is None or upload.size > settings.RECTIFY_UPLOAD_MAX_BYTES:
            context["error"] = _("请选择不超过大小上限的通报文件（.txt、.docx、.html）")
            return render(request, "ledger/import_notice.html", context)
        data, name = upload.read(), upload.name or "notice.txt"
    try:
        result = import_notice(request.user, unit, data=data, filename=name, dry_run=not confirm)  # type: ignore[arg-type]
    except (Forbidden, NotVisible):
        return HttpResponse(_("您无权导入通报"), status=403)
    except RectifyError as exc:
        context["error"] = exc.message
        return render(request, "ledger/import_notice.html", context)
    if confirm:
        if result.created:
            messages.success(request, ngettext("通报已导入：%(tasks)d 项整改任务", "通报已导入：%(tasks)d 项整改任务",
                                              result.tasks) % {"tasks": result.tasks})
        else:
            messages.info(request, _("该通报此前已导入，未重复创建"))
        return redirect("ledger:findings", pk=result.inspection.pk)
    context.update({"result": result, "notice": result.notice, "filename": name, "unit": unit,
                    "token": uploads.hold(request, data, name, NOTICE_PURPOSE)})
    return render(request, "ledger/import_notice_preview.html", context)
