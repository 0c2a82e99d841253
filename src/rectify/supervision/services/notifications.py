"""Creating notifications once (dedupe key), queueing their e-mails and webhooks, and reading them in the inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import NotVisible
from rectify.jobs import queue
from rectify.organizations.models import User
from rectify.supervision.models import Notification, WebhookDelivery, WebhookEndpoint

EMAIL_JOB = "supervision.email"
WEBHOOK_JOB = "supervision.webhooks"


@dataclass
class Warning:
    """One warning (kind + object + threshold/date bucket) and the people it goes to."""

    kind: str
    key: str
    title: str
    body: str
    recipients: list[int]
    unit_id: int | None = None
    task_id: int | None = None
    lead_id: int | None = None
    inspection_id: int | None = None
    due_on: dt.date | None = None
    extra: dict[str, object] = field(default_factory=dict)


def dedupe_key(warning_key: str, recipient_id: int) -> str:
    return f"{warning_key}:u{recipient_id}"


def _endpoint_paths(unit_ids: Iterable[int]) -> dict[int, list[WebhookEndpoint]]:
    """Active endpoints by unit id."""
    found: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(unit_id__in=set(unit_ids), active=True):
        found.setdefault(endpoint.unit_id, []).append(endpoint)
    return found


@transaction.atomic
def notify(warnings: Sequence[Warning], *, email: bool = True) -> list[Notification]:
    """Create the notifications not created before (提醒只发一次), and queue their webhooks and e-mails
    with them (the worker delivers; nothing is sent inside the caller's request)."""
    wanted: dict[str, tuple[Warning, int]] = {}
    for warning in warnings:
        for recipient in dict.fromkeys(warning.recipients):
            wanted[dedupe_key(warning.key, recipient)] = (warning, recipient)
    if not wanted:
        return []
    keys = list(wanted)
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        existing.update(
            Notification.objects.filter(dedupe_key__in=keys[start:start + 500]).values_list("dedupe_key", flat=True)
        )
    now = clock.now()
    fresh = [
        Notification(
            recipient_id=recipient, kind=w.kind, unit_id=w.unit_id, task_id=w.task_id, lead_id=w.lead_id,
            inspection_id=w.inspection_id, title=w.title[:200], body=w.body, due_on=w.due_on, warning_key=w.key,
            dedupe_key=key, created_at=now,
        )
        for key, (w, recipient) in wanted.items()
        if key not in existing
    ]
    # ignore_conflicts: a run racing another one loses quietly instead of failing the whole batch.
    Notification.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=500)
    created = list(
        Notification.objects.filter(dedupe_key__in=[n.dedupe_key for n in fresh], created_at=now)
        .select_related("recipient").order_by("pk")
    )
    endpoints = _endpoint_paths(n.unit_id for n in created if n.unit_id)
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(notification=n, endpoint=e, next_try_at=now, created_at=now)
            for n in created
            for e in endpoints.get(n.unit_id or 0, [])
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    if deliveries:
        queue.enqueue(WEBHOOK_JOB, key=WEBHOOK_JOB)
    if email:
        queue.enqueue_many(EMAIL_JOB, ({"notification": n.pk} for n in created if n.recipient.email),
                           max_attempts=int(getattr(settings, "RECTIFY_EMAIL_MAX_ATTEMPTS", 6)))
    return created


def _mine(actor: User, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise NotVisible(_("未找到该通知"))


@transaction.atomic
def mark_read(actor: User, *, notification: Notification | None = None) -> int:
    """Mark one notification, or all of the actor's unread ones, as read (已读)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification is not None:
        _mine(actor, notification)
        unread = unread.filter(pk=notification.pk)
    ids = list(unread.values_list("pk", flat=True))
    if not ids:
        return 0
    Notification.objects.filter(Q(pk__in=ids)).update(read_at=clock.now())
    audit.record(actor, "notification.read", object_type="supervision.notification",
                 object_id=notification.pk if notification else "all", after={"ids": ids})
    return len(ids)
