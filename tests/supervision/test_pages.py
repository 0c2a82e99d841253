"""Supervision pages: each works for its users, 404 for another unit's objects, 403 without the role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from rectify import clock
from rectify.supervision import services
from rectify.supervision.models import DispatchDecision, Notification, Order
from tests.factories import make_task

from .conftest import START


@pytest.fixture
def objects(sw) -> dict[str, object]:
    unit = sw.units[0]
    with clock.frozen(START):
        task = make_task(unit, deadline=START + dt.timedelta(days=3))
        order = services.issue_order(unit.office_staff, kind=Order.Kind.SUPERVISE, task=task,
                                     reply_due=START + dt.timedelta(days=7))
    services.run_reminders(START + dt.timedelta(days=5))
    return {"unit": unit, "task": task, "order": order}


PAGES: dict[str, Callable[[dict], str]] = {
    "dispatch": lambda o: reverse("supervision:dispatch", args=[o["unit"].org.pk]),
    "dispatch_docx": lambda o: reverse("supervision:dispatch_download", args=[o["unit"].org.pk, "docx"]),
    "dispatch_xlsx": lambda o: reverse("supervision:dispatch_download", args=[o["unit"].org.pk, "xlsx"]),
    "orders": lambda o: reverse("supervision:orders", args=[o["unit"].org.pk]),
    "order": lambda o: reverse("supervision:order", args=[o["order"].pk]),
    "order_docx": lambda o: reverse("supervision:order_docx", args=[o["order"].pk]),
    "review": lambda o: reverse("supervision:review", args=[o["unit"].inspection.pk]),
    "task_flags": lambda o: reverse("supervision:task_flags", args=[o["task"].pk]),
}
# Who gets what: the unit's office and leader see everything; the department sees its orders and
# its task's flags but not the unit's dispatch sheet or plan review (403); other units get 404.
EXPECTED = {
    "office_staff": dict.fromkeys(PAGES, 200),
    "leader": dict.fromkeys(PAGES, 200),
    "dept_handler": {"dispatch": 403, "dispatch_docx": 403, "dispatch_xlsx": 403, "orders": 200, "order": 200,
                     "order_docx": 200, "review": 403, "task_flags": 200},
    "other_unit": dict.fromkeys(PAGES, 404),
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_page_matrix(sw, objects, client: Client, persona: str) -> None:
    user = sw.units[1].office_staff if persona == "other_unit" else getattr(sw.units[0], persona)
    client.force_login(user)
    with clock.frozen(START + dt.timedelta(days=5)):
        got = {name: client.get(url(objects)).status_code for name, url in PAGES.items()}
    assert got == EXPECTED[persona]


def test_anonymous_is_sent_to_login(sw, objects, client: Client) -> None:
    for url in [*(u(objects) for u in PAGES.values()), reverse("supervision:inbox"),
                reverse("supervision:common_problems")]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_inbox_lists_warnings_and_marks_them_read(sw, objects, client: Client, django_assert_max_num_queries) -> None:
    handler = sw.units[0].dept_handler
    client.force_login(handler)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("supervision:inbox"))
    assert "【逾期警示】" in page.content.decode() and "【督办通知书】" in page.content.decode()
    mine = Notification.objects.filter(recipient=handler)
    assert page.context["unread"] == mine.count() == 2
    client.post(reverse("supervision:inbox_read"), {"pk": mine.first().pk})
    assert services.mark_read(handler) == 1  # one left
    foreign = Notification.objects.exclude(recipient=handler).first()
    assert client.post(reverse("supervision:inbox_read"), {"pk": foreign.pk}).status_code == 404


def test_dispatch_page_records_a_decision(sw, objects, client: Client, django_assert_max_num_queries) -> None:
    unit = objects["unit"]
    client.force_login(unit.office_staff)
    with clock.frozen(START + dt.timedelta(days=5)), django_assert_max_num_queries(25):
        page = client.get(reverse("supervision:dispatch", args=[unit.org.pk]), {"week": "2025-03-05"})
    assert page.context["sheet"].week_of == START
    assert objects["task"].title[:20] in page.content.decode()
    with clock.frozen(START + dt.timedelta(days=5)):
        response = client.post(reverse("supervision:dispatch_decide", args=[unit.org.pk]), {
            "week": "2025-03-03", "task": objects["task"].pk, "text": "周五前报送整改方案", "responsible": "王五",
            "due_on": "2025-03-07"})
    assert response.status_code == 302
    assert DispatchDecision.objects.get(task=objects["task"]).responsible == "王五"


def test_review_page_shows_integrity_flags_and_clocks(sw, objects, client: Client, django_assert_max_num_queries) -> None:
    unit = objects["unit"]
    client.force_login(unit.office_staff)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("supervision:review", args=[unit.inspection.pk]))
    html = page.content.decode()
    assert "整改方案报送时限" in html and "整改情况报告报送时限" in html
    assert page.context["integrity"].ok
    response = client.post(reverse("supervision:review_action", args=[unit.inspection.pk, "submit"]), {"signed_by": "赵六"})
    assert response.status_code == 302
    assert unit.inspection.plan_versions.get().signed_by == ""  # a typed name is no signature
    # Reviewing needs a reviewer's role: the office cannot review its own plan.
    response = client.post(reverse("supervision:review_action", args=[unit.inspection.pk, "review-plan"]),
                           {"party": "office", "grade": "good"})
    assert response.status_code == 403


def test_common_problems_page_is_for_the_inspection_office(sw, objects, client: Client) -> None:
    client.force_login(sw.inspection_office)
    assert client.get(reverse("supervision:common_problems")).status_code == 200
    assert client.get(reverse("supervision:common_problems_xlsx")).status_code == 200
    client.force_login(sw.units[0].office_staff)
    assert client.get(reverse("supervision:common_problems")).status_code == 403
