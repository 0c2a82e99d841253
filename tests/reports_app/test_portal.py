"""The public portal: published notices only, readable without login, and a guarded feedback form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from rectify import clock
from rectify.reports import services
from rectify.reports.models import Feedback, Report
from tests.reports_app.conftest import SECRETS


@pytest.fixture
def notice(filled) -> Report:
    unit = filled.unit
    report = services.generate_report(unit.office_staff, unit.inspection, "notice")
    services.publish_report(unit.leader, report)
    return report


def later(seconds: int = 30):
    return clock.frozen(clock.now() + dt.timedelta(seconds=seconds))


def form_token(client, report: Report) -> str:
    page = client.get(reverse("portal:notice", args=[report.pk])).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def send(client, report: Report, *, wait: int = 30, ip: str = "10.0.0.1", **fields: str):
    data = {"name": "", "contact": "", "message": "建议公开整改台账的更多细节", "website": "",
            "token": form_token(client, report), **fields}
    with later(wait):
        return client.post(reverse("portal:notice", args=[report.pk]), data, REMOTE_ADDR=ip)


def test_portal_lists_published_notices_without_login(client, world, notice) -> None:
    draft = services.generate_report(world.units[1].office_staff, world.units[1].inspection, "notice")
    page = client.get(reverse("portal:index")).content.decode()
    assert notice.title in page and "省委统战部" in page
    assert reverse("portal:notice", args=[draft.pk]) not in page


def test_notice_page_shows_the_notice_and_its_contact_lines(client, notice) -> None:
    page = client.get(reverse("portal:notice", args=[notice.pk])).content.decode()
    assert "4项整改任务中已完成2项" in page
    assert "0531-51775418" in page and "250001" in page and "zgb@example.cn" in page
    assert 'name="viewport"' in page and "portal/portal.css" in page


def test_portal_pages_carry_no_script_and_no_external_resource(client, notice) -> None:
    for url in (reverse("portal:index"), reverse("portal:notice", args=[notice.pk])):
        page = client.get(url).content.decode()
        assert "<script" not in page and "style=" not in page
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page)


def test_exempt_items_are_not_on_the_portal(client, notice) -> None:
    pages = [client.get(reverse("portal:notice", args=[notice.pk])).content.decode(),
             client.get(reverse("portal:download", args=[notice.pk, "txt"])).content.decode()]
    for secret in SECRETS:
        assert all(secret not in page for page in pages)


def test_drafts_and_internal_reports_are_404(client, world, filled) -> None:
    unit = filled.unit
    draft = services.generate_report(unit.office_staff, unit.inspection, "notice")
    internal = services.generate_report(unit.office_staff, unit.inspection, "internal")
    services.publish_report(unit.office_staff, internal)
    for report in (draft, internal):
        assert client.get(reverse("portal:notice", args=[report.pk])).status_code == 404
        assert client.get(reverse("portal:download", args=[report.pk, "docx"])).status_code == 404
    assert client.get(reverse("portal:notice", args=[99999])).status_code == 404


def test_portal_shows_the_latest_published_version_not_the_draft(client, filled, notice) -> None:
    section = notice.sections.get(key="next_steps")
    services.update_section(filled.unit.office_staff, section, heading=section.heading, body="尚未发布的打算",
                            expected_version=section.version)
    assert "尚未发布的打算" not in client.get(reverse("portal:notice", args=[notice.pk])).content.decode()


def test_feedback_lands_in_the_inbox_with_a_reference(client, notice) -> None:
    response = send(client, notice, name="张三", contact="13800000000")
    feedback = Feedback.objects.get()
    assert re.fullmatch(r"FK-\d{4}-\d{6}", feedback.reference)
    assert feedback.reference in response.content.decode()
    assert feedback.unit == notice.inspection.target and feedback.name == "张三"


@pytest.mark.parametrize(("fields", "message"), [
    ({"website": "http://spam.example"}, "请不要填写"),
    ({"wait": 0}, "提交过快"),
    ({"message": "字" * 2001}, "不能超过 2000 字"),
    ({"message": ""}, "请填写「意见内容」"),
    ({"name": "名" * 51}, "「姓名」不能超过 50 字"),
    ({"message": "整改不实<script>alert(1)</script>"}, "不能包含网页代码"),
    ({"message": '<img src=x onerror="alert(1)">'}, "不能包含网页代码"),
    ({"token": "forged"}, "表单已失效"),
])
def test_abusive_feedback_is_refused_and_nothing_is_written(client, notice, fields, message) -> None:
    response = send(client, notice, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Feedback.objects.exists()


def test_token_of_another_notice_is_refused(client, world, filled, notice) -> None:
    other = services.generate_report(world.units[1].office_staff, world.units[1].inspection, "notice")
    services.publish_report(world.units[1].office_staff, other)
    response = send(client, notice, token=form_token(client, other))
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_feedback_is_rate_limited_per_address(client, notice) -> None:
    for _ in range(5):
        assert send(client, notice).status_code == 200
    response = send(client, notice)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Feedback.objects.count() == 5
    assert send(client, notice, ip="10.0.0.2").status_code == 200


def test_refused_form_keeps_what_was_typed(client, notice) -> None:
    response = send(client, notice, message="字" * 2001, contact="电话123")
    assert "电话123" in response.content.decode()


def test_angle_brackets_in_plain_text_are_kept_and_escaped_on_display(client, world, notice) -> None:
    send(client, notice, message="收入<3000元的困难户 & 补助>标准的问题")
    assert Feedback.objects.get().message == "收入<3000元的困难户 & 补助>标准的问题"
    client.force_login(world.units[0].office_staff)
    page = client.get(reverse("reports:inbox")).content.decode()
    assert "收入&lt;3000元的困难户 &amp; 补助&gt;标准的问题" in page


def test_markup_that_reached_the_database_is_escaped_in_the_inbox(client, world, notice) -> None:
    Feedback.objects.create(report=notice, unit=notice.inspection.target, message="<script>alert(1)</script>")
    client.force_login(world.units[0].office_staff)
    page = client.get(reverse("reports:inbox")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_portal_index_queries_are_bounded(client, world, notice, django_assert_max_num_queries) -> None:
    other = services.generate_report(world.units[1].office_staff, world.units[1].inspection, "notice")
    services.publish_report(world.units[1].office_staff, other)
    with django_assert_max_num_queries(3):
        client.get(reverse("portal:index"))
