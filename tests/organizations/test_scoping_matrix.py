"""Every role × own unit / other unit × every service: allowed, refused (403) or hidden (404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from rectify import clock
from rectify.errors import Forbidden, NotVisible, ValidationFailed
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.organizations import services as orgs
from rectify.organizations.models import Role
from rectify.rules import permissions
from tests.factories import PASSWORD, evidence, make_task, person, submitted_task

PERSONAS = ["inspection_office", "admin", "office_staff", "leader", "other_leader", "supervisor", "dept_handler",
            "co_handler", "other_dept"]


def persona(world: Any, unit: Any, name: str) -> Any:
    if name in {"inspection_office", "admin"}:
        return getattr(world, name)
    if name == "other_dept":
        return orgs.grant_role(None, user=unit.supervisor.__class__.objects.create(username=f"d3-{unit.org.pk}"),
                               organization=unit.departments[2], role=Role.DEPARTMENT).user
    if name == "other_leader":
        # A leader of the unit who is neither the task's responsible leader nor the 第一责任人.
        return person(unit.org, Role.LEADER)
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
                     {"inspection_office", "admin", "office_staff", "leader", "other_leader", "supervisor",
                      "dept_handler", "co_handler"}),
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


# --- who approves and who reviews a closure (销号) -------------------------------------------------


def test_responsible_leader_approves_closure_though_not_principal(shared_world, db):
    unit = shared_world.units[0]
    deputy = person(unit.org, Role.LEADER)
    task = reviewed_task_of(unit, leader=deputy)
    assert ledger.approve_task(deputy, task).status == "closed"


def test_principal_approves_closure_of_another_leaders_task(shared_world, db):
    unit = shared_world.units[0]
    task = reviewed_task_of(unit, leader=person(unit.org, Role.LEADER))
    assert ledger.approve_task(unit.leader, task).status == "closed"  # unit.leader is the 第一责任人


def test_other_leader_neither_approves_nor_returns_closure(shared_world, db):
    unit = shared_world.units[0]
    bystander = person(unit.org, Role.LEADER)
    task = reviewed_task_of(unit)
    with pytest.raises(Forbidden, match="责任领导或第一责任人"):
        ledger.approve_task(bystander, task)
    with pytest.raises(Forbidden, match="责任领导或第一责任人"):
        ledger.return_task(bystander, task, reason="不同意")
    task.refresh_from_db()
    assert task.status == "reviewed"


def test_office_does_not_review_its_own_submission(shared_world, db):
    unit = shared_world.units[0]
    task = make_task(unit)
    ledger.report_progress(unit.office_staff, task, text="已完成", files=[evidence()])
    ledger.submit_task(unit.office_staff, task)
    with pytest.raises(Forbidden, match="本人提出的销号申请"):
        ledger.review_task(unit.office_staff, task)
    with pytest.raises(Forbidden, match="本人提出的销号申请"):
        ledger.return_task(unit.office_staff, task, reason="补充材料")
    colleague = person(unit.org, Role.RECTIFICATION_OFFICE)
    assert ledger.review_task(colleague, task).status == "reviewed"


def test_office_reviews_a_resubmission_by_the_department(shared_world, db):
    # The office returned its own request once; the department asking again is reviewable by it.
    unit = shared_world.units[0]
    task = make_task(unit)
    ledger.report_progress(unit.office_staff, task, text="已完成", files=[evidence()])
    ledger.submit_task(unit.office_staff, task)
    ledger.return_task(person(unit.org, Role.RECTIFICATION_OFFICE), task, reason="补充材料")
    ledger.submit_task(unit.dept_handler, task)
    assert ledger.review_task(unit.office_staff, task).status == "reviewed"


def reviewed_task_of(unit: Any, **overrides: Any) -> Any:
    return ledger.review_task(unit.office_staff, submitted_task(unit, **overrides))


def login(client: Any, user: Any) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def test_task_page_offers_approval_only_to_the_responsible_leader(shared_world, db, client):
    unit = shared_world.units[0]
    task = reviewed_task_of(unit)
    login(client, person(unit.org, Role.LEADER))
    assert "同意销号" not in client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    login(client, unit.leader)
    assert "同意销号" in client.get(reverse("ledger:task", args=[task.pk])).content.decode()


def test_task_page_does_not_offer_review_to_the_submitter(shared_world, db, client):
    unit = shared_world.units[0]
    task = make_task(unit)
    ledger.report_progress(unit.office_staff, task, text="已完成", files=[evidence()])
    ledger.submit_task(unit.office_staff, task)
    login(client, unit.office_staff)
    assert "审核通过" not in client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert task.title not in client.get(reverse("ledger:approvals")).content.decode()
    assert client.post(reverse("ledger:task_action", args=[task.pk, "review"])).status_code == 403
    login(client, person(unit.org, Role.RECTIFICATION_OFFICE))
    assert "审核通过" in client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert task.title in client.get(reverse("ledger:approvals")).content.decode()


def test_leader_lands_on_approvals_and_sees_only_closures_they_approve(shared_world, db, client):
    unit = shared_world.units[0]
    deputy = person(unit.org, Role.LEADER)
    theirs, others = reviewed_task_of(unit, leader=deputy), reviewed_task_of(unit)
    login(client, deputy)
    assert client.get(reverse("ledger:home")).url == reverse("ledger:approvals")
    page = client.get(reverse("ledger:approvals")).content.decode()
    assert theirs.title in page and others.title not in page
    # The 第一责任人 approves every closure of the unit; with 只看我的 only their own tasks.
    login(client, unit.leader)
    page = client.get(reverse("ledger:approvals")).content.decode()
    assert theirs.title in page and others.title in page
    page = client.get(reverse("ledger:approvals"), {"mine": "1"}).content.decode()
    assert theirs.title not in page and others.title in page


def test_my_tasks_shows_a_leaders_own_tasks(shared_world, db, client):
    unit = shared_world.units[0]
    deputy = person(unit.org, Role.LEADER)
    theirs, others = make_task(unit, leader=deputy), make_task(unit)
    login(client, deputy)
    page = client.get(reverse("ledger:my_tasks")).content.decode()
    assert theirs.title in page and others.title not in page
    assert "我的任务" in page


def test_permission_roles_are_the_membership_roles():
    assert permissions.ROLES == set(Role.values)


@pytest.mark.parametrize(("status", "category", "expected"), [
    ("not_started", "deadline", {"start", "progress", "extend"}),
    ("in_progress", "deadline", {"progress", "submit", "extend"}),
    ("in_progress", "long_term", {"progress", "phased"}),
    ("submitted", "deadline", {"withdraw", "extend"}),
    ("reviewed", "deadline", {"extend"}),
    ("closed", "deadline", set()),
    ("recheck", "deadline", set()),
])
def test_allowed_actions_follow_the_life_cycle_for_the_lead_department(status, category, expected):
    facts = permissions.TaskFacts(roles=frozenset({"department"}), status=status, category=category, leads=True)
    assert permissions.allowed_actions(facts) == expected | {"comment"}


# --- handlers (经办人) belong to the unit ----------------------------------------------------------


@pytest.mark.parametrize("whose", ["other_unit", "far_unit"])
def test_task_handler_of_another_unit_is_refused(shared_world, db, whose):
    unit = shared_world.units[0]
    stranger = (shared_world.units[1] if whose == "other_unit" else shared_world.far).dept_handler
    with pytest.raises(ValidationFailed, match="「经办人」不是本单位的人员") as refused:
        make_task(unit, handler=stranger)
    assert refused.value.field == "handler"
    task = make_task(unit)
    with pytest.raises(ValidationFailed, match="「经办人」不是本单位的人员"):
        ledger.update_task(unit.office_staff, task, handler=stranger)
    task.refresh_from_db()
    assert task.handler == unit.dept_handler


def test_hand_over_to_someone_of_another_unit_is_refused(shared_world, db):
    unit = shared_world.units[0]
    make_task(unit)
    stranger = shared_world.units[1].dept_handler
    with pytest.raises(ValidationFailed, match=f"{stranger.display_name} 不是本单位人员") as refused:
        ledger.hand_over(unit.office_staff, unit=unit.org, role="handler", from_user=unit.dept_handler,
                         to_user=stranger, from_password=PASSWORD, to_password=PASSWORD)
    assert refused.value.field == "to_user"


# --- pages: out of scope is Django's 404, in scope without the role Django's 403 --------------------


def test_not_visible_is_a_404_and_forbidden_a_403():
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    assert issubclass(NotVisible, Http404) and issubclass(Forbidden, PermissionDenied)


EXPORT_STATUS = {"office_staff": 200, "leader": 200, "supervisor": 200, "dept_handler": 403, "co_handler": 403}
IMPORT_STATUS = {"office_staff": 200, "leader": 403, "supervisor": 403, "dept_handler": 403, "co_handler": 403}


@pytest.mark.parametrize("who", sorted(EXPORT_STATUS))
def test_ledger_export_and_import_pages_by_role_and_unit(shared_world, db, client, who):
    own, other = shared_world.units
    client.force_login(getattr(own, who))
    for name, expected in (("spreadsheets:export_ledger", EXPORT_STATUS), ("spreadsheets:import_ledger", IMPORT_STATUS)):
        assert client.get(reverse(name, args=[own.inspection.pk])).status_code == expected[who], name
        assert client.get(reverse(name, args=[other.inspection.pk])).status_code == 404, name


@pytest.mark.parametrize(("who", "offered", "not_offered"), [
    ("leader", {"ledger:approvals", "ledger:my_tasks"}, {"reports:inbox", "supervision:common_problems"}),
    ("office_staff", {"ledger:approvals", "reports:inbox"}, {"ledger:my_tasks", "supervision:common_problems"}),
    ("dept_handler", {"ledger:my_tasks"}, {"ledger:approvals", "reports:inbox"}),
    ("supervisor", set(), {"ledger:approvals", "reports:inbox", "ledger:my_tasks"}),
])
def test_navigation_offers_only_pages_the_role_may_open(shared_world, db, client, who, offered, not_offered):
    client.force_login(getattr(shared_world.units[0], who))
    page = client.get(reverse("ledger:search")).content.decode()
    for name in offered:
        assert f'href="{reverse(name)}"' in page, name
    for name in not_offered:
        assert f'href="{reverse(name)}"' not in page, name
