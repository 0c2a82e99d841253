"""Report work that may outlast a request runs in `rectify worker`: writing a report from a large ledger
(生成报告) and converting a report to PDF through LibreOffice. The page queues it and follows it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from rectify.errors import RectifyError
from rectify.inspections.models import Inspection
from rectify.jobs import queue
from rectify.jobs.models import Job
from rectify.ledger.models import Task
from rectify.organizations.models import User
from rectify.organizations.scoping import Action, require_unit
from rectify.reports import selectors, services
from rectify.reports.models import Report
from rectify.reports.pdf import PdfUnavailable
from rectify.reports.rendering import render

GENERATE_JOB = "reports.generate"
RENDER_JOB = "reports.render"
# Formats made in the worker: LibreOffice may take seconds (the others are made in the request).
BACKGROUND_FORMATS = frozenset({"pdf"})


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def generation_waits_for_worker(inspection: Inspection) -> bool:
    """A ledger of more tasks than RECTIFY_REPORT_INLINE_TASKS is written up in the worker."""
    return Task.objects.filter(inspection=inspection).count() > settings.RECTIFY_REPORT_INLINE_TASKS


def start_generation(actor: User, inspection: Inspection, kind: str) -> Job:
    """Queue the writing of a report from the ledger (后台生成报告), for the unit's rectification office."""
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    job = queue.enqueue(GENERATE_JOB, {"inspection": inspection.pk, "kind": kind, "actor": actor.pk,
                                       "language": _language()}, created_by=actor, max_attempts=3)
    assert job is not None  # no key: always queued
    return job


def start_rendering(actor: User, report: Report, *, fmt: str, number: int | None) -> Job:
    """Queue a report's file in `fmt` (its draft, or published version `number`) for an actor who may read it."""
    selectors.require_report(actor, report, "view")
    job = queue.enqueue(RENDER_JOB, {"report": report.pk, "number": number, "format": fmt, "actor": actor.pk,
                                     "language": _language()}, created_by=actor, max_attempts=2)
    assert job is not None
    return job


def generation_job(inspection: Inspection, pk: int) -> Job | None:
    """The report-writing job `pk` of this inspection (the caller has checked the inspection is the actor's)."""
    return Job.objects.defer("output").filter(pk=pk, name=GENERATE_JOB, payload__inspection=inspection.pk).first()


def rendering_job(report: Report, pk: int, *, with_file: bool = False) -> Job | None:
    """The file job `pk` of this report (the caller has checked the actor may read the report)."""
    jobs = Job.objects.filter(pk=pk, name=RENDER_JOB, payload__report=report.pk)
    return (jobs if with_file else jobs.defer("output")).first()


@queue.handler(GENERATE_JOB)
def run_generation(job: Job) -> dict[str, Any]:
    """Write the report from the ledger as it is when the job runs (one transaction, as in the request)."""
    payload = job.payload
    with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
        actor = User.objects.get(pk=payload["actor"])
        inspection = Inspection.objects.select_related("target").get(pk=payload["inspection"])
        try:
            report = services.generate_report(actor, inspection, payload["kind"])
        except RectifyError as exc:
            return {"report": None, "title": "", "error": exc.message or str(exc)}
        return {"report": report.pk, "title": report.title, "error": ""}


@queue.handler(RENDER_JOB)
def run_rendering(job: Job) -> dict[str, Any]:
    """Make the report's file and keep it on the job for its page to download."""
    payload = job.payload
    with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
        report = Report.objects.select_related("inspection__target").get(pk=payload["report"])
        number = payload.get("number")
        if number:
            frozen = selectors.version_of(report, number)
            content, name = frozen.content, f"{frozen.title}（第{frozen.number}版）"
        else:
            content, name = selectors.draft_content(report), f"{report.title}（草稿）"
        try:
            data = render(content, payload["format"])
        except PdfUnavailable as error:
            return {"name": name, "error": services.pdf_message(error)}
        Job.objects.filter(pk=job.pk).update(output=data)
        return {"name": name, "error": ""}
