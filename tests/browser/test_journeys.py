"""One user journey per test, in a real Chromium, finding elements by their Chinese labels."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from rectify import clock
from rectify.ledger.models import Task
from tests.factories import PDF, make_task, submitted_task

pytestmark = pytest.mark.browser


def test_department_reports_progress_with_files_and_asks_for_closure_on_a_phone(world, open_as, tmp_path, live_server):
    unit = world.units[0]
    task = make_task(unit, title="制定并印发理论学习中心组学习制度")
    page = open_as(unit.dept_handler, phone=True)
    expect(page.get_by_role("heading", name="我的任务", exact=True)).to_be_visible()
    page.get_by_role("link", name=re.compile("制定并印发理论学习中心组学习制度")).click()
    page.get_by_label("进展情况").fill("学习制度已经党组会审议通过并印发")
    files = []
    for name in ("学习制度.pdf", "党组会纪要.pdf"):
        path = tmp_path / name
        path.write_bytes(PDF)
        files.append(str(path))
    page.get_by_label("佐证材料（可多选，可拖入）").set_input_files(files)
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.get_by_text("整改进展已报送")).to_be_visible()
    expect(page.get_by_role("link", name="党组会纪要.pdf", exact=True)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="申请销号", exact=True).click()
    expect(page.get_by_text("已申请销号，等待整改办审核")).to_be_visible()
    task.refresh_from_db()
    assert task.status == Task.Status.SUBMITTED
    assert task.evidence.count() == 2


def test_office_returns_then_leader_closes(world, open_as):
    unit = world.units[0]
    task = submitted_task(unit, title="压实全面从严治党主体责任清单")
    office = open_as(unit.office_staff)
    office.get_by_role("link", name="待我审批", exact=True).click()
    office.get_by_role("link", name="审核", exact=True).click()
    office.get_by_label("退回理由").fill("缺少责任清单正式印发文件")
    office.get_by_role("button", name="退回", exact=True).click()
    expect(office.locator(".timeline").get_by_text("缺少责任清单正式印发文件")).to_be_visible()

    department = open_as(unit.dept_handler)
    expect(department.get_by_text("退回理由：缺少责任清单正式印发文件")).to_be_visible()
    department.get_by_role("link", name=re.compile("压实全面从严治党主体责任清单")).click()
    department.once("dialog", lambda d: d.accept())
    department.get_by_role("button", name="申请销号", exact=True).click()
    expect(department.get_by_text("已申请销号")).to_be_visible()

    office.goto(office.url)
    office.once("dialog", lambda d: d.accept())
    office.get_by_role("button", name="审核通过", exact=True).click()
    expect(office.get_by_text("审核通过，已提交领导审批")).to_be_visible()

    leader = open_as(unit.leader)
    leader.get_by_role("link", name="待我审批", exact=True).click()
    leader.get_by_role("link", name="审批", exact=True).click()
    leader.once("dialog", lambda d: d.accept())
    leader.get_by_role("button", name="同意销号", exact=True).click()
    expect(leader.get_by_text("已销号").first).to_be_visible()
    task.refresh_from_db()
    assert task.status == Task.Status.CLOSED


def test_office_builds_the_plan_and_filters_survive_a_reload(world, open_as):
    unit = world.units[0]
    page = open_as(unit.office_staff)
    page.get_by_role("link", name="巡视巡察", exact=True).click()
    page.get_by_role("link", name="登记巡视巡察", exact=True).click()
    page.get_by_label("名称", exact=True).fill("十一届省委第九轮巡视")
    page.get_by_label("反馈日期").fill(clock.today().isoformat())
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_text("巡视巡察已登记")).to_be_visible()
    page.get_by_label("问题", exact=True).fill("关于贯彻落实党中央决策部署方面问题")
    page.get_by_role("button", name="添加问题", exact=True).click()
    expect(page.get_by_text("问题已添加")).to_be_visible()
    page.get_by_label("对应的反馈问题").select_option(label="关于贯彻落实党中央决策部署方面问题")
    page.get_by_label("整改措施").fill("制定《党组落实重大决策部署督办制度》并印发执行")
    page.get_by_label("完成时限").fill((clock.today() + dt.timedelta(days=60)).isoformat())
    page.get_by_label("牵头单位").select_option(label="办公室")
    page.get_by_role("button", name="添加任务", exact=True).click()
    expect(page.get_by_text("任务已添加")).to_be_visible()
    page.get_by_role("link", name="任务清单（台账）", exact=True).click()
    page.get_by_label("状态").select_option(label="未启动")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page).to_have_url(re.compile(r"status=not_started"))
    page.reload()
    expect(page.get_by_label("状态")).to_have_value("not_started")
    expect(page.get_by_role("link", name=re.compile("党组落实重大决策部署督办制度"))).to_be_visible()


def test_inspection_office_drills_down_and_supervisor_flags(world, open_as):
    unit = world.units[0]
    make_task(unit, title="规范公务用车管理")
    page = open_as(world.inspection_office)
    expect(page.get_by_role("heading", name="各单位整改总览", exact=True)).to_be_visible()
    page.get_by_role("link", name=unit.org.name).click()
    expect(page.get_by_role("heading", name=re.compile("整改工作看板"))).to_be_visible()
    page.get_by_role("link", name="台账", exact=True).first.click()
    page.get_by_role("link", name=re.compile("规范公务用车管理")).click()
    expect(page.get_by_text("下一步：")).to_be_visible()

    supervisor = open_as(unit.supervisor)
    supervisor.goto(page.url)
    expect(supervisor.get_by_role("button", name="审核通过", exact=True)).to_have_count(0)
    supervisor.get_by_label("整改不实情况").fill("现场核查发现车辆仍未规范登记")
    supervisor.once("dialog", lambda d: d.accept())
    supervisor.get_by_role("button", name="标记整改不实", exact=True).click()
    expect(supervisor.get_by_text("已标记整改不实")).to_be_visible()
