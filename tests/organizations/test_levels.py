"""Units carry their level (层级: 省级, 市级, 县级 …), stored as an English code, set by the administrator, by
`rectify bootstrap`'s plan, or in the demo data."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from rectify.audit.models import AuditEvent
from rectify.errors import ValidationFailed
from rectify.organizations import services as orgs
from rectify.organizations.models import Organization
from tests.organizations.test_bootstrap import bootstrap

pytestmark = pytest.mark.django_db

PLAN = """
[office]
name = "中共某某市委巡察工作领导小组办公室"
short_name = "市委巡察办"
level = "市级"

[[units]]
name = "某某县人民政府"
level = "县级"

[[units]]
name = "某某市住房和城乡建设局"
level = "municipal"
"""


def test_a_level_is_given_by_its_chinese_name_or_its_code_and_stored_as_the_code():
    county = orgs.create_organization(None, name="某某县委", kind=Organization.Kind.UNIT, level="县级")
    city = orgs.create_organization(None, name="某某市委", kind=Organization.Kind.UNIT, level="municipal")
    assert (county.level, city.level) == ("county", "municipal")
    assert county.get_level_display() == "县级"


def test_an_unknown_level_is_refused_naming_the_value_and_the_choices():
    with pytest.raises(ValidationFailed) as refused:
        orgs.create_organization(None, name="某某区委", kind=Organization.Kind.UNIT, level="区级")
    assert refused.value.message == "「层级」无法识别：区级（可填：中央级、省级、市级、县级、乡镇级）"
    assert not Organization.objects.filter(name="某某区委").exists()


def test_the_database_refuses_a_level_it_does_not_know():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="某某单位", kind=Organization.Kind.UNIT, level="provincal")


def test_bootstrap_plan_sets_the_levels(tmp_path):
    bootstrap(tmp_path, plan=PLAN)
    assert Organization.objects.get(short_name="市委巡察办").level == "municipal"
    assert Organization.objects.get(name="某某县人民政府").level == "county"
    assert Organization.objects.get(name="某某市住房和城乡建设局").level == "municipal"


def test_bootstrap_names_the_unit_with_an_unknown_level_and_creates_nothing(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="units 第 1 项「层级」无法识别：县处级"):
        bootstrap(tmp_path, plan=PLAN.replace('level = "县级"', 'level = "县处级"'))
    assert not Organization.objects.exists()


def test_the_administrator_sets_a_units_level_on_its_people_page(client, world):
    unit = world.units[0].org
    client.force_login(world.admin)
    url = reverse("people", args=[unit.pk])
    assert "单位层级" in client.get(url).content.decode()
    assert client.post(url, {"op": "level", "level": "provincial"}).status_code == 302
    unit.refresh_from_db()
    assert unit.level == "provincial"
    event = AuditEvent.objects.filter(action="organization.update").latest("pk")
    assert (event.before["level"], event.after["level"], event.actor) == ("", "provincial", world.admin)
    refused = client.post(url, {"op": "level", "level": "bogus"})
    assert refused.status_code == 400 and "「层级」无法识别：bogus" in refused.content.decode()


def test_only_an_administrator_sets_the_level(client, world):
    unit = world.units[0]
    client.force_login(unit.office_staff)
    assert client.post(reverse("people", args=[unit.org.pk]), {"op": "level", "level": "county"}).status_code == 403
    client.force_login(world.far.office_staff)
    assert client.post(reverse("people", args=[unit.org.pk]), {"op": "level", "level": "county"}).status_code == 404
    unit.org.refresh_from_db()
    assert unit.org.level == ""


def test_the_superuser_sets_the_level_in_the_admin_site(client, world):
    from rectify.organizations.models import User

    root = User.objects.create_superuser("root", password="Zhenggai-2026-ok")
    unit = world.units[0].org
    client.force_login(root)
    url = reverse("admin:organizations_organization_change", args=[unit.pk])
    response = client.post(url, {"name": unit.name, "short_name": "", "kind": unit.kind, "level": "municipal",
                                 "parent": unit.parent_id, "address": "", "postcode": "", "phone": "", "email": ""})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.level == "municipal"
