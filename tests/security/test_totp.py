"""Second factor: enrol an authenticator with a typed secret, then the login asks for its code."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.urls import reverse

from rectify.audit.models import AuditEvent
from rectify.totp import services
from rectify.totp.models import TotpDevice
from tests.factories import PASSWORD


def fresh_code(user) -> str:
    """A code the server has not seen yet: the current step, or the next one if that was used."""
    device = TotpDevice.objects.get(user=user)
    totp = pyotp.TOTP(device.secret)
    step = max(int(services.clock.now().timestamp()) // 30, device.last_step + 1)
    return totp.at(step * 30)


def wrong_code(user) -> str:
    right = {fresh_code(user)}
    return next(c for c in ("000000", "111111", "222222") if c not in right)


def enrol(client, user) -> str:
    client.force_login(user)
    client.post(reverse("totp_settings"), {"action": "start"})
    page = client.get(reverse("totp_settings")).content.decode()
    secret = re.search(r"secret=([A-Z2-7]+)", page).group(1)
    response = client.post(reverse("totp_settings"), {"action": "confirm", "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    client.logout()
    return secret


def password_login(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, "next": "/inspections/"})


def full_login(client, user) -> None:
    password_login(client, user)
    assert client.post(reverse("totp_verify"), {"code": fresh_code(user)}).status_code == 302


@pytest.fixture
def enrolled(client, unit):
    user = unit.office_staff
    enrol(client, user)
    return user


def test_enrolment_shows_the_secret_as_text_and_an_otpauth_uri(client, unit):
    client.force_login(unit.office_staff)
    client.post(reverse("totp_settings"), {"action": "start"})
    page = client.get(reverse("totp_settings")).content.decode()
    secret = TotpDevice.objects.get(user=unit.office_staff).secret
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    assert "otpauth://totp/" in page and f"secret={secret}" in page
    assert not services.active_device(unit.office_staff)


def test_wrong_code_does_not_turn_it_on(client, unit):
    client.force_login(unit.office_staff)
    client.post(reverse("totp_settings"), {"action": "start"})
    response = client.post(reverse("totp_settings"), {"action": "confirm", "code": wrong_code(unit.office_staff)},
                           follow=True)
    assert "验证码不正确" in response.content.decode()
    assert services.active_device(unit.office_staff) is None


def test_turning_it_on_is_audited_without_the_secret(client, unit):
    secret = enrol(client, unit.office_staff)
    event = AuditEvent.objects.get(action="user.totp_enable")
    assert event.actor_id == unit.office_staff.pk
    assert not AuditEvent.objects.filter(after__icontains=secret).exists()
    assert secret not in str(list(AuditEvent.objects.values_list("before", "after")))


def test_login_asks_for_the_code_before_any_page(client, enrolled):
    response = password_login(client, enrolled)
    assert response.status_code == 302
    for url in ("/inspections/", reverse("ledger:home"), reverse("totp_settings"), reverse("password_change")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("totp_verify"))
    page = client.get(reverse("totp_verify"))
    assert page.status_code == 200 and "6 位验证码" in page.content.decode()


def test_session_awaiting_the_code_is_not_logged_in_for_the_api(client, enrolled):
    password_login(client, enrolled)
    assert client.get("/api/v1/tasks").status_code == 401


def test_right_code_opens_the_page_asked_for(client, enrolled):
    password_login(client, enrolled)
    response = client.post(reverse("totp_verify"), {"code": fresh_code(enrolled), "next": "/inspections/"})
    assert response.status_code == 302 and response["Location"] == "/inspections/"
    assert client.get("/inspections/").status_code == 200


def test_wrong_code_is_refused_with_a_message(client, enrolled):
    password_login(client, enrolled)
    response = client.post(reverse("totp_verify"), {"code": wrong_code(enrolled)})
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert client.get("/inspections/").status_code == 302


def test_a_code_cannot_be_used_twice(client, enrolled):
    code = fresh_code(enrolled)
    password_login(client, enrolled)
    assert client.post(reverse("totp_verify"), {"code": code}).status_code == 302
    client.logout()
    password_login(client, enrolled)
    assert client.post(reverse("totp_verify"), {"code": code}).status_code == 400


def test_foreign_redirect_after_the_code_goes_home(client, enrolled):
    password_login(client, enrolled)
    response = client.post(reverse("totp_verify"), {"code": fresh_code(enrolled), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_five_wrong_codes_lock_the_second_factor(client, enrolled):
    password_login(client, enrolled)
    for _ in range(5):
        client.post(reverse("totp_verify"), {"code": wrong_code(enrolled)})
    response = client.post(reverse("totp_verify"), {"code": fresh_code(enrolled)})
    assert response.status_code == 400
    assert "分钟后再试" in response.content.decode()
    # Logging in again does not reset the count: the lock is on the account, not the session.
    client.logout()
    password_login(client, enrolled)
    assert client.post(reverse("totp_verify"), {"code": fresh_code(enrolled)}).status_code == 400


def test_lock_on_codes_ends_after_fifteen_minutes(client, enrolled, travel):
    password_login(client, enrolled)
    for _ in range(5):
        client.post(reverse("totp_verify"), {"code": wrong_code(enrolled)})
    travel(minutes=16)
    assert client.post(reverse("totp_verify"), {"code": fresh_code(enrolled)}).status_code == 302


def test_disabling_needs_a_current_code(client, enrolled, travel):
    full_login(client, enrolled)
    travel(seconds=60)  # codes of the login's time step are used up
    client.post(reverse("totp_settings"), {"action": "disable", "code": wrong_code(enrolled)})
    assert services.active_device(enrolled) is not None
    client.post(reverse("totp_settings"), {"action": "disable", "code": fresh_code(enrolled)})
    assert services.active_device(enrolled) is None
    assert AuditEvent.objects.filter(action="user.totp_disable").count() == 1


def test_after_disabling_the_password_is_enough(client, enrolled, travel):
    full_login(client, enrolled)
    travel(seconds=60)
    client.post(reverse("totp_settings"), {"action": "disable", "code": fresh_code(enrolled)})
    client.logout()
    password_login(client, enrolled)
    assert client.get("/inspections/").status_code == 200


def test_users_without_a_second_factor_are_not_asked(client, unit):
    password_login(client, unit.office_staff)
    assert client.get("/inspections/").status_code == 200
    assert client.get(reverse("totp_verify")).status_code == 302


def test_code_page_needs_the_password_first(client, enrolled):
    response = client.get(reverse("totp_verify"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
