"""The task life cycle over HTTP: start, progress with evidence files, closure chain, comments, flags."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile

from rectify.api.auth import actor
from rectify.api.schemas import MAX_ID, Day, Text, errors
from rectify.api.tasks import CommentOut, ProgressOut, TaskOut, visible_task
from rectify.errors import ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import Comment, Progress, Task
from rectify.ledger.services.evidence import Upload

router = Router(tags=["整改流程"])

MAX_FILES = 20
TaskId = Path(..., ge=1, le=MAX_ID)
Version = Field(None, ge=1, le=2_000_000_000, description="客户端看到的版本；他人已修改时返回 409")


class StepIn(Schema):
    version: int | None = Version
    note: Text = ""


class ReasonIn(Schema):
    version: int | None = Version
    reason: Text


class TextIn(Schema):
    text: Text


class ProgressForm(Schema):
    text: Text
    reported_on: Day | None = None
    version: int | None = Version


def uploads(files: list[UploadedFile] | None) -> list[Upload]:
    """Read the uploaded files, never more than one byte past the size limit (the service refuses them)."""
    files = files or []
    if len(files) > MAX_FILES:
        raise ValidationFailed(_("一次最多上传 %(n)d 个文件") % {"n": MAX_FILES}, field="files")
    limit = settings.RECTIFY_UPLOAD_MAX_BYTES
    return [Upload(name=f.name or "file", data=f.read(limit + 1)) for f in files]


@router.post("/tasks/{task_id}/start", response={200: TaskOut, **errors(403, 404, 409)}, summary="启动整改")
def start(request: HttpRequest, payload: StepIn, task_id: int = TaskId) -> Task:
    task = visible_task(request, task_id)
    return ledger.start_task(actor(request), task, expected_version=payload.version)


@router.post("/tasks/{task_id}/progress", response={201: ProgressOut, **errors(403, 404, 409)},
             summary="报送整改进展（可附多个佐证材料）")
def progress(
    request: HttpRequest, form: Form[ProgressForm], task_id: int = TaskId,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[Progress]:
    task = visible_task(request, task_id)
    entry = ledger.report_progress(actor(request), task, text=form.text, reported_on=form.reported_on,
                                   files=uploads(files), expected_version=form.version)
    return Status(201, entry)


@router.post("/tasks/{task_id}/phased-result", response={201: ProgressOut, **errors(403, 404, 409)},
             summary="报送阶段性成效（长期整改任务）")
def phased_result(
    request: HttpRequest, form: Form[ProgressForm], task_id: int = TaskId,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[Progress]:
    task = visible_task(request, task_id)
    entry = ledger.record_phased_result(actor(request), task, text=form.text, files=uploads(files),
                                        expected_version=form.version)
    return Status(201, entry)


@router.post("/tasks/{task_id}/submit", response={200: TaskOut, **errors(403, 404, 409)}, summary="申请销号")
def submit(request: HttpRequest, payload: StepIn, task_id: int = TaskId) -> Task:
    task = visible_task(request, task_id)
    return ledger.submit_task(actor(request), task, note=payload.note, expected_version=payload.version)


@router.post("/tasks/{task_id}/review", response={200: TaskOut, **errors(403, 404, 409)}, summary="整改办审核通过")
def review(request: HttpRequest, payload: StepIn, task_id: int = TaskId) -> Task:
    task = visible_task(request, task_id)
    return ledger.review_task(actor(request), task, note=payload.note, expected_version=payload.version)


@router.post("/tasks/{task_id}/return", response={200: TaskOut, **errors(403, 404, 409)}, summary="退回销号申请")
def return_(request: HttpRequest, payload: ReasonIn, task_id: int = TaskId) -> Task:
    task = visible_task(request, task_id)
    return ledger.return_task(actor(request), task, reason=payload.reason, expected_version=payload.version)


@router.post("/tasks/{task_id}/approve", response={200: TaskOut, **errors(403, 404, 409)}, summary="领导审批销号")
def approve(request: HttpRequest, payload: StepIn, task_id: int = TaskId) -> Task:
    task = visible_task(request, task_id)
    return ledger.approve_task(actor(request), task, note=payload.note, expected_version=payload.version)


@router.post("/tasks/{task_id}/reopen", response={200: TaskOut, **errors(403, 404, 409)}, summary="重启已销号任务")
def reopen(request: HttpRequest, payload: ReasonIn, task_id: int = TaskId) -> Task:
    task = visible_task(request, task_id)
    return ledger.reopen_task(actor(request), task, reason=payload.reason, expected_version=payload.version)


@router.post("/tasks/{task_id}/comment", response={201: CommentOut, **errors(403, 404)}, summary="发表意见")
def comment(request: HttpRequest, payload: TextIn, task_id: int = TaskId) -> Status[Comment]:
    task = visible_task(request, task_id)
    return Status(201, ledger.comment_task(actor(request), task, text=payload.text))


@router.post("/tasks/{task_id}/flag", response={201: CommentOut, **errors(403, 404)}, summary="标记整改不实")
def flag(request: HttpRequest, payload: TextIn, task_id: int = TaskId) -> Status[Comment]:
    task = visible_task(request, task_id)
    return Status(201, ledger.flag_task(actor(request), task, text=payload.text))
