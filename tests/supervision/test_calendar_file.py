"""RECTIFY_CALENDAR_FILE: the State Council's holiday notice typed in as JSON, and the pages' warning
for working-day deadlines counted over a year whose holidays are not loaded."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from rectify.deadlines import deadline_clock
from rectify.inspections.models import Inspection
from rectify.supervision.checks import calendar_file

pytestmark = pytest.mark.django_db

NOTE = "2027年节假日安排未载入，本时限暂按仅周末休息计算工作日，请核对"
DECEMBER = dt.date(2026, 12, 20)


@pytest.fixture
def notice_2027(tmp_path):
    path = tmp_path / "holidays-2027.json"
    # Not the real 2027 arrangement: a made-up one whose effect the test can see (4 January off).
    path.write_text(json.dumps({"years": [2027], "holidays": ["2027-01-01", "2027-01-04"],
                                "working_days": []}), encoding="utf-8")
    return path


def review_page(client, unit) -> str:
    Inspection.objects.filter(pk=unit.inspection.pk).update(feedback_date=DECEMBER)
    client.force_login(unit.office_staff)
    response = client.get(reverse("supervision:review", args=[unit.inspection.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_review_page_flags_a_plan_deadline_counted_over_an_unknown_year(client, unit):
    assert NOTE in review_page(client, unit)


def test_review_page_has_no_flag_once_the_year_is_loaded(client, unit, settings, notice_2027):
    settings.RECTIFY_CALENDAR_FILE = str(notice_2027)
    assert NOTE not in review_page(client, unit)


def test_the_calendar_file_changes_the_working_day_count(settings, notice_2027):
    plain = deadline_clock().plan_due(DECEMBER)
    settings.RECTIFY_CALENDAR_FILE = str(notice_2027)
    loaded = deadline_clock().plan_due(DECEMBER)
    assert not plain.exact and loaded.exact
    assert loaded.date == plain.date + dt.timedelta(days=1)  # 4 January off moves the 15th day by one


def test_a_broken_calendar_file_is_reported_by_rectify_check(settings, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"holidays": ["2027/01/01"]}', encoding="utf-8")
    settings.RECTIFY_CALENDAR_FILE = str(broken)
    with pytest.raises(ImproperlyConfigured, match="2027/01/01"):
        deadline_clock()
    [error] = calendar_file()
    assert "RECTIFY_CALENDAR_FILE" in error.msg and error.id == "rectify.E010"


def test_a_missing_calendar_file_is_reported(settings, tmp_path):
    settings.RECTIFY_CALENDAR_FILE = str(tmp_path / "none.json")
    [error] = calendar_file()
    assert "none.json" in error.msg


def test_no_calendar_file_is_fine(settings):
    settings.RECTIFY_CALENDAR_FILE = ""
    assert calendar_file() == []


def test_the_flag_is_translated_on_the_english_page(client, unit):
    client.cookies["django_language"] = "en"
    page = review_page(client, unit)
    assert "The 2027 holiday arrangement is not loaded" in page and NOTE not in page


def test_the_ledger_head_and_the_clock_page_give_one_report_due_date(client, unit, settings):
    # Feedback on 14 September 2026 makes the report due on Saturday 14 November; a deployment that rolls
    # deadlines to the next working day owes it on Monday 16 November, on every page.
    settings.RECTIFY_RULES = {**settings.RECTIFY_RULES, "roll_to_working_day": True}
    Inspection.objects.filter(pk=unit.inspection.pk).update(feedback_date=dt.date(2026, 9, 14))
    inspection = Inspection.objects.get(pk=unit.inspection.pk)
    assert inspection.report_due == dt.date(2026, 11, 16)
    client.force_login(unit.office_staff)
    head = client.get(reverse("ledger:ledger", args=[inspection.pk])).content.decode()
    assert "2026年11月16日 前报送" in head
    review = client.get(reverse("supervision:review", args=[inspection.pk])).content.decode()
    assert "2026-11-16" in review or "2026年11月16日" in review
