"""Logins, failed logins, lockouts, exports and downloads are audited with the client's address; a
password sprayed across accounts from one address is stopped; signed-in pages are never cached."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from rectify.audit import services as audit
from rectify.audit.access import UNIT_EXPORTS
from rectify.audit.models import AuditEvent
from rectify.ledger import services as ledger
from rectify.organizations.admin import AuditEventAdmin
from tests.factories import PASSWORD, evidence, make_task

WRONG = "Wrong-Password-1"


def attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_is_audited_with_the_address(client, unit):
    assert attempt(client, unit.dept_handler.username, PASSWORD, "10.1.2.3").status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == unit.dept_handler.pk and event.after == {"address": "10.1.2.3"}
    assert "password" not in str(event.after)
    assert audit.verify().ok


def test_failed_login_is_audited_without_the_password(client, unit):
    attempt(client, unit.dept_handler.username, WRONG, "10.1.2.4")
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.after == {"username": unit.dept_handler.username, "address": "10.1.2.4"}
    assert WRONG not in str(event.after) + event.note


def test_lockout_is_audited(client, unit):
    for _ in range(5):
        attempt(client, unit.dept_handler.username, WRONG, "10.1.2.5")
    event = AuditEvent.objects.get(action="auth.lockout")
    assert event.after["username"] == unit.dept_handler.username and event.after["address"] == "10.1.2.5"
    assert event.after["scope"] == "user_address"


def test_password_spray_across_accounts_locks_the_address(client, settings, world):
    settings.RECTIFY_LOCKOUT_ADDRESS_FAILURES = 6
    users = [u for w in world.units for u in (w.office_staff, w.leader, w.supervisor, w.dept_handler)]
    for user in users[:6]:  # one wrong password each: no account reaches its own limit
        assert attempt(client, user.username, WRONG, "10.9.9.9").status_code == 200
    response = attempt(client, users[6].username, PASSWORD, "10.9.9.9")
    assert response.status_code == 429
    assert "该地址已暂停登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.lockout", after__scope="address").exists()
    # Another address is not affected.
    assert attempt(client, users[6].username, PASSWORD, "10.8.8.8").status_code == 302


def test_ledger_export_is_audited(client, unit):
    make_task(unit)
    client.force_login(unit.office_staff)
    response = client.get(reverse("spreadsheets:export_ledger", args=[unit.inspection.pk]), REMOTE_ADDR="10.2.0.1")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="export")
    assert event.actor_id == unit.office_staff.pk
    assert event.after["address"] == "10.2.0.1" and event.after["file"].endswith(".xlsx")
    assert str(unit.inspection.pk) in event.object_id


def test_ledger_export_is_audited_with_its_unit(client, unit):
    client.force_login(unit.office_staff)
    assert client.get(reverse("spreadsheets:export_ledger", args=[unit.inspection.pk])).status_code == 200
    event = AuditEvent.objects.get(action="export")
    assert event.unit_id == event.chain == unit.org.pk
    assert audit.verify().ok


def test_dispatch_sheet_download_is_audited_with_its_unit(client, world):
    unit = world.units[1]
    client.force_login(world.inspection_office)
    response = client.get(reverse("supervision:dispatch_download", args=[unit.org.pk, "xlsx"]))
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="export").unit_id == unit.org.pk


def _audit_log_of(user) -> list[AuditEvent]:
    """The events the audit log in the admin lists for `user`."""
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = user
    return list(AuditEventAdmin(AuditEvent, admin.site).get_queryset(request))


def test_units_office_sees_its_export_events(client, world):
    unit = world.units[0]
    client.force_login(unit.office_staff)
    assert client.get(reverse("spreadsheets:export_ledger", args=[unit.inspection.pk])).status_code == 200
    event = AuditEvent.objects.get(action="export")
    assert event in _audit_log_of(unit.office_staff)
    assert event in _audit_log_of(world.inspection_office)
    # Neither another unit nor the office of another area sees it.
    assert event not in _audit_log_of(world.units[1].office_staff)
    assert event not in _audit_log_of(world.far.office_staff)


@pytest.mark.parametrize("view", sorted(UNIT_EXPORTS))
def test_every_export_of_one_unit_names_a_view_that_exists(view):
    _label, keyword, _path = UNIT_EXPORTS[view]
    extra = {"fmt": "docx"} if "download" in view else {}
    extra |= {"number": 1} if view == "reports:download" else {}
    assert reverse(view, kwargs={keyword: 1, **extra})


def test_evidence_download_is_audited_with_its_unit(client, unit):
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已完成", files=[evidence("会议纪要.pdf")])
    item = task.evidence.get()
    client.force_login(unit.dept_handler)
    response = client.get(reverse("ledger:evidence", args=[item.pk]), REMOTE_ADDR="10.2.0.2")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="evidence.download")
    assert event.object_id == str(item.pk) and event.unit_id == unit.org.pk
    assert event.after["address"] == "10.2.0.2" and event.after["file"] == "会议纪要.pdf"


def test_refused_download_is_not_recorded_as_one(client, unit, other):
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已完成", files=[evidence()])
    client.force_login(other.dept_handler)
    assert client.get(reverse("ledger:evidence", args=[task.evidence.get().pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="evidence.download").exists()


@pytest.mark.parametrize("name", ["ledger:home", "spreadsheets:export_ledger"])
def test_signed_in_pages_and_downloads_are_not_stored(client, unit, name):
    client.force_login(unit.office_staff)
    args = [unit.inspection.pk] if name == "spreadsheets:export_ledger" else []
    response = client.get(reverse(name, args=args), follow=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_public_portal_keeps_its_caching(client, db):
    response = client.get(reverse("portal:index"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
