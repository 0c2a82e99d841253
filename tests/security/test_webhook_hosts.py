"""Webhooks post only to hosts on RECTIFY_WEBHOOK_ALLOWED_HOSTS: refused when configured and when sending."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rectify.supervision.models import Notification, WebhookDelivery, WebhookEndpoint
from rectify.supervision.notify import process_webhooks, url_refusal
from rectify.supervision.services.notifications import Warning, notify


@pytest.fixture
def allowed(settings):
    settings.RECTIFY_WEBHOOK_ALLOWED_HOSTS = ["im.example.gov.cn", ".robot.example.gov.cn"]


@pytest.mark.parametrize("url", ["https://im.example.gov.cn/hook", "http://im.example.gov.cn:8080/x",
                                 "https://a.robot.example.gov.cn/hook"])
def test_listed_hosts_are_allowed(allowed, url):
    assert url_refusal(url) is None


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://127.0.0.1:5432/",
                                 "https://im.example.gov.cn.evil.example/x", "https://robot.example.gov.cn.evil/x",
                                 "file:///etc/passwd", "gopher://im.example.gov.cn/", "https:///nohost"])
def test_other_hosts_and_schemes_are_refused(allowed, url):
    assert url_refusal(url)


def test_nothing_is_allowed_when_the_list_is_empty(settings):
    settings.RECTIFY_WEBHOOK_ALLOWED_HOSTS = []
    assert "RECTIFY_WEBHOOK_ALLOWED_HOSTS" in url_refusal("https://im.example.gov.cn/hook")


def test_configuring_a_webhook_elsewhere_is_refused_in_chinese(allowed, unit):
    endpoint = WebhookEndpoint(unit=unit.org, url="http://10.0.0.5:8500/v1/agent", secret="s" * 16)
    with pytest.raises(ValidationError) as caught:
        endpoint.full_clean()
    assert "10.0.0.5 不在允许的主机列表中" in str(caught.value.message_dict["url"])


def test_sending_to_a_host_not_listed_is_refused_for_good(allowed, unit):
    # An endpoint saved before the list existed (or behind the form's back).
    endpoint = WebhookEndpoint.objects.create(unit=unit.org, url="http://127.0.0.1:9/internal", secret="s" * 16)
    notify([Warning(kind=Notification.Kind.OVERDUE, key="overdue:hosts:1", title="【逾期警示】测试", body="",
                    recipients=[unit.dept_handler.pk], unit_id=unit.org.pk)], email=False)
    run = process_webhooks(timeout=1)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert run.failed == 1 and delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == 1
    assert "不在允许的主机列表中" in delivery.log and delivery.response_code is None
