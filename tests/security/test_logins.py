"""Logins: Argon2 hashes, lockout by user and address, password rules, idle expiry, first-login change."""

from __future__ import annotations

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse

from rectify import settings as production
from rectify.organizations import services as orgs
from rectify.organizations.models import User
from tests.factories import PASSWORD

WRONG = "Wrong-Password-1"


def attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert attempt(client, username, WRONG, address).status_code in {200, 429}


# ------------------------------------------------------------------------------------ hashing


def test_new_password_is_stored_as_argon2(settings, unit):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = orgs.create_user(None, username="wangwu", full_name="王五", password="Zheng-Gai-2026")
    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2$")
    assert "Zheng-Gai-2026" not in stored


def test_password_changed_on_the_page_is_stored_as_argon2(settings, client, unit):
    # The test personas' passwords were hashed fast (MD5): keep it readable for the old password.
    settings.PASSWORD_HASHERS = [*production.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(unit.dept_handler)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Qing-Dan-2026!", "new_password2": "Qing-Dan-2026!"})
    assert response.status_code == 302
    assert User.objects.get(pk=unit.dept_handler.pk).password.startswith("argon2$")


# ------------------------------------------------------------------------------------ lockout


def test_fifth_failure_locks_the_account_with_a_chinese_page(client, unit):
    user = unit.dept_handler
    fail(client, user.username, 4)
    response = attempt(client, user.username, WRONG)
    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已临时锁定" in page and "15 分钟" in page
    # Locked means locked: the right password is refused too.
    assert attempt(client, user.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, unit):
    user = unit.dept_handler
    fail(client, user.username, 4)
    assert attempt(client, user.username, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_lockout_is_per_user_and_address(client, unit):
    user = unit.dept_handler
    fail(client, user.username, 5, address="10.0.0.1")
    assert attempt(client, user.username, PASSWORD, address="10.0.0.1").status_code == 429
    # The same person from another address, and another person from the same address, still get in.
    assert attempt(client, user.username, PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert attempt(client, unit.leader.username, PASSWORD, address="10.0.0.1").status_code == 302


def test_lockout_ends_after_fifteen_minutes(client, unit, travel):
    user = unit.dept_handler
    fail(client, user.username, 5)
    travel(minutes=14)
    assert attempt(client, user.username, PASSWORD).status_code == 429
    travel(minutes=16)
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_success_before_the_limit_resets_the_count(client, unit):
    user = unit.dept_handler
    fail(client, user.username, 4)
    assert attempt(client, user.username, PASSWORD).status_code == 302
    client.logout()
    fail(client, user.username, 4)
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_lockout_uses_the_address_the_trusted_proxy_saw(client, settings, unit):
    settings.RECTIFY_PROXY_COUNT = 1
    user = unit.dept_handler
    for _ in range(5):
        # A client cannot escape the lock by forging addresses to the left of the proxy's own entry.
        client.post(reverse("login"), {"username": user.username, "password": WRONG},
                    REMOTE_ADDR="192.168.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{_}, 10.9.9.9")
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD},
                           REMOTE_ADDR="192.168.0.1", HTTP_X_FORWARDED_FOR="8.8.8.8, 10.9.9.9")
    assert response.status_code == 429


# ------------------------------------------------------------------------------- password rules


@pytest.mark.parametrize("password", ["zhenggaitaizhang", "zhenggai2026", "ZHENGGAI-TAIZHANG"])
def test_password_needs_three_kinds_of_characters(password):
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password)
    assert "至少 3 类" in " ".join(refused.value.messages)


def test_password_needs_ten_characters():
    with pytest.raises(ValidationError):
        password_validation.validate_password("Zg-2026a")


@pytest.mark.parametrize("password", ["Zhenggai2026", "zhenggai-2026", "Zheng Gai 台账 2026"])
def test_good_passwords_pass(password):
    password_validation.validate_password(password)


def test_password_like_the_username_is_refused(db):
    user = User(username="zhangsan2026", full_name="张三")
    with pytest.raises(ValidationError):
        password_validation.validate_password("Zhangsan2026!", user)


def test_password_change_page_names_the_rule_in_chinese(client, unit):
    client.force_login(unit.dept_handler)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"})
    assert response.status_code == 200
    assert "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类" in response.content.decode()
    assert User.objects.get(pk=unit.dept_handler.pk).check_password(PASSWORD)


# --------------------------------------------------------------------------------- idle expiry


def test_session_expires_after_thirty_idle_minutes(client, unit, travel):
    client.force_login(unit.office_staff)
    home = reverse("inspections:list")
    assert client.get(home).status_code == 200
    travel(minutes=29)
    assert client.get(home).status_code == 200
    # Each request renews the session: 58 minutes since login, 29 since the last request.
    travel(minutes=29)
    assert client.get(home).status_code == 200
    travel(minutes=31)
    response = client.get(home)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_idle_minutes_come_from_the_environment(monkeypatch):
    import importlib

    monkeypatch.setenv("RECTIFY_SESSION_IDLE_MINUTES", "10")
    try:
        assert importlib.reload(production).SESSION_COOKIE_AGE == 600
    finally:
        monkeypatch.delenv("RECTIFY_SESSION_IDLE_MINUTES")
        importlib.reload(production)
    assert production.SESSION_SAVE_EVERY_REQUEST is True


# ------------------------------------------------------------------------ forced password change


@pytest.fixture
def new_account(world):
    user = orgs.create_user(world.admin, username="lisi", full_name="李四", password="Chu-Shi-Mi-Ma-1")
    assert user.must_change_password
    return user


def test_admin_created_account_must_change_password_first(client, new_account):
    client.force_login(new_account)
    for url in (reverse("ledger:home"), reverse("inspections:list"), reverse("totp_settings")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert "请先修改初始密码" in client.get(reverse("password_change")).content.decode()


def test_after_the_change_the_account_works(client, new_account):
    client.force_login(new_account)
    response = client.post(reverse("password_change"), {
        "old_password": "Chu-Shi-Mi-Ma-1", "new_password1": "Xin-Mi-Ma-2026", "new_password2": "Xin-Mi-Ma-2026"})
    assert response.status_code == 302
    assert not User.objects.get(pk=new_account.pk).must_change_password
    assert client.get(reverse("ledger:home")).status_code == 200


def test_demo_mode_skips_the_forced_change(client, settings, new_account):
    settings.RECTIFY_DEMO = True
    client.force_login(new_account)
    assert client.get(reverse("ledger:home")).status_code == 200


def test_logout_stays_reachable_before_the_change(client, new_account):
    client.force_login(new_account)
    assert client.post(reverse("logout")).status_code in {200, 302}
    assert "_auth_user_id" not in client.session


def test_signing_out_lands_on_the_sign_in_page(client, new_account):
    client.force_login(new_account)
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "登录" in response.content.decode()
