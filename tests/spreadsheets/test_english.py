"""Ledger import and export pages in English: the interface and the reasons a row or a file is refused
follow the chosen language; the ledger's own data, the exported workbook and the command line stay Chinese."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from rectify.ledger.models import Task
from rectify.spreadsheets import read_ledger
from rectify.spreadsheets import services as spreadsheets
from tests.factories import make_task
from tests.spreadsheets.conftest import save


def ledger(*rows: list[object]) -> bytes:
    wb = Workbook()
    wb.active.title = "台账"
    wb.active.append(["反馈问题", "整改措施", "牵头单位", "完成时限"])
    for row in rows:
        wb.active.append(row)
    return save(wb)


GOOD = ["主体责任落实不到位", "制定党组主体责任清单", "办公室", "2026年12月底前"]
UNKNOWN_DEPARTMENT = ["主体责任落实不到位", "规范公文处理", "宣传处", "立行立改"]
BAD_DEADLINE = ["主体责任落实不到位", "开展警示教育", "办公室", "2026年13月底前"]


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """A request in English leaves English active in this thread: give the next test the default back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def office(client, unit):
    client.force_login(unit.office_staff)
    return client


@pytest.fixture
def english(office):
    office.cookies["django_language"] = "en"
    return office


def upload(client, unit, data: bytes, name: str = "台账.xlsx"):
    return client.post(reverse("spreadsheets:import_ledger", args=[unit.inspection.pk]),
                       {"file": SimpleUploadedFile(name, data)})


def test_import_page_in_english(english, unit) -> None:
    page = english.get(reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])).content.decode()
    assert "Import an Excel rectification ledger" in page and "Upload and preview" in page
    assert 'data-busy="Reading the ledger, please wait…"' in page
    # The wordings a ledger may use are Chinese data: quoted as they are.
    assert "“反馈问题/存在问题” (finding)" in page
    assert "导入 Excel 整改台账" not in page and "上传并预览" not in page


def test_import_page_is_chinese_by_default(office, unit) -> None:
    page = office.get(reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])).content.decode()
    assert "导入 Excel 整改台账" in page and "Import an Excel rectification ledger" not in page


def test_preview_explains_bad_rows_in_english(english, unit) -> None:
    response = upload(english, unit, ledger(GOOD, UNKNOWN_DEPARTMENT, BAD_DEADLINE))
    page = response.content.decode()
    assert "Rows with problems" in page and "Confirm import" in page
    assert "Row 3: “牵头单位”: department not found: 宣传处 (sheet “台账”, column C)" in page
    assert "Row 4: “完成时限” cannot be read: “2026年13月底前”: there is no month 13 (sheet “台账”, column D)" in page
    assert "Column A “反馈问题” → Finding" in page
    assert "Skip the 2 rows with problems and import the rest" in page
    assert "未找到部门" not in page and "无法识别" not in page and "确认导入" not in page
    # The rows read from the file are shown as written.
    assert "制定党组主体责任清单" in page
    assert not Task.objects.filter(inspection=unit.inspection).exists()


def test_preview_is_chinese_by_default(office, unit) -> None:
    page = upload(office, unit, ledger(GOOD, BAD_DEADLINE)).content.decode()
    assert "第 3 行「完成时限」无法识别：「2026年13月底前」中的月份 13 不存在（工作表「台账」，D 列）" in page
    assert "A 列「反馈问题」→ 反馈问题" in page and "确认导入" in page


def test_unreadable_file_is_explained_in_english(english, unit) -> None:
    page = upload(english, unit, b"PK\x03\x04 not really a zip").content.decode()
    assert "The file is damaged: it is not a complete .xlsx file (the archive cannot be opened)." in page
    assert "文件已损坏" not in page
    page = upload(english, unit, b"%PDF-1.4 ...").content.decode()
    assert "The file is a PDF document, not an Excel spreadsheet" in page


def test_confirmed_import_reports_in_english(english, unit) -> None:
    preview = upload(english, unit, ledger(GOOD, ["主体责任落实不到位", "开展警示教育", "办公室", "立行立改"]))
    done = english.post(reverse("spreadsheets:import_ledger", args=[unit.inspection.pk]),
                        {"confirm": "1", "token": preview.context["token"]}, follow=True)
    assert "Imported 2 rectification tasks" in done.content.decode()
    assert set(Task.objects.filter(inspection=unit.inspection).values_list("title", flat=True)) == {
        "制定党组主体责任清单", "开展警示教育"}


def test_reader_messages_stay_chinese_as_data_and_translate_on_request() -> None:
    translation.activate(settings.LANGUAGE_CODE)
    parsed = read_ledger(ledger(BAD_DEADLINE), "台账.xlsx", year=2026)
    why = parsed.errors[0].why
    with translation.override("en"):
        # JSON and comparisons see the Chinese text whatever the active language.
        assert json.loads(json.dumps(parsed.to_json(), ensure_ascii=False))["errors"][0]["why"] == (
            "「完成时限」无法识别：「2026年13月底前」中的月份 13 不存在")
        assert spreadsheets.localize(why) == "“完成时限” cannot be read: “2026年13月底前”: there is no month 13"
    assert spreadsheets.localize(why) == why


def test_command_json_keeps_the_chinese_reasons(unit, tmp_path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger(GOOD, UNKNOWN_DEPARTMENT, BAD_DEADLINE))
    out = io.StringIO()
    translation.activate("en")  # as a page in English would leave it: the command still answers in Chinese
    with pytest.raises(CommandError):
        call_command("import_ledger", str(path), inspection=unit.inspection.pk, json=True, stdout=out)
    whys = [error["why"] for error in json.loads(out.getvalue())["errors"]]
    assert whys == ["「牵头单位」未找到部门：宣传处", "「完成时限」无法识别：「2026年13月底前」中的月份 13 不存在"]


def _cells(response) -> list[object]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_export_is_the_same_chinese_workbook_in_either_language(client, unit) -> None:
    make_task(unit, title="建立健全学习制度")
    client.force_login(unit.leader)
    url = reverse("spreadsheets:export_ledger", args=[unit.inspection.pk])
    chinese = _cells(client.get(url))
    client.cookies["django_language"] = "en"
    english = client.get(url)
    assert english.status_code == 200
    assert _cells(english) == chinese
    assert any(isinstance(v, str) and v.startswith("填报日期：") for v in chinese)
    assert "建立健全学习制度" in chinese


def test_department_refusal_in_english(client, unit) -> None:
    client.force_login(unit.dept_handler)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("spreadsheets:import_ledger", args=[unit.inspection.pk]))
    assert response.status_code == 403
    assert response.content.decode() == "Only the rectification office can import the rectification ledger."
