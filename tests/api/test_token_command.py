"""`rectify token create USERNAME --name N --scope read|write --days 90` prints the secret once."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from rectify.api.models import ApiToken
from tests.api.conftest import Api


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_created_token_works_and_only_its_hash_is_kept(world):
    user = world.units[0].office_staff
    secret, note = run("create", user.username, "--name", "督查平台", "--scope", "write", "--days", "90")
    assert "只显示这一次" in note
    assert not ApiToken.objects.filter(token_hash=secret).exists()
    api = Api(Client(), secret)
    assert api.get("/me").json()["token"]["scope"] == "write"


def test_json_output_and_revoke(world):
    user = world.units[0].leader
    created = json.loads(run("create", user.username, "--name", "大屏", "--json")[0])
    assert created["scope"] == "read"
    run("revoke", str(created["id"]))
    assert Api(Client(), created["secret"]).get("/me").status_code == 401


def test_unknown_user_fails(db):
    with pytest.raises(CommandError):
        run("create", "nobody", "--name", "x")


def test_bad_days_fail_with_a_message(world):
    with pytest.raises(CommandError, match="有效天数"):
        run("create", world.units[0].leader.username, "--name", "x", "--days", "0")
