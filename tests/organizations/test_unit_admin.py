"""A unit's own administrator manages its people and departments in the app, never another unit's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.organizations.models import Membership, Organization, Role, User
from tests.factories import PASSWORD, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_admin(world):
    return person(world.units[0].org, Role.ADMIN)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_unit_admin_creates_a_person_who_must_change_the_password(client, world, unit_admin):
    unit = world.units[0]
    login(client, unit_admin)
    response = client.post(reverse("people", args=[unit.org.pk]), {
        "op": "add", "full_name": "张三", "username": "zhangsan", "password": "Qiang-Mima-2026",
        "organization": unit.departments[2].pk, "role": "department"})
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert user.must_change_password and user.check_password("Qiang-Mima-2026")
    assert Membership.objects.get(user=user).organization == unit.departments[2]
    client.logout()
    login_response = client.post(reverse("login"), {"username": "zhangsan", "password": "Qiang-Mima-2026"}, follow=True)
    assert login_response.redirect_chain[-1][0].startswith(reverse("password_change"))


def test_a_weak_password_is_refused_by_the_validators(client, world, unit_admin):
    login(client, unit_admin)
    response = client.post(reverse("people", args=[world.units[0].org.pk]), {
        "op": "add", "full_name": "李四", "username": "lisi", "password": "123", "organization": world.units[0].org.pk,
        "role": "department"})
    assert response.status_code == 400
    assert not User.objects.filter(username="lisi").exists()


def test_unit_admin_deactivates_and_moves_a_person(client, world, unit_admin):
    unit = world.units[0]
    login(client, unit_admin)
    client.post(reverse("people", args=[unit.org.pk]), {"op": "deactivate", "user": unit.co_handler.pk})
    unit.co_handler.refresh_from_db()
    assert not unit.co_handler.is_active
    membership = Membership.objects.get(user=unit.dept_handler)
    client.post(reverse("people", args=[unit.org.pk]), {
        "op": "change", "membership": membership.pk, "organization": unit.departments[1].pk, "role": "department"})
    membership.refresh_from_db()
    assert membership.organization == unit.departments[1]


def test_unit_admin_adds_a_department(client, world, unit_admin):
    unit = world.units[0]
    login(client, unit_admin)
    client.post(reverse("people", args=[unit.org.pk]), {"op": "department", "name": "宣传处"})
    assert Organization.objects.get(name="宣传处").parent == unit.org


def test_unit_admin_never_reaches_another_unit(client, world, unit_admin):
    other = world.units[1]
    login(client, unit_admin)
    assert client.get(reverse("people", args=[other.org.pk])).status_code == 404
    response = client.post(reverse("people", args=[other.org.pk]), {"op": "deactivate", "user": other.leader.pk})
    assert response.status_code == 404
    other.leader.refresh_from_db()
    assert other.leader.is_active


def test_a_person_with_a_role_elsewhere_is_out_of_the_unit_admins_reach(client, world, unit_admin):
    unit, other = world.units
    both = person(unit.departments[0], Role.DEPARTMENT)
    Membership.objects.create(user=both, organization=other.departments[0], role=Role.DEPARTMENT)
    login(client, unit_admin)
    response = client.post(reverse("people", args=[unit.org.pk]), {"op": "deactivate", "user": both.pk})
    assert response.status_code == 404
    both.refresh_from_db()
    assert both.is_active


def test_a_department_outside_the_unit_cannot_be_assigned(client, world, unit_admin):
    unit, other = world.units
    membership = Membership.objects.get(user=unit.dept_handler)
    login(client, unit_admin)
    response = client.post(reverse("people", args=[unit.org.pk]), {
        "op": "change", "membership": membership.pk, "organization": other.departments[0].pk, "role": "department"})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.organization == unit.departments[0]


@pytest.mark.parametrize("who", ["office_staff", "leader", "dept_handler"])
def test_other_roles_of_the_unit_are_forbidden(client, world, who):
    unit = world.units[0]
    login(client, getattr(unit, who))
    assert client.get(reverse("people", args=[unit.org.pk])).status_code == 403


def test_the_navigation_links_the_unit_admin_to_people(client, world, unit_admin):
    login(client, unit_admin)
    page = client.get(reverse("people", args=[world.units[0].org.pk]))
    assert page.status_code == 200
    assert reverse("people", args=[world.units[0].org.pk]) in page.content.decode()
