"""Evidence files (佐证材料): a scoped download, always as an attachment and never sniffed by the browser."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router

from rectify.api.auth import actor
from rectify.api.errors import ApiError
from rectify.api.schemas import MAX_ID, errors
from rectify.errors import NotVisible
from rectify.ledger import filetypes
from rectify.ledger.downloads import evidence_response
from rectify.ledger.models import Evidence
from rectify.ledger.selectors import tasks_visible_to

router = Router(tags=["佐证材料"])

# Every type an upload can be judged to be (ledger.filetypes): the download is served as that type.
MIME_TYPES = sorted({kind.mime for kind in vars(filetypes).values() if isinstance(kind, filetypes.FileType)})
BINARY = {
    "200": {
        "description": "文件内容（以附件形式下载）",
        "content": {mime: {"schema": {"type": "string", "format": "binary"}} for mime in MIME_TYPES},
    }
}


@router.get("/evidence/{evidence_id}/download", response=errors(404), url_name="download_evidence",
            summary="下载佐证材料", openapi_extra={"responses": BINARY})
def download_evidence(request: HttpRequest, evidence_id: int = Path(..., ge=1, le=MAX_ID)) -> FileResponse:
    visible = tasks_visible_to(actor(request)).values("pk")
    evidence = Evidence.objects.filter(pk=evidence_id, task_id__in=visible).first()
    if evidence is None:
        raise NotVisible(_("未找到该记录"))
    try:
        return evidence_response(evidence)
    except FileNotFoundError as exc:
        raise ApiError(404, "file_missing", _("文件 %(name)s 已丢失，请联系管理员") % {"name": evidence.original_name}) from exc
