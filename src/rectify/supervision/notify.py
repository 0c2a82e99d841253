"""Delivery of notifications outside the inbox: e-mail and signed webhooks with retries.

A webhook receives a JSON body signed with HMAC-SHA256 over the raw body, sent as
`X-Rectify-Signature: sha256=<hex>`. A failed attempt is retried after 1, 2, 4, 8 … minutes
until the endpoint's `max_attempts`; every attempt is written to the delivery's log. Deliveries
are posted one by one with a short timeout, outside any transaction, so a dead endpoint only
delays itself. Each delivery is claimed before it is posted, so two processes sweeping at once
(two `rectify remind` runs, a worker) never post the same one twice.

E-mail goes out from the job queue (`rectify worker`, or the `rectify remind` run that created it),
with the SMTP timeout EMAIL_TIMEOUT and retries with back-off; never inside a web request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from rectify import clock
from rectify.supervision.models import Notification, WebhookDelivery

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Rectify-Signature"
USER_AGENT = "Rectify-Webhook/1"


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: "sha256=" and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header or "")


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` failures: 1, 2, 4, 8 … minutes."""
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))


def payload(notification: Notification) -> dict[str, Any]:
    """The JSON a webhook receives (in Chinese, whoever's request triggered it)."""
    with translation.override(settings.LANGUAGE_CODE):
        kind_label = str(notification.get_kind_display())
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "kind_label": kind_label,
        "title": notification.title,
        "body": notification.body,
        "due_on": notification.due_on.isoformat() if notification.due_on else None,
        "recipient": notification.recipient.display_name,
        "unit_id": notification.unit_id,
        "task_id": notification.task_id,
        "lead_id": notification.lead_id,
        "inspection_id": notification.inspection_id,
        "created_at": notification.created_at.isoformat(),
    }


def send_email(notification: Notification) -> bool:
    """E-mail a notification to its recipient once, when the recipient has an address.

    A failure of the mail server raises, so the job that called it is tried again later.
    """
    address = (notification.recipient.email or "").strip()
    if not address or notification.emailed_at is not None:
        return False
    send_mail(notification.title, notification.body or notification.title, settings.DEFAULT_FROM_EMAIL, [address])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=clock.now())
    return True


def _claim(delivery: WebhookDelivery, timeout: float) -> bool:
    """Take a due delivery for this process: move its next try past the time one attempt can take, on
    the condition that nobody did so first. A process that dies mid-post leaves it due again later."""
    hold = clock.now() + dt.timedelta(seconds=2 * timeout + 60)
    taken = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, next_try_at=delivery.next_try_at,
    ).update(next_try_at=hold)
    return taken == 1


def url_refusal(url: str) -> str | None:
    """Why a webhook may not post to `url`, or None: http(s) only, to a host on RECTIFY_WEBHOOK_ALLOWED_HOSTS
    ("host" exactly, ".domain" for its subdomains); with the list empty no webhook may post anywhere."""
    parts = urlsplit(url or "")
    try:
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        host = ""
    if parts.scheme not in ("http", "https") or not host:
        return _("Webhook 地址「%(url)s」无效：须以 http:// 或 https:// 开头并写明主机") % {"url": url}
    allowed = [entry.strip().lower().rstrip(".") for entry in getattr(settings, "RECTIFY_WEBHOOK_ALLOWED_HOSTS", [])]
    if not any(host == entry or (entry.startswith(".") and host.endswith(entry)) for entry in allowed if entry):
        return _("Webhook 地址「%(url)s」的主机 %(host)s 不在允许的主机列表中（RECTIFY_WEBHOOK_ALLOWED_HOSTS），"
                 "请联系系统管理员") % {"url": url, "host": host}
    return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would lead the post past the allow-list: it counts as a failed attempt instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, signature: str, timeout: float) -> tuple[int | None, str]:
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", SIGNATURE_HEADER: signature,
                 "User-Agent": USER_AGENT},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:  # noqa: S310 (allow-listed URL)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))


def attempt(delivery: WebhookDelivery, *, timeout: float | None = None) -> WebhookDelivery:
    """Post one delivery once and record the attempt: delivered, retried later, or failed for good."""
    endpoint = delivery.endpoint
    body = json.dumps(payload(delivery.notification), ensure_ascii=False, sort_keys=True).encode()
    timeout = timeout if timeout is not None else float(getattr(settings, "RECTIFY_WEBHOOK_TIMEOUT", 5))
    refusal = url_refusal(endpoint.url)
    code, error = (None, refusal) if refusal else _post(endpoint.url, body, sign(endpoint.secret, body), timeout)
    now = clock.now()
    delivery.attempts += 1
    delivery.response_code = code
    ok = code is not None and 200 <= code < 300
    if refusal:
        # Not posted at all; trying again would be refused again.
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_try_at = None
        outcome = "refused"
    elif ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_try_at = None
        outcome = "ok"
    elif delivery.attempts >= endpoint.max_attempts:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_try_at = None
        outcome = "gave up"
    else:
        delivery.next_try_at = now + backoff(delivery.attempts)
        outcome = f"retry at {delivery.next_try_at.isoformat()}"
    line = f"{now.isoformat()} attempt {delivery.attempts}: {code if code is not None else '-'} {error} {outcome}"
    delivery.log = (delivery.log + "\n" + line).strip()
    delivery.save(update_fields=["attempts", "response_code", "status", "delivered_at", "next_try_at", "log"])
    log.info("webhook delivery %s: %s", delivery.pk, line)
    return delivery


@dataclass
class WebhookRun:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"delivered": self.delivered, "retrying": self.retrying, "failed": self.failed}


def process_webhooks(*, limit: int = 1000, timeout: float | None = None) -> WebhookRun:
    """Try every pending delivery whose time has come (new ones and retries), each on its own."""
    run = WebhookRun()
    timeout = timeout if timeout is not None else float(getattr(settings, "RECTIFY_WEBHOOK_TIMEOUT", 5))
    due = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_try_at__lte=clock.now(),
                                       endpoint__active=True)
        .select_related("endpoint", "notification__recipient").order_by("next_try_at", "pk")[:limit]
    )
    for delivery in due:
        if not _claim(delivery, timeout):
            continue  # another process is posting it
        try:
            attempt(delivery, timeout=timeout)
        except Exception:  # one broken delivery must not stop the others
            log.exception("webhook delivery %s crashed", delivery.pk)
            continue
        run.ids.append(delivery.pk)
        if delivery.status == WebhookDelivery.Status.DELIVERED:
            run.delivered += 1
        elif delivery.status == WebhookDelivery.Status.FAILED:
            run.failed += 1
        else:
            run.retrying += 1
    return run
