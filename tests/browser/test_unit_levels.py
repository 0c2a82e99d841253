"""Journey of unit levels (层级): the administrator sets a unit's level, the inspection office filters the
all-units overview by it and exports exactly what it shows."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import make_task

pytestmark = pytest.mark.browser


def test_admin_sets_a_level_and_the_office_filters_and_exports_by_it(world, open_as, live_server):
    county, other = world.units
    make_task(county)
    make_task(other)
    admin = open_as(world.admin)
    admin.goto(live_server.url + reverse("people", args=[county.org.pk]))
    admin.get_by_label("层级", exact=True).select_option(label="县级")
    admin.get_by_role("button", name="保存层级").click()
    expect(admin.get_by_text("单位层级已保存")).to_be_visible()
    expect(admin.get_by_label("层级", exact=True)).to_have_value("county")

    office = open_as(world.inspection_office)
    office.goto(live_server.url + reverse("ledger:overview"))
    expect(office.locator("table tbody tr")).to_have_count(2)
    office.get_by_label("层级", exact=True).select_option(label="县级")
    office.get_by_role("button", name="筛选").click()
    rows = office.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(county.org.name)
    expect(rows.first).to_contain_text("县级")
    expect(office.get_by_label("层级", exact=True)).to_have_value("county")

    with office.expect_download() as download:
        office.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes())).active
    exported = [(r[0], r[-1]) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert exported == [(county.org.name, "县级")]
