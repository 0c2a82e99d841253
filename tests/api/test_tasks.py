"""The ledger over the API: filters, pages, bounded queries, edits with versions, the closure chain."""

from __future__ import annotations

import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rectify import clock
from rectify.ledger import services as ledger
from tests.api.conftest import BASE
from tests.factories import PDF, make_task, submitted_task


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_task_list_pages_with_total_count(world, as_user):
    unit = world.units[0]
    tasks = [make_task(unit) for _ in range(7)]
    api = as_user(unit.office_staff, scope="read")
    last = api.get("/tasks", {"page": 3, "page_size": 3}).json()
    assert (last["count"], last["pages"], len(last["items"])) == (7, 3, 1)
    seen = [i for page in (1, 2, 3) for i in ids(api.get("/tasks", {"page": page, "page_size": 3}))]
    assert sorted(seen) == sorted(t.pk for t in tasks)
    assert api.get("/tasks", {"page": 9, "page_size": 3}).json()["items"] == []


def test_task_list_is_newest_first_or_in_ledger_order(world, as_user):
    unit = world.units[0]
    tasks = [make_task(unit, title=f"措施{i}") for i in range(4)]
    for position, task in zip((3, 1, 0, 2), tasks, strict=True):
        task.position = position
        task.save(update_fields=["position"])
    api = as_user(unit.office_staff, scope="read")
    assert ids(api.get("/tasks")) == sorted((t.pk for t in tasks), reverse=True)
    by_position = sorted(tasks, key=lambda t: t.position)
    assert ids(api.get("/tasks", {"order": "ledger", "inspection": unit.inspection.pk})) == [t.pk for t in by_position]
    assert api.get("/tasks", {"order": "oldest"}).status_code == 422


def test_a_huge_task_list_counts_up_to_a_cap_and_says_so(world, as_user, monkeypatch):
    from rectify.api import tasks as task_api

    unit = world.units[0]
    made = [make_task(unit) for _ in range(5)]
    api = as_user(unit.office_staff, scope="read")
    exact = api.get("/tasks", {"page_size": 2}).json()
    assert (exact["count"], exact["count_capped"], exact["pages"]) == (5, False, 3)
    monkeypatch.setattr(task_api, "TASK_COUNT_CAP", 3)
    capped = api.get("/tasks", {"page_size": 2}).json()
    assert (capped["count"], capped["count_capped"], capped["pages"]) == (3, True, 2)
    # Pages past the counted ones still list what is there.
    beyond = ids(api.get("/tasks", {"page_size": 2, "page": 3}))
    assert beyond == [min(t.pk for t in made)]


def test_task_list_filters_like_the_ledger(world, as_user, today):
    unit = world.units[0]
    late = make_task(unit, title="整治文山会海", deadline=today - dt.timedelta(days=1))
    long_term = make_task(unit, category="long_term", deadline=None, lead_org=unit.departments[2], co_orgs=[])
    started = make_task(unit)
    ledger.start_task(unit.dept_handler, started)
    api = as_user(unit.office_staff, scope="read")
    assert ids(api.get("/tasks", {"overdue": "true"})) == [late.pk]
    assert ids(api.get("/tasks", {"light": "red"})) == [late.pk]
    assert ids(api.get("/tasks", {"category": "long_term"})) == [long_term.pk]
    assert ids(api.get("/tasks", {"status": "in_progress"})) == [started.pk]
    assert ids(api.get("/tasks", {"q": "文山会海"})) == [late.pk]
    assert ids(api.get("/tasks", {"lead_org": unit.departments[2].pk})) == [long_term.pk]
    assert set(ids(api.get("/tasks", {"inspection": unit.inspection.pk}))) == {late.pk, long_term.pk, started.pk}
    assert ids(api.get("/tasks", {"inspection": world.units[1].inspection.pk})) == []


def test_task_list_shows_derived_state(world, as_user, today):
    unit = world.units[0]
    make_task(unit, deadline=today - dt.timedelta(days=3))
    row = as_user(unit.leader, scope="read").get("/tasks").json()["items"][0]
    assert (row["overdue"], row["light"], row["category_label"]) == (True, "red", "限期整改")
    assert [org["name"] for org in row["co_orgs"]] == [unit.departments[1].name]


def test_task_list_query_count_does_not_grow_with_the_page(world):
    unit = world.units[0]
    client = Client()
    client.force_login(unit.office_staff)

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/tasks", {"page_size": 100})
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    for _ in range(5):
        make_task(unit)
    few, shown = count_queries()
    for _ in range(45):
        make_task(unit, co_orgs=[unit.departments[1], unit.departments[2]])
    many, shown_many = count_queries()
    assert (shown, shown_many) == (5, 50)
    assert many == few


def test_create_task_returns_it_with_its_departments(world, as_user, today):
    unit = world.units[0]
    response = as_user(unit.office_staff).post("/tasks", {
        "finding": unit.finding.pk, "title": "建立党组理论学习中心组学习制度", "category": "deadline",
        "deadline": (today + dt.timedelta(days=30)).isoformat(), "lead_org": unit.departments[0].pk,
        "co_orgs": [unit.departments[1].pk], "leader": unit.leader.pk,
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["lead_org"]["id"], [o["id"] for o in body["co_orgs"]]) == (unit.departments[0].pk,
                                                                             [unit.departments[1].pk])
    assert body["leader_name"] == unit.leader.display_name and body["version"] == 1


def test_create_task_refuses_another_units_department(world, as_user, today):
    unit, other = world.units
    response = as_user(unit.office_staff).post("/tasks", {
        "finding": unit.finding.pk, "title": "措施", "deadline": (today + dt.timedelta(days=3)).isoformat(),
        "lead_org": other.departments[0].pk,
    })
    assert response.status_code == 422
    assert response.json()["field"] == "lead_org"


def test_update_with_current_version_bumps_it(world, as_user):
    unit = world.units[0]
    task = make_task(unit)
    response = as_user(unit.office_staff).patch(f"/tasks/{task.pk}", {"version": task.version, "number": "2-1",
                                                                      "co_orgs": []})
    assert response.status_code == 200, response.content
    assert (response.json()["number"], response.json()["version"], response.json()["co_orgs"]) == ("2-1", 2, [])


def test_stale_version_is_a_conflict_not_an_overwrite(world, as_user):
    unit = world.units[0]
    task = make_task(unit)
    first, second = as_user(unit.office_staff), as_user(world.admin)
    seen = first.get(f"/tasks/{task.pk}").json()["version"]
    assert second.patch(f"/tasks/{task.pk}", {"version": seen, "title": "管理员的改写"}).status_code == 200
    response = first.patch(f"/tasks/{task.pk}", {"version": seen, "title": "整改办的改写"})
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("stale_version", "version")
    assert first.get(f"/tasks/{task.pk}").json()["title"] == "管理员的改写"


def test_stale_version_on_an_action_is_a_conflict(world, as_user):
    unit = world.units[0]
    task = make_task(unit)
    api = as_user(unit.dept_handler)
    assert api.post(f"/tasks/{task.pk}/start", {"version": task.version}).status_code == 200
    response = api.upload(f"/tasks/{task.pk}/progress", {"text": "进展", "version": task.version})
    assert response.status_code == 409 and response.json()["code"] == "stale_version"


def test_wrong_step_is_an_invalid_transition(world, as_user):
    unit = world.units[0]
    task = make_task(unit)
    response = as_user(unit.leader).post(f"/tasks/{task.pk}/approve", {"note": "同意"})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_closure_chain_with_several_evidence_files(world, as_user):
    unit = world.units[0]
    task = make_task(unit)
    handler, office, leader = as_user(unit.dept_handler), as_user(unit.office_staff), as_user(unit.leader)
    files = [SimpleUploadedFile(f"佐证{i}.pdf", PDF, content_type="application/pdf") for i in (1, 2, 3)]
    response = handler.upload(f"/tasks/{task.pk}/progress", {"text": "已修订制度并印发", "files": files,
                                                             "reported_on": clock.today().isoformat()})
    assert response.status_code == 201, response.content
    assert sorted(e["original_name"] for e in response.json()["evidence"]) == ["佐证1.pdf", "佐证2.pdf", "佐证3.pdf"]
    assert handler.post(f"/tasks/{task.pk}/submit", {"note": "申请销号"}).json()["status"] == "submitted"
    assert office.post(f"/tasks/{task.pk}/review", {}).json()["status"] == "reviewed"
    assert leader.post(f"/tasks/{task.pk}/approve", {}).json()["status"] == "closed"
    detail = office.get(f"/tasks/{task.pk}").json()
    assert [r["stage"] for r in detail["reviews"]] == ["office", "leader"]
    assert len(detail["progress"][0]["evidence"]) == 3
    assert office.post(f"/tasks/{task.pk}/reopen", {"reason": "回头看发现问题反弹"}).json()["status"] == "reopened"


def test_return_needs_a_reason(world, as_user):
    unit = world.units[0]
    task = submitted_task(unit)
    response = as_user(unit.office_staff).post(f"/tasks/{task.pk}/return", {"reason": "  "})
    assert response.status_code == 422
    assert response.json()["field"] == "reason"


def test_submit_without_evidence_names_what_is_missing(world, as_user):
    unit = world.units[0]
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="推进中")
    response = as_user(unit.dept_handler).post(f"/tasks/{task.pk}/submit", {})
    assert response.status_code == 422
    assert response.json()["field"] == "evidence" and "佐证材料" in response.json()["message"]


def test_progress_with_a_hostile_file_changes_nothing(world, as_user):
    unit = world.units[0]
    task = make_task(unit)
    bomb = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    response = as_user(unit.dept_handler).upload(f"/tasks/{task.pk}/progress", {"text": "进展", "files": [bomb]})
    assert response.status_code == 422 and response.json()["field"] == "file"
    assert task.progress.count() == 0


def test_findings_come_back_as_a_tree(world, as_user):
    unit = world.units[0]
    api = as_user(unit.office_staff)
    child = api.post(f"/inspections/{unit.inspection.pk}/findings",
                     {"title": "理论学习流于形式", "label": "（1）", "parent": unit.finding.pk})
    assert child.status_code == 201 and child.json()["level"] == 3
    tree = api.get(f"/inspections/{unit.inspection.pk}/findings").json()
    assert [n["title"] for n in tree] == [unit.aspect.title]
    assert tree[0]["children"][0]["children"][0]["title"] == "理论学习流于形式"


def test_stats_cover_the_visible_inspections(world, as_user):
    unit = world.units[0]
    make_task(unit)
    body = as_user(unit.supervisor, scope="read").get("/stats").json()
    assert [row["id"] for row in body["items"]] == [unit.inspection.pk]
    assert body["items"][0]["tasks"]["total"] == 1


def test_records_round_trip(world, as_user, today):
    unit = world.units[0]
    api = as_user(unit.office_staff)
    lead = api.post("/leads", {"inspection": unit.inspection.pk, "summary": "反映违规发放津贴",
                               "received_on": today.isoformat(), "kind": "petition"})
    assert lead.status_code == 201 and lead.json()["status"] == "open"
    concluded = api.post(f"/leads/{lead.json()['id']}/conclude", {"result": "已清退"})
    assert concluded.json()["status"] == "concluded"
    again = api.post(f"/leads/{lead.json()['id']}/conclude", {"result": "再次办结"})
    assert again.status_code == 409
    rule = api.post("/rules", {"inspection": unit.inspection.pk, "title": "公务接待管理办法", "action": "revise"})
    assert rule.status_code == 201 and rule.json()["action_label"] == "修订"
    outcome = api.post("/outcomes", {"inspection": unit.inspection.pk, "kind": "funds_recovered",
                                     "what": "追缴违规资金", "value": "12.50", "value_unit": "万元"})
    assert outcome.status_code == 201 and outcome.json()["value"] == "12.50"
    listed = json.loads(api.get("/outcomes", {"inspection": unit.inspection.pk}).content)
    assert listed["count"] == 1
