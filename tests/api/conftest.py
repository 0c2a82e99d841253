"""API test helpers: a client that speaks JSON with a bearer token, and tokens for any persona."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.test import Client

from rectify.api.services import create_token

BASE = "/api/v1"
_names = itertools.count(1)


class Api:
    """Django's test client (middleware and all) with the API's base path and a bearer token."""

    def __init__(self, client: Client, secret: str | None = None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def post(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        return self.client.post(BASE + path, json.dumps(payload or {}), content_type="application/json",
                                headers=self.headers)

    def patch(self, path: str, payload: dict[str, Any]) -> Any:
        return self.client.patch(BASE + path, json.dumps(payload), content_type="application/json",
                                 headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(BASE + path, headers=self.headers)

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(BASE + path, data, headers=self.headers)


def issue(user: Any, scope: str = "write", days: int = 90) -> str:
    _token, secret = create_token(user, name=f"测试令牌 {next(_names)}", scope=scope, days=days)
    return secret


@pytest.fixture
def as_user(db):
    """`as_user(user, scope="write")` → an Api client authenticated with a fresh token of that user."""

    def make(user: Any, scope: str = "write") -> Api:
        return Api(Client(), issue(user, scope))

    return make
