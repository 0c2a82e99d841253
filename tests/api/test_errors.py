"""Errors are JSON `{code, message, field}` with a Chinese message naming the field; bad input is never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import BASE
from tests.factories import make_task, submitted_task


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "field"}
    return body


def test_missing_field_names_it_in_chinese(world, as_user):
    unit = world.units[0]
    body = error(as_user(unit.office_staff).post("/tasks", {"finding": unit.finding.pk}), 422)
    assert body["field"] == "title" and "整改措施" in body["message"]


@pytest.mark.parametrize(("payload", "field", "words"), [
    ({"deadline": "6月底前"}, "deadline", "日期"),
    ({"category": "urgent"}, "category", "可选"),
    ({"number": "x" * 33}, "number", "32"),
    ({"title": "措施\x00"}, "title", "控制字符"),
    ({"deadline": "9999-12-31"}, "deadline", "日期范围"),
    ({"lead_org": 2**70}, "lead_org", "不能大于"),
    ({"co_orgs": ["干部处"]}, "co_orgs", "整数"),
])
def test_bad_task_input_is_422_naming_the_field(world, as_user, payload, field, words):
    unit = world.units[0]
    body = error(as_user(unit.office_staff).post("/tasks", {"finding": unit.finding.pk, "title": "措施",
                                                            **payload}), 422)
    assert body["field"] == field and words in body["message"]


def test_service_rule_violation_is_422_with_its_field(world, as_user):
    unit = world.units[0]
    body = error(as_user(unit.office_staff).post("/tasks", {"finding": unit.finding.pk, "title": "措施",
                                                            "category": "deadline"}), 422)
    assert body["field"] == "deadline" and "完成时限" in body["message"]


def test_body_that_is_not_json_is_refused_in_chinese(world, as_user):
    api = as_user(world.units[0].office_staff)
    response = api.client.post(f"{BASE}/tasks", "{not json", content_type="application/json", headers=api.headers)
    assert response.status_code in {400, 422}
    assert response.json()["code"] in {"bad_request", "invalid"}


def test_oversized_path_id_is_422_not_a_crash(world, as_user):
    body = error(as_user(world.units[0].office_staff).get(f"/tasks/{2**64}"), 422)
    assert body["field"] == "task_id"


def test_bad_query_filter_is_422(world, as_user):
    body = error(as_user(world.units[0].office_staff).get("/tasks", {"status": "done"}), 422)
    assert body["field"] == "status" and "可选" in body["message"]


def test_forbidden_carries_the_services_message(world, as_user):
    unit = world.units[0]
    task = make_task(unit)
    body = error(as_user(unit.supervisor).post(f"/tasks/{task.pk}/start"), 403)
    assert body["code"] == "forbidden" and "责任单位" in body["message"]


def test_not_found_is_json(world, as_user):
    body = error(as_user(world.units[0].office_staff).get("/tasks/987654"), 404)
    assert body == {"code": "not_found", "message": "未找到该记录", "field": None}


def test_unauthenticated_is_json(db):
    assert error(Client().post(f"{BASE}/tasks", "{}", content_type="application/json"), 401)["code"] == \
        "unauthenticated"


def test_write_refused_by_a_database_constraint_is_a_conflict_not_a_500(world, as_user):
    # A submitted task cannot become long-term (the table's check constraint); the service does not check it.
    unit = world.units[0]
    task = submitted_task(unit)
    response = as_user(unit.office_staff).patch(f"/tasks/{task.pk}", {"version": task.version,
                                                                      "category": "long_term"})
    assert response.status_code in {409, 422}
    assert set(response.json()) == {"code", "message", "field"}
