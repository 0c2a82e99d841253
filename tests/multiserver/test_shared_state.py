"""What several app servers must share through the database: the cache (rate limits), the client
address behind the proxies, and uploads waiting between an import's preview and its confirmation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from rectify import clock
from rectify.ledger.models import Task
from rectify.reports import services as reports
from rectify.reports.models import Feedback, Report
from rectify.spreadsheets import ExportRow, write_ledger
from tests.factories import PASSWORD
from tests.reports_app.conftest import build_ledger


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def notice(world) -> Report:
    unit = build_ledger(world.units[0]).unit
    report = reports.generate_report(unit.office_staff, unit.inspection, "notice")
    reports.publish_report(unit.leader, report)
    return report


def test_the_cache_lives_in_the_shared_database(db) -> None:
    cache.set("rectify:probe", 7, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rectify_cache")
        assert cursor.fetchone()[0] == 1
    assert cache.get("rectify:probe") == 7


def _send(client, report: Report, *, forwarded_for: str):
    page = client.get(reverse("portal:notice", args=[report.pk])).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    data = {"name": "", "contact": "", "message": "建议公开整改台账的更多细节", "website": "", "token": token}
    with clock.frozen(clock.now() + dt.timedelta(seconds=30)):
        return client.post(reverse("portal:notice", args=[report.pk]), data, REMOTE_ADDR="127.0.0.1",
                           HTTP_X_FORWARDED_FOR=forwarded_for)


def test_feedback_limit_counts_the_client_behind_the_proxy_not_the_proxy(client, settings, notice) -> None:
    settings.RECTIFY_PROXY_COUNT = 1
    settings.RECTIFY_FEEDBACK_PER_HOUR = 2
    # Three people behind one proxy: each may send their two messages.
    for person in ("10.1.0.1", "10.1.0.2", "10.1.0.3"):
        assert _send(client, notice, forwarded_for=person).status_code == 200
        assert _send(client, notice, forwarded_for=person).status_code == 200
    # One sender forging the left-hand entries is still counted by the entry the proxy appended.
    refused = _send(client, notice, forwarded_for="8.8.8.8, 10.1.0.1")
    assert refused.status_code == 429
    assert Feedback.objects.count() == 6


def _ledger() -> SimpleUploadedFile:
    rows = [ExportRow(aspect="全面从严治党方面", finding="主体责任落实不到位", measure=measure, leader=[],
                      lead_org=["办公室"], co_orgs=[], deadline=None, category="立行立改", status=None, light=None,
                      progress=None) for measure in ("制定党组主体责任清单", "开展警示教育")]
    return SimpleUploadedFile("台账.xlsx", write_ledger(rows, title="整改台账", unit="省委统战部", date_label="2026年11月"))


def test_ledger_preview_on_one_server_confirms_on_another(client, settings, tmp_path, unit) -> None:
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    settings.RECTIFY_HOME = tmp_path / "server-a"
    preview = client.post(url, {"file": _ledger()})
    assert preview.status_code == 200
    # The confirmation reaches a server with a data folder of its own.
    settings.RECTIFY_HOME = tmp_path / "server-b"
    done = client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert done.status_code == 302 and "import" not in done.url
    assert Task.objects.filter(inspection=unit.inspection).count() == 2
    # Confirming the same upload again imports nothing twice.
    again = client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert again.status_code == 302 and "import" in again.url
    assert Task.objects.filter(inspection=unit.inspection).count() == 2


def test_a_held_upload_is_only_for_the_user_who_uploaded_it(client, world, unit, other) -> None:
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    token = client.post(reverse("spreadsheets:import_ledger", args=[unit.inspection.pk]), {"file": _ledger()}).context["token"]
    client.logout()
    assert client.login(username=other.office_staff.username, password=PASSWORD)
    url = reverse("spreadsheets:import_ledger", args=[other.inspection.pk])
    refused = client.post(url, {"confirm": "1", "token": token})
    assert refused.status_code == 302 and "import" in refused.url
    assert not Task.objects.filter(inspection=other.inspection, title="开展警示教育").exists()
