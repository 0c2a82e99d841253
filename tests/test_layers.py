"""Pages of a lower app that show a higher app's data get it through a registry the higher app fills."""

from __future__ import annotations

import re

from django.urls import reverse

from rectify.supervision.models import Notification
from tests.factories import make_task


def test_task_page_shows_supervisions_formalism_panel(client, unit):
    task = make_task(unit)
    client.force_login(unit.office_staff)
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert 'id="formalism-flags"' in page and "形式主义风险提示" in page


def test_navigation_counts_unread_notifications(client, unit):
    for n in range(3):
        Notification.objects.create(recipient=unit.dept_handler, kind=Notification.Kind.values[0], title=f"提醒{n}",
                                    warning_key=f"k{n}", dedupe_key=f"k{n}:{unit.dept_handler.pk}")
    client.force_login(unit.dept_handler)
    page = client.get(reverse("ledger:my_tasks")).content.decode()
    inbox = reverse("supervision:inbox")
    assert re.search(rf'href="{inbox}"[^>]*>[^<]*<span class="badge">3</span>', page)


def test_inspection_list_shows_the_ledgers_figures(client, unit):
    for _ in range(2):
        make_task(unit)
    client.force_login(unit.office_staff)
    page = client.get(reverse("inspections:list")).content.decode()
    assert re.search(r'<td class="num" data-label="任务">2</td>', page)


def test_notice_import_page_keeps_its_inspections_name_and_address(client, unit):
    url = reverse("inspections:import_notice")
    assert url == "/inspections/import-notice/"
    client.force_login(unit.office_staff)
    page = client.get(url)
    assert page.status_code == 200 and "导入通报" in page.content.decode()
