"""A finding's 序号 and 不予公开理由 are refused, named with their length, when longer than the plan keeps
(SQLite would store them whole; PostgreSQL would fail the write)."""

from __future__ import annotations

from django.urls import reverse

from rectify.inspections.models import Finding
from tests.factories import PASSWORD


def test_a_180_character_number_is_refused_on_adding_and_on_editing(client, unit):
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    add = reverse("ledger:add_finding", args=[unit.inspection.pk])
    page = client.post(add, {"parent": unit.aspect.pk, "label": "1" * 180, "title": "干部选拔任用程序不规范"},
                       follow=True).content.decode()
    assert "「序号」不能超过 16 个字（现有 180 个字）" in page
    assert not Finding.objects.filter(title="干部选拔任用程序不规范").exists()

    edit = reverse("ledger:edit_finding", args=[unit.inspection.pk])
    page = client.post(edit, {"finding": unit.finding.pk, "shown": unit.finding.pk, "label": "2" * 180,
                              "title": unit.finding.title}, follow=True).content.decode()
    assert "「序号」不能超过 16 个字（现有 180 个字）" in page
    unit.finding.refresh_from_db()
    assert unit.finding.label == "1."
