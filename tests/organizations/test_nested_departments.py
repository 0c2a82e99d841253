"""A department sits in its unit however deep: a 科 inside a 处 reads its unit's inspections like the 处,
and a department holds no role over the inspection office above its unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.organizations import services as orgs
from rectify.organizations.models import Organization, Role
from rectify.organizations.scoping import roles_over_unit
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_a_section_inside_a_department_reads_its_units_inspections(client, world):
    unit = world.units[0]
    section = orgs.create_organization(None, name="干部一科", kind=Organization.Kind.DEPARTMENT,
                                       parent=unit.departments[1])
    clerk = person(section, Role.DEPARTMENT)
    assert roles_over_unit(clerk, unit.org) == {Role.DEPARTMENT}
    client.force_login(clerk)
    listing = client.get(reverse("inspections:list")).content.decode()
    assert unit.inspection.title in listing
    assert world.units[1].inspection.title not in listing
    assert client.get(reverse("ledger:ledger", args=[unit.inspection.pk])).status_code == 200


def test_a_department_holds_no_role_over_the_office_above_its_unit(world):
    unit = world.units[0]
    assert roles_over_unit(unit.dept_handler, unit.org) == {Role.DEPARTMENT}
    assert roles_over_unit(unit.dept_handler, world.office) == set()
