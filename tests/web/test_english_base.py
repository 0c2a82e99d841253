"""The page header's language switch: Chinese by default, English on request, and back; it works on the
pages a user is held on (forced password change, second factor) and needs no script."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rectify import clock
from rectify.totp.models import TotpDevice
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> object:
    """A request in English leaves English active in this thread: later tests expect the default."""
    yield
    translation.deactivate()


def switch(client: Client, language: str, next_url: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def language_form(html: str) -> str:
    found = re.search(r'<form class="lang".*?</form>', html, re.S)
    assert found, "no language switch in the page"
    return found.group(0)


@pytest.mark.django_db
def test_the_login_page_is_chinese_with_a_switch_to_english(client: Client) -> None:
    html = client.get("/accounts/login/?next=/inspections/").content.decode()
    assert '<html lang="zh-hans">' in html and "用户名" in html and ">登录<" in html
    form = language_form(html)
    assert f'action="{reverse("set_language")}"' in form and 'method="post"' in form
    assert 'hx-boost="false"' in form and 'aria-label="界面语言"' in form and "csrfmiddlewaretoken" in form
    assert 'name="next" value="/accounts/login/?next=/inspections/"' in form
    # The current language is marked, the other one is a button; each is named in its own language.
    assert '<strong lang="zh-hans" aria-current="true">简体中文</strong>' in form
    assert re.search(r'<button class="btn link" type="submit" name="language" value="en" lang="en">English</button>', form)
    assert "<script" not in form and "onclick" not in form and "onchange" not in form


@pytest.mark.django_db
def test_switching_to_english_and_back(world, client: Client) -> None:
    client.force_login(world.inspection_office)
    page = reverse("supervision:common_problems")
    chinese = client.get(page).content.decode()
    assert '<html lang="zh-hans">' in chinese and ">工作台<" in chinese and ">退出<" in chinese

    response = switch(client, "en", page)
    assert response.status_code == 302 and response["Location"] == page
    html = client.get(page).content.decode()
    assert '<html lang="en">' in html
    assert ">Workspace<" in html and ">Inspections<" in html and ">Full-text search<" in html
    assert ">Log out<" in html and 'aria-label="Main navigation"' in html and "Skip to content" in html
    assert ">工作台<" not in html and ">退出<" not in html
    form = language_form(html)
    assert '<strong lang="en" aria-current="true">English</strong>' in form
    assert 'value="zh-hans" lang="zh-hans">简体中文</button>' in form and 'aria-label="Language"' in form

    assert switch(client, "zh-hans", page).status_code == 302
    back = client.get(page).content.decode()
    assert '<html lang="zh-hans">' in back and ">工作台<" in back and ">Workspace<" not in back


@pytest.mark.django_db
def test_the_login_and_lockout_pages_in_english(client: Client, settings) -> None:
    switch(client, "en", "/accounts/login/")
    html = client.get("/accounts/login/").content.decode()
    assert "Username" in html and ">Log in<" in html and "Rectification Ledger" in html
    assert "用户名" not in html
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "Account temporarily locked" in text and "was entered wrongly 2 times" in text


@pytest.mark.django_db
def test_the_switch_works_while_a_new_password_is_required(world, client: Client, settings) -> None:
    settings.RECTIFY_DEMO = False
    user = world.units[0].office_staff
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client.force_login(user)
    assert client.get(reverse("supervision:inbox"))["Location"] == reverse("password_change")
    response = switch(client, "en", reverse("password_change"))
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    html = client.get(reverse("password_change")).content.decode()
    assert "<h1>Change password</h1>" in html and "change your initial password" in html
    assert "Save new password" in html and "Old password" in html  # Django's own form speaks English too


@pytest.mark.django_db
def test_the_switch_works_while_the_second_factor_is_owed(world, client: Client) -> None:
    user = world.units[0].office_staff
    secret = pyotp.random_base32()
    TotpDevice.objects.create(user=user, secret=secret, created_at=clock.now(), confirmed_at=clock.now())
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD, "next": "/inspections/"})
    verify = reverse("totp_verify")
    assert verify in client.get("/inspections/")["Location"]
    response = switch(client, "en", verify)
    assert response.status_code == 302 and response["Location"] == verify
    html = client.get(verify).content.decode()
    assert "Two-step verification" in html and ">Verify<" in html and "Log out and use another account" in html
    response = client.post(verify, {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert response.status_code == 400 and "The code is wrong or was already used" in response.content.decode()


@pytest.mark.django_db
def test_totp_settings_and_flash_messages_in_english(world, client: Client) -> None:
    client.force_login(world.units[0].office_staff)
    switch(client, "en", reverse("totp_settings"))
    html = client.get(reverse("totp_settings")).content.decode()
    assert "Two-step verification is <strong>off</strong>" in html and "Turn on two-step verification" in html
    client.post(reverse("totp_settings"), {"action": "start"})
    html = client.get(reverse("totp_settings")).content.decode()
    secret = re.search(r"secret=([A-Z2-7]+)", html).group(1)
    assert "Step 1:" in html and "Step 2:" in html
    response = client.post(reverse("totp_settings"), {"action": "confirm", "code": pyotp.TOTP(secret).now()},
                           follow=True)
    html = response.content.decode()
    assert "Two-step verification is on: from now on" in html
    assert re.search(r"Two-step verification is <strong>on</strong> \(since [A-Z][a-z]+ \d+, \d{4}, \d\d:\d\d\)", html)


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_in_the_chosen_language(client: Client, settings) -> None:
    settings.RECTIFY_REQUEST_MAX_BYTES = 1024 * 1024
    client.cookies["django_language"] = "en"
    response = client.generic("POST", "/accounts/login/", b"x", CONTENT_LENGTH=str(5 * 1024 * 1024),
                              CONTENT_TYPE="application/octet-stream")
    assert response.status_code == 413 and "The upload is too large (over 1 MB)" in response.content.decode()
