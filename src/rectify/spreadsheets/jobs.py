"""A large ledger import (导入整改台账) runs in `rectify worker`: the confirmation queues it and the page
follows its progress; it is the same all-or-nothing import the request runs for a small file."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from rectify.errors import Forbidden, NotVisible, RectifyError
from rectify.inspections.models import Inspection
from rectify.jobs import queue
from rectify.jobs.models import HeldUpload, Job
from rectify.organizations.models import User
from rectify.organizations.scoping import Action, require_unit
from rectify.spreadsheets import LedgerFileError
from rectify.spreadsheets.services import LedgerImportResult, describe_error, import_ledger, localize

IMPORT_JOB = "spreadsheets.import_ledger"
# The held file while its job owns it (the preview's purpose is "ledger-import").
JOB_PURPOSE = "ledger-import-job"
# Refused rows a finished import lists on its page (the preview lists them all).
ERRORS_SHOWN = 20


def outcome(result: LedgerImportResult) -> dict[str, Any]:
    """What a confirmed import tells the user, in the form a job keeps as its result."""
    return {
        "committed": result.committed, "tasks": result.created.get("tasks", 0), "refused": len(result.errors),
        "errors": [describe_error(error) for error in result.errors[:ERRORS_SHOWN]],
        "warnings": list(result.warnings), "error": "",
    }


def failure(message: str) -> dict[str, Any]:
    return {"committed": False, "tasks": 0, "refused": 0, "errors": [], "warnings": [], "error": message}


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
    """The import job `pk` of this inspection (the caller has checked the inspection is the actor's)."""
    return Job.objects.filter(pk=pk, name=IMPORT_JOB, payload__inspection=inspection.pk).first()


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
        queue.report_progress(job, 0)
        reported = [time.monotonic()]

        def progress(done: int, total: int) -> None:
            # At most one write a second: the page polls every two.
            if done < total and time.monotonic() - reported[0] < 1:
                return
            reported[0] = time.monotonic()
            queue.report_progress(job, done * 100 // max(total, 1), done=done, total=total, in_transaction=True)

        try:
            with transaction.atomic():
                result = import_ledger(actor, inspection, data=bytes(held.data), filename=held.name,
                                       skip_bad_rows=bool(payload.get("skip_bad_rows")), progress=progress)
                summary = outcome(result)
                held.delete()
                Job.objects.filter(pk=job.pk).update(result=summary)
        except LedgerFileError as exc:
            summary = failure(localize(exc.args[0]) if exc.args else str(exc))
        except (NotVisible, Forbidden):
            summary = failure(_("只有整改办可以导入整改台账"))
        except RectifyError as exc:
            summary = failure(exc.message or str(exc))
        if summary["error"]:
            held.delete()  # a file that cannot be imported is not tried again
        return summary
