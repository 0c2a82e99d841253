"""Webhook delivery against a local receiver: HMAC-signed JSON, retried with back-off, every attempt
logged, and a dead endpoint never holding up the others."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from rectify import clock
from rectify.supervision.models import Notification, WebhookDelivery, WebhookEndpoint
from rectify.supervision.notify import process_webhooks
from rectify.supervision.services.notifications import Warning, notify

SECRET = "s3cret-key"
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=timezone.get_default_timezone())


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that fails the first `failures` requests with 500."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests: list[tuple[bytes, str]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((body, self.headers.get("X-Rectify-Signature", "")))
                self.send_response(500 if len(receiver.requests) <= receiver.failures else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver(failures=2) as running:
        yield running


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/dead"


def _warn(sw: object, key: str) -> list[Notification]:
    unit = sw.units[0]  # type: ignore[attr-defined]
    return notify([Warning(kind=Notification.Kind.OVERDUE, key=key, title="【逾期警示】测试任务已逾期3天", body="请说明原因",
                           recipients=[unit.dept_handler.pk], unit_id=unit.org.pk)], email=False)


def test_webhook_is_retried_with_backoff_until_the_receiver_accepts(sw, receiver: Receiver) -> None:
    endpoint = WebhookEndpoint.objects.create(unit=sw.units[0].org, url=receiver.url, secret=SECRET, max_attempts=5)
    with clock.frozen(T0):
        (notification,) = _warn(sw, "overdue:test:1")
        first = process_webhooks(timeout=5)
    assert (first.delivered, first.retrying) == (0, 1)
    delivery = WebhookDelivery.objects.get(notification=notification, endpoint=endpoint)
    assert delivery.next_try_at == T0 + dt.timedelta(minutes=1)

    with clock.frozen(T0 + dt.timedelta(seconds=50)):
        assert process_webhooks(timeout=5).ids == []  # not yet due: nothing is posted
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        process_webhooks(timeout=5)
    delivery.refresh_from_db()
    assert delivery.next_try_at == T0 + dt.timedelta(minutes=3)  # then 2 minutes
    with clock.frozen(T0 + dt.timedelta(minutes=3)):
        third = process_webhooks(timeout=5)
    assert third.delivered == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert len(delivery.log.splitlines()) == 3
    assert len(receiver.requests) == 3
    for body, signature in receiver.requests:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(signature, expected)
        payload = json.loads(body)
        assert payload["id"] == notification.pk and payload["kind"] == "overdue"
        assert payload["title"] == "【逾期警示】测试任务已逾期3天"


def test_a_dead_endpoint_gives_up_and_never_blocks_the_others(sw) -> None:
    with Receiver(failures=0) as good:
        dead = WebhookEndpoint.objects.create(unit=sw.units[0].org, url=_closed_port(), secret=SECRET, max_attempts=2)
        live = WebhookEndpoint.objects.create(unit=sw.units[0].org, url=good.url, secret="other", max_attempts=2)
        with clock.frozen(T0):
            _warn(sw, "overdue:test:2")
            run = process_webhooks(timeout=2)
        assert (run.delivered, run.retrying) == (1, 1)
        with clock.frozen(T0 + dt.timedelta(minutes=1)):
            assert process_webhooks(timeout=2).failed == 1
        with clock.frozen(T0 + dt.timedelta(days=1)):
            assert process_webhooks(timeout=2).ids == []  # given up: no more attempts
    assert WebhookDelivery.objects.get(endpoint=live).status == "delivered"
    failed = WebhookDelivery.objects.get(endpoint=dead)
    assert (failed.status, failed.attempts, failed.response_code) == ("failed", 2, None)
    assert len(failed.log.splitlines()) == 2


def test_other_units_endpoints_receive_nothing(sw) -> None:
    WebhookEndpoint.objects.create(unit=sw.units[1].org, url=_closed_port(), secret=SECRET)
    with clock.frozen(T0):
        _warn(sw, "overdue:test:3")
    assert not WebhookDelivery.objects.exists()
