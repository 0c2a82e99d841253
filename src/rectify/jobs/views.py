"""The page that follows a background job (后台作业进度), whatever its kind: the app that queued the job
finds it in the user's scope and hands it here with what to show once it has ended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from rectify.jobs import progress as progress_file
from rectify.jobs.models import Job

# How often the page asks again (htmx, or the plain refresh when scripts are off).
POLL_SECONDS = 2


def waiting_too_long(job: Job, *, now: dt.datetime | None = None) -> bool:
    """A job due this long ago that no worker has taken: `rectify worker` is probably not running."""
    now = now or timezone.now()
    patience = dt.timedelta(seconds=int(getattr(settings, "RECTIFY_JOB_WAIT_WARNING_SECONDS", 30)))
    return job.status == Job.Status.QUEUED and job.run_after <= now - patience


def follow(request: HttpRequest, job: Job, *, title: str, finish: Callable[[Job], HttpResponse],
           context: dict[str, Any] | None = None) -> HttpResponse:
    """The job's progress while it waits or runs; once it has ended (done or failed), `finish(job)`:
    the result page or messages the work gives when it runs in the request."""
    polled = bool(request.htmx) and not request.htmx.boosted  # type: ignore[attr-defined]
    if job.status in (Job.Status.DONE, Job.Status.FAILED):
        # The poll leaves the partial for a full load of this address, which then finishes.
        return HttpResponseClientRedirect(request.get_full_path()) if polled else finish(job)
    job = progress_file.shown(job)  # on SQLite, a running import's counts are beside the database
    page = {
        **(context or {}), "job": job, "title": title, "poll_seconds": POLL_SECONDS,
        "waiting_too_long": waiting_too_long(job), "retrying": job.status == Job.Status.QUEUED and job.attempts > 0,
    }
    return render(request, "jobs/partials/_progress.html" if polled else "jobs/progress.html", page)


def offer_file(request: HttpRequest, job: Job, *, title: str, url: str, label: str,
               context: dict[str, Any] | None = None) -> HttpResponse:
    """The same page once the job has made a file: the link that downloads it (the page stops polling)."""
    page = {**(context or {}), "job": job, "title": title, "download_url": url, "download_label": label,
            "ended": True}
    return render(request, "jobs/progress.html", page)
