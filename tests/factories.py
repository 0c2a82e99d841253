"""Test data built through the services, so every object is valid and audited like real data."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import factory

from rectify import clock
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.ledger.services.evidence import Upload
from rectify.organizations import services as orgs
from rectify.organizations.models import Organization, Role, User

PASSWORD = "Test-Password-2026"
_seq = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")

    @classmethod
    def _create(cls, model_class: type[User], *args: object, **kwargs: object) -> User:
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)  # type: ignore[arg-type]


def person(org: Organization, role: str, **flags: object) -> User:
    user = UserFactory()
    orgs.grant_role(None, user=user, organization=org, role=role, **flags)  # type: ignore[arg-type]
    return user


@dataclass
class UnitWorld:
    org: Organization
    departments: list[Organization]
    office_staff: User
    leader: User
    supervisor: User
    dept_handler: User
    co_handler: User
    inspection: object
    aspect: object
    finding: object


@dataclass
class World:
    office: Organization
    inspection_office: User
    admin: User
    units: list[UnitWorld] = field(default_factory=list)
    far: UnitWorld | None = None  # a unit under another inspection office


def build_unit(office: Organization, name: str) -> UnitWorld:
    unit = orgs.create_organization(None, name=name, kind=Organization.Kind.UNIT, parent=office)
    departments = [
        orgs.create_organization(None, name=dept, kind=Organization.Kind.DEPARTMENT, parent=unit)
        for dept in ("办公室", "干部处", "财务处")
    ]
    staff = person(unit, Role.RECTIFICATION_OFFICE)
    leader = person(unit, Role.LEADER, is_principal=True)
    supervisor = person(unit, Role.SUPERVISOR)
    handler = person(departments[0], Role.DEPARTMENT, is_handler=True)
    co_handler = person(departments[1], Role.DEPARTMENT, is_handler=True)
    today = clock.today()
    inspection = inspections.create_inspection(
        staff, target=unit, title=f"{name}巡视", inspector="省委", term="十一届", round=8, group="第十四巡视组",
        onsite_start=today - dt.timedelta(days=150), onsite_end=today - dt.timedelta(days=90),
        feedback_date=today - dt.timedelta(days=60),
    )
    aspect = inspections.add_finding(staff, inspection, title="贯彻落实党的理论和路线方针政策方面", label="（一）")
    finding = inspections.add_finding(staff, inspection, title="学习贯彻不深入", label="1.", parent=aspect)
    return UnitWorld(unit, departments, staff, leader, supervisor, handler, co_handler, inspection, aspect, finding)


def build_world() -> World:
    office = orgs.create_organization(None, name="省委巡视办", kind=Organization.Kind.OFFICE)
    world = World(office=office, inspection_office=person(office, Role.INSPECTION_OFFICE), admin=person(office, Role.ADMIN))
    world.units = [build_unit(office, "省委统战部"), build_unit(office, "省人防办")]
    far_office = orgs.create_organization(None, name="市委巡察办", kind=Organization.Kind.OFFICE)
    world.far = build_unit(far_office, "市政协机关")
    return world


def make_task(unit: UnitWorld, **overrides: object) -> Task:
    values: dict[str, object] = {
        "title": f"制定学习制度并严格执行 {next(_seq)}",
        "category": Task.Category.DEADLINE,
        "deadline": clock.today() + dt.timedelta(days=30),
        "leader": unit.leader,
        "lead_org": unit.departments[0],
        "co_orgs": [unit.departments[1]],
        "handler": unit.dept_handler,
    }
    values.update(overrides)
    return ledger.create_task(unit.office_staff, unit.finding, **values)  # type: ignore[arg-type]


def evidence(name: str = "佐证材料.pdf") -> Upload:
    return Upload(name=name, data=PDF)


def submitted_task(unit: UnitWorld, **overrides: object) -> Task:
    task = make_task(unit, **overrides)
    ledger.report_progress(unit.dept_handler, task, text="已完成", files=[evidence()])
    return ledger.submit_task(unit.dept_handler, task)
