"""A running job's progress kept beside the database when the database cannot take it (后台作业进度).

On SQLite a job whose work runs in one long transaction (a ledger import) holds the database's only
write lock until it commits: its progress can be written neither by it outside that transaction nor by
a second connection. Such a job's worker writes its progress to a small JSON file instead,
`RECTIFY_HOME/jobs/<id>.json` (`RECTIFY_JOB_PROGRESS_DIR`), replaced whole at each report (a temporary
file, then `os.replace`), so a reader sees the last report or the one before, never half of one. Every
process of a SQLite deployment shares RECTIFY_HOME (the database file, the secret key and the audit key
live there). The job's page reads the file while the job runs; the file goes when the job ends, and the
final counts are the job's row. A file left by a worker that died is ignored: it names another worker
or attempt.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

from rectify.jobs.models import Job

log = logging.getLogger(__name__)

# What a report records, as the job's row has it.
FIELDS = ("progress", "progress_note", "done_count", "total_count")


def path_of(pk: int) -> Path:
    return Path(settings.RECTIFY_JOB_PROGRESS_DIR) / f"{int(pk)}.json"


def write(job: Job, values: dict[str, Any]) -> None:
    """Record this report of the job (by the worker holding it); a failure to write only loses the report."""
    path = path_of(job.pk)
    report = {"locked_by": job.locked_by, "attempts": job.attempts, **{name: values[name] for name in FIELDS}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{job.pk}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(report, out)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        log.warning("job %s: progress not recorded in %s: %s", job.pk, path, error)


def read(job: Job) -> dict[str, Any] | None:
    """The last report of the job's current attempt, or None (no file, or one left by another attempt)."""
    try:
        report = json.loads(path_of(job.pk).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(report, dict) or report.get("locked_by") != job.locked_by or report.get("attempts") != job.attempts:
        return None
    try:
        return {"progress": max(0, min(100, int(report["progress"]))), "progress_note": str(report["progress_note"])[:200],
                "done_count": max(0, int(report["done_count"])), "total_count": max(0, int(report["total_count"]))}
    except (KeyError, TypeError, ValueError):
        return None


def shown(job: Job) -> Job:
    """The job as its page shows it: a running job with the progress its worker last reported beside
    the database, when that is further than its row (the row is not changed)."""
    if job.status != Job.Status.RUNNING:
        return job
    report = read(job)
    if report is None or report["done_count"] < job.done_count:
        return job
    for name in FIELDS:
        setattr(job, name, report[name])
    return job


def remove(pk: int) -> None:
    """The job has ended: its row has the final counts."""
    try:
        path_of(pk).unlink(missing_ok=True)
    except OSError as error:
        log.warning("job %s: progress file not removed: %s", pk, error)
