"""The closure chain and supervision as the offices see them: a timeline naming every step and person, the
first responsible person's sign-off before publishing, the five orders' ladder, the plan's reviewing parties,
bulk deadline changes and the deletion of a task mistyped into a draft plan."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from tests.browser import roles
from tests.factories import make_task, submitted_task

pytestmark = pytest.mark.browser
visit = roles.visit  # the fixture, for this module's tests

# A refused step answers 4xx on purpose (and htmx says so in the console); the page shows the message.
STATUS_ERRORS = ("the server responded with a status of", "Response Status Error Code")


def test_the_timeline_names_every_step_and_person_in_chinese(world, visit, live_server):
    unit = world.units[0]
    task = submitted_task(unit, title="健全意识形态工作联席会议制度")
    ledger.return_task(unit.office_staff, task, reason="缺少联席会议纪要")
    ledger.report_progress(unit.dept_handler, task, text="已补充联席会议纪要")
    ledger.submit_task(unit.dept_handler, task, note="纪要已补充")
    ledger.review_task(unit.office_staff, task, note="材料齐全")
    ledger.approve_task(unit.leader, task, note="同意销号")
    ledger.flag_task(unit.supervisor, task, text="联席会议未实际召开")
    office = visit(unit.office_staff, "phone")
    page = office.page
    page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    timeline = page.locator(".timeline")
    for words in ("申请销号", "退回理由：缺少联席会议纪要", "纪要已补充", "材料齐全", "同意销号", "联席会议未实际召开"):
        expect(timeline.get_by_text(words).first).to_be_visible()
    for person, role in ((unit.dept_handler, "办公室"), (unit.office_staff, "整改办"), (unit.leader, "责任领导"),
                         (unit.supervisor, "纪检监督")):
        expect(timeline.get_by_text(f"{person.display_name}（{role}）").first).to_be_visible()
    office.seen("timeline")
    page.get_by_text(re.compile("修改记录（审计留痕")).click()
    history = page.locator("details", has=page.get_by_text(re.compile("修改记录")))
    expect(history.locator("tbody tr").first).to_be_visible()
    words = history.inner_text()
    assert not re.search(r"\btask\.[a-z_]+", words), words
    for person in (unit.dept_handler, unit.office_staff, unit.leader, unit.supervisor):
        assert person.username not in words
    office.seen("timeline-history")
    office.assert_clean()


def test_the_timeline_shows_phased_results_orders_and_look_backs(world, visit, live_server):
    import datetime as dt

    from rectify import clock
    from rectify.supervision import services as supervision

    unit = world.units[0]
    long_term = make_task(unit, title="长期坚持党组理论学习中心组学习", category=Task.Category.LONG_TERM, deadline=None)
    ledger.record_phased_result(unit.dept_handler, long_term, text="上半年开展专题学习6次")
    supervision.issue_order(unit.supervisor, kind="supervise", task=long_term,
                            reply_due=clock.today() + dt.timedelta(days=10), body="请加快推进学习制度化")
    closed = submitted_task(unit, title="清理超标准办公用房")
    ledger.review_task(unit.office_staff, closed)
    ledger.approve_task(unit.leader, closed)
    check = ledger.schedule_look_back(unit.office_staff, closed, scheduled_on=clock.today())
    ledger.record_look_back(unit.office_staff, check, passed=True, answer="实地查看已整改到位")
    office = visit(unit.office_staff, "desktop")
    page = office.page
    page.goto(live_server.url + reverse("ledger:task", args=[long_term.pk]))
    timeline = page.locator(".timeline")
    expect(timeline.get_by_text("上半年开展专题学习6次")).to_be_visible()
    expect(timeline.get_by_text(re.compile("督办通知书")).first).to_be_visible()
    expect(timeline.get_by_text(f"{unit.dept_handler.display_name}（办公室）").first).to_be_visible()
    expect(timeline.get_by_text(re.compile(f"· {unit.supervisor.display_name}（")).first).to_be_visible()
    office.seen("timeline-long-term")
    page.goto(live_server.url + reverse("ledger:task", args=[closed.pk]))
    expect(page.locator(".timeline").get_by_text(re.compile("回头看")).first).to_be_visible()
    expect(page.locator(".timeline").get_by_text(re.compile("实地查看已整改到位")).first).to_be_visible()
    office.seen("timeline-look-back")
    office.assert_clean()


def test_an_order_names_the_supervisor_who_issued_it(world, visit, live_server):
    import datetime as dt

    from rectify import clock
    from rectify.supervision import services as supervision

    unit = world.units[0]
    task = make_task(unit, title="整改违规使用公务用车问题")
    supervision.issue_order(unit.supervisor, kind="supervise", task=task, reply_due=clock.today() + dt.timedelta(days=10))
    office = visit(unit.office_staff, "desktop")
    office.page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    timeline = office.page.locator(".timeline")
    expect(timeline.get_by_text(re.compile("督办通知书")).first).to_be_visible()
    expect(timeline.get_by_text(f"{unit.supervisor.display_name}（纪检监督）")).to_be_visible()


def _unsigned_notice(unit):
    from rectify.reports import services as reports
    from rectify.supervision import services as supervision

    make_task(unit, title="制定党组理论学习中心组学习规则")
    supervision.submit_plan(unit.office_staff, unit.inspection)
    return reports.generate_report(unit.office_staff, unit.inspection, "notice")


def test_a_report_is_published_only_after_the_first_responsible_persons_sign_off(world, visit, live_server):
    unit = world.units[0]
    report = _unsigned_notice(unit)
    leader = visit(unit.leader, "desktop", ignore=STATUS_ERRORS)
    page = leader.page
    page.goto(live_server.url + reverse("reports:publish", args=[report.pk]))
    page.get_by_role("button", name="确认发布").click()
    expect(page.get_by_role("alert")).to_contain_text("尚未经第一责任人签字")
    report.refresh_from_db()
    assert report.status == "draft"
    leader.seen("publish-refused")

    page.goto(live_server.url + reverse("supervision:review", args=[unit.inspection.pk]))
    leader.accept_next_dialog()
    page.get_by_role("button", name="第一责任人签字确认").click()
    expect(page.get_by_text("已签字确认")).to_be_visible()
    page.goto(live_server.url + reverse("reports:publish", args=[report.pk]))
    page.get_by_role("button", name="确认发布").click()
    expect(page.get_by_text("已发布第 1 版")).to_be_visible()
    leader.seen("published")
    report.refresh_from_db()
    assert report.status == "published"
    leader.assert_clean()


def test_a_refused_publish_says_the_plan_is_not_signed(world, visit, live_server):
    unit = world.units[0]
    report = _unsigned_notice(unit)
    leader = visit(unit.leader, "desktop", ignore=STATUS_ERRORS)
    page = leader.page
    page.goto(live_server.url + reverse("reports:publish", args=[report.pk]))
    page.get_by_role("button", name="确认发布").click()
    expect(page.get_by_text("第 1 版整改方案尚未经第一责任人签字，报告不能发布")).to_be_visible()


def test_the_five_orders_suggest_the_next_and_keep_their_order(world, visit, live_server):
    import datetime as dt

    from rectify import clock

    unit = world.units[0]
    from rectify.supervision.services.reminders import remind_unit

    task = make_task(unit, title="整改违规发放津贴补贴问题", deadline=clock.today() - dt.timedelta(days=3))
    remind_unit(clock.today(), unit.org.pk, email=False)  # the day's warnings, as `rectify remind` sends them
    supervisor = visit(unit.supervisor, "desktop", ignore=STATUS_ERRORS)
    page = supervisor.page
    page.goto(live_server.url + reverse("supervision:orders", args=[unit.org.pk]))
    chosen = page.get_by_label("整改任务")
    expect(chosen.locator("option", has_text="整改违规发放津贴补贴问题")).to_contain_text("建议印发督办通知书")
    supervisor.seen("orders")
    chosen.select_option(value=str(task.pk))
    page.get_by_label("文书类别", exact=True).select_option(label="问责书")
    page.get_by_role("button", name="印发", exact=True).click()
    expect(page.get_by_text("「问责书」须在印发「告诫书」之后才能印发")).to_be_visible()
    supervisor.seen("orders-refused")
    page.get_by_label("整改任务").select_option(value=str(task.pk))
    page.get_by_label("文书类别", exact=True).select_option(label="督办通知书")
    page.get_by_role("button", name="印发", exact=True).click()
    expect(page.get_by_text("督办文书已印发")).to_be_visible()
    expect(page.locator("table tbody tr", has_text="督办通知书")).to_have_count(1)
    expect(page.get_by_label("整改任务").locator("option", has_text="整改违规发放津贴补贴问题")).not_to_contain_text(
        "建议印发督办通知书")
    supervisor.seen("orders-issued")
    supervisor.assert_clean()


def test_a_reviewer_reviews_the_plan_as_the_party_of_their_own_account(world, visit, live_server):
    from rectify.supervision import services as supervision

    unit = world.units[0]
    make_task(unit, title="落实意识形态工作责任制")
    supervision.submit_plan(unit.office_staff, unit.inspection)
    office = visit(world.inspection_office, "desktop")
    page = office.page
    page.goto(live_server.url + reverse("supervision:review", args=[unit.inspection.pk]))
    expect(page.get_by_text(re.compile("尚待审核："))).to_contain_text("巡视办/巡察办")
    form = page.locator("form", has=page.get_by_role("heading", name="审核第1版整改方案"))
    expect(form.get_by_label("审核方")).to_have_count(0)
    expect(form).to_contain_text(re.compile("巡视办|巡察办"))
    office.seen("plan-review")
    form.get_by_label("评价").select_option(index=0)
    form.get_by_label("审核意见").fill("措施具体，责任明确")
    form.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_text("审核意见已记录")).to_be_visible()
    expect(page.get_by_text("措施具体，责任明确")).to_be_visible()
    # The plan is accepted only when every required party has reviewed: the others are still awaited.
    pending = page.get_by_text(re.compile("尚待审核："))
    expect(pending).to_be_visible()
    expect(pending).not_to_contain_text("巡视办/巡察办")
    office.seen("plan-reviewed")
    office.assert_clean()


def test_a_bulk_deadline_change_asks_for_its_reason(world, visit, live_server):
    unit = world.units[0]
    tasks = [make_task(unit), make_task(unit)]
    before = [t.deadline for t in tasks]
    office = visit(unit.office_staff, "desktop")
    page = office.page
    page.goto(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))
    page.get_by_label("全选").check()
    later = before[0].replace(year=before[0].year + 1)
    bulk = page.get_by_role("form", name="批量分派")
    bulk.get_by_label("完成时限").fill(later.isoformat())
    bulk.get_by_role("button", name="应用到所选任务").click()
    expect(page.get_by_text("批量调整完成时限须填写「调整时限的理由」")).to_be_visible()
    assert [Task.objects.get(pk=t.pk).deadline for t in tasks] == before
    office.seen("bulk-refused")
    page.get_by_label("全选").check()
    bulk.get_by_label("完成时限").fill(later.isoformat())
    bulk.get_by_label("调整时限的理由").fill("按领导小组会议统一调整")
    bulk.get_by_role("button", name="应用到所选任务").click()
    expect(page.locator("table tbody tr[id^='task-row-']", has_text=later.isoformat())).to_have_count(2)
    office.seen("bulk-applied")
    assert [Task.objects.get(pk=t.pk).deadline for t in tasks] == [later, later]
    office.assert_clean()


def test_a_task_mistyped_into_a_draft_plan_is_deleted_and_kept_in_the_audit(world, visit, live_server):
    from rectify.audit.models import AuditEvent

    unit = world.units[0]
    task = make_task(unit, title="误录的整改任务")
    make_task(unit, title="保留的整改任务")
    office = visit(unit.office_staff, "phone")
    page = office.page
    page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    page.get_by_text("删除任务", exact=True).first.click()
    office.accept_next_dialog()
    page.get_by_role("button", name="删除任务").click()
    expect(page.get_by_text("任务已删除，删除前的内容保存在审计记录中")).to_be_visible()
    expect(page.get_by_role("link", name="误录的整改任务")).to_have_count(0)
    expect(page.get_by_role("link", name="保留的整改任务")).to_be_visible()
    office.seen("task-deleted")
    assert not Task.objects.filter(pk=task.pk).exists()
    assert AuditEvent.objects.filter(action="task.delete").count() == 1
    office.assert_clean()


def test_the_office_does_not_review_its_own_closure_request(world, visit, live_server, tmp_path):
    from rectify.organizations.models import Role
    from tests.factories import PDF, person

    unit = world.units[0]
    task = make_task(unit, title="整改办自行承办的公文清理")
    office = visit(unit.office_staff, "desktop")
    page = office.page
    page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    page.get_by_label("进展情况").fill("已完成公文清理并形成清单")
    evidence = tmp_path / "公文清理清单.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("佐证材料（可多选，可拖入）").set_input_files(str(evidence))
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.get_by_text("整改进展已报送")).to_be_visible()
    office.accept_next_dialog()
    page.get_by_role("button", name="申请销号", exact=True).click()
    expect(page.get_by_text("已申请销号，等待整改办审核")).to_be_visible()
    expect(page.get_by_role("button", name="审核通过", exact=True)).to_have_count(0)
    office.seen("own-request")

    colleague = visit(person(unit.org, Role.RECTIFICATION_OFFICE), "desktop")
    colleague.page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    colleague.accept_next_dialog()
    colleague.page.get_by_role("button", name="审核通过", exact=True).click()
    expect(colleague.page.get_by_text("审核通过，已提交领导审批")).to_be_visible()
    colleague.seen("colleague-reviewed")
    office.assert_clean()
    colleague.assert_clean()
