"""One vocabulary for the traffic light on every page (红灯（逾期）/黄灯（预警）/绿灯), overdue days on the
rows, and yellow counted beside red on the dashboards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rectify import clock
from rectify.ledger.models import Task
from tests.factories import PASSWORD, make_task

pytestmark = pytest.mark.django_db

RED, YELLOW, GREEN = "红灯（逾期）", "黄灯（预警）", "绿灯"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def three(unit):
    today = clock.today()
    late = make_task(unit, title="逾期十二天的措施", deadline=today - dt.timedelta(days=12))
    near = make_task(unit, title="临近时限的措施", deadline=today + dt.timedelta(days=3))
    calm = make_task(unit, title="按期推进的措施", deadline=today + dt.timedelta(days=60))
    return late, near, calm


def test_my_tasks_names_the_lights_and_shows_overdue_days(client, unit, three):
    login(client, unit.dept_handler)
    page = client.get(reverse("ledger:my_tasks")).content.decode()
    assert RED in page and YELLOW in page and GREEN in page
    assert "逾期 12 天" in page
    assert ">逾期<" not in page and ">预警<" not in page and ">正常<" not in page  # the old words


def test_ledger_rows_name_the_lights_and_show_overdue_days(client, unit, three):
    login(client, unit.office_staff)
    response = client.get(reverse("ledger:ledger", args=[unit.inspection.pk]))
    page = response.content.decode()
    assert page.count(f">{RED}</span>") == 1 and page.count(f">{YELLOW}</span>") == 1
    assert page.count(f">{GREEN}</span>") == 1
    assert "逾期 12 天" in page
    for value, label in (("red", RED), ("yellow", YELLOW), ("green", GREEN)):
        assert f'<option value="{value}">{label}</option>' in page
    assert "只看红灯（逾期）" in page


def test_task_page_names_the_light_and_the_overdue_days(client, unit, three):
    login(client, unit.office_staff)
    page = client.get(reverse("ledger:task", args=[three[0].pk])).content.decode()
    assert RED in page and "逾期 12 天" in page


def test_api_gives_the_overdue_days(client, unit, three):
    login(client, unit.office_staff)
    rows = {r["id"]: r for r in client.get("/api/v1/tasks", {"inspection": unit.inspection.pk}).json()["items"]}
    assert (rows[three[0].pk]["light"], rows[three[0].pk]["overdue_days"]) == ("red", 12)
    assert rows[three[1].pk]["overdue_days"] == 0


def test_unit_dashboard_counts_yellow_beside_red(client, unit, three):
    twice = make_task(unit, title="两次退回的措施")
    Task.objects.filter(pk=twice.pk).update(returned_count=2)
    login(client, unit.office_staff)
    response = client.get(reverse("ledger:unit_dashboard", args=[unit.org.pk]))
    assert (response.context["red"], response.context["yellow"], response.context["overdue"]) == (2, 1, 1)
    page = response.content.decode()
    assert RED in page and YELLOW in page and "其中逾期未完成 1 项" in page
    names = [s["name"] for s in response.context["charts"]["departments"]["series"]]
    assert names == ["已销号", "推进中", YELLOW, RED]


def test_overview_counts_yellow_beside_red(client, world):
    unit = world.units[0]
    today = clock.today()
    make_task(unit, deadline=today - dt.timedelta(days=1))
    make_task(unit, deadline=today + dt.timedelta(days=2))
    make_task(unit, deadline=today + dt.timedelta(days=60))
    login(client, world.inspection_office)
    response = client.get("/overview/")
    row = next(r for r in response.context["units"] if r["unit__name"] == unit.org.name)
    assert (row["red"], row["yellow"], row["overdue"]) == (1, 1, 1)
    assert (response.context["red"], response.context["yellow"]) == (1, 1)
    page = response.content.decode()
    assert RED in page and YELLOW in page


def test_overview_turns_a_silent_task_yellow_the_week_after(client, world):
    unit = world.units[0]
    make_task(unit, deadline=clock.today() + dt.timedelta(days=60))
    login(client, world.inspection_office)

    def yellow() -> int:
        rows = client.get("/overview/").context["units"]
        return next(r for r in rows if r["unit__name"] == unit.org.name)["yellow"]

    assert yellow() == 0
    with clock.frozen(clock.today() + dt.timedelta(days=7)):
        assert yellow() == 1
