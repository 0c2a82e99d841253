"""Forms as an official sees them in Chromium: file inputs in Chinese whatever the browser's language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD, PDF, make_task

pytestmark = pytest.mark.browser


@pytest.fixture
def open_in_english_browser(browser, live_server, transactional_db):
    """Log in from a browser whose own language is English (its file inputs say "Choose Files")."""
    contexts = []

    def login(user, *, phone: bool = False):
        context = browser.new_context(
            locale="en-US", viewport={"width": 390, "height": 844} if phone else {"width": 1366, "height": 860})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield login
    for context in contexts:
        context.close()


def test_evidence_input_speaks_chinese_and_lists_the_chosen_files(world, open_in_english_browser, live_server,
                                                                 tmp_path):
    unit = world.units[0]
    task = make_task(unit)
    page = open_in_english_browser(unit.dept_handler)
    page.goto(live_server.url + reverse("ledger:task", args=[task.pk]))
    files = page.get_by_label("佐证材料（可多选，可拖入）")
    picker = page.locator(".file-picker")
    expect(picker.get_by_text("选择文件", exact=True)).to_be_visible()
    expect(page.get_by_text("未选择文件", exact=True)).to_be_visible()
    # The native input is still the control a keyboard reaches and a screen reader names.
    files.focus()
    assert page.evaluate("document.activeElement.id") == "p-files"
    expect(files).to_have_accessible_description("未选择文件")
    paths = []
    for name in ("学习制度.pdf", "党组会纪要.pdf"):
        path = tmp_path / name
        path.write_bytes(PDF)
        paths.append(str(path))
    files.set_input_files(paths)
    chosen = page.locator("#p-files-chosen")
    expect(chosen.get_by_role("listitem")).to_have_count(2)
    expect(chosen).to_contain_text("学习制度.pdf")
    expect(chosen).to_contain_text("党组会纪要.pdf")
    expect(page.get_by_text("未选择文件", exact=True)).to_have_count(0)
    expect(files).to_have_accessible_description(re.compile("党组会纪要.pdf"))


def test_ledger_import_file_input_shows_the_chosen_name_on_a_phone(world, open_in_english_browser, live_server,
                                                                  tmp_path):
    unit = world.units[0]
    page = open_in_english_browser(unit.office_staff, phone=True)
    page.goto(live_server.url + reverse("spreadsheets:import_ledger", args=[unit.inspection.pk]))
    expect(page.locator(".file-picker").get_by_text("选择文件", exact=True)).to_be_visible()
    expect(page.get_by_text("未选择文件", exact=True)).to_be_visible()
    path = tmp_path / "整改台账.xlsx"
    path.write_bytes(b"PK\x03\x04")
    page.get_by_label(re.compile("^台账文件")).set_input_files(str(path))
    expect(page.locator("#ledger-file-chosen")).to_contain_text("整改台账.xlsx")


def test_an_inline_edit_owing_a_new_password_opens_the_password_page_not_a_row(world, open_as, live_server,
                                                                             settings):
    from django.contrib.auth import get_user_model

    settings.RECTIFY_DEMO = False
    unit = world.units[0]
    make_task(unit)
    page = open_as(unit.office_staff)
    page.goto(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))
    # An administrator resets the password meanwhile: the next request must set a new one first.
    get_user_model().objects.filter(pk=unit.office_staff.pk).update(must_change_password=True)
    page.get_by_role("button", name=re.compile("^编辑任务")).click()
    page.wait_for_url(live_server.url + reverse("password_change"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("tr.editing")).to_have_count(0)
    assert page.locator("header.topbar").count() == 1  # one whole page, not one inside a row


def test_after_a_colleagues_save_the_row_shows_theirs_and_a_second_save_keeps_mine(world, open_as, live_server):
    from rectify.ledger import services as ledger
    from rectify.ledger.models import Task

    unit = world.units[0]
    task = make_task(unit, title="原整改措施")
    page = open_as(unit.office_staff)
    page.goto(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))
    page.get_by_role("button", name=re.compile("^编辑任务")).click()
    row = page.locator("tr.editing")
    row.get_by_label("整改措施").fill("我写的措施")
    ledger.update_task(unit.office_staff, Task.objects.get(pk=task.pk), title="同事改过的措施")
    row.get_by_role("button", name="保存").click()
    expect(row.get_by_role("alert")).to_contain_text("已被他人修改")
    expect(row.locator(".conflict")).to_contain_text("同事改过的措施")
    expect(row.get_by_label("整改措施")).to_have_value("我写的措施")
    row.get_by_role("button", name="保存").click()
    expect(page.get_by_role("link", name="我写的措施")).to_be_visible()
    assert Task.objects.get(pk=task.pk).title == "我写的措施"


def test_choosing_the_finding_to_edit_fills_the_form_with_its_current_values(world, open_as, live_server):
    from rectify.inspections import services as inspections

    unit = world.units[0]
    finding = inspections.add_finding(unit.office_staff, unit.inspection, parent=unit.aspect, label="2.",
                                      title="理论学习中心组学习流于形式", text="全年集中学习不足 6 次")
    page = open_as(unit.office_staff, phone=True)
    page.goto(live_server.url + reverse("ledger:findings", args=[unit.inspection.pk]))
    page.get_by_text("修改反馈问题").click()
    page.get_by_label("要修改的问题").select_option(str(finding.pk))
    expect(page.get_by_label("修改后的问题")).to_have_value("理论学习中心组学习流于形式")
    expect(page.get_by_label("修改后的序号")).to_have_value("2.")
    expect(page.locator("#ef-text")).to_have_value("全年集中学习不足 6 次")
    expect(page.get_by_label("要修改的问题")).to_be_focused()
    page.get_by_label("修改后的问题").fill("理论学习中心组学习制度执行不严")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_text("问题已修改")).to_be_visible()
    finding.refresh_from_db()
    assert (finding.title, finding.text, finding.label) == ("理论学习中心组学习制度执行不严", "全年集中学习不足 6 次", "2.")
