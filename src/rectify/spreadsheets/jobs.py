"""A large ledger import (导入整改台账) runs in `rectify worker`: the preview of a large file and the
confirmed import of many rows are queued, and the page follows their progress; each is the same
preview, or the same all-or-nothing import, that the request runs for a small file."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from rectify.errors import Forbidden, NotVisible, RectifyError
from rectify.inspections.models import Inspection
from rectify.jobs import queue
from rectify.jobs.models import HeldUpload, Job
from rectify.organizations.models import User
from rectify.organizations.scoping import Action, require_unit
from rectify.spreadsheets import FIELD_LABELS, LedgerFileError
from rectify.spreadsheets.services import LedgerImportResult, describe_error, import_ledger, localize

IMPORT_JOB = "spreadsheets.import_ledger"
PREVIEW_JOB = "spreadsheets.preview_ledger"
# The held file awaiting the confirmation (the purpose the import page gives it).
PURPOSE = "ledger-import"
# The held file while a job owns it: being imported, or being previewed.
JOB_PURPOSE = "ledger-import-job"
PREVIEW_PURPOSE = "ledger-preview-job"
# Refused rows a finished import lists on its page (the preview lists them all, up to ERRORS_LISTED).
ERRORS_SHOWN = 20
ERRORS_LISTED = 2000
# Rows the preview shows (all are checked).
ROWS_SHOWN = 500
# The lease an import takes before its transaction, in which (on SQLite) it cannot extend it: the usual
# lease, plus this much per row (a 100,000-row import took 241 s on a loaded SQLite machine).
LEASE_PER_ROW = dt.timedelta(milliseconds=10)
# At most one progress report this often (the page polls every two seconds).
PROGRESS_SECONDS = 1.0


def outcome(result: LedgerImportResult) -> dict[str, Any]:
    """What a confirmed import tells the user, in the form a job keeps as its result."""
    return {
        "committed": result.committed, "tasks": result.created.get("tasks", 0), "refused": len(result.errors),
        "errors": [describe_error(error) for error in result.errors[:ERRORS_SHOWN]],
        "warnings": list(result.warnings), "error": "",
    }


def failure(message: str) -> dict[str, Any]:
    return {"committed": False, "tasks": 0, "refused": 0, "errors": [], "warnings": [], "error": message}


def preview(result: LedgerImportResult) -> dict[str, Any]:
    """What the preview page shows of a dry run (rows, recognised columns, refused rows), as plain data a
    job can keep as its result."""
    tasks = result.parse.tasks
    return {
        "task_count": len(tasks), "findings_new": result.created.get("findings", 0),
        "warnings": list(result.warnings), "error_count": len(result.errors),
        "errors": [describe_error(e) for e in result.errors[:ERRORS_LISTED]],
        "rows": [{"sheet": r.sheet, "row": r.row, "aspect": r.aspect, "finding": r.finding, "measure": r.measure,
                  "leader": r.leader, "lead_org": r.lead_org, "co_orgs": r.co_orgs,
                  "deadline": r.deadline.isoformat() if r.deadline else "", "category": r.category}
                 for r in tasks[:ROWS_SHOWN]],
        "more": max(0, len(tasks) - ROWS_SHOWN),
        "sheets": [{"name": s.name, "ignored": s.ignored, "reason": localize(s.reason),
                    "columns": [(c.letter, c.header, localize(FIELD_LABELS.get(c.field, c.field)))
                                for c in s.columns if c.field]}
                   for s in result.parse.sheets],
    }


@transaction.atomic
def start_preview(actor: User, inspection: Inspection, *, token: str) -> Job:
    """Queue the preview of a large held file (后台预览整改台账): a dry run through every check."""
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    job = queue.enqueue(PREVIEW_JOB, {
        "inspection": inspection.pk, "actor": actor.pk, "token": token,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }, created_by=actor, max_attempts=3)
    assert job is not None  # no key: always queued
    return job


@transaction.atomic
def start_import(actor: User, inspection: Inspection, *, upload: int, skip_bad_rows: bool) -> Job:
    """Queue the confirmed import of a held file (后台导入整改台账), for the unit's rectification office."""
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    job = queue.enqueue(IMPORT_JOB, {
        "inspection": inspection.pk, "actor": actor.pk, "upload": upload, "skip_bad_rows": skip_bad_rows,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }, created_by=actor, max_attempts=3)
    assert job is not None  # no key: always queued
    return job


def import_job(inspection: Inspection, pk: int) -> Job | None:
    """The import or preview job `pk` of this inspection (the caller has checked the inspection is the actor's)."""
    return Job.objects.filter(pk=pk, name__in=[IMPORT_JOB, PREVIEW_JOB], payload__inspection=inspection.pk).first()


def _refusal(exc: LedgerFileError | RectifyError) -> str:
    """Why the file was refused, as the import page says it when the request runs the import."""
    if isinstance(exc, LedgerFileError):
        return localize(exc.args[0]) if exc.args else str(exc)
    if isinstance(exc, NotVisible | Forbidden):  # the actor lost the role since the confirmation
        return _("只有整改办可以导入整改台账")
    return exc.message or str(exc)


def _progress(job: Job) -> Callable[[int, int], None]:
    """The import's progress callback: rows checked, written at most once a second (the page polls every
    two), also from inside the import's transaction."""
    reported = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        if done < total and time.monotonic() - reported[0] < PROGRESS_SECONDS:
            return
        reported[0] = time.monotonic()
        queue.report_progress(job, done * 100 // max(total, 1), done=done, total=total,
                              in_transaction=connection.in_atomic_block)

    return progress


@queue.handler(IMPORT_JOB)
def run_import(job: Job) -> dict[str, Any]:
    """Import the held file in one transaction, reporting rows checked; the file goes with the commit."""
    if job.result:
        return job.result  # an earlier attempt committed, and its worker died before it could say so
    payload = job.payload
    with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
        held = HeldUpload.objects.filter(pk=payload["upload"], purpose=JOB_PURPOSE).first()
        if held is None:
            return failure(_("上传的文件已过期，请重新上传"))
        actor = User.objects.get(pk=payload["actor"])
        inspection = Inspection.objects.select_related("target").get(pk=payload["inspection"])
        queue.report_progress(job, 0, hold=queue.lease() + held.rows * LEASE_PER_ROW)
        progress = _progress(job)
        try:
            with transaction.atomic():
                result = import_ledger(actor, inspection, data=bytes(held.data), filename=held.name,
                                       skip_bad_rows=bool(payload.get("skip_bad_rows")), progress=progress)
                summary = outcome(result)
                held.delete()
                Job.objects.filter(pk=job.pk).update(result=summary)
        except (LedgerFileError, RectifyError) as exc:
            summary = failure(_refusal(exc))
        if summary["error"]:
            held.delete()  # a file that cannot be imported is not tried again
        return summary


@queue.handler(PREVIEW_JOB)
def run_preview(job: Job) -> dict[str, Any]:
    """Check every row of the held file as the confirmation would, writing nothing; the file then waits
    for the confirmation as a file previewed in the request does."""
    payload = job.payload
    with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
        held = HeldUpload.objects.filter(token=payload["token"], user_id=payload["actor"],
                                         purpose__in=[PREVIEW_PURPOSE, PURPOSE]).first()
        if held is None:
            return failure(_("上传的文件已过期，请重新上传"))
        actor = User.objects.get(pk=payload["actor"])
        inspection = Inspection.objects.select_related("target").get(pk=payload["inspection"])
        queue.report_progress(job, 0, hold=queue.lease() + len(held.data) // 60 * LEASE_PER_ROW)  # ~60 bytes a row
        try:
            result = import_ledger(actor, inspection, data=bytes(held.data), filename=held.name, dry_run=True,
                                   progress=_progress(job))
        except (LedgerFileError, RectifyError) as exc:
            held.delete()  # a file that cannot be read is not tried again
            return failure(_refusal(exc))
        HeldUpload.objects.filter(pk=held.pk).update(purpose=PURPOSE, rows=len(result.parse.tasks))
        return {**failure(""), "preview": preview(result), "token": held.token, "filename": held.name}
