"""Corrections and chasing in the browser: an inspection and a finding registered by mistake are deleted
(the audit keeps them), a 序号 too long for the plan is refused with the typed problem kept, and an order
unanswered past its reply date is chased in the department's inbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.inspections import services as inspections
from rectify.inspections.models import Finding, Inspection
from tests.browser import roles
from tests.factories import make_task

pytestmark = pytest.mark.browser
visit = roles.visit  # the fixture, for this module's tests

# A refused step answers 4xx on purpose (and htmx says so in the console); the page shows the message.
REFUSED = ("the server responded with a status of", "Response Status Error Code")


def test_the_office_deletes_a_mistyped_inspection_on_a_phone(world, visit, live_server):
    unit = world.units[0]
    Inspection.objects.exclude(pk=unit.inspection.pk).filter(target=unit.org).delete()
    assert not unit.inspection.tasks.exists()
    office = visit(unit.office_staff, "phone")
    page = office.page
    page.goto(live_server.url + reverse("inspections:edit", args=[unit.inspection.pk]))
    page.get_by_text("删除误录的巡视巡察", exact=True).click()
    page.get_by_label("删除理由").fill("重复登记")
    office.seen("inspection-delete")
    office.accept_next_dialog()
    page.get_by_role("button", name="删除巡视巡察").click()
    expect(page.get_by_text(f"已删除「{unit.inspection.title}」，删除前的内容保存在审计记录中")).to_be_visible()
    office.seen("inspection-deleted")
    assert not Inspection.objects.filter(pk=unit.inspection.pk).exists()
    assert AuditEvent.objects.filter(action="inspection.delete", note="重复登记").count() == 1
    office.assert_clean()


def test_an_inspection_with_tasks_is_not_deleted_and_the_page_says_why(world, visit, live_server):
    unit = world.units[0]
    make_task(unit, title="制定理论学习计划")
    office = visit(unit.office_staff, "desktop", ignore=REFUSED)
    page = office.page
    page.goto(live_server.url + reverse("inspections:edit", args=[unit.inspection.pk]))
    page.get_by_text("删除误录的巡视巡察", exact=True).click()
    office.accept_next_dialog()
    page.get_by_role("button", name="删除巡视巡察").click()
    expect(page.get_by_role("alert")).to_contain_text("该巡视巡察已有「整改任务」记录，不能删除")
    assert Inspection.objects.filter(pk=unit.inspection.pk).exists()
    office.assert_clean()


def test_a_mistyped_finding_is_deleted_and_a_too_long_number_is_refused(world, visit, live_server):
    unit = world.units[0]
    mistyped = inspections.add_finding(unit.office_staff, unit.inspection, title="误录的问题", label="9.",
                                       parent=unit.aspect)
    office = visit(unit.office_staff, "desktop", ignore=REFUSED)
    page = office.page
    page.goto(live_server.url + reverse("ledger:findings", args=[unit.inspection.pk]))

    page.get_by_label("所属方面 / 上级问题").select_option(label=f"{unit.aspect.label}{unit.aspect.title}"[:41])
    page.get_by_label("序号", exact=True).fill("1" * 180)
    page.get_by_label("问题", exact=True).fill("干部选拔任用程序不规范")
    page.get_by_role("button", name="添加问题").click()
    expect(page.get_by_role("alert").first).to_contain_text("序号")
    expect(page.get_by_label("问题", exact=True)).to_have_value("干部选拔任用程序不规范")
    assert not Finding.objects.filter(title="干部选拔任用程序不规范").exists()
    office.seen("finding-number-refused")

    page.get_by_text("删除误录的问题", exact=True).click()
    page.get_by_label("要删除的问题").select_option(value=str(mistyped.pk))
    page.get_by_label("删除理由").fill("录入重复")
    office.accept_next_dialog()
    page.get_by_role("button", name="删除问题").click()
    expect(page.get_by_text("问题已删除，删除前的内容保存在审计记录中")).to_be_visible()
    office.seen("finding-deleted")
    assert not Finding.objects.filter(pk=mistyped.pk).exists()
    assert AuditEvent.objects.filter(action="finding.delete").count() == 1
    office.assert_clean()


def test_an_order_unanswered_past_its_reply_date_is_chased_in_the_inbox(world, visit, live_server):
    from rectify.supervision import services as supervision
    from rectify.supervision.services.reminders import remind_unit

    unit = world.units[0]
    task = make_task(unit, title="整改违规公款吃喝问题")
    today = clock.today()
    supervision.issue_order(unit.supervisor, kind="supervise", task=task, issued_on=today - dt.timedelta(days=20),
                            reply_due=today - dt.timedelta(days=5))
    remind_unit(today, unit.org.pk, email=False)  # the morning run
    department = visit(unit.dept_handler, "phone")
    page = department.page
    department.menu("通知")
    expect(page.get_by_text("【催办】督办通知书逾期5天未回复", exact=False).first).to_be_visible()
    department.seen("inbox-chased")
    department.assert_clean()
