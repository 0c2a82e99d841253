"""Every role × own unit / other unit × every service: allowed, refused (403) or hidden (404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from rectify import clock
from rectify.errors import Forbidden, NotVisible
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.organizations import services as orgs
from rectify.organizations.models import Role
from tests.factories import PASSWORD, evidence, make_task, submitted_task

PERSONAS = ["inspection_office", "admin", "office_staff", "leader", "supervisor", "dept_handler", "co_handler", "other_dept"]


def persona(world: Any, unit: Any, name: str) -> Any:
    if name in {"inspection_office", "admin"}:
        return getattr(world, name)
    if name == "other_dept":
        return orgs.grant_role(None, user=unit.supervisor.__class__.objects.create(username=f"d3-{unit.org.pk}"),
                               organization=unit.departments[2], role=Role.DEPARTMENT).user
    return getattr(unit, name)


def closed_task(unit: Any) -> Any:
    task = submitted_task(unit)
    ledger.review_task(unit.office_staff, task)
    return ledger.approve_task(unit.leader, task)


def reviewed_task(unit: Any) -> Any:
    return ledger.review_task(unit.office_staff, submitted_task(unit))


def progressed_task(unit: Any) -> Any:
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="完成", files=[evidence()])
    return task


# service name → (prepare(unit) -> object, call(actor, object, unit), personas allowed on their own unit)
SERVICES: dict[str, tuple[Callable[[Any], Any], Callable[[Any, Any, Any], Any], set[str]]] = {
    "create_inspection": (lambda u: u.org, lambda a, o, u: inspections.create_inspection(a, target=o, title="专项巡察"),
                          {"inspection_office", "admin", "office_staff"}),
    "add_finding": (lambda u: u.inspection, lambda a, o, u: inspections.add_finding(a, o, title="新问题"),
                    {"admin", "office_staff"}),
    "create_task": (lambda u: u.finding, lambda a, o, u: ledger.create_task(
        a, o, title="新措施", deadline=clock.today() + dt.timedelta(days=10)), {"admin", "office_staff"}),
    "update_task": (make_task, lambda a, o, u: ledger.update_task(a, o, title="改写的措施"), {"admin", "office_staff"}),
    "start_task": (make_task, lambda a, o, u: ledger.start_task(a, o), {"office_staff", "dept_handler", "co_handler"}),
    "report_progress": (make_task, lambda a, o, u: ledger.report_progress(a, o, text="进展"),
                        {"office_staff", "dept_handler", "co_handler"}),
    "submit_task": (progressed_task, lambda a, o, u: ledger.submit_task(a, o), {"office_staff", "dept_handler"}),
    "review_task": (submitted_task, lambda a, o, u: ledger.review_task(a, o), {"office_staff"}),
    "return_task": (submitted_task, lambda a, o, u: ledger.return_task(a, o, reason="不全"), {"office_staff"}),
    "approve_task": (reviewed_task, lambda a, o, u: ledger.approve_task(a, o), {"leader"}),
    "comment_task": (make_task, lambda a, o, u: ledger.comment_task(a, o, text="请加快进度"),
                     {"inspection_office", "admin", "office_staff", "leader", "supervisor", "dept_handler", "co_handler"}),
    "flag_task": (make_task, lambda a, o, u: ledger.flag_task(a, o, text="佐证材料与实际不符"),
                  {"inspection_office", "supervisor"}),
    "schedule_look_back": (closed_task, lambda a, o, u: ledger.schedule_look_back(a, o, scheduled_on=clock.today()),
                           {"inspection_office", "office_staff", "supervisor"}),
    "create_rule_change": (lambda u: u.inspection, lambda a, o, u: ledger.create_rule_change(a, o, title="新制度"),
                           {"admin", "office_staff"}),
    "create_lead": (lambda u: u.inspection, lambda a, o, u: ledger.create_lead(
        a, o, summary="线索", received_on=clock.today()), {"admin", "office_staff"}),
    "record_outcome": (lambda u: u.inspection, lambda a, o, u: ledger.record_outcome(
        a, o, kind="accountability", what="问责", value=2, value_unit="人"), {"admin", "office_staff"}),
    "hand_over": (make_task, lambda a, o, u: ledger.hand_over(
        a, unit=u.org, role="leader", from_user=u.leader, to_user=u.supervisor, from_password=PASSWORD,
        to_password=PASSWORD), {"admin", "office_staff"}),
}

# Department personas cannot see tasks they take no part in, nor records of the unit they only read.
TASK_SERVICES = {"update_task", "start_task", "report_progress", "submit_task", "review_task", "return_task",
                 "approve_task", "comment_task", "flag_task", "schedule_look_back", "hand_over"}


def expected_on_own_unit(service: str, who: str) -> str:
    if who in SERVICES[service][2]:
        return "ok"
    if who == "other_dept" and service in TASK_SERVICES - {"hand_over"}:
        return "hidden"
    return "forbidden"


def outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except NotVisible:
        return "hidden"
    except Forbidden:
        return "forbidden"
    return "ok"


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_scoping_matrix(shared_world, db, service, who):
    world = shared_world
    prepare, call, _allowed = SERVICES[service]
    own = world.units[0]
    actor = persona(world, own, who)
    target = prepare(own)
    assert outcome(lambda: call(actor, target, own)) == expected_on_own_unit(service, who)

    # Another unit's object is never reachable: hidden (404), whatever the role.
    stranger = world.far if who in {"inspection_office", "admin"} else world.units[1]
    foreign = prepare(stranger)
    assert outcome(lambda: call(actor, foreign, stranger)) == "hidden"
