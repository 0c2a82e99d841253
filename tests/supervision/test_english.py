"""Supervision, inspection and account pages in English (the language cookie), Chinese by default; what
is stored or handed out as an official document stays Chinese whatever the page's language."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from rectify import clock
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.rules.calendar import plan_due
from rectify.supervision import selectors, services
from rectify.supervision.models import Notification, Order
from rectify.supervision.rules.formalism import check_measure
from tests.factories import make_task

from .conftest import START

NOW = START + dt.timedelta(days=5)


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> object:
    """A request in English leaves English active in this thread: later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def objects(sw) -> dict[str, object]:
    unit = sw.units[0]
    with clock.frozen(START):
        task = make_task(unit, deadline=START + dt.timedelta(days=3))
        # A finding whose only task names no leader and no department, with a vague measure.
        finding = inspections.add_finding(unit.office_staff, unit.inspection, title="学风不正", label="2.",
                                          parent=unit.aspect)
        vague = ledger.create_task(unit.office_staff, finding, title="进一步加强学习", category=Task.Category.LONG_TERM)
        order = services.issue_order(unit.office_staff, kind=Order.Kind.SUPERVISE, task=task,
                                     reply_due=START + dt.timedelta(days=7))
    services.run_reminders(NOW)
    return {"unit": unit, "task": task, "vague": vague, "order": order}


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def get(client: Client, url: str, **params: str) -> str:
    with clock.frozen(NOW):
        response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_dispatch_sheet_is_chinese_by_default_and_english_on_request(sw, objects, client: Client) -> None:
    unit = objects["unit"]
    client.force_login(unit.office_staff)
    url = reverse("supervision:dispatch", args=[unit.org.pk])
    chinese = get(client, url)
    assert "整改工作调度表" in chinese and "上一周" in chinese and '<html lang="zh-hans">' in chinese
    page = get(english(client), url)
    assert '<html lang="en">' in page
    assert "Rectification dispatch sheet" in page and "Previous week" in page and "Download Word" in page
    assert "Due within 7 days" in page and "Lead department" in page
    assert "整改工作调度表" not in page and "上一周" not in page
    # The unit's name and the tasks are data: they stay as entered.
    assert unit.org.name in page and objects["task"].title[:10] in page


def test_downloads_stay_chinese_on_an_english_page(sw, objects, client: Client) -> None:
    unit = objects["unit"]
    client.force_login(unit.office_staff)
    english(client)
    with clock.frozen(NOW):
        sheet = client.get(reverse("supervision:dispatch_download", args=[unit.org.pk, "xlsx"]))
        docx = client.get(reverse("supervision:order_docx", args=[objects["order"].pk]))
    assert sheet.status_code == 200 and docx.status_code == 200
    book = load_workbook(io.BytesIO(sheet.content))
    assert "逾期未完成" in book.sheetnames and "Overdue" not in book.sheetnames
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert "整改任务" in cells and not any("Rectification task" in c for c in cells)


def test_the_review_page_translates_clocks_integrity_and_flags(sw, objects, client: Client) -> None:
    unit = objects["unit"]
    client.force_login(unit.office_staff)
    url = reverse("supervision:review", args=[unit.inspection.pk])
    chinese = get(client, url)
    assert "方案完整性" in chinese and "整改方案报送时限" in chinese and "反馈后15个工作日" in chinese
    assert "措施空泛" in chinese
    page = get(english(client), url)
    assert "Plan completeness" in page and "Plan submission deadline" in page
    assert "15 working days after feedback" in page and "2 months after feedback" in page
    assert "Formalism warnings" in page and "Vague measure" in page and "No responsible department or person" in page
    assert "Missing in the task: Responsible leader, Lead department" in page
    assert "Submit rectification plan" in page
    for word in ("方案完整性", "整改方案报送时限", "反馈后15个工作日", "措施空泛", "形式主义风险提示"):
        assert word not in page


def test_rules_keep_chinese_messages_and_carry_what_the_pages_translate() -> None:
    flags = check_measure("进一步加强学习", strict=True)
    vague = next(f for f in flags if f.code == "vague_measure")
    assert vague.message_zh.startswith("措施空泛") and vague.message_zh.template == vague.message_zh
    due = plan_due(dt.date(2025, 1, 20))
    assert due.basis == "反馈后15个工作日" and due.basis.template % due.basis.values == due.basis


def test_formalism_flags_follow_the_active_language(sw, objects) -> None:
    with clock.frozen(NOW):
        with translation.override("en"):
            flags = selectors.formalism_flags(objects["vague"])
            assert {f.label for f in flags} >= {"Vague measure", "No owner"}
            assert any(f.message.startswith("Vague measure:") for f in flags)
        with translation.override("zh-hans"):
            flags = selectors.formalism_flags(objects["vague"])
    assert any(f.message.startswith("措施空泛") for f in flags) and "措施空泛" in {f.label for f in flags}


def test_orders_flash_messages_and_errors_in_english(sw, objects, client: Client) -> None:
    unit = objects["unit"]
    client.force_login(unit.office_staff)
    english(client)
    url = reverse("supervision:orders", args=[unit.org.pk])
    page = get(client, url)
    assert "Supervision orders" in page and "Issue a supervision order" in page and "Reminder letter" in page
    assert "印发督办文书" not in page
    with clock.frozen(NOW):
        response = client.post(url, {"kind": "reminder", "task": objects["task"].pk, "reply_due": ""}, follow=True)
    assert "Reply deadline is required" in response.content.decode()
    with clock.frozen(NOW):
        response = client.post(url, {"kind": "reminder", "task": objects["task"].pk,
                                     "reply_due": (NOW + dt.timedelta(days=7)).isoformat()}, follow=True)
    assert "Supervision order issued" in response.content.decode()
    # The notification it sends is stored, so it is written in Chinese.
    latest = Notification.objects.filter(kind=Notification.Kind.ORDER).order_by("-pk").first()
    assert latest.title.startswith("【提醒书】")


def test_the_inbox_in_english_keeps_stored_titles(sw, objects, client: Client) -> None:
    handler = objects["unit"].dept_handler
    client.force_login(handler)
    url = reverse("supervision:inbox")
    assert "全部标为已读" in get(client, url)
    page = get(english(client), url)
    assert "Mark all as read" in page and "Notifications" in page and "Overdue alert" in page
    assert "全部标为已读" not in page
    assert "【逾期警示】" in page  # the notification's own title is data
    with clock.frozen(NOW):
        response = client.post(reverse("supervision:inbox_read"), follow=True)
    assert re.search(r"\d+ notifications? marked as read", response.content.decode())


def test_common_problems_and_the_inspection_pages_in_english(sw, objects, client: Client) -> None:
    client.force_login(sw.inspection_office)
    english(client)
    page = get(client, reverse("supervision:common_problems"))
    assert "Problems common to several units" in page and "Analyse again" in page
    staff = objects["unit"].office_staff
    client.force_login(staff)
    page = get(client, reverse("inspections:list"))
    assert "Register an inspection" in page and "Import notice" in page and "Completion rate" in page
    assert "登记巡视巡察" not in page
    page = get(client, reverse("inspections:create"))
    assert "Inspected unit" in page and "Feedback date" in page and "Circuit inspection" in page
    with clock.frozen(NOW):
        response = client.post(reverse("inspections:create"), {
            "target": objects["unit"].org.pk, "title": "试点", "onsite_start": "2025-13-01"})
    assert "On-site from not recognised: 2025-13-01" in response.content.decode()
    page = get(client, reverse("inspections:import_notice"))
    assert "Import a rectification progress notice" in page and "Upload and preview" in page


def test_the_navigation_follows_the_language(sw, objects, client: Client) -> None:
    client.force_login(sw.inspection_office)
    url = reverse("supervision:common_problems")
    chinese = get(client, url)
    assert ">工作台<" in chinese and "共性问题" in chinese and "巡视巡察办" in chinese
    page = get(english(client), url)
    assert ">Workspace<" in page and ">Inspections<" in page and ">Common problems<" in page
    assert "Inspection office" in page  # the role in the top bar
    assert ">工作台<" not in page
