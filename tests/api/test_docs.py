"""OpenAPI schema and interactive docs, served with the app's own assets (no CDN on an air-gapped intranet)."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client

from tests.api.conftest import BASE


def test_openapi_schema_describes_the_api(db):
    response = Client().get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert (schema["info"]["title"], schema["info"]["version"]) == ("整改台账 API", "1")
    schemes = schema["components"]["securitySchemes"]
    assert {s.get("scheme") for s in schemes.values()} >= {"bearer"}
    assert "/api/v1/tasks/{task_id}/progress" in schema["paths"]
    progress = schema["paths"]["/api/v1/tasks/{task_id}/progress"]["post"]
    assert "multipart/form-data" in progress["requestBody"]["content"]


def test_docs_page_loads_nothing_from_another_host(db):
    response = Client().get(f"{BASE}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"(?:https?:)?//[\w.-]+", html) == []
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/static/") for url in assets)
    for url in assets:
        assert finders.find(url.removeprefix("/static/")), url


def test_docs_do_not_send_the_schema_to_the_public_validator(db):
    html = Client().get(f"{BASE}/docs").content.decode()
    assert '"validatorUrl": null' in html


def test_vendored_swagger_ui_is_the_real_bundle():
    bundle = finders.find("api/swagger/swagger-ui-bundle.js")
    assert bundle is not None
    with open(bundle, encoding="utf-8") as handle:
        head = handle.read(4096)
    assert "SwaggerUIBundle" in head
