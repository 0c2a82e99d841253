"""The job queue on the database that `rectify worker` runs (后台作业).

A job is claimed by one worker at a time: on PostgreSQL the claim skips rows other workers hold
(`SELECT … FOR UPDATE SKIP LOCKED`); on SQLite the claim's write transaction serialises the workers.
The claim gives the worker a lease; a worker that dies leaves its job to be claimed again once the
lease has run out. A job that raises is tried again after RECTIFY_JOB_RETRY_SECONDS, doubling at each
failure, until its `max_attempts`; a job must therefore be safe to run again (every handler here is).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from rectify.jobs import progress as progress_file
from rectify.jobs.models import Job

log = logging.getLogger(__name__)

Handler = Callable[[Job], Any]
HANDLERS: dict[str, Handler] = {}
# Modules whose import registers their handlers (the worker imports them all before its first claim).
HANDLER_MODULES = ("rectify.supervision.jobs", "rectify.spreadsheets.jobs", "rectify.reports.jobs")


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register a function as the handler of jobs called `name`."""

    def register(function: Handler) -> Handler:
        HANDLERS[name] = function
        return function

    return register


def load_handlers() -> None:
    from importlib import import_module

    for module in HANDLER_MODULES:
        import_module(module)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` failures: RETRY_SECONDS, then twice as long each time."""
    base = int(getattr(settings, "RECTIFY_JOB_RETRY_SECONDS", 30))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "RECTIFY_JOB_LEASE_SECONDS", 300)))


def enqueue(name: str, payload: dict[str, Any] | None = None, *, key: str = "", run_after: dt.datetime | None = None,
            max_attempts: int | None = None, created_by: Any = None) -> Job | None:
    """Queue a job (inside the caller's transaction, so it exists exactly when the caller's writes do).

    With a `key`, a job of that key already queued is brought forward to `run_after` if it was due later,
    and no second one is queued (returns None).
    """
    job = Job(name=name, payload=payload or {}, key=key, run_after=run_after or timezone.now(),
              max_attempts=max_attempts or int(getattr(settings, "RECTIFY_JOB_MAX_ATTEMPTS", 5)),
              created_by=created_by)
    if not key:
        job.save()
        return job
    waiting = Job.objects.filter(key=key, status=Job.Status.QUEUED)
    if waiting.exists():
        waiting.filter(run_after__gt=job.run_after).update(run_after=job.run_after)
        return None
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # queued by another process in the meantime
        return None
    return job


def enqueue_many(name: str, payloads: Iterable[dict[str, Any]], *, max_attempts: int | None = None) -> int:
    """Queue one job per payload in one statement (e-mails of a reminder run)."""
    now = timezone.now()
    attempts = max_attempts or int(getattr(settings, "RECTIFY_JOB_MAX_ATTEMPTS", 5))
    jobs = [Job(name=name, payload=p, run_after=now, max_attempts=attempts) for p in payloads]
    Job.objects.bulk_create(jobs, batch_size=500)
    return len(jobs)


def _due(names: Iterable[str] | None, now: dt.datetime) -> Any:
    due = Job.objects.filter(
        Q(status=Job.Status.QUEUED, run_after__lte=now) | Q(status=Job.Status.RUNNING, locked_until__lt=now)
    )
    if names is not None:
        due = due.filter(name__in=list(names))
    return due.order_by("run_after", "pk")


def claim(*, names: Iterable[str] | None = None, worker: str | None = None) -> Job | None:
    """Take the next due job (or one whose worker's lease ran out) for this worker, or None."""
    worker = worker or worker_id()
    names = list(names) if names is not None else None
    while True:
        now = timezone.now()
        with transaction.atomic():
            due = _due(names, now)
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            job = due.first()
            if job is None:
                return None
            if job.status == Job.Status.RUNNING and job.attempts >= job.max_attempts:
                # Its last try died with its worker: give up rather than loop forever.
                job.status = Job.Status.FAILED
                job.error = (job.error + f"\n{now.isoformat()} worker {job.locked_by} lost").strip()
                job.finished_at = now
                job.locked_until = None
                job.save(update_fields=["status", "error", "finished_at", "locked_until"])
                progress_file.remove(job.pk)  # what the lost worker last reported
                log.warning("job %s failed: its worker %s was lost on the last attempt", job.pk, job.locked_by)
                continue
            if job.status == Job.Status.RUNNING:
                log.warning("job %s taken over from %s, whose lease ran out", job.pk, job.locked_by)
            job.status = Job.Status.RUNNING
            job.attempts += 1
            job.locked_by = worker
            job.locked_until = now + lease()
            job.started_at = job.started_at or now
            job.save(update_fields=["status", "attempts", "locked_by", "locked_until", "started_at"])
            return job


def _mine(job: Job) -> Any:
    """The job's row while this worker still holds it (a worker that overran its lease writes nothing)."""
    return Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, locked_by=job.locked_by)


def report_progress(job: Job, percent: int, note: str = "", *, done: int | None = None,
                    total: int | None = None, in_transaction: bool = False,
                    hold: dt.timedelta | None = None) -> None:
    """Record how far a job is (shown on its page) and extend the lease: the worker is alive.

    A job whose work runs in one long transaction (a ledger import) reports from inside it
    (`in_transaction`): on PostgreSQL the row is then written on a connection of its own, committed at
    once, so every app server's page sees the progress while the work itself stays all or nothing.
    SQLite has one writer at a time, held by that transaction: there the progress is written to the
    job's progress file (`jobs.progress`), which the page reads, and kept on the job to be written with
    its next report outside, or with its end. Such a job reports once before its transaction with a
    `hold` longer than the lease, for the time it will not be able to extend it.
    """
    job.progress = max(0, min(100, int(percent)))
    job.progress_note = note[:200]
    if done is not None:
        job.done_count = max(0, done)
    if total is not None:
        job.total_count = max(0, total)
    until = timezone.now() + max(lease(), hold or lease())
    job.locked_until = max(until, job.locked_until) if job.locked_until else until  # a hold is never shortened
    values = {"progress": job.progress, "progress_note": job.progress_note, "done_count": job.done_count,
              "total_count": job.total_count, "locked_until": job.locked_until}
    if not in_transaction:
        with transaction.atomic():
            _mine(job).update(**values)
    elif connection.vendor != "sqlite":
        _write_aside(job, values)
    else:
        progress_file.write(job, values)


def _write_aside(job: Job, values: dict[str, Any]) -> None:
    """Update the job's row (while this worker holds it) on a separate, autocommitting connection."""
    table = Job._meta.db_table
    columns = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in values)
    aside = connection.copy()
    try:
        with aside.cursor() as cursor:
            cursor.execute(
                f"UPDATE {connection.ops.quote_name(table)} SET {columns} "  # names from the model, values bound
                "WHERE id = %s AND status = %s AND locked_by = %s",
                [*values.values(), job.pk, Job.Status.RUNNING, job.locked_by])
    finally:
        aside.close()


def run(job: Job) -> Job:
    """Run a claimed job: done with its result, or queued again after the back-off, or failed for good."""
    function = HANDLERS.get(job.name)
    now = timezone.now()
    try:
        if function is None:
            raise LookupError(f"no handler for job {job.name!r}")
        result = function(job)
    except Exception as exc:  # a job's failure is recorded on the job, never stops the worker
        now = timezone.now()
        line = f"{now.isoformat()} attempt {job.attempts}: {type(exc).__name__}: {exc}"
        log.warning("job %s (%s) %s\n%s", job.pk, job.name, line, traceback.format_exc(limit=5))
        error = (job.error + "\n" + line).strip()[-4000:]
        if job.attempts >= job.max_attempts or function is None:
            _mine(job).update(status=Job.Status.FAILED, error=error, finished_at=now, locked_until=None)
            job.status = Job.Status.FAILED
        else:
            _mine(job).update(status=Job.Status.QUEUED, error=error, run_after=now + backoff(job.attempts),
                              locked_until=None)
            job.status = Job.Status.QUEUED
        job.error = error
        progress_file.remove(job.pk)
        return job
    now = timezone.now()
    _mine(job).update(status=Job.Status.DONE, result=result, progress=100, done_count=job.done_count,
                      total_count=job.total_count, finished_at=now, locked_until=None)
    job.status, job.result, job.finished_at = Job.Status.DONE, result, now
    progress_file.remove(job.pk)  # the row has the final counts now
    return job


def prune(*, days: int | None = None) -> int:
    """Delete finished jobs older than RECTIFY_JOB_KEEP_DAYS (failed ones stay for the administrator)."""
    keep = days if days is not None else int(getattr(settings, "RECTIFY_JOB_KEEP_DAYS", 7))
    before = timezone.now() - dt.timedelta(days=keep)
    return Job.objects.filter(status=Job.Status.DONE, finished_at__lt=before).delete()[0]


@dataclass
class Drained:
    done: int = 0
    retrying: int = 0
    failed: int = 0


def run_due(*, names: Iterable[str] | None = None, limit: int = 10000, worker: str | None = None,
            stop_on_failure: bool = False) -> Drained:
    """Claim and run due jobs until none is left (or `limit`): what `rectify worker --once` does.

    With `stop_on_failure`, the first job that fails ends the run (a mail server that is down would
    otherwise make every e-mail wait out its timeout in turn); the rest wait for the worker.
    """
    load_handlers()
    names = list(names) if names is not None else None
    drained = Drained()
    for _ in range(limit):
        job = claim(names=names, worker=worker)
        if job is None:
            break
        job = run(job)
        if job.status == Job.Status.DONE:
            drained.done += 1
        elif job.status == Job.Status.FAILED:
            drained.failed += 1
        else:
            drained.retrying += 1
        if stop_on_failure and job.status != Job.Status.DONE:
            break
    return drained
