"""One journey per role, each on a desktop and on a phone: where the role lands, what it sees of the data
made for it (counts, lights, state words in Chinese) and the step it takes, with no console error and, on a
phone, no page wider than the screen."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from rectify import clock
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.organizations.models import Role, User
from tests.browser import roles
from tests.browser.roles import both_sizes
from tests.factories import PDF, build_unit, make_task, person, submitted_task

pytestmark = pytest.mark.browser
visit = roles.visit  # the fixture, for this module's tests


def _days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def _rows(page):
    return page.locator("table tbody tr[id^='task-row-']")


@both_sizes
def test_office_follows_the_ledger_reviews_and_keeps_the_registers(world, visit, size):
    unit = world.units[0]
    make_task(unit, title="整改意识形态工作责任制落实不到位问题", deadline=_days(-3))
    make_task(unit, title="健全党组理论学习中心组学习制度")
    waiting = submitted_task(unit, title="规范机关公务接待管理")
    office = visit(unit.office_staff, size)
    page = office.page

    expect(page.get_by_role("heading", name=f"{unit.org.name} · 整改工作看板")).to_be_visible()
    expect(page.locator(".kpi", has_text="整改任务").locator(".value")).to_have_text("3")
    expect(page.locator(".kpi", has_text="待整改办审核").locator(".value")).to_have_text("1")
    office.seen("dashboard")

    page.get_by_role("link", name="台账", exact=True).click()
    expect(_rows(page)).to_have_count(3)
    expect(page.get_by_text("逾期 3 天")).to_be_visible()
    office.seen("ledger")
    page.get_by_label("红黄绿灯").select_option(value="red")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page).to_have_url(re.compile(r"light=red"))
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("红灯（逾期）")
    office.seen("ledger-red")
    page.get_by_role("link", name="整改意识形态工作责任制落实不到位问题").click()
    expect(page.get_by_text("下一步：")).to_be_visible()
    office.seen("task")

    office.menu("待我审批")
    expect(page.get_by_role("heading", name="待我审批", exact=True)).to_be_visible()
    office.seen("approvals")
    page.get_by_role("link", name="审核", exact=True).click()
    expect(page.get_by_role("region", name="整改措施")).to_contain_text("规范机关公务接待管理")
    office.accept_next_dialog()
    page.get_by_role("button", name="审核通过", exact=True).click()
    expect(page.get_by_text("审核通过，已提交领导审批")).to_be_visible()
    expect(page.locator(".page-head").get_by_text("待审批")).to_be_visible()
    office.seen("task-reviewed")
    waiting.refresh_from_db()
    assert waiting.status == Task.Status.REVIEWED

    for register, heading in (("建章立制", "建章立制"), ("问题线索", "问题线索"), ("整改成效", "整改成效")):
        office.menu(register)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        office.seen(f"register-{register}")
    office.assert_clean()


@both_sizes
def test_leader_lands_on_approvals_sees_own_tasks_and_approves(world, visit, size):
    unit = world.units[0]
    other_leader = person(unit.org, Role.LEADER)
    mine = submitted_task(unit, title="落实党风廉政建设主体责任")
    ledger.review_task(unit.office_staff, mine)
    make_task(unit, title="规范干部人事档案管理")
    theirs = submitted_task(unit, title="完善财务报销审批流程", leader=other_leader)
    ledger.review_task(unit.office_staff, theirs)
    leader = visit(unit.leader, size)
    page = leader.page

    expect(page.get_by_role("heading", name="待我审批", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="落实党风廉政建设主体责任")).to_be_visible()
    leader.seen("approvals")

    leader.menu("我的任务")
    expect(page.get_by_role("heading", name="我的任务", exact=True)).to_be_visible()
    expect(page.locator("table tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="规范干部人事档案管理")).to_be_visible()
    expect(page.get_by_role("link", name="完善财务报销审批流程")).to_have_count(0)
    leader.seen("my-tasks")

    leader.menu("待我审批")
    page.locator("tr", has_text="落实党风廉政建设主体责任").get_by_role("link", name="审批", exact=True).click()
    leader.accept_next_dialog()
    page.get_by_role("button", name="同意销号", exact=True).click()
    expect(page.get_by_text("已销号").first).to_be_visible()
    leader.seen("task-closed")
    mine.refresh_from_db()
    assert mine.status == Task.Status.CLOSED
    leader.assert_clean()


@both_sizes
def test_department_reports_asks_for_closure_and_withdraws(world, visit, size, tmp_path):
    unit = world.units[0]
    make_task(unit, title="清理规范超标准配备办公用房", deadline=_days(-5))
    make_task(unit, title="制定领导干部个人有关事项报告办法", deadline=_days(5))
    task = make_task(unit, title="健全机关内部控制制度", deadline=_days(40))
    make_task(unit, title="其他部门的整改任务", lead_org=unit.departments[2], handler=None, co_orgs=[])
    department = visit(unit.dept_handler, size)
    page = department.page

    expect(page.get_by_role("heading", name="我的任务", exact=True)).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("清理规范超标准配备办公用房")
    expect(rows.nth(0)).to_contain_text("红灯（逾期）")
    expect(rows.nth(0)).to_contain_text("逾期 5 天")
    expect(page.locator("tr", has_text="制定领导干部个人有关事项报告办法")).to_contain_text("黄灯（预警）")
    expect(page.locator("tr", has_text="健全机关内部控制制度")).to_contain_text("绿灯")
    expect(page.get_by_text("其他部门的整改任务")).to_have_count(0)
    department.seen("my-tasks")

    page.get_by_role("link", name="健全机关内部控制制度").click()
    page.get_by_label("进展情况").fill("内部控制制度已经党组会审议通过并印发")
    evidence = tmp_path / "内部控制制度.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("佐证材料（可多选，可拖入）").set_input_files(str(evidence))
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.get_by_text("整改进展已报送")).to_be_visible()
    expect(page.get_by_role("link", name="内部控制制度.pdf", exact=True)).to_be_visible()
    department.seen("task-progress")

    page.get_by_label("申请销号说明").fill("制度已印发执行")
    department.accept_next_dialog()
    page.get_by_role("button", name="申请销号", exact=True).click()
    expect(page.get_by_text("已申请销号，等待整改办审核")).to_be_visible()
    expect(page.locator(".page-head").get_by_text("待审核")).to_be_visible()
    department.seen("task-submitted")

    page.get_by_label("撤回说明").fill("还需补充党组会纪要")
    department.accept_next_dialog()
    page.get_by_role("button", name="撤回销号申请", exact=True).click()
    expect(page.get_by_text("销号申请已撤回")).to_be_visible()
    expect(page.get_by_role("button", name="申请销号", exact=True)).to_be_visible()
    department.seen("task-withdrawn")
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    department.assert_clean()


@both_sizes
def test_supervisor_flags_a_closed_task_and_it_goes_to_recheck(world, visit, size, live_server):
    unit = world.units[0]
    task = submitted_task(unit, title="整治违规收送礼品礼金问题")
    ledger.review_task(unit.office_staff, task)
    ledger.approve_task(unit.leader, task)
    supervisor = visit(unit.supervisor, size)
    page = supervisor.page

    expect(page.get_by_role("heading", name=f"{unit.org.name} · 整改工作看板")).to_be_visible()
    expect(page.locator(".kpi", has_text="已销号").locator(".value")).to_have_text("1")
    supervisor.seen("dashboard")
    page.get_by_role("link", name="台账", exact=True).click()
    row = page.locator("tr", has_text="整治违规收送礼品礼金问题")
    expect(row).to_contain_text("已销号")
    supervisor.seen("ledger")
    row.get_by_role("link", name="整治违规收送礼品礼金问题").click()
    expect(page.get_by_role("button", name="审核通过", exact=True)).to_have_count(0)
    page.get_by_label("整改不实情况").fill("抽查发现仍有违规收受礼品情况")
    supervisor.accept_next_dialog()
    page.get_by_role("button", name="标记整改不实", exact=True).click()
    expect(page.get_by_text("已标记整改不实")).to_be_visible()
    expect(page.locator(".page-head").get_by_text("复核中")).to_be_visible()
    supervisor.seen("task-flagged")

    page.goto(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))
    expect(page.locator("tr", has_text="整治违规收送礼品礼金问题")).to_contain_text("复核中")
    supervisor.seen("ledger-recheck")
    task.refresh_from_db()
    assert task.status == Task.Status.RECHECK
    supervisor.assert_clean()


@both_sizes
def test_inspection_office_filters_exports_and_sorts_the_overview(world, visit, size):
    from rectify.organizations import services as orgs

    first, second = world.units
    third = build_unit(world.office, "省档案馆")
    for unit, level in ((first, "county"), (second, "provincial"), (third, "county")):
        orgs.set_level(world.admin, unit=unit.org, level=level)
    make_task(first, deadline=_days(-2))
    make_task(first)
    make_task(second)
    for _ in range(3):
        make_task(third)
    office = visit(world.inspection_office, size)
    page = office.page

    expect(page.get_by_role("heading", name="各单位整改总览", exact=True)).to_be_visible()
    units = page.locator("table tbody tr")
    expect(units).to_have_count(3)
    office.seen("overview")

    page.get_by_label("层级", exact=True).select_option(label="县级")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(units).to_have_count(2)
    page.get_by_label("红黄绿灯").select_option(value="red")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page).to_have_url(re.compile(r"level=county.*light=red"))
    expect(units).to_have_count(1)
    expect(units.first).to_contain_text(first.org.name)
    expect(units.first).to_contain_text("县级")
    office.seen("overview-county-red")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes())).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert (header[0], header[2], header[5], header[-1]) == ("单位", "任务", "逾期", "层级")
    assert [(r[0], r[2], r[5], r[-1]) for r in rows] == [(first.org.name, 2, 1, "县级")]

    page.get_by_label("红黄绿灯").select_option(label="全部")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(units).to_have_count(2)
    # The default order is by overdue rate; sorted by the number of tasks, the archive (3) comes first.
    expect(units.nth(0)).to_contain_text(first.org.name)
    by_tasks = page.get_by_role("link", name="任务", exact=True)
    expect(by_tasks).to_be_visible()
    by_tasks.click()
    expect(page).to_have_url(re.compile(r"sort=total"))
    expect(units.nth(0)).to_contain_text("省档案馆")
    expect(units.nth(1)).to_contain_text(first.org.name)
    office.seen("overview-county-by-tasks")
    office.assert_clean()


@both_sizes
def test_unit_admin_adds_a_person_within_the_unit(world, visit, size, live_server):
    unit, other = world.units
    admin = visit(person(unit.org, Role.ADMIN), size, ignore=("status of 404",))
    page = admin.page

    admin.menu("人员与部门")
    expect(page.get_by_role("heading", name="人员与部门", exact=True)).to_be_visible()
    expect(page.get_by_label("部门", exact=True).locator("option")).to_have_count(1 + len(unit.departments))
    admin.seen("people")
    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("用户名").fill("zhaoliu")
    page.get_by_label("初始密码").fill("Qiang-Mima-2026")
    page.get_by_label("部门", exact=True).select_option(label="干部处")
    page.get_by_label("角色", exact=True).select_option(label="责任单位")
    page.get_by_role("button", name="创建用户").click()
    expect(page.get_by_text("用户已创建，首次登录须修改密码")).to_be_visible()
    expect(page.locator("tr", has_text="zhaoliu")).to_contain_text("赵六")
    admin.seen("people-added")
    added = User.objects.get(username="zhaoliu")
    assert [m.organization for m in added.memberships.all()] == [unit.departments[1]]

    page.goto(live_server.url + reverse("people", args=[other.org.pk]))
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    admin.seen("people-other-unit")
    admin.assert_clean()
