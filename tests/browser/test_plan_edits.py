"""Journey of a correction after the plan is submitted: the edit asks for its reason (修改原因), refuses
without one keeping what was typed, and the reason shows in the task's timeline."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify.ledger.models import Task
from rectify.supervision import services as supervision
from tests.factories import make_task

pytestmark = pytest.mark.browser


def test_office_corrects_a_submitted_plan_with_a_reason(world, open_as, live_server):
    unit = world.units[0]
    task = make_task(unit, title="健全意识形态工作责任制")
    supervision.submit_plan(unit.office_staff, unit.inspection)
    page = open_as(unit.office_staff)
    page.goto(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))
    page.get_by_role("button", name=re.compile("^编辑任务")).click()
    row = page.locator("tr.editing")
    row.get_by_label("整改措施").fill("健全意识形态工作责任制，每季度专题研究一次")
    row.get_by_label("牵头单位").select_option(label="财务处")
    row.get_by_role("button", name="保存").click()

    expect(row.get_by_role("alert")).to_have_text("整改方案已报送，修改须填写「修改原因」")
    expect(row.get_by_label("整改措施")).to_have_value("健全意识形态工作责任制，每季度专题研究一次")
    expect(row.get_by_label("牵头单位")).to_have_value(str(unit.departments[2].pk))
    row.get_by_label("修改原因").fill("按领导小组会议意见细化措施")
    row.get_by_role("button", name="保存").click()
    expect(page.get_by_role("link", name="健全意识形态工作责任制，每季度专题研究一次")).to_be_visible()
    assert Task.objects.get(pk=task.pk).lead_org == unit.departments[2]

    page.get_by_role("link", name="健全意识形态工作责任制，每季度专题研究一次").click()
    timeline = page.locator(".timeline")
    expect(timeline.get_by_text("修改「整改措施」「牵头单位」；修改原因：按领导小组会议意见细化措施")).to_be_visible()


def test_office_corrects_a_finding_of_a_submitted_plan_with_a_reason(world, open_as, live_server):
    unit = world.units[0]
    make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    page = open_as(unit.office_staff)
    page.goto(live_server.url + reverse("ledger:findings", args=[unit.inspection.pk]))
    page.get_by_text("修改反馈问题").click()
    page.get_by_label("要修改的问题").select_option(label="1.学习贯彻不深入")
    expect(page.get_by_label("修改后的问题")).to_have_value("学习贯彻不深入")  # the form shows the finding as it is
    page.get_by_label("修改后的问题").fill("学习贯彻党的创新理论不深入")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#request-error")).to_contain_text("整改方案已报送，修改须填写「修改原因」")
    expect(page.get_by_label("修改后的问题")).to_have_value("学习贯彻党的创新理论不深入")
    page.get_by_label("修改原因").fill("按反馈意见原文更正")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_text("问题已修改")).to_be_visible()
    expect(page.get_by_role("cell", name="学习贯彻党的创新理论不深入")).to_be_visible()
