"""Journeys of the closure chain and supervision: the timeline, who is told, flags and re-check."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from tests.factories import make_task, submitted_task

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("RECTIFY_SCREENSHOTS")


def shot(page, name: str) -> None:
    """Keep a full-page screenshot when RECTIFY_SCREENSHOTS names a folder (for looking at the pages)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        if page.viewport_size and page.viewport_size["width"] > 1000:
            page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_return_reaches_the_department_and_the_timeline_names_everyone(world, open_as, live_server):
    unit = world.units[0]
    task = submitted_task(unit, title="建立健全意识形态工作责任制")
    office = open_as(unit.office_staff)
    office.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    office.get_by_label("退回理由").fill("缺少党组会议纪要")
    office.get_by_role("button", name="退回", exact=True).click()
    timeline = office.locator(".timeline")
    expect(timeline.get_by_text("退回理由：缺少党组会议纪要")).to_be_visible()
    expect(timeline.get_by_text("申请销号", exact=True)).to_be_visible()
    expect(timeline.get_by_text(f"{unit.dept_handler.display_name}（办公室）").first).to_be_visible()

    for phone in (False, True):
        department = open_as(unit.dept_handler, phone=phone)
        department.goto(live_server.url + reverse("supervision:inbox"))
        expect(department.get_by_text("【已退回】销号申请被退回，请补充整改")).to_be_visible()
        shot(department, "inbox-phone" if phone else "inbox-desktop")
    shot(office, "task-timeline-desktop")


def test_flag_sends_a_closed_task_to_recheck_and_the_office_reopens_it(world, open_as, live_server):
    unit = world.units[0]
    task = submitted_task(unit, title="规范选人用人工作流程")
    ledger.review_task(unit.office_staff, task)
    ledger.approve_task(unit.leader, task)

    supervisor = open_as(unit.supervisor)
    supervisor.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    supervisor.get_by_label("整改不实情况").fill("抽查发现干部档案仍未整理")
    supervisor.once("dialog", lambda d: d.accept())
    supervisor.get_by_role("button", name="标记整改不实").click()
    expect(supervisor.locator(".page-head").get_by_text("复核中")).to_be_visible()

    office = open_as(unit.office_staff, phone=True)
    office.goto(live_server.url + reverse("ledger:approvals"))
    office.get_by_role("link", name="复核", exact=True).click()
    office.get_by_label("复核意见").fill("情况属实，重新整改")
    shot(office, "task-recheck-phone")
    office.get_by_label("复核结论").select_option(label="重启整改")
    office.get_by_role("button", name="提交复核意见").click()
    expect(office.get_by_text("复核意见已记录")).to_be_visible()
    task.refresh_from_db()
    assert task.status == Task.Status.REOPENED


def test_department_asks_for_an_extension_and_the_office_and_leader_grant_it(world, open_as, live_server):
    unit = world.units[0]
    task = make_task(unit, title="完善干部选拔任用工作制度")
    original = task.deadline
    wanted = original + dt.timedelta(days=45)
    department = open_as(unit.dept_handler, phone=True)
    department.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    department.get_by_text("申请延期", exact=True).click()
    department.get_by_label("申请延期至").fill(wanted.isoformat())
    department.get_by_label("延期理由").fill("制度需经党组会审议，会期在下月")
    department.get_by_role("button", name="提交延期申请").click()
    expect(department.get_by_text("延期申请已提交，等待整改办审核")).to_be_visible()
    shot(department, "task-extension-phone")

    office = open_as(unit.office_staff)
    office.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    expect(office.get_by_text("制度需经党组会审议，会期在下月").first).to_be_visible()
    office.get_by_role("button", name="同意，报领导审批").click()
    expect(office.get_by_text("延期申请审核意见已记录")).to_be_visible()

    leader = open_as(unit.leader)
    leader.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    leader.get_by_role("button", name="同意延期").click()
    expect(leader.get_by_text("延期申请已办理")).to_be_visible()
    expect(leader.get_by_text("原定时限")).to_be_visible()
    shot(leader, "task-extended-desktop")
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (wanted, original)


def test_leader_signs_the_plan_in_person(world, open_as, live_server):
    from rectify.supervision import services as supervision

    unit = world.units[0]
    make_task(unit)
    plan = supervision.submit_plan(unit.office_staff, unit.inspection)
    leader = open_as(unit.leader)
    leader.goto(live_server.url + reverse("supervision:review", args=[unit.inspection.pk]))
    expect(leader.get_by_text("待第一责任人签字")).to_be_visible()
    leader.once("dialog", lambda d: d.accept())
    leader.get_by_role("button", name="第一责任人签字确认").click()
    expect(leader.get_by_text("已签字确认")).to_be_visible()
    expect(leader.get_by_text(f"第一责任人 {unit.leader.display_name} 已于")).to_be_visible()
    shot(leader, "review-signed-desktop")
    plan.refresh_from_db()
    assert plan.signed_by_user == unit.leader


def test_office_samples_look_backs_and_records_each_check(world, open_as, live_server):
    unit = world.units[0]
    task = submitted_task(unit, title="清理规范办公用房")
    ledger.review_task(unit.office_staff, task)
    ledger.approve_task(unit.leader, task)
    office = open_as(unit.office_staff, phone=True)
    office.goto(live_server.url + reverse("supervision:review", args=[unit.inspection.pk]))
    office.get_by_label("抽查比例（%）").fill("100")
    office.get_by_role("button", name="抽取并安排").click()
    expect(office.get_by_text("已抽取并安排回头看，请逐项记录核查结果")).to_be_visible()
    expect(office.get_by_text("待核查 1 项")).to_be_visible()
    office.get_by_label("核查情况").fill("实地查看，办公用房已按标准调整")
    shot(office, "look-backs-phone")
    office.get_by_role("button", name="记录结果").click()
    expect(office.get_by_text("核查结果已记录")).to_be_visible()
    expect(office.get_by_text("已完成", exact=True)).to_be_visible()


def test_a_refused_request_shows_its_message_instead_of_doing_nothing(world, open_as, live_server):
    unit = world.units[0]
    office = open_as(unit.office_staff)
    office.goto(live_server.url + reverse("inspections:create"))
    office.get_by_label("名称", exact=True).evaluate("(el) => el.removeAttribute('maxlength')")
    office.get_by_label("名称", exact=True).fill("巡" * 400)
    office.get_by_role("button", name="登记", exact=True).click()
    expect(office.locator("#err-title")).to_contain_text("「名称」不能超过 200 个字")
    shot(office, "inspection-error-desktop")
    office.evaluate("() => htmx.ajax('GET', '/no-such-page/', '#main')")
    expect(office.locator("#request-error")).to_contain_text("您要找的页面不存在")
    phone = open_as(unit.dept_handler, phone=True)
    phone.goto(live_server.url + "/no-such-page/")
    expect(phone.get_by_role("heading", name="页面不存在")).to_be_visible()
    shot(phone, "404-phone")
    phone.get_by_role("link", name="回到工作台").click()
    expect(phone.get_by_role("heading", name="我的任务", exact=True)).to_be_visible()
