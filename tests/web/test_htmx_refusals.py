"""A step refused through htmx (a boosted form) answers with its message and a 4xx status, so the page keeps
what was typed; without htmx the page is reloaded with the message, as before."""

from __future__ import annotations

from django.urls import reverse

from rectify.supervision import services as supervision
from tests.factories import PASSWORD, make_task, submitted_task

HTMX = {"HX-Request": "true", "HX-Boosted": "true"}


def test_a_stale_step_through_htmx_is_a_409_with_the_message(client, unit):
    task = submitted_task(unit)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("ledger:task_action", args=[task.pk, "return"])
    response = client.post(url, {"reason": "缺少纪要", "version": task.version - 1}, headers=HTMX)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()


def test_bad_input_through_htmx_is_a_422_and_without_htmx_a_redirect_with_the_message(client, unit):
    task = make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("ledger:task_action", args=[task.pk, "delete"])
    refused = client.post(url, {}, headers=HTMX)
    assert refused.status_code == 422 and refused.content.decode() == "整改方案已报送，删除须写明理由"
    plain = client.post(url, {}, follow=True)
    assert plain.redirect_chain and "整改方案已报送，删除须写明理由" in plain.content.decode()


def test_a_refused_supervision_step_through_htmx_keeps_the_page(client, unit):
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("supervision:review_action", args=[unit.inspection.pk, "submit"])
    response = client.post(url, {}, headers=HTMX)
    assert response.status_code == 422
    assert "整改方案不完整" in response.content.decode()
