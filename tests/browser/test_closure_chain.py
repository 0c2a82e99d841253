"""Journeys of the closure chain and supervision: the timeline, who is told, flags and re-check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from tests.factories import submitted_task

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("RECTIFY_SCREENSHOTS")


def shot(page, name: str) -> None:
    """Keep a full-page screenshot when RECTIFY_SCREENSHOTS names a folder (for looking at the pages)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
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
