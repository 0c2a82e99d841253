"""The daily work's remaining pages, one journey each: error pages with a way back, the evaluation form, the
second round, lights on every list, plan numbering, who is told, the portal's receipt lookup, the hand-over
within the unit, and what a refused step leaves in place."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify import clock
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.organizations.models import Role
from tests.browser import roles
from tests.factories import PASSWORD, make_task, person, submitted_task

pytestmark = pytest.mark.browser
visit = roles.visit  # the fixture, for this module's tests

# A refused step answers 4xx on purpose (and htmx says so in the console); the page shows the message.
STATUS_ERRORS = ("the server responded with a status of", "Response Status Error Code")


def _days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def _closed(unit, **overrides) -> Task:
    task = submitted_task(unit, **overrides)
    ledger.review_task(unit.office_staff, task)
    return ledger.approve_task(unit.leader, task)


def test_error_pages_speak_chinese_and_lead_back(world, visit, live_server, monkeypatch):
    from rectify.ledger.views import pages

    unit = world.units[0]
    department = visit(unit.dept_handler, "phone", ignore=STATUS_ERRORS)
    page = department.page
    cases = (
        ("/search/?q=%00", "请求有误", "提交的内容无法处理"),
        (reverse("supervision:review", args=[unit.inspection.pk]), "无权办理", "只有整改办、领导、纪检监督或巡视巡察办"),
        ("/no-such-page/", "页面不存在", "您要找的页面不存在"),
    )
    for path, heading, words in cases:
        response = page.goto(live_server.url + path)
        assert response.status in (400, 403, 404)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.locator("[data-error-message]")).to_contain_text(words)
        department.seen(f"error-{response.status}")
        page.get_by_role("link", name="回到工作台").click()
        expect(page.get_by_role("heading", name="我的任务", exact=True)).to_be_visible()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(pages, "own_tasks", broken)
    response = page.goto(live_server.url + reverse("ledger:my_tasks"))
    assert response.status == 500
    expect(page.get_by_role("heading", name="服务器出错")).to_be_visible()
    expect(page.locator("[data-error-message]")).to_contain_text("系统处理时出错")
    department.seen("error-500")
    monkeypatch.undo()
    page.get_by_role("link", name="回到工作台").click()
    expect(page.get_by_role("heading", name="我的任务", exact=True)).to_be_visible()
    department.assert_clean()


def test_the_evaluation_takes_95_percent_and_names_a_wrong_value_in_chinese(world, visit, live_server):
    unit = world.units[0]
    _closed(unit)
    office = visit(world.inspection_office, "desktop", ignore=STATUS_ERRORS)
    page = office.page
    page.goto(live_server.url + reverse("supervision:review", args=[unit.inspection.pk]))
    page.get_by_label("群众满意率（0–1，可不填）").fill("九成五")
    page.get_by_role("button", name="评估打分").click()
    expect(page.get_by_text("「群众满意率」应为数字：九成五")).to_be_visible()
    office.seen("evaluation-refused")
    page.get_by_label("群众满意率（0–1，可不填）").fill("95%")
    page.get_by_role("button", name="评估打分").click()
    expect(page.get_by_text("评估结果已记录")).to_be_visible()
    expect(page.locator("#h-eval + p")).to_contain_text(re.compile(r"\d+(\.\d+)? 分，(好|较好|一般|差)"))
    expect(page.locator("section", has=page.locator("#h-eval")).locator("tr", has_text="群众满意度")).to_contain_text("9.5")
    expect(page.get_by_text("ConversionSyntax")).to_have_count(0)
    office.seen("evaluation-recorded")
    office.assert_clean()


def test_a_poor_evaluation_starts_a_second_round_of_new_tasks(world, visit, live_server):
    unit = world.units[0]
    _closed(unit, title="健全理论学习制度")
    make_task(unit, title="整改选人用人问题")
    make_task(unit, title="规范财务报销")
    office = visit(world.inspection_office, "desktop")
    page = office.page
    page.goto(live_server.url + reverse("supervision:review", args=[unit.inspection.pk]))
    for i, (section, points) in enumerate((("组织领导", "15"), ("责任落实", "15"), ("整改任务完成", "20"))):
        page.locator(f"#e-sec{i}").select_option(label=section)
        page.locator(f"#e-pts{i}").fill(points)
        page.locator(f"#e-rsn{i}").fill("整改推进迟缓")
    page.get_by_role("button", name="评估打分").click()
    expect(page.get_by_text("评估结果已记录")).to_be_visible()
    expect(page.get_by_text("需二次整改")).to_be_visible()
    second = page.locator("section", has=page.locator("#h-second"))
    expect(second).to_contain_text("已生成 2 项二次整改任务。")
    office.seen("second-round")

    department = visit(unit.dept_handler, "phone")
    rows = department.page.locator("table tbody tr")
    expect(rows.filter(has_text="（二次整改）")).to_have_count(2)
    expect(rows.filter(has_text="（二次整改）整改选人用人问题")).to_contain_text("未启动")
    department.seen("my-tasks-second-round")

    page.get_by_role("link", name="在台账中查看").click()
    expect(page.locator("table tbody tr[id^='task-row-']")).to_have_count(2)
    office.seen("ledger-second-round")
    assert Task.objects.filter(inspection=unit.inspection, title__startswith="（二次整改）").count() == 2
    office.assert_clean()
    department.assert_clean()


def test_yellow_is_counted_and_lights_have_one_name_on_every_list(world, visit, live_server):
    unit = world.units[0]
    make_task(unit, title="限期完成干部档案专项审核", deadline=_days(4))
    make_task(unit, title="清理规范津贴补贴发放", deadline=_days(-2))
    make_task(unit, title="健全党组议事规则", deadline=_days(60))
    office = visit(unit.office_staff, "desktop")
    page = office.page
    expect(page.locator(".kpi", has_text="黄灯（预警）").locator(".value")).to_have_text("1")
    expect(page.locator(".kpi", has_text="红灯（逾期）").locator(".value")).to_have_text("1")
    office.seen("dashboard-lights")
    page.goto(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))
    for title, light in (("限期完成干部档案专项审核", "黄灯（预警）"), ("清理规范津贴补贴发放", "红灯（逾期）"),
                         ("健全党组议事规则", "绿灯")):
        expect(page.locator("tr", has_text=title)).to_contain_text(light)
    expect(page.locator("tr", has_text="清理规范津贴补贴发放")).to_contain_text("逾期 2 天")
    office.seen("ledger-lights")

    inspection_office = visit(world.inspection_office, "desktop")
    row = inspection_office.page.locator("table tbody tr", has_text=unit.org.name)
    expect(inspection_office.page.locator(".kpi", has_text="黄灯（预警）").locator(".value")).to_have_text("1")
    expect(row.locator("td[data-label='黄灯（预警）']")).to_have_text("1")
    inspection_office.seen("overview-lights")
    office.assert_clean()
    inspection_office.assert_clean()


def test_the_ledger_numbers_tasks_as_the_plan_does_not_by_database_id(world, visit, live_server):
    first, second = world.units
    for _ in range(4):
        make_task(first)
    make_task(second, title="第一项措施")
    make_task(second, title="第二项措施")
    office = visit(second.office_staff, "desktop")
    page = office.page
    page.goto(live_server.url + reverse("ledger:ledger", args=[second.inspection.pk]))
    numbers = page.locator("table tbody tr[id^='task-row-'] td[data-label='编号']")
    expect(numbers).to_have_text(["1", "2"])
    page.get_by_role("link", name="第二项措施").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("整改任务 2")
    office.seen("task-numbered")
    office.assert_clean()


def test_who_must_act_next_is_told_in_the_inbox(world, visit, live_server):
    unit = world.units[0]
    task = _closed(unit, title="整治形式主义官僚主义问题")
    waiting = submitted_task(unit, title="规范会议文件管理")
    supervisor = visit(unit.supervisor, "desktop")
    supervisor.page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    supervisor.page.get_by_label("整改不实情况").fill("仍存在文山会海现象")
    supervisor.accept_next_dialog()
    supervisor.page.get_by_role("button", name="标记整改不实", exact=True).click()
    expect(supervisor.page.get_by_text("已标记整改不实")).to_be_visible()

    office = visit(unit.office_staff, "phone")
    page = office.page
    expect(page.locator(".kpi", has_text="整改不实复核中").locator(".value")).to_have_text("1")
    office.menu("通知")
    flagged = page.locator("tbody tr", has_text="【整改不实】纪检监督标记整改不实，请复核")
    expect(flagged.filter(has_text="整治形式主义官僚主义问题")).to_have_count(1)
    office.seen("inbox-flag")
    page.goto(live_server.url + reverse("ledger:task", args=[waiting.pk]))
    office.accept_next_dialog()
    page.get_by_role("button", name="审核通过", exact=True).click()
    expect(page.get_by_text("审核通过，已提交领导审批")).to_be_visible()

    leader = visit(unit.leader, "phone")
    leader.menu("通知")
    told = leader.page.locator("tbody tr", has_text="【待审批】整改办审核通过，请审批销号")
    expect(told.filter(has_text="规范会议文件管理")).to_have_count(1)
    leader.seen("inbox-review")
    for shown in (supervisor, office, leader):
        shown.assert_clean()


def test_only_the_responsible_leader_is_offered_the_approval(world, visit, live_server):
    unit = world.units[0]
    task = submitted_task(unit, title="完善领导干部谈心谈话制度")
    ledger.review_task(unit.office_staff, task)
    other = visit(person(unit.org, Role.LEADER), "desktop")
    page = other.page
    expect(page.get_by_role("heading", name="待我审批", exact=True)).to_be_visible()
    expect(page.get_by_text("没有待审批的销号申请")).to_be_visible()
    page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    expect(page.get_by_text(f"责任领导{unit.leader.display_name}：审批销号。")).to_be_visible()
    expect(page.get_by_role("button", name="同意销号", exact=True)).to_have_count(0)
    other.seen("task-not-mine")
    other.assert_clean()


def test_the_portal_receipt_finds_the_opinion_and_its_status(world, visit, live_server, monkeypatch):
    from rectify.reports import services as reports
    from rectify.reports.models import Feedback

    unit = world.units[0]
    _closed(unit, title="制定理论学习制度")
    report = reports.generate_report(unit.office_staff, unit.inspection, "notice")
    reports.publish_report(unit.leader, report)
    # The form's guard against robots waits a few seconds; this journey is about the receipt.
    monkeypatch.setattr(reports, "FEEDBACK_MIN_SECONDS", 0)
    public = visit(None, "phone")
    page = public.page
    page.goto(live_server.url + reverse("portal:notice", args=[report.pk]))
    page.get_by_label("意见内容").fill("建议公开整改台账的更多细节")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_role("heading", name="意见已收到")).to_be_visible()
    reference = page.locator(".reference", has_text="受理编号").locator("strong").inner_text()
    code = page.locator(".reference", has_text="查询码").locator("strong").inner_text()
    public.seen("portal-receipt")

    reports.handle_feedback(unit.office_staff, Feedback.objects.get(), note="已转责任部门办理")
    page.get_by_role("link", name="查询办理情况").click()
    page.get_by_label("受理编号").fill(reference)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name=f"受理编号：{reference}")).to_be_visible()
    expect(page.get_by_text("办理状态：已处理")).to_be_visible()
    public.seen("portal-lookup")
    public.assert_clean()


def test_a_handler_hands_over_only_to_people_of_the_unit(world, visit):
    unit, other = world.units
    mine = [make_task(unit), make_task(unit)]
    done = _closed(unit)
    successor = person(unit.departments[0], Role.DEPARTMENT, is_handler=True)
    office = visit(unit.office_staff, "desktop")
    page = office.page
    office.menu("责任交接")
    expect(page.get_by_role("heading", name="整改责任交接")).to_be_visible()
    receivers = page.get_by_label("接收人", exact=True).locator("option")
    names = receivers.all_inner_texts()
    assert successor.display_name in names
    assert not {other.leader.display_name, other.dept_handler.display_name, world.inspection_office.display_name} & set(names)
    page.get_by_label("交接类别").select_option(label="经办人")
    page.get_by_label("移交人", exact=True).select_option(label=unit.dept_handler.display_name)
    page.get_by_label("接收人", exact=True).select_option(label=successor.display_name)
    page.get_by_label("移交人签字（输入本人密码）").fill(PASSWORD)
    page.get_by_label("接收人签字（输入本人密码）").fill(PASSWORD)
    page.get_by_role("button", name="确认交接").click()
    expect(page.get_by_text("责任交接已完成")).to_be_visible()
    row = page.locator("table tbody tr", has_text=successor.display_name)
    expect(row.locator("td[data-label='交接任务']")).to_have_text("2")
    office.seen("handover-handler")
    assert [Task.objects.get(pk=t.pk).handler for t in mine] == [successor, successor]
    assert Task.objects.get(pk=done.pk).handler == unit.dept_handler
    office.assert_clean()


def test_a_refused_evidence_file_keeps_the_progress_text(world, visit, live_server, tmp_path):
    unit = world.units[0]
    task = make_task(unit, title="规范公务用车使用管理")
    department = visit(unit.dept_handler, "phone", ignore=STATUS_ERRORS)
    page = department.page
    page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    text = "已完成全部公务用车登记，建立台账"
    page.get_by_label("进展情况").fill(text)
    bad = tmp_path / "公务用车台账.pdf"
    bad.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00 not a pdf")
    page.get_by_label("佐证材料（可多选，可拖入）").set_input_files(str(bad))
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.get_by_text(re.compile("公务用车台账"))).to_be_visible()
    expect(page.get_by_label("进展情况")).to_have_value(text)
    department.seen("progress-refused")
    assert not task.progress.exists()
    department.assert_clean()


def test_the_inspection_form_refuses_a_future_date_and_a_negative_round(world, visit, live_server):
    unit = world.units[0]
    office = visit(unit.office_staff, "phone")
    page = office.page
    page.goto(live_server.url + reverse("inspections:create"))
    page.get_by_label("名称", exact=True).fill("十一届省委第十轮巡视")
    page.get_by_label("反馈日期").fill("2030-01-15")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#err-feedback_date")).to_have_text("「反馈日期」不能晚于今天：2030-01-15")
    expect(page.get_by_label("名称", exact=True)).to_have_value("十一届省委第十轮巡视")
    office.seen("inspection-future-date")
    page.get_by_label("反馈日期").fill(clock.today().isoformat())
    page.get_by_label("轮次").evaluate("(el) => el.removeAttribute('min')")
    page.get_by_label("轮次").fill("-3")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#err-round")).to_contain_text("「轮次」应为 1 到")
    office.seen("inspection-bad-round")
    page.get_by_label("名称", exact=True).fill(unit.inspection.title)
    page.get_by_label("轮次").fill("8")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#err-title")).to_have_text(f"「名称」与本单位已登记的巡视巡察重复：{unit.inspection.title}")
    office.seen("inspection-duplicate")
    office.assert_clean()


def test_choosing_an_inspection_on_a_register_shows_its_records(world, visit, live_server):
    unit = world.units[0]
    ledger.create_rule_change(unit.office_staff, unit.inspection, title="党组工作规则", action="create")
    office = visit(unit.office_staff, "desktop")
    page = office.page
    page.goto(live_server.url + reverse("ledger:all_rules"))
    page.get_by_role("combobox", name="巡视巡察").select_option(label=unit.inspection.title)
    expect(page).to_have_url(re.compile(rf"inspection={unit.inspection.pk}"))
    expect(page.get_by_text("党组工作规则")).to_be_visible()
    office.seen("rules-chosen")
    office.assert_clean()
