"""Bad input in the query string, the path and the forms gets a clear answer (200 with defaults, 400, 404
or a form message), never a server error; and `next=` only ever leads back into the site."""

from __future__ import annotations

import pytest
from django.urls import reverse

BAD = ["abc", "-1", "0", "²", "١٢", "1e309", "nan", "inf", "-inf", "99999999999999999999999", "9999-12-31",
       "0001-01-01", "2024-02-30", "2024-13-01", "", " ", "'", "%00", "\x00", "<script>", "1,2", "[]"]
PARAMS = ["page", "week", "threshold", "status", "category", "light", "overdue", "q", "inspection", "lead_org",
          "leader", "closed", "mine", "unread", "a", "b", "per_aspect", "order"]


def _pages(world) -> list[str]:
    unit = world.units[0]
    return [
        reverse("ledger:home"), reverse("ledger:my_tasks"), reverse("ledger:approvals"), reverse("ledger:search"),
        reverse("ledger:overview"), reverse("ledger:unit_dashboard", args=[unit.org.pk]),
        reverse("inspections:list"), reverse("ledger:ledger", args=[unit.inspection.pk]),
        reverse("ledger:findings", args=[unit.inspection.pk]),
        reverse("ledger:responsibility", args=[unit.inspection.pk]),
        reverse("supervision:inbox"), reverse("supervision:dispatch", args=[unit.org.pk]),
        reverse("supervision:orders", args=[unit.org.pk]), reverse("supervision:common_problems"),
        reverse("reports:inspection", args=[unit.inspection.pk]), reverse("reports:inbox"),
        reverse("reports:compare", args=[1]), "/api/v1/tasks",
    ]


# Each parameter alone with the values most likely to break a parser; then every parameter at once.
SHARP = ["²", "nan", "9999-12-31", "99999999999999999999999"]


def test_no_list_page_answers_5xx_to_bad_query_values(client, world):
    from django.test import Client

    from rectify.api.services import create_token

    unit = world.units[0]
    _token, secret = create_token(unit.office_staff, name="模糊测试", scope="read", days=1)
    failures = []
    for page in _pages(world):
        # Each page as the persona it is meant for: the office staff, or the inspection office.
        user = world.inspection_office if "common-problems" in page or "overview" in page else unit.office_staff
        client.force_login(user)
        queries = [{name: value} for name in PARAMS for value in SHARP]
        queries += [dict.fromkeys(PARAMS, value) for value in BAD]
        for query in queries:
            if page.startswith("/api/"):
                response = Client().get(page, query, headers={"Authorization": f"Bearer {secret}"})
            else:
                response = client.get(page, query)
            if response.status_code >= 500:
                failures.append(f"{user} {page}?{query!r}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2024-02-30", "x"])
def test_dispatch_week_out_of_range_is_a_clear_answer(client, unit, week):
    client.force_login(unit.office_staff)
    response = client.get(reverse("supervision:dispatch", args=[unit.org.pk]), {"week": week})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "周" in response.content.decode()


@pytest.mark.parametrize("threshold", ["nan", "inf", "-inf", "abc"])
def test_common_problems_threshold_that_is_not_a_number_falls_back(client, world, threshold):
    client.force_login(world.inspection_office)
    response = client.get(reverse("supervision:common_problems"), {"threshold": threshold})
    assert response.status_code == 200
    assert "nan" not in response.context["threshold"].__repr__()


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808"])
@pytest.mark.parametrize("name", ["ledger:task", "ledger:ledger", "ledger:evidence", "reports:detail",
                                  "supervision:order", "ledger:unit_dashboard"])
def test_ids_too_large_for_the_database_are_not_found(client, unit, name, pk):
    client.force_login(unit.office_staff)
    path = reverse(name, args=[1]).replace("/1/", f"/{pk}/", 1)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)",
                                    "http://testserver.evil.example/"])
def test_bulk_assign_next_never_leaves_the_site(client, unit, target):
    client.force_login(unit.office_staff)
    response = client.post(reverse("ledger:bulk_assign", args=[unit.inspection.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:ledger", args=[unit.inspection.pk])


def test_bulk_assign_next_within_the_site_is_kept(client, unit):
    client.force_login(unit.office_staff)
    back = reverse("ledger:ledger", args=[unit.inspection.pk]) + "?status=new"
    response = client.post(reverse("ledger:bulk_assign", args=[unit.inspection.pk]), {"next": back})
    assert response["Location"] == back


@pytest.mark.parametrize("value", ["²", "١٢", "99999999999999999999999", "-3"])
def test_bulk_assign_ignores_ids_that_are_not_plain_numbers(client, unit, value):
    from tests.factories import make_task

    task = make_task(unit)
    client.force_login(unit.office_staff)
    response = client.post(reverse("ledger:bulk_assign", args=[unit.inspection.pk]),
                           {"task": [str(task.pk), value], "leader": value, "lead_org": value, "version": value})
    assert response.status_code == 302


@pytest.mark.parametrize("version", ["²", "99999999999999999999999"])
def test_task_action_with_a_version_that_is_not_a_number_is_no_error(client, unit, version):
    from tests.factories import make_task

    task = make_task(unit)
    client.force_login(unit.office_staff)
    response = client.post(reverse("ledger:task_action", args=[task.pk, "comment"]), {"text": "意见", "version": version})
    assert response.status_code == 302


def test_a_nul_character_in_the_query_is_a_clear_400(client, world):
    # PostgreSQL text cannot hold NUL: the search would otherwise fail inside its query.
    client.force_login(world.units[0].office_staff)
    response = client.get(reverse("ledger:search"), {"q": "整改\x00"})
    assert response.status_code == 400
    assert "zh-hans" in response.content.decode()
