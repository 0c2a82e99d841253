"""Who may call the API: sessions with CSRF, personal tokens; read-only, expired and revoked tokens refused."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client

from rectify import clock
from rectify.api.models import ApiToken
from rectify.api.services import create_token, hash_secret, revoke_token
from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, NotVisible
from tests.api.conftest import BASE, Api, issue
from tests.factories import UserFactory, make_task

# One write of every kind the API offers; each must be refused to a read-only token before it runs.
WRITES = [
    ("post", "/inspections"), ("post", "/inspections/1/findings"), ("post", "/tasks"), ("patch", "/tasks/1"),
    ("post", "/tasks/1/start"), ("post", "/tasks/1/progress"), ("post", "/tasks/1/phased-result"),
    ("post", "/tasks/1/submit"), ("post", "/tasks/1/review"), ("post", "/tasks/1/return"),
    ("post", "/tasks/1/approve"), ("post", "/tasks/1/reopen"), ("post", "/tasks/1/comment"),
    ("post", "/tasks/1/flag"), ("post", "/leads"), ("post", "/leads/1/conclude"), ("post", "/rules"),
    ("post", "/outcomes"), ("post", "/tokens"), ("delete", "/tokens/1"),
]


def test_every_write_of_the_schema_is_in_the_read_only_list():
    from rectify.api.main import api

    paths = api.get_openapi_schema()["paths"]
    writes = {(method, re.sub(r"\{[^}]+\}", "1", path.removeprefix(BASE)))
              for path, item in paths.items() for method in item if method != "get"}
    assert writes == set(WRITES)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_read_only_token_is_refused_on_every_write(db, method, path):
    api = Api(Client(), issue(UserFactory(), scope="read"))
    response = getattr(api.client, method)(BASE + path, "{}", content_type="application/json", headers=api.headers)
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"


def test_read_only_token_reads(world):
    unit = world.units[0]
    task = make_task(unit)
    api = Api(Client(), issue(unit.office_staff, scope="read"))
    assert api.get(f"/tasks/{task.pk}").json()["title"] == task.title


def test_write_token_writes(world):
    unit = world.units[0]
    task = make_task(unit)
    api = Api(Client(), issue(unit.dept_handler, scope="write"))
    assert api.post(f"/tasks/{task.pk}/start").json()["status"] == "in_progress"


def test_expired_token_is_refused(world):
    user = world.units[0].office_staff
    secret = issue(user, days=1)
    api = Api(Client(), secret)
    with clock.frozen(clock.now() + dt.timedelta(days=1, minutes=1)):
        response = api.get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_revoked_token_is_refused(world):
    user = world.units[0].office_staff
    token, secret = create_token(user, name="数据大屏", scope="read", days=30)
    api = Api(Client(), secret)
    assert api.get("/me").status_code == 200
    revoke_token(user, token)
    response = api.get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


@pytest.mark.parametrize("header", ["Bearer rct_not-a-real-token", "Bearer ", "Bearer 令牌"])
def test_unknown_token_is_refused(world, header):
    response = Client().get(f"{BASE}/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] in {"invalid_token", "unauthenticated"}


def test_token_of_a_deactivated_user_is_refused(world):
    user = world.units[0].office_staff
    api = Api(Client(), issue(user))
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert api.get("/me").status_code == 401


def test_anonymous_call_is_401_with_chinese_message(world):
    response = Client().get(f"{BASE}/tasks")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated" and "登录" in body["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_session_reads_without_csrf_but_writes_need_it(world):
    unit = world.units[0]
    task = make_task(unit)
    client = Client(enforce_csrf_checks=True)
    client.force_login(unit.dept_handler)
    assert client.get(f"{BASE}/tasks/{task.pk}").status_code == 200

    url = f"{BASE}/tasks/{task.pk}/comment"
    refused = client.post(url, json.dumps({"text": "请加快"}), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"

    client.get(f"{BASE}/docs")  # the docs page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(url, json.dumps({"text": "请加快"}), content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_me_names_the_credential(world):
    user = world.units[0].leader
    body = Api(Client(), issue(user, scope="read")).get("/me").json()
    assert body["username"] == user.username
    assert body["auth"] == "token" and body["token"]["scope"] == "read"
    assert [m["role"] for m in body["memberships"]] == ["leader"]


def test_only_the_hash_of_the_secret_is_stored(world):
    user = world.units[0].office_staff
    token, secret = create_token(user, name="督查系统", scope="write", days=90)
    assert secret.startswith(token.prefix)
    assert token.token_hash == hash_secret(secret)
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert secret not in json.dumps(stored, default=str)
    events = AuditEvent.objects.filter(action="apitoken.create", object_id=str(token.pk))
    assert events.count() == 1
    assert secret not in json.dumps(events[0].after) and token.token_hash not in json.dumps(events[0].after)


def test_revoking_is_audited_and_final(world):
    user = world.units[0].office_staff
    token, _secret = create_token(user, name="督查系统", scope="write", days=90)
    revoke_token(user, token)
    assert AuditEvent.objects.filter(action="apitoken.revoke", object_id=str(token.pk)).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token(world):
    token, _secret = create_token(world.units[0].office_staff, name="督查系统", scope="write", days=90)
    with pytest.raises(NotVisible):
        revoke_token(world.units[0].leader, token)


def test_a_user_cannot_issue_tokens_for_someone_else(world):
    with pytest.raises(Forbidden):
        create_token(world.units[0].office_staff, user=world.units[0].leader, name="x", scope="read", days=1)


def test_tokens_are_issued_over_a_session_not_with_a_token(world):
    user = world.units[0].office_staff
    with_token = Api(Client(), issue(user)).post("/tokens", {"name": "新令牌", "scope": "read"})
    assert with_token.status_code == 403
    assert with_token.json()["code"] == "session_required"

    client = Client()
    client.force_login(user)
    created = client.post(f"{BASE}/tokens", json.dumps({"name": "新令牌", "scope": "read", "days": 7}),
                          content_type="application/json")
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert Api(Client(), secret).get("/me").json()["token"]["name"] == "新令牌"
    listed = client.get(f"{BASE}/tokens").json()
    assert all("secret" not in row for row in listed)
    assert client.delete(f"{BASE}/tokens/{created.json()['id']}").json()["revoked_at"] is not None
    assert Api(Client(), secret).get("/me").status_code == 401
