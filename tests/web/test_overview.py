"""The all-units overview (各单位整改总览) counts exactly what the ledgers hold, within the viewer's reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rectify import clock
from rectify.ledger import services as ledger
from tests.factories import PASSWORD, make_task, submitted_task

pytestmark = pytest.mark.django_db


def rows_by_unit(response) -> dict[str, dict]:
    return {row["unit__name"]: row for row in response.context["units"]}


def test_each_unit_shows_its_totals_closed_overdue_and_waiting(client, world):
    first, second = world.units
    today = clock.today()
    make_task(first, deadline=today - dt.timedelta(days=1))
    make_task(first, category="long_term", deadline=None)
    closing = submitted_task(first)
    ledger.review_task(first.office_staff, closing)
    ledger.approve_task(first.leader, closing)
    submitted_task(second)
    assert client.login(username=world.inspection_office.username, password=PASSWORD)

    response = client.get("/overview/")
    units = rows_by_unit(response)
    assert set(units) == {first.org.name, second.org.name}  # the far unit is another office's
    assert (units[first.org.name]["total"], units[first.org.name]["closed"], units[first.org.name]["overdue"]) == (3, 1, 1)
    assert (units[second.org.name]["total"], units[second.org.name]["waiting"]) == (1, 1)
    assert (response.context["total"], response.context["closed"], response.context["overdue"]) == (4, 1, 1)
    trend = response.context["charts"]["trend"]["series"][0]["values"]
    assert trend[-1] == 25.0  # one of four closed by the end of this week
    for unit in (first, second):  # each row leads to that unit's dashboard
        assert f'href="{reverse("ledger:unit_dashboard", args=[unit.org.pk])}"' in response.content.decode()


def test_a_deadline_passing_overnight_shows_as_overdue_the_next_day(client, world):
    unit = world.units[0]
    make_task(unit, deadline=clock.today())
    assert client.login(username=world.inspection_office.username, password=PASSWORD)
    assert rows_by_unit(client.get("/overview/"))[unit.org.name]["overdue"] == 0
    with clock.frozen(clock.today() + dt.timedelta(days=1)):
        assert rows_by_unit(client.get("/overview/"))[unit.org.name]["overdue"] == 1


def test_the_overview_is_the_inspection_offices_page_and_is_offered_to_it_alone(client, world):
    unit = world.units[0]
    assert client.login(username=world.inspection_office.username, password=PASSWORD)
    assert "各单位总览" in client.get(reverse("ledger:home"), follow=True).content.decode()
    assert client.get("/overview/").status_code == 200
    for person in (unit.office_staff, unit.leader, unit.supervisor, unit.dept_handler):
        client.force_login(person)
        assert "各单位总览" not in client.get(reverse("ledger:home"), follow=True).content.decode()
        assert client.get("/overview/").status_code == 404
