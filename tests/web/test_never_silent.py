"""Pages that never fail silently: field errors in Chinese, error pages with a way back, typed text kept."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectify.errors import ValidationFailed
from rectify.inspections import services as inspections
from rectify.inspections.models import Inspection
from rectify.supervision import services as supervision
from tests.factories import PASSWORD, make_task


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _register(client, unit, **values):
    data = {"target": unit.org.pk, "title": "十一届省委第九轮巡视", **values}
    return client.post(reverse("inspections:create"), data)


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"title": "巡" * 400}, "title", "「名称」不能超过 200 个字（现有 400 个字）"),
    ({"feedback_date": "2030-01-01"}, "feedback_date", "「反馈日期」不能晚于今天：2030-01-01"),
    ({"round": "-3"}, "round", "「轮次」应为 1 到 99 之间的整数：-3"),
    ({"round": "第八"}, "round", "「轮次」应为整数：第八"),
    ({"group": "组" * 65}, "group", "「巡视巡察组」不能超过 64 个字"),
])
def test_inspection_form_refuses_with_a_field_error(client, unit, values, field, words):
    login(client, unit.office_staff)
    before = Inspection.objects.count()
    response = _register(client, unit, **values)
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    assert f'id="err-{field}"' in page and 'aria-invalid="true"' in page
    assert Inspection.objects.count() == before


def test_duplicate_inspection_name_is_refused(client, unit):
    login(client, unit.office_staff)
    response = _register(client, unit, title=unit.inspection.title)
    assert "「名称」与本单位已登记的巡视巡察重复" in response.content.decode()
    with pytest.raises(ValidationFailed):
        inspections.update_inspection(unit.office_staff, inspections.create_inspection(
            unit.office_staff, target=unit.org, title="另一次巡视"), title=unit.inspection.title)


def test_error_pages_speak_chinese_and_offer_a_way_back(client, unit, other):
    login(client, unit.office_staff)
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "页面不存在" in body and "回到工作台" in body and "data-error-message" in body
    task = make_task(other)
    assert client.get(reverse("ledger:task", args=[task.pk])).status_code == 404
    login(client, unit.supervisor)
    forbidden = client.get(reverse("inspections:create"))
    assert forbidden.status_code == 403


def test_403_page_names_the_refusal(client, unit):
    login(client, unit.supervisor)
    response = client.post(reverse("supervision:review_action", args=[unit.inspection.pk, "submit"]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权办理" in body and "只有整改办可以报送整改方案" in body


def test_500_page_is_chinese(client, unit, settings):
    from django.template.loader import render_to_string

    body = render_to_string("500.html")
    assert "服务器出错" in body and "回到工作台" in body


def test_pages_carry_the_htmx_error_messages(client, unit):
    login(client, unit.office_staff)
    body = client.get(reverse("ledger:home"), follow=True).content.decode()
    assert 'data-error-server="操作未完成：服务器出错' in body


def test_a_refused_evidence_file_keeps_the_typed_progress(client, unit):
    task = make_task(unit)
    login(client, unit.dept_handler)
    files = [SimpleUploadedFile("病毒.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")]
    response = client.post(reverse("ledger:task_action", args=[task.pk, "progress"]),
                           {"text": "已召开专题会议研究整改", "files": files}, follow=True)
    page = response.content.decode()
    assert ">已召开专题会议研究整改</textarea>" in page
    assert not task.progress.exists()
    # Once reported, the draft is gone.
    client.post(reverse("ledger:task_action", args=[task.pk, "progress"]), {"text": "已召开专题会议研究整改"})
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert ">已召开专题会议研究整改</textarea>" not in page


@pytest.mark.parametrize(("satisfaction", "points"), [("95%", "9.50"), ("０.９", "9.00"), ("93", "9.30")])
def test_evaluation_reads_the_satisfaction_as_typed(world, satisfaction, points):
    unit = world.units[0]
    evaluation = supervision.evaluate_inspection(world.inspection_office, unit.inspection, satisfaction=satisfaction)
    (section,) = [s for s in evaluation.sections if s["code"] == "satisfaction"]
    assert section["base"] == points


def test_evaluation_errors_name_the_field_in_chinese(client, world):
    unit = world.units[0]
    login(client, world.inspection_office)
    url = reverse("supervision:review_action", args=[unit.inspection.pk, "evaluate"])
    page = client.post(url, {"satisfaction": "很满意"}, follow=True).content.decode()
    assert "「群众满意率」应为数字：很满意" in page and "ConversionSyntax" not in page
    page = client.post(url, {"points_0": "5", "section_0": "leadership"}, follow=True).content.decode()
    assert "第 1 项扣分须写明理由" in page
    page = client.post(url, {"satisfaction": "150%"}, follow=True).content.decode()
    assert "「群众满意率」应在 0 到 1 之间" in page


def test_csrf_failure_page_is_chinese(unit):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(unit.office_staff)
    response = strict.post(reverse("ledger:approvals"))
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
