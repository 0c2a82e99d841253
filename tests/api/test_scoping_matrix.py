"""Every persona × every API endpoint × own unit / other unit: the status the services decide.

Writes: allowed → 200/201, in scope without the role → 403, out of scope → 404 (existence stays hidden).
Reads: a visible object is returned or listed; another unit's object is 404 or simply not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from rectify import clock
from rectify.ledger import services as ledger
from rectify.organizations.models import Role
from tests.api.conftest import Api
from tests.factories import PDF, evidence, make_task, person, submitted_task

PERSONAS = ["inspection_office", "admin", "office_staff", "leader", "supervisor", "dept_handler", "co_handler",
            "other_dept"]
UNIT_ROLES = {"inspection_office", "admin", "office_staff", "leader", "supervisor"}
TASK_PARTIES = UNIT_ROLES | {"dept_handler", "co_handler"}
EVERYONE = set(PERSONAS)


def persona(world: Any, unit: Any, name: str) -> Any:
    if name in {"inspection_office", "admin"}:
        return getattr(world, name)
    if name == "other_dept":
        return person(unit.departments[2], Role.DEPARTMENT)
    return getattr(unit, name)


def closed_task(unit: Any) -> Any:
    task = ledger.review_task(unit.office_staff, submitted_task(unit))
    return ledger.approve_task(unit.leader, task)


def progressed_task(unit: Any) -> Any:
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="完成", files=[evidence()])
    return task


def task_with_evidence(unit: Any) -> Any:
    return progressed_task(unit).evidence.get()


def lead(unit: Any) -> Any:
    # Handled by the lead department: its handler sees the lead, other departments do not.
    return ledger.create_lead(unit.office_staff, unit.inspection, summary="反映某处长违规收受礼金",
                              received_on=clock.today(), handler_org=unit.departments[0])


def rule(unit: Any) -> Any:
    return ledger.create_rule_change(unit.office_staff, unit.inspection, title="理论学习中心组学习制度")


def outcome(unit: Any) -> Any:
    return ledger.record_outcome(unit.office_staff, unit.inspection, kind="accountability", what="问责",
                                 value=2, value_unit="人")


def upload() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"text": "已完成制度修订", "files": [SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf")]}


def soon() -> str:
    return (clock.today() + dt.timedelta(days=10)).isoformat()


Call = Callable[[Api, Any, Any], Any]

# endpoint → (prepare(unit) -> object, call(api, object, unit), personas allowed on their own unit, success status)
WRITES: dict[str, tuple[Callable[[Any], Any], Call, set[str], int]] = {
    "create_inspection": (lambda u: u.org, lambda a, o, u: a.post("/inspections", {"target": o.pk, "title": "专项巡察"}),
                          {"inspection_office", "admin", "office_staff"}, 201),
    "add_finding": (lambda u: u.inspection,
                    lambda a, o, u: a.post(f"/inspections/{o.pk}/findings", {"title": "新问题"}),
                    {"admin", "office_staff"}, 201),
    "create_task": (lambda u: u.finding, lambda a, o, u: a.post("/tasks", {"finding": o.pk, "title": "新措施",
                                                                           "deadline": soon()}),
                    {"admin", "office_staff"}, 201),
    "update_task": (make_task, lambda a, o, u: a.patch(f"/tasks/{o.pk}", {"version": o.version, "title": "改写"}),
                    {"admin", "office_staff"}, 200),
    "start": (make_task, lambda a, o, u: a.post(f"/tasks/{o.pk}/start"),
              {"office_staff", "dept_handler", "co_handler"}, 200),
    "progress": (make_task, lambda a, o, u: a.upload(f"/tasks/{o.pk}/progress", upload()),
                 {"office_staff", "dept_handler", "co_handler"}, 201),
    "phased_result": (lambda u: make_task(u, category="long_term", deadline=None),
                      lambda a, o, u: a.upload(f"/tasks/{o.pk}/phased-result", upload()),
                      {"office_staff", "dept_handler", "co_handler"}, 201),
    "submit": (progressed_task, lambda a, o, u: a.post(f"/tasks/{o.pk}/submit"), {"office_staff", "dept_handler"}, 200),
    "review": (submitted_task, lambda a, o, u: a.post(f"/tasks/{o.pk}/review"), {"office_staff"}, 200),
    "return": (submitted_task, lambda a, o, u: a.post(f"/tasks/{o.pk}/return", {"reason": "佐证不全"}),
               {"office_staff"}, 200),
    "approve": (lambda u: ledger.review_task(u.office_staff, submitted_task(u)),
                lambda a, o, u: a.post(f"/tasks/{o.pk}/approve"), {"leader"}, 200),
    "reopen": (closed_task, lambda a, o, u: a.post(f"/tasks/{o.pk}/reopen", {"reason": "问题反弹"}),
               {"inspection_office", "office_staff", "supervisor"}, 200),
    "comment": (make_task, lambda a, o, u: a.post(f"/tasks/{o.pk}/comment", {"text": "请加快进度"}),
                TASK_PARTIES, 201),
    "flag": (make_task, lambda a, o, u: a.post(f"/tasks/{o.pk}/flag", {"text": "佐证材料与实际不符"}),
             {"inspection_office", "supervisor"}, 201),
    "create_lead": (lambda u: u.inspection, lambda a, o, u: a.post("/leads", {
        "inspection": o.pk, "summary": "线索", "received_on": clock.today().isoformat()}), {"admin", "office_staff"}, 201),
    "conclude_lead": (lead, lambda a, o, u: a.post(f"/leads/{o.pk}/conclude", {"result": "已核实处理"}),
                      {"admin", "office_staff"}, 200),
    "create_rule": (lambda u: u.inspection, lambda a, o, u: a.post("/rules", {"inspection": o.pk, "title": "新制度"}),
                    {"admin", "office_staff"}, 201),
    "record_outcome": (lambda u: u.inspection, lambda a, o, u: a.post("/outcomes", {
        "inspection": o.pk, "kind": "accountability", "what": "问责", "value": "2", "value_unit": "人"}),
                       {"admin", "office_staff"}, 201),
}

# A department sees only the tasks it takes part in: other tasks are hidden from it, not forbidden.
TASK_WRITES = {"update_task", "start", "progress", "phased_result", "submit", "review", "return", "approve",
               "reopen", "comment", "flag"}

# endpoint → (prepare(unit) -> object, call(api, object), personas that see it on their own unit)
READS: dict[str, tuple[Callable[[Any], Any], Callable[[Api, Any], Any], set[str]]] = {
    "get_inspection": (lambda u: u.inspection, lambda a, o: a.get(f"/inspections/{o.pk}"), EVERYONE),
    "finding_tree": (lambda u: u.inspection, lambda a, o: a.get(f"/inspections/{o.pk}/findings"), EVERYONE),
    "get_task": (make_task, lambda a, o: a.get(f"/tasks/{o.pk}"), TASK_PARTIES),
    "download_evidence": (task_with_evidence, lambda a, o: a.get(f"/evidence/{o.pk}/download"), TASK_PARTIES),
}

# endpoint → (prepare(unit) -> object, list path, personas that find it listed on their own unit)
LISTS: dict[str, tuple[Callable[[Any], Any], str, set[str]]] = {
    "list_inspections": (lambda u: u.inspection, "/inspections", EVERYONE),
    "list_tasks": (make_task, "/tasks", TASK_PARTIES),
    "list_leads": (lead, "/leads", UNIT_ROLES | {"dept_handler"}),
    "list_rules": (rule, "/rules", EVERYONE),
    "list_outcomes": (outcome, "/outcomes", EVERYONE),
    "stats": (lambda u: u.inspection, "/stats", EVERYONE),
}


def stranger_of(world: Any, who: str) -> Any:
    # Office-level personas reach every unit under their office: their "other unit" is under another office.
    return world.far if who in {"inspection_office", "admin"} else world.units[1]


def expected_write(endpoint: str, who: str) -> int:
    allowed, ok = WRITES[endpoint][2], WRITES[endpoint][3]
    if who in allowed:
        return ok
    if who == "other_dept" and endpoint in TASK_WRITES:
        return 404
    if endpoint == "conclude_lead" and who in {"co_handler", "other_dept"}:
        return 404  # leads are hidden from departments that do not handle them
    return 403


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("endpoint", sorted(WRITES))
def test_write_matrix(world, as_user, endpoint, who):
    prepare, call, _allowed, _ok = WRITES[endpoint]
    own = world.units[0]
    api = as_user(persona(world, own, who))
    response = call(api, prepare(own), own)
    assert response.status_code == expected_write(endpoint, who), response.content.decode()
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "field"}

    stranger = stranger_of(world, who)
    foreign = call(api, prepare(stranger), stranger)
    assert foreign.status_code == 404, foreign.content.decode()
    assert foreign.json()["code"] == "not_found"


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("endpoint", sorted(READS))
def test_read_matrix(world, as_user, endpoint, who):
    prepare, call, seen_by = READS[endpoint]
    own = world.units[0]
    api = as_user(persona(world, own, who), scope="read")
    assert call(api, prepare(own)).status_code == (200 if who in seen_by else 404)
    assert call(api, prepare(stranger_of(world, who))).status_code == 404


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_list_matrix(world, as_user, endpoint, who):
    prepare, path, seen_by = LISTS[endpoint]
    own = world.units[0]
    mine, foreign = prepare(own), prepare(stranger_of(world, who))
    response = as_user(persona(world, own, who), scope="read").get(path, {"page_size": 200})
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert (mine.pk in ids) == (who in seen_by)
    assert foreign.pk not in ids


def test_task_detail_lists_the_steps_the_caller_may_take(world, as_user):
    unit = world.units[0]
    task = ledger.review_task(unit.office_staff, submitted_task(unit))
    leader = as_user(unit.leader, scope="read").get(f"/tasks/{task.pk}").json()
    assert {"approve", "return", "comment"} <= set(leader["allowed_actions"])
    assert "review" not in leader["allowed_actions"]
    bystander = as_user(person(unit.org, Role.LEADER), scope="read").get(f"/tasks/{task.pk}").json()
    assert "approve" not in bystander["allowed_actions"] and "comment" in bystander["allowed_actions"]
    handler = as_user(unit.dept_handler, scope="read").get(f"/tasks/{task.pk}").json()
    # Waiting for the leader, the department may still comment and ask for more time, nothing else.
    assert handler["allowed_actions"] == ["comment", "extend"]


def test_other_leader_cannot_approve_through_the_api(world, as_user):
    unit = world.units[0]
    task = ledger.review_task(unit.office_staff, submitted_task(unit))
    response = as_user(person(unit.org, Role.LEADER)).post(f"/tasks/{task.pk}/approve")
    assert response.status_code == 403
    assert "责任领导或第一责任人" in response.json()["message"]


@pytest.mark.parametrize("whose", ["other_unit", "far_unit", "no_unit"])
def test_handler_must_belong_to_the_unit(world, as_user, whose):
    unit = world.units[0]
    stranger = {"other_unit": lambda: world.units[1].dept_handler, "far_unit": lambda: world.far.office_staff,
                "no_unit": lambda: person(world.office, Role.INSPECTION_OFFICE)}[whose]()
    api = as_user(unit.office_staff)
    created = api.post("/tasks", {"finding": unit.finding.pk, "title": "新措施", "deadline": soon(),
                                  "handler": stranger.pk})
    assert created.status_code == 422, created.content.decode()
    assert created.json()["field"] == "handler" and "经办人" in created.json()["message"]
    task = make_task(unit)
    updated = api.patch(f"/tasks/{task.pk}", {"version": task.version, "handler": stranger.pk})
    assert updated.status_code == 422 and updated.json()["field"] == "handler"
    task.refresh_from_db()
    assert task.handler == unit.dept_handler


def test_handler_of_the_unit_is_accepted(world, as_user):
    unit = world.units[0]
    response = as_user(unit.office_staff).post("/tasks", {"finding": unit.finding.pk, "title": "新措施",
                                                          "deadline": soon(), "handler": unit.co_handler.pk})
    assert response.status_code == 201 and response.json()["handler_id"] == unit.co_handler.pk
