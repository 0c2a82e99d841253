"""Imports in the browser flow: upload → preview → confirm, with nothing written before the confirmation."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectify.inspections.models import Inspection
from rectify.ledger.models import Task
from rectify.spreadsheets import ExportRow, write_ledger
from tests.conftest import NOTICE
from tests.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def ledger_file(rows: list[ExportRow]) -> SimpleUploadedFile:
    data = write_ledger(rows, title="整改台账", unit="省委统战部", date_label="2026年11月")
    return SimpleUploadedFile("台账.xlsx", data)


def row(measure: str, lead_org: str = "办公室") -> ExportRow:
    return ExportRow(aspect="全面从严治党方面", finding="主体责任落实不到位", measure=measure, leader=[],
                     lead_org=[lead_org], co_orgs=[], deadline=None, category="立行立改", status=None,
                     light=None, progress=None)


def test_ledger_upload_previews_then_confirm_imports(client, unit):
    login(client, unit.office_staff)
    url = reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    preview = client.post(url, {"file": ledger_file([row("制定党组主体责任清单"), row("开展警示教育")])})
    page = preview.content.decode()
    assert "制定党组主体责任清单" in page and "确认导入" in page
    assert not Task.objects.filter(inspection=unit.inspection).exists()
    token = preview.context["token"]
    done = client.post(url, {"confirm": "1", "token": token})
    assert done.status_code == 302
    assert set(Task.objects.filter(inspection=unit.inspection).values_list("title", flat=True)) == {
        "制定党组主体责任清单", "开展警示教育"}


def test_ledger_bad_rows_are_listed_and_block_the_import(client, unit):
    login(client, unit.office_staff)
    url = reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    preview = client.post(url, {"file": ledger_file([row("开展警示教育"), row("规范公文处理", lead_org="宣传处")])})
    page = preview.content.decode()
    assert "宣传处" in page and "第 " in page
    client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert not Task.objects.filter(inspection=unit.inspection).exists()


def test_broken_ledger_file_gets_a_clear_error(client, unit):
    login(client, unit.office_staff)
    url = reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    page = client.post(url, {"file": SimpleUploadedFile("台账.xlsx", b"PK\x03\x04 not really a zip")}).content.decode()
    assert "errorlist" in page
    assert not Task.objects.filter(inspection=unit.inspection).exists()


def test_department_cannot_import_a_ledger(client, unit):
    login(client, unit.dept_handler)
    assert client.get(reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])).status_code == 403


def test_notice_upload_previews_the_tree_and_imports_once(client, unit):
    login(client, unit.office_staff)
    data = NOTICE.read_bytes()
    url = reverse("inspections:import_notice")
    before = Inspection.objects.count()
    preview = client.post(url, {"unit": unit.org.pk, "file": SimpleUploadedFile("通报.txt", data)})
    page = preview.content.decode()
    assert "第二巡察组" in page and "问题清单" in page
    assert Inspection.objects.count() == before
    client.post(url, {"unit": unit.org.pk, "confirm": "1", "token": preview.context["token"]})
    assert Inspection.objects.count() == before + 1
    again = client.post(url, {"unit": unit.org.pk, "file": SimpleUploadedFile("通报.txt", data)})
    client.post(url, {"unit": unit.org.pk, "confirm": "1", "token": again.context["token"]})
    assert Inspection.objects.count() == before + 1


def test_ledger_export_is_a_real_workbook(client, unit):
    import io

    import openpyxl

    from tests.factories import make_task

    make_task(unit, title="建立健全学习制度")
    login(client, unit.leader)
    response = client.get(reverse("spreadsheets:export_ledger", args=[unit.inspection.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c.value for r in book.active.iter_rows() for c in r if c.value]
    assert "建立健全学习制度" in cells


def test_notice_upload_reads_a_pdf_file(client, unit):
    import pytest

    pytest.importorskip("reportlab")
    from tests.notice.test_pdf import OWN, _pdf

    login(client, unit.office_staff)
    preview = client.post(reverse("inspections:import_notice"),
                          {"unit": unit.org.pk, "file": SimpleUploadedFile("通报.pdf", _pdf(OWN))})
    page = preview.content.decode()
    assert "第二巡察组" in page and "确认导入" in page


def test_ledger_upload_reads_an_ods_file(client, unit):
    import pytest

    pytest.importorskip("odf")
    from tests.spreadsheets.test_ledger_formats import _ods

    login(client, unit.office_staff)
    url = reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    rows = [["反馈问题", "整改措施", "牵头单位", "完成时限"], ["主体责任落实不到位", "制定党组主体责任清单", "办公室", "立行立改"]]
    preview = client.post(url, {"file": SimpleUploadedFile("台账.ods", _ods(rows))})
    assert "制定党组主体责任清单" in preview.content.decode()
    client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert list(Task.objects.filter(inspection=unit.inspection).values_list("title", flat=True)) == ["制定党组主体责任清单"]


UNDECODABLE_NOTICE = "关于巡察整改进展情况的通报\n第二行\n".encode() + b"\xff\xff\xff\xfe\n"


def test_notice_that_cannot_be_read_is_refused_in_chinese(client, unit):
    login(client, unit.office_staff)
    before = Inspection.objects.count()
    response = client.post(reverse("inspections:import_notice"),
                           {"unit": unit.org.pk, "file": SimpleUploadedFile("通报.txt", UNDECODABLE_NOTICE)})
    page = response.content.decode()
    assert "无法导入通报「通报.txt」：第 3 行：无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK）" in page
    assert Inspection.objects.count() == before


def test_notice_that_cannot_be_read_is_refused_in_english(client, unit):
    login(client, unit.office_staff)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("inspections:import_notice"),
                           {"unit": unit.org.pk, "file": SimpleUploadedFile("通报.txt", UNDECODABLE_NOTICE)})
    page = response.content.decode()
    assert "Cannot import the notice “通报.txt”: Line 3: The file" in page
    assert "encoding is not recognised (neither UTF-8 nor GB18030/GBK)" in page
    assert "无法识别文件编码" not in page
