"""Production settings: `rectify check --deploy` is clean, and the pages carry the security headers."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.security.conftest import REPO, SETUP, subprocess_env

PRODUCTION = {"RECTIFY_HTTPS": "true", "DEBUG": "false", "ALLOWED_HOSTS": "zhenggai.example.gov.cn"}

# Runs inside a production-configured process: one request through the whole middleware stack.
PROBE = SETUP + """
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="zhenggai.example.gov.cn")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
cookie = secure.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "status": secure.status_code, "headers": dict(secure.headers),
    "csrf_cookie": {"secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"])} if cookie else None,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE, "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    return subprocess_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(64), **{**PRODUCTION, **overrides})


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rectify", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=300, cwd=REPO)


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_fails_without_https(tmp_path):
    # The check above can fail: the same deployment without RECTIFY_HTTPS gets the HTTPS warnings.
    result = check_deploy(production_env(tmp_path, RECTIFY_HTTPS="false"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W012" in result.stderr


@pytest.fixture(scope="module")
def probe(tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("production")
    env = production_env(home)
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(probe):
    assert probe["plain_status"] == 301
    assert probe["plain_location"].startswith("https://zhenggai.example.gov.cn/")


def test_https_pages_send_hsts_and_the_security_headers(probe):
    headers = {k.lower(): v for k, v in probe["headers"].items()}
    assert probe["status"] == 200
    assert "max-age=31536000" in headers["strict-transport-security"]
    assert "includeSubDomains" in headers["strict-transport-security"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_cookies_are_https_only_and_hidden_from_scripts(probe):
    assert probe["csrf_cookie"] == {"secure": True, "httponly": True}
    assert probe["session_cookie_secure"] is True and probe["session_cookie_httponly"] is True


def test_every_page_sends_the_headers_in_the_default_setup(client, unit):
    client.force_login(unit.office_staff)
    for url in (reverse("login"), reverse("inspections:list"), reverse("ledger:ledger", args=[unit.inspection.pk])):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "default-src 'self'" in response["Content-Security-Policy"]


def test_posts_without_csrf_token_are_refused(unit):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(unit.dept_handler)
    response = strict.post(reverse("password_change"), {"old_password": "x"})
    assert response.status_code == 403
    login = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a", "password": "b"})
    assert login.status_code == 403
