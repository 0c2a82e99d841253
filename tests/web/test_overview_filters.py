"""The all-units overview filters by region and light, sorts by column and exports what it shows to .xlsx."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from rectify import clock
from rectify.organizations import services as orgs
from rectify.organizations.models import Organization
from tests.factories import PASSWORD, build_unit, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client, world):
    assert client.login(username=world.inspection_office.username, password=PASSWORD)
    return client


def names(response) -> list[str]:
    return [row["unit__name"] for row in response.context["units"]]


def test_red_light_filter_keeps_only_units_with_overdue_tasks(office_client, world):
    first, second = world.units
    make_task(first, deadline=clock.today() - dt.timedelta(days=3))
    make_task(second)
    assert names(office_client.get("/overview/", {"light": "red"})) == [first.org.name]
    assert names(office_client.get("/overview/", {"light": "green"})) == [second.org.name]


def test_region_filter_keeps_the_units_of_one_office(office_client, world):
    city = orgs.create_organization(None, name="市委巡察办（下辖）", kind=Organization.Kind.OFFICE, parent=world.office)
    city_unit = build_unit(city, "市财政局")
    for unit in (*world.units, city_unit):
        make_task(unit)
    assert names(office_client.get("/overview/", {"region": city.pk})) == ["市财政局"]
    assert set(names(office_client.get("/overview/", {"region": world.office.pk}))) == {u.org.name for u in world.units}


def test_sorting_by_a_column_both_ways(office_client, world):
    first, second = world.units
    for _ in range(3):
        make_task(first)
    make_task(second)
    assert names(office_client.get("/overview/", {"sort": "total", "dir": "desc"})) == [first.org.name, second.org.name]
    assert names(office_client.get("/overview/", {"sort": "total", "dir": "asc"})) == [second.org.name, first.org.name]


def test_export_gives_the_filtered_view_as_a_workbook(office_client, world):
    first, second = world.units
    make_task(first, deadline=clock.today() - dt.timedelta(days=3))
    make_task(second)
    response = office_client.get("/overview/", {"light": "red", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位" and rows[0][1] == "所属机构"
    assert [r[0] for r in rows[1:]] == [first.org.name]
    assert rows[1][2] == 1 and rows[1][5] == 1  # one task, overdue


def test_overview_with_many_units_has_bounded_queries(office_client, world, django_assert_max_num_queries):
    for i in range(20):
        make_task(build_unit(world.office, f"单位{i:02d}"))
    with django_assert_max_num_queries(20):
        response = office_client.get("/overview/", {"sort": "name", "dir": "asc"})
    assert len(response.context["units"]) == 20  # the units with tasks


def _levelled(world):
    """A provincial unit, a county-level one and one without a level, each with one task (the county's overdue)."""
    first, second = world.units
    orgs.set_level(world.admin, unit=first.org, level="省级")
    orgs.set_level(world.admin, unit=second.org, level="县级")
    third = build_unit(world.office, "省档案馆")
    make_task(first)
    make_task(second, deadline=clock.today() - dt.timedelta(days=3))
    make_task(third)
    return first, second, third


def test_level_filter_keeps_the_units_of_one_level(office_client, world):
    first, second, _third = _levelled(world)
    assert names(office_client.get("/overview/", {"level": "provincial"})) == [first.org.name]
    assert names(office_client.get("/overview/", {"level": "county", "light": "green"})) == []
    page = office_client.get("/overview/", {"level": "county"})
    assert names(page) == [second.org.name]
    assert '<option value="county" selected>县级</option>' in page.content.decode()


def test_sorting_by_level_puts_the_higher_level_first_and_units_without_one_last(office_client, world):
    first, second, third = _levelled(world)
    assert names(office_client.get("/overview/", {"sort": "level", "dir": "asc"})) == [
        first.org.name, second.org.name, third.org.name]


def test_export_follows_the_level_filter_and_names_the_level(office_client, world):
    _first, second, _third = _levelled(world)
    page = office_client.get("/overview/", {"level": "county"}).content.decode()
    assert "level=county&amp;format=xlsx" in page
    response = office_client.get("/overview/", {"level": "county", "format": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][-1] == "层级"
    assert [(r[0], r[-1]) for r in rows[1:]] == [(second.org.name, "县级")]
