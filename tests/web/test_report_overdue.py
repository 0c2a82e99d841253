"""The unit dashboard flags a 整改情况报告 past its due date and not yet published: 已逾期N天未报送, in red."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from rectify.inspections import services as inspections
from rectify.inspections.models import Inspection
from rectify.reports import services as reports
from tests.factories import PASSWORD, make_task


def dashboard(client, unit) -> str:
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    response = client.get(reverse("ledger:unit_dashboard", args=[unit.org.pk]))
    assert response.status_code == 200
    return response.content.decode()


def fed_back(unit, today, days_ago: int) -> Inspection:
    inspection = inspections.update_inspection(unit.office_staff, unit.inspection,
                                               feedback_date=today - dt.timedelta(days=days_ago))
    make_task(unit)
    return inspection


def test_a_report_due_later_is_not_flagged(client, unit, today):
    inspection = fed_back(unit, today, 10)
    assert inspection.report_due > today
    page = dashboard(client, unit)
    assert inspection.report_due.isoformat() in page
    assert "未报送" not in page


def test_a_report_past_due_and_unpublished_is_flagged_red_with_its_days(client, unit, today):
    inspection = fed_back(unit, today, 120)
    days = (today - inspection.report_due).days
    assert days > 0
    page = dashboard(client, unit)
    assert f'<span class="light red">已逾期{days}天未报送</span>' in page


def test_a_published_report_is_not_flagged_even_after_its_due_date(client, unit, today):
    inspection = fed_back(unit, today, 120)
    reports.publish_report(unit.office_staff, reports.generate_report(unit.office_staff, inspection, "internal"))
    page = dashboard(client, unit)
    assert "未报送" not in page


def test_only_the_internal_report_counts(client, unit, today):
    inspection = fed_back(unit, today, 120)
    reports.publish_report(unit.office_staff, reports.generate_report(unit.office_staff, inspection, "notice"))
    assert "未报送" in dashboard(client, unit)


def test_the_flag_speaks_english_when_chosen(client, unit, today):
    fed_back(unit, today, 120)
    client.cookies["django_language"] = "en"
    assert "days overdue, not submitted" in dashboard(client, unit)
