"""A forced password change or an owed second factor sends the whole page there, also from an htmx request
(a ledger row's 编辑, a poll): htmx is told to navigate (HX-Redirect) instead of swapping the page into a row."""

from __future__ import annotations

import pyotp
import pytest
from django.urls import reverse

from rectify import clock
from rectify.totp.models import TotpDevice
from tests.factories import PASSWORD, make_task

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def must_change(settings, unit):
    settings.RECTIFY_DEMO = False
    user = unit.office_staff
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    return user


@pytest.fixture
def owes_code(client, unit):
    user = unit.office_staff
    TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), created_at=clock.now(), confirmed_at=clock.now())
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD, "next": "/inspections/"})
    return user


def test_an_htmx_request_owing_a_new_password_navigates_the_whole_page(client, unit, must_change):
    task = make_task(unit)
    client.force_login(must_change)
    response = client.get(reverse("ledger:task_row_edit", args=[task.pk]), **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("password_change")
    assert not response.content


def test_a_normal_request_owing_a_new_password_keeps_the_redirect(client, unit, must_change):
    client.force_login(must_change)
    response = client.get(reverse("ledger:ledger", args=[unit.inspection.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert "HX-Redirect" not in response


def test_an_htmx_request_owing_the_code_navigates_and_comes_back_to_the_page(client, unit, owes_code):
    task = make_task(unit)
    ledger_url = reverse("ledger:ledger", args=[unit.inspection.pk])
    response = client.get(reverse("ledger:task_row_edit", args=[task.pk]), **HTMX,
                          HTTP_HX_CURRENT_URL=f"http://testserver{ledger_url}?status=in_progress")
    assert response.status_code == 204
    # After the code, back to the ledger the user was on, not to the row's fragment alone.
    assert response["HX-Redirect"] == f"{reverse('totp_verify')}?next=%2Finspections%2F{unit.inspection.pk}%2Fledger%2F%3Fstatus%3Din_progress"


def test_an_htmx_request_from_another_site_comes_back_to_what_it_asked_for(client, unit, owes_code):
    task = make_task(unit)
    row = reverse("ledger:task_row", args=[task.pk])
    response = client.get(row, **HTMX, HTTP_HX_CURRENT_URL="https://evil.example/phish")
    assert response["HX-Redirect"] == f"{reverse('totp_verify')}?next=%2Ftasks%2F{task.pk}%2Frow%2F"


def test_a_normal_request_owing_the_code_keeps_the_redirect(client, unit, owes_code):
    response = client.get("/inspections/")
    assert response.status_code == 302 and response["Location"] == f"{reverse('totp_verify')}?next=%2Finspections%2F"
    assert "HX-Redirect" not in response
