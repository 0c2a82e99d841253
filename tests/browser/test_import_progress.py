"""Journey of a large ledger import: confirmed, queued for the worker, followed on its progress page
without a reload (first warned that no worker has taken it), ending on the ledger with its message."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rectify.jobs import queue
from rectify.ledger.models import Task
from rectify.spreadsheets import ExportRow, write_ledger
from rectify.spreadsheets.jobs import IMPORT_JOB

pytestmark = pytest.mark.browser

MEASURES = ("制定党组主体责任清单", "开展警示教育", "规范公文处理")


def test_office_follows_a_background_import_to_its_end(world, open_as, live_server, settings, tmp_path):
    settings.RECTIFY_IMPORT_INLINE_ROWS = 2
    settings.RECTIFY_JOB_WAIT_WARNING_SECONDS = 3
    unit = world.units[0]
    rows = [ExportRow(aspect="全面从严治党方面", finding="主体责任落实不到位", measure=measure, leader=[],
                      lead_org=["办公室"], co_orgs=[], deadline=None, category="立行立改", status=None, light=None,
                      progress=None) for measure in MEASURES]
    path = tmp_path / "台账.xlsx"
    path.write_bytes(write_ledger(rows, title="整改台账", unit="省委统战部", date_label="2026年11月"))
    page = open_as(unit.office_staff)
    page.goto(live_server.url + reverse("spreadsheets:import_ledger", args=[unit.inspection.pk]))
    page.get_by_label("台账文件（.xlsx、.xls、.xlsb、.ods、.csv）").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_role("heading", name="正在导入整改台账")).to_be_visible()
    expect(page.get_by_text("已提交后台处理，正在排队")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    # No worker has taken the job: the page says so by itself, without a reload.
    expect(page.get_by_role("alert")).to_contain_text("后台任务尚未开始，请确认 rectify worker 正在运行")
    assert page.evaluate("window.stillTheSamePage === true")
    assert not Task.objects.filter(inspection=unit.inspection).exists()

    assert queue.run_due(names=[IMPORT_JOB]).done == 1  # the worker, in this process
    page.wait_for_url(live_server.url + reverse("ledger:ledger", args=[unit.inspection.pk]))
    expect(page.get_by_role("status").filter(has_text="已导入 3 项整改任务")).to_be_visible()
    assert Task.objects.filter(inspection=unit.inspection).count() == 3
