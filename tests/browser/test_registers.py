"""Journey of the registers: a lead registered, found overdue-free, concluded; a rule and an outcome recorded;
a leader's tasks handed over, signed by both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify.ledger.models import Handover, Lead, Outcome, RuleChange
from tests.factories import PASSWORD, make_task, person

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("RECTIFY_SCREENSHOTS")


def shot(page, name: str) -> None:
    """Keep full-page screenshots at desktop and phone sizes when RECTIFY_SCREENSHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for size, (width, height) in {"desktop": (1366, 900), "phone": (390, 844)}.items():
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{size}.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})


def test_office_keeps_the_registers_in_the_browser(world, open_as, live_server):
    unit = world.units[0]
    task = make_task(unit, title="建立意识形态工作责任制")
    successor = person(unit.org, "leader")
    page = open_as(unit.office_staff)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))

    # 问题线索: from the inspection's tabs, register a petition and conclude it.
    page.get_by_role("navigation", name="整改方案").get_by_role("link", name="问题线索").click()
    page.get_by_role("link", name="登记问题线索").click()
    expect(page.get_by_role("heading", name="登记问题线索")).to_be_visible()
    page.get_by_label("类别").select_option(label="信访件")
    page.get_by_label("编号").fill("XF-2026-01")
    page.get_by_label("内容摘要").fill("反映机关食堂采购不规范")
    page.get_by_label("承办单位").select_option(label="财务处")
    shot(page, "lead-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("线索已登记")).to_be_visible()
    row = page.locator("tr", has_text="XF-2026-01")
    expect(row).to_contain_text("待办理")
    page.get_by_label("只看逾期未答复").check()
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("没有符合条件的问题线索")).to_be_visible()
    page.get_by_role("link", name="清除").click()
    shot(page, "leads")
    page.locator("tr", has_text="XF-2026-01").get_by_role("link", name="修改 / 办结").click()
    page.get_by_label("办理结果").fill("经核查，已责令整改并通报")
    page.get_by_role("button", name="办结").click()
    expect(page.locator("tr", has_text="XF-2026-01")).to_contain_text("已办结")
    assert Lead.objects.get().status == "concluded"

    # 建章立制 tied to the task.
    page.get_by_role("navigation", name="整改方案").get_by_role("link", name="建章立制").click()
    page.get_by_role("link", name="登记制度立改废").click()
    expect(page.get_by_role("heading", name="登记制度立改废")).to_be_visible()
    page.get_by_label("制度名称").fill("意识形态工作责任制实施办法")
    page.get_by_label("类别").select_option(label="新建")
    page.get_by_label("文号").fill("统发〔2026〕5号")
    page.get_by_label("对应整改任务").select_option(index=1)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("tr", has_text="意识形态工作责任制实施办法")).to_contain_text("建立意识形态工作责任制")
    shot(page, "rules")
    assert RuleChange.objects.get().task == task

    # 整改成效.
    page.get_by_role("navigation", name="整改方案").get_by_role("link", name="整改成效").click()
    page.get_by_role("link", name="记录整改成效").click()
    expect(page.get_by_role("heading", name="记录整改成效")).to_be_visible()
    page.get_by_label("类别").select_option(label="追缴资金")
    page.get_by_label("事项").fill("追缴违规发放的津贴补贴")
    page.get_by_label("数值").fill("12.5")
    page.get_by_label("计量单位").fill("万元")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("tr", has_text="追缴违规发放的津贴补贴")).to_contain_text("追缴资金")
    expect(page.locator("tr", has_text="追缴违规发放的津贴补贴")).to_contain_text("12.5 万元")
    shot(page, "outcomes")
    assert Outcome.objects.count() == 1

    # 责任交接: a wrong signature is refused, then both sign.
    page.get_by_role("navigation", name="整改方案").get_by_role("link", name="责任交接").click()
    page.get_by_label("交接类别").select_option(label="责任领导")
    page.get_by_label("移交人", exact=True).select_option(label=unit.leader.display_name)
    page.get_by_label("接收人", exact=True).select_option(label=successor.display_name)
    page.get_by_label("移交人签字（输入本人密码）").fill(PASSWORD)
    page.get_by_label("接收人签字（输入本人密码）").fill("not-the-password")
    page.get_by_role("button", name="确认交接").click()
    expect(page.get_by_text(f"{successor.display_name} 的签字密码不正确")).to_be_visible()
    shot(page, "handover-refused")
    page.get_by_label("移交人签字（输入本人密码）").fill(PASSWORD)
    page.get_by_label("接收人签字（输入本人密码）").fill(PASSWORD)
    page.get_by_role("button", name="确认交接").click()
    expect(page.get_by_text("责任交接已完成")).to_be_visible()
    shot(page, "handovers")
    task.refresh_from_db()
    assert task.leader == successor and Handover.objects.count() == 1


def test_a_department_sees_the_leads_it_handles_on_the_phone(world, open_as, live_server):
    from rectify import clock
    from rectify.ledger import services as ledger

    unit = world.units[0]
    ledger.create_lead(unit.office_staff, unit.inspection, summary="反映办公室公车私用", received_on=clock.today(),
                       reference="XS-9", handler_org=unit.departments[0])
    ledger.create_lead(unit.office_staff, unit.inspection, summary="反映财务报销问题", received_on=clock.today(),
                       reference="XS-10", handler_org=unit.departments[2])
    page = open_as(unit.dept_handler, phone=True)
    page.goto(live_server.url + reverse("ledger:all_leads"))
    expect(page.get_by_text("反映办公室公车私用")).to_be_visible()
    expect(page.get_by_text("反映财务报销问题")).to_have_count(0)
    expect(page.get_by_role("link", name="修改 / 办结")).to_have_count(0)
    shot(page, "leads-department")


def test_unit_admin_adds_a_person_and_the_office_filters_the_overview(world, open_as, live_server):
    import datetime as dt

    from rectify import clock
    from rectify.organizations.models import Role, User

    unit = world.units[0]
    make_task(unit, deadline=clock.today() - dt.timedelta(days=2))
    make_task(world.units[1])
    admin = person(unit.org, Role.ADMIN)
    page = open_as(admin)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("link", name="人员与部门").click()
    page.get_by_label("姓名").fill("王五")
    page.get_by_label("用户名").fill("wangwu")
    page.get_by_label("初始密码").fill("Qiang-Mima-2026")
    page.get_by_label("部门", exact=True).select_option(label="财务处")
    page.get_by_role("button", name="创建用户").click()
    expect(page.get_by_text("用户已创建，首次登录须修改密码")).to_be_visible()
    expect(page.locator("tr", has_text="wangwu")).to_be_visible()
    shot(page, "people")
    assert User.objects.get(username="wangwu").must_change_password

    office = open_as(world.inspection_office)
    office.set_viewport_size({"width": 1366, "height": 900})
    office.goto(live_server.url + reverse("ledger:overview"))
    office.get_by_label("红黄绿灯").select_option(value="red")
    office.get_by_role("button", name="筛选").click()
    rows = office.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(unit.org.name)
    shot(office, "overview-red")


def test_the_portal_lookup_answers_a_wrong_receipt_with_one_message(browser, live_server, transactional_db):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + reverse("portal:lookup"))
    page.get_by_label("受理编号").fill("FK-2026-000001")
    page.get_by_label("查询码").fill("ABCDEFGH")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("未查到与该受理编号和查询码对应的意见，请核对后重试")).to_be_visible()
    shot(page, "portal-lookup")
    context.close()
