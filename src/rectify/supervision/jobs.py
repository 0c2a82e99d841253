"""Jobs of the supervision app, run by `rectify worker`: e-mail a notification, sweep due webhooks,
bring the common-problems analysis up to date, deliver one unit's warnings of the morning run."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.utils import timezone

from rectify import clock
from rectify.jobs import queue
from rectify.jobs.models import Job
from rectify.supervision.models import Notification, WebhookDelivery
from rectify.supervision.notify import process_webhooks, send_email
from rectify.supervision.services import problems, reminders
from rectify.supervision.services.notifications import EMAIL_JOB, WEBHOOK_JOB


@queue.handler(EMAIL_JOB)
def email_notification(job: Job) -> dict[str, Any]:
    """E-mail one notification (once: a notification already e-mailed is not sent again)."""
    notification = Notification.objects.select_related("recipient").filter(pk=job.payload["notification"]).first()
    if notification is None:
        return {"sent": False, "reason": "deleted"}
    return {"sent": send_email(notification)}


@queue.handler(WEBHOOK_JOB)
def sweep_webhooks(job: Job) -> dict[str, int]:
    """Post every due webhook delivery, then queue the next sweep for the earliest retry."""
    run = process_webhooks()
    following = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, endpoint__active=True)
        .order_by("next_try_at").values_list("next_try_at", flat=True).first()
    )
    if following is not None:
        queue.enqueue(WEBHOOK_JOB, key=WEBHOOK_JOB, run_after=max(following, timezone.now()))
    return run.as_dict()


@queue.handler(problems.JOB)
def common_problems(job: Job) -> dict[str, Any]:
    """Bring the 共性问题 analysis at the job's threshold up to date, showing progress on the page."""
    analysis = problems.analyse_common_problems(
        job.payload["threshold"], full=bool(job.payload.get("full")),
        progress=lambda percent, note: queue.report_progress(job, percent, note))
    return {"findings": analysis.findings, "clusters": analysis.clusters.count()}


@queue.handler(reminders.REMIND_JOB)
def remind_unit(job: Job) -> dict[str, Any]:
    """Deliver one unit's warnings due on the run's date (on that date's frozen clock if the run had one)."""
    day = dt.date.fromisoformat(job.payload["date"])
    frozen = clock.frozen(day) if job.payload.get("frozen") else contextlib.nullcontext()
    with frozen:
        sent = reminders.remind_unit(day, job.payload["unit"], email=bool(job.payload.get("email", True)))
    return {"unit": job.payload["unit"], "sent": [n.pk for n in sent]}
