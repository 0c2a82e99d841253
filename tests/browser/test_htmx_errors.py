"""Every htmx-driven control answers a failure with a Chinese message and leaves what the user typed in place:
the ledger row's 编辑 / 保存 / 取消, the common-problems poll, and the boosted forms of the task page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.organizations.models import Membership, Role
from tests.factories import make_task, submitted_task

pytestmark = pytest.mark.browser

TYPED = "细化措施：每季度专题研究一次意识形态工作"


def _ledger(open_as, live_server, unit):
    page = open_as(unit.office_staff)
    page.goto(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))
    return page


def _edit(page):
    page.get_by_role("button", name=re.compile("^编辑任务")).click()
    row = page.locator("tr.editing")
    row.get_by_label("整改措施").fill(TYPED)
    return row


def test_edit_of_a_task_deleted_meanwhile_says_it_is_gone(world, open_as, live_server):
    unit = world.units[0]
    task = make_task(unit)
    page = _ledger(open_as, live_server, unit)
    ledger.delete_task(unit.office_staff, Task.objects.get(pk=task.pk))
    page.get_by_role("button", name=re.compile("^编辑任务")).click()
    expect(page.locator("#request-error")).to_contain_text("您要找的页面不存在，或不在您的查看范围内。（404）")
    expect(page.get_by_role("link", name=task.title)).to_be_visible()


def test_save_with_bad_input_names_the_field_and_keeps_the_text(world, open_as, live_server):
    unit = world.units[0]
    make_task(unit)
    row = _edit(_ledger(open_as, live_server, unit))
    row.get_by_label("完成时限").fill("")
    row.get_by_role("button", name="保存").click()
    expect(row.get_by_role("alert")).to_have_text("限期整改任务必须填写「完成时限」")
    expect(row.get_by_label("整改措施")).to_have_value(TYPED)


def test_save_after_a_colleague_saved_says_so_and_keeps_the_text(world, open_as, live_server):
    unit = world.units[0]
    task = make_task(unit)
    row = _edit(_ledger(open_as, live_server, unit))
    ledger.update_task(unit.office_staff, Task.objects.get(pk=task.pk), title="同事刚改过的措施")
    row.get_by_role("button", name="保存").click()
    expect(row.get_by_role("alert")).to_contain_text("已被他人修改")
    expect(row.get_by_label("整改措施")).to_have_value(TYPED)
    assert Task.objects.get(pk=task.pk).title == "同事刚改过的措施"


def test_save_when_the_server_fails_says_so_and_keeps_the_text(world, open_as, live_server, monkeypatch):
    unit = world.units[0]
    make_task(unit)
    row = _edit(_ledger(open_as, live_server, unit))

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ledger, "update_task", broken)
    row.get_by_role("button", name="保存").click()
    expect(row.page.locator("#request-error")).to_contain_text("系统处理时出错，您的操作可能没有完成。")
    expect(row.get_by_label("整改措施")).to_have_value(TYPED)


def test_save_after_the_session_ended_says_so_and_keeps_the_text(world, open_as, live_server):
    unit = world.units[0]
    make_task(unit)
    page = _ledger(open_as, live_server, unit)
    row = _edit(page)
    kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    row.get_by_role("button", name="保存").click()
    expect(page.locator("#request-error")).to_contain_text("登录已超时或已退出")
    expect(row.get_by_label("整改措施")).to_have_value(TYPED)
    expect(page.get_by_label("密码")).to_have_count(0)  # the login form is not put into the ledger


def test_save_after_the_page_expired_says_so_and_keeps_the_text(world, open_as, live_server):
    unit = world.units[0]
    make_task(unit)
    page = _ledger(open_as, live_server, unit)
    row = _edit(page)
    page.context.clear_cookies()  # logged out elsewhere: neither session nor CSRF cookie
    row.get_by_role("button", name="保存").click()
    expect(page.locator("#request-error")).to_contain_text("页面停留时间过长或已在别处退出登录，提交未完成。")
    expect(page.locator("#request-error")).to_contain_text("（403）")
    expect(row.get_by_label("整改措施")).to_have_value(TYPED)


def test_cancel_of_a_task_deleted_meanwhile_says_it_is_gone_and_keeps_the_form(world, open_as, live_server):
    unit = world.units[0]
    task = make_task(unit)
    row = _edit(_ledger(open_as, live_server, unit))
    ledger.delete_task(unit.office_staff, Task.objects.get(pk=task.pk))
    row.get_by_role("button", name="取消").click()
    expect(row.page.locator("#request-error")).to_contain_text("（404）")
    expect(row.get_by_label("整改措施")).to_have_value(TYPED)


def test_a_step_refused_on_the_task_page_says_why_and_keeps_the_reason(world, open_as, live_server):
    unit = world.units[0]
    task = submitted_task(unit, title="规范干部档案管理")
    page = open_as(unit.office_staff)
    page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    page.get_by_label("退回理由").fill("缺少档案整理清单")
    ledger.withdraw_task(unit.dept_handler, Task.objects.get(pk=task.pk), note="补充材料后再申请")
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.locator("#request-error")).to_have_text("只有待审核或待审批的任务才能退回（409）")
    expect(page.get_by_label("退回理由")).to_have_value("缺少档案整理清单")
    assert Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS


def test_a_step_refused_for_a_lost_role_says_why_and_keeps_the_reason(world, open_as, live_server):
    unit = world.units[0]
    task = submitted_task(unit, title="规范干部档案管理")
    page = open_as(unit.office_staff)
    page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    page.get_by_label("退回理由").fill("缺少档案整理清单")
    Membership.objects.filter(user=unit.office_staff, organization=unit.org).update(role=Role.SUPERVISOR)
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.locator("#request-error")).to_contain_text("（403）")
    expect(page.get_by_label("退回理由")).to_have_value("缺少档案整理清单")
    assert Task.objects.get(pk=task.pk).status == Task.Status.SUBMITTED


def test_the_common_problems_poll_says_when_the_server_fails(world, open_as, live_server, monkeypatch):
    from rectify.supervision import selectors

    make_task(world.units[0])
    page = open_as(world.inspection_office)
    page.goto(live_server.url + reverse("supervision:common_problems"))
    expect(page.locator("#common-problems[hx-get]")).to_have_count(1)

    def broken(*args, **kwargs):
        raise RuntimeError("analysis table locked")

    monkeypatch.setattr(selectors, "common_problems_page", broken)
    expect(page.locator("#request-error")).to_contain_text("（500）", timeout=10000)


def test_a_link_followed_after_the_session_ended_opens_the_login_page(world, open_as, live_server):
    unit = world.units[0]
    page = _ledger(open_as, live_server, unit)
    kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    page.get_by_role("link", name="整改台账巡视巡察整改工作平台").click()
    expect(page.get_by_label("密码")).to_be_visible()
    assert "/accounts/login/" in page.url
    expect(page.locator("#request-error")).to_have_count(0)
