"""The portal's receipt lookup: number and code together show the opinion's status; anything else shows nothing."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from rectify.reports import services
from rectify.reports.models import Feedback
from tests.reports_app.test_portal import notice, send  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def receipt(client, report) -> tuple[str, str]:
    page = send(client, report).content.decode()
    reference = re.search(r"受理编号：<strong>([^<]+)</strong>", page).group(1)
    code = re.search(r"查询码：<strong>([^<]+)</strong>", page).group(1)
    return reference, code


def look(client, reference: str, code: str, ip: str = "10.0.0.9"):
    return client.post(reverse("portal:lookup"), {"reference": reference, "code": code}, REMOTE_ADDR=ip)


def test_number_and_code_show_the_status(client, notice):  # noqa: F811
    reference, code = receipt(client, notice)
    response = look(client, reference, code)
    assert response.status_code == 200
    assert "待处理" in response.content.decode()
    services.handle_feedback(_office(notice), Feedback.objects.get(), note="已转责任部门办理")
    page = look(client, reference, code).content.decode()
    assert "已处理" in page
    assert "已转责任部门办理" not in page  # the status only, not the office's note


def _office(report):
    from rectify.organizations.models import Membership, Role

    return Membership.objects.filter(organization=report.inspection.target, role=Role.RECTIFICATION_OFFICE).first().user


def test_the_code_is_stored_only_hashed(client, notice):  # noqa: F811
    _reference, code = receipt(client, notice)
    stored = Feedback.objects.get().lookup_code_hash
    assert stored and code not in stored


def test_wrong_number_and_wrong_code_get_the_same_answer(client, notice):  # noqa: F811
    reference, code = receipt(client, notice)
    wrong_code = look(client, reference, "AAAAAAAA")
    wrong_number = look(client, "FK-2026-999999", code)
    assert wrong_code.status_code == wrong_number.status_code == 404
    strip = lambda r: r.content.decode().replace(reference, "").replace("FK-2026-999999", "")  # noqa: E731
    assert re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", strip(wrong_code)) == re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', "", strip(wrong_number))
    assert "办理状态" not in wrong_code.content.decode()


def test_lookups_are_rate_limited_per_address(client, notice, settings):  # noqa: F811
    settings.RECTIFY_FEEDBACK_LOOKUPS_PER_HOUR = 3
    reference, code = receipt(client, notice)
    for _ in range(3):
        assert look(client, reference, "WRONG", ip="10.0.0.7").status_code == 404
    assert look(client, reference, code, ip="10.0.0.7").status_code == 429
    assert look(client, reference, code, ip="10.0.0.8").status_code == 200
