"""修改巡视巡察基本信息: the office corrects an inspection's header in the browser, through the same service
and its rules, with the reason once the plan is submitted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.audit.models import AuditEvent
from rectify.inspections import services as inspections
from rectify.inspections.models import Inspection
from rectify.supervision import services as supervision
from tests.factories import PASSWORD, make_task


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def header(unit, **changes):
    inspection = unit.inspection
    values = {
        "title": inspection.title, "kind": inspection.kind, "type": inspection.type, "inspector": inspection.inspector,
        "term": inspection.term, "round": inspection.round, "group": inspection.group,
        "onsite_start": inspection.onsite_start.isoformat(), "onsite_end": inspection.onsite_end.isoformat(),
        "feedback_date": inspection.feedback_date.isoformat(),
    }
    return {**values, **changes}


def edit_url(unit):
    return reverse("inspections:edit", args=[unit.inspection.pk])


def test_the_ledger_links_the_office_to_the_prefilled_edit_form(client, unit):
    login(client, unit.office_staff)
    page = client.get(reverse("ledger:ledger", args=[unit.inspection.pk])).content.decode()
    assert f'href="{edit_url(unit)}">修改基本信息</a>' in page
    form = client.get(edit_url(unit)).content.decode()
    assert f'value="{unit.inspection.title}"' in form and 'value="第十四巡视组"' in form
    assert f'value="{unit.inspection.feedback_date.isoformat()}"' in form and 'value="8"' in form
    assert "修改原因" not in form  # a draft plan is corrected without one


def test_the_office_edits_the_header_and_the_inspection_page_shows_it(client, unit):
    login(client, unit.office_staff)
    response = client.post(edit_url(unit), header(unit, title="十一届省委第九轮巡视", kind="巡察", type="专项",
                                                   inspector="市委", term="十二届", round="9", group="第三巡察组"))
    assert response.status_code == 302 and response["Location"] == reverse("ledger:ledger", args=[unit.inspection.pk])
    inspection = Inspection.objects.get(pk=unit.inspection.pk)
    assert (inspection.title, inspection.kind, inspection.type, inspection.inspector, inspection.term,
            inspection.round, inspection.group) == ("十一届省委第九轮巡视", "巡察", "专项", "市委", "十二届", 9, "第三巡察组")
    page = client.get(response["Location"]).content.decode()
    assert "<h1>十一届省委第九轮巡视</h1>" in page and "第三巡察组" in page and "第9轮" in page
    assert "巡视巡察基本信息已修改" in page
    event = AuditEvent.objects.get(action="inspection.update")
    assert event.before["group"] == "第十四巡视组" and event.after["group"] == "第三巡察组"


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"title": "巡" * 201}, "title", "「名称」不能超过 200 个字（现有 201 个字）"),
    ({"title": "  "}, "title", "「名称」不能为空"),
    ({"feedback_date": "2099-01-01"}, "feedback_date", "「反馈日期」不能晚于今天：2099-01-01"),
    ({"feedback_date": "2025-02-30"}, "feedback_date", "「反馈日期」无法识别：2025-02-30"),
    ({"round": "0"}, "round", "「轮次」应为 1 到 99 之间的整数：0"),
    ({"round": "第八"}, "round", "「轮次」应为整数：第八"),
    ({"inspector": "省" * 33}, "inspector", "「派出机关」不能超过 32 个字"),
    ({"kind": "督查"}, "kind", "「类别」无法识别：督查"),
    ({"onsite_end": "2000-01-01"}, "onsite_end", "「进驻结束」不能早于「进驻开始」"),
])
def test_each_refusal_names_the_field_and_keeps_what_was_typed(client, unit, changes, field, words):
    login(client, unit.office_staff)
    typed = header(unit, group="第二十巡视组", **changes)
    response = client.post(edit_url(unit), typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="err-{field}" class="errorlist" role="alert">{words}' in page
    assert 'value="第二十巡视组"' in page  # the other typed values stay in the form
    inspection = Inspection.objects.get(pk=unit.inspection.pk)
    assert inspection.group == "第十四巡视组" and inspection.version == unit.inspection.version
    assert not AuditEvent.objects.filter(action="inspection.update").exists()


def test_a_duplicate_name_is_refused_on_the_title(client, unit):
    inspections.create_inspection(unit.office_staff, target=unit.org, title="另一次巡视")
    login(client, unit.office_staff)
    page = client.post(edit_url(unit), header(unit, title="另一次巡视")).content.decode()
    assert 'id="err-title" class="errorlist" role="alert">「名称」与本单位已登记的巡视巡察重复：另一次巡视' in page


def test_after_submission_the_reason_is_asked_for_and_recorded(client, unit):
    make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    login(client, unit.office_staff)
    assert 'name="reason"' in client.get(edit_url(unit)).content.decode()
    refused = client.post(edit_url(unit), header(unit, group="第十五巡视组")).content.decode()
    assert 'id="err-reason" class="errorlist" role="alert">整改方案已报送，修改须填写「修改原因」' in refused
    assert 'value="第十五巡视组"' in refused
    assert Inspection.objects.get(pk=unit.inspection.pk).group == "第十四巡视组"
    done = client.post(edit_url(unit), header(unit, group="第十五巡视组", reason="组别录入有误"))
    assert done.status_code == 302
    assert Inspection.objects.get(pk=unit.inspection.pk).group == "第十五巡视组"
    assert AuditEvent.objects.get(action="inspection.update").note == "组别录入有误"


@pytest.mark.parametrize("persona", ["dept_handler", "supervisor", "leader"])
def test_the_unit_without_the_office_role_is_refused(client, unit, persona):
    login(client, getattr(unit, persona))
    assert f'href="{edit_url(unit)}"' not in client.get(
        reverse("ledger:ledger", args=[unit.inspection.pk])).content.decode()
    assert client.get(edit_url(unit)).status_code == 403
    assert client.post(edit_url(unit), header(unit, group="第十五巡视组")).status_code == 403
    assert Inspection.objects.get(pk=unit.inspection.pk).group == "第十四巡视组"


def test_another_units_inspection_is_not_found(client, unit, other):
    login(client, other.office_staff)
    assert client.get(edit_url(unit)).status_code == 404
    assert client.post(edit_url(unit), header(unit, group="第十五巡视组")).status_code == 404
