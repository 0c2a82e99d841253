"""Evidence files (佐证材料): checked by content, hashed, stored under random names."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.ledger.filetypes import clean_name, sniff
from rectify.ledger.models import Evidence, Progress, Task
from rectify.organizations.models import User
from rectify.organizations.scoping import Action, require_task

MEETING_WORDS = ("会议通知", "开会通知", "参会", "会议议程", "签到表")


_written = threading.local()
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def _files_kept_on_success() -> Iterator[None]:
    """Files stored inside are removed again if the block fails, whatever fails after they were stored
    (a stale version found last, a later write): the rolled-back rows would otherwise leave them on disk."""
    stack: list[list[tuple[Any, str]]] = _written.__dict__.setdefault("stack", [])
    written: list[tuple[Any, str]] = []
    stack.append(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        stack.pop()
        if stack:
            stack[-1].extend(written)  # an enclosing service that fails later removes them too


def removes_files_on_failure(service: F) -> F:
    """Decorate a service that stores evidence, outside its `transaction.atomic`."""

    @functools.wraps(service)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _files_kept_on_success():
            return service(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@transaction.atomic
def add_evidence(actor: User, task: Task, upload: Upload, *, progress: Progress | None = None) -> Evidence:
    """Attach a supporting file (佐证材料) to a task; its type is judged by content and its SHA-256 kept."""
    require_task(actor, Action.REPORT_PROGRESS, task)
    limit = settings.RECTIFY_UPLOAD_MAX_BYTES
    if len(upload.data) > limit:
        raise ValidationFailed(
            _("文件 %(name)s 超过大小上限 %(limit)d MB") % {"name": upload.name, "limit": limit // (1024 * 1024)},
            field="file",
        )
    kind = sniff(upload.data, upload.name)
    name = clean_name(upload.name, kind)
    evidence = Evidence(
        task=task, progress=progress, original_name=name, sha256=hashlib.sha256(upload.data).hexdigest(),
        size=len(upload.data), content_type=kind.mime, uploaded_by=actor,
        is_meeting_notice=any(word in name for word in MEETING_WORDS),
    )
    evidence.file.save(name, ContentFile(upload.data), save=False)
    try:
        evidence.save()
        audit.record(actor, "evidence.create", evidence, unit_id=task.unit_id)
    except Exception:
        _delete_file(evidence)
        raise
    if evidence.file.name and getattr(_written, "stack", None):
        _written.stack[-1].append((evidence.file.storage, evidence.file.name))
    return evidence


def _delete_file(evidence: Evidence) -> None:
    """Remove the stored file of an evidence row that is not kept; a row without a file has none to remove."""
    if evidence.file.name:
        evidence.file.storage.delete(evidence.file.name)


def add_all_evidence(actor: User, task: Task, uploads: Iterable[Upload], *, progress: Progress | None = None) -> None:
    """Attach several files, all or none: if one is refused, the files already stored are removed too."""
    stored: list[Evidence] = []
    try:
        for upload in uploads:
            stored.append(add_evidence(actor, task, upload, progress=progress))
    except Exception:
        for item in stored:
            _delete_file(item)
        raise
