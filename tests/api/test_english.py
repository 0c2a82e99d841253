"""API errors in English for a caller who chose English; Chinese for everyone else, token clients included."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.api.conftest import BASE, Api, issue


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """A request in English leaves English active in this thread: give the next test the default back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def api(user, language: str | None = None) -> Api:
    client = Client()
    if language:
        client.cookies["django_language"] = language
    return Api(client, issue(user))


def test_missing_field_in_english(world):
    unit = world.units[0]
    body = api(unit.office_staff, "en").post("/tasks", {"finding": unit.finding.pk}).json()
    assert body["code"] == "invalid" and body["field"] == "title"
    assert body["message"].endswith(" is required") and "缺少必填项" not in body["message"]


def test_missing_field_stays_chinese_by_default(world):
    unit = world.units[0]
    body = api(unit.office_staff).post("/tasks", {"finding": unit.finding.pk}).json()
    assert "缺少必填项" in body["message"] and "required" not in body["message"]


def test_bad_date_in_english(world):
    unit = world.units[0]
    response = api(unit.office_staff, "en").post(
        "/tasks", {"finding": unit.finding.pk, "title": "措施", "deadline": "6月底前"})
    assert response.status_code == 422
    assert "must be a date in the format YYYY-MM-DD" in response.json()["message"]


def test_http_errors_in_english(world, db):
    english = Client()
    english.cookies["django_language"] = "en"
    body = english.get(f"{BASE}/tasks").json()
    assert body == {"code": "unauthenticated", "message": "Log in or provide a valid API token", "field": None}
    assert Client().get(f"{BASE}/tasks").json()["message"] == "请先登录或提供有效的接口令牌"
    unit = world.units[0]
    assert api(unit.office_staff, "en").get("/tasks/999999").json()["message"] == "Record not found"
    assert api(unit.office_staff).get("/tasks/999999").json()["message"] == "未找到该记录"


def test_invalid_token_in_english(db):
    english = Client()
    english.cookies["django_language"] = "en"
    response = english.get(f"{BASE}/tasks", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401 and response.json()["message"] == "Invalid API token"


def test_docs_page_title_follows_the_language(db):
    english = Client()
    english.cookies["django_language"] = "en"
    html = english.get(f"{BASE}/docs").content.decode()
    assert '<html lang="en">' in html and "API documentation</title>" in html
    chinese = Client().get(f"{BASE}/docs").content.decode()
    assert '<html lang="zh-hans">' in chinese and "接口文档</title>" in chinese
