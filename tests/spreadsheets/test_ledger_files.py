"""File types decided by content, and the uploads that must be refused with a clear reason."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from rectify.spreadsheets import LedgerFileError, ReadLimits, read_ledger
from tests.spreadsheets.conftest import save

CSV_TEXT = (
    "XX局巡察整改台账\n"
    "序号,存在问题,整改措施,责任人,牵头部门,配合部门,完成期限,整改情况\n"
    '1,"问题甲","措施一",张三,办公室,"财务处、人事处",2021年8月底前,\n'
    ',,"措施二",张三,办公室,,长期坚持,已建立台账\n'
    "填表人：李四,,,,,,,\n"
)
EXPECTED_CSV_TASKS = [
    {
        "aspect": None,
        "finding": "问题甲",
        "measure": "措施一",
        "leader": ["张三"],
        "lead_org": ["办公室"],
        "co_orgs": ["财务处", "人事处"],
        "deadline": "2021-08-31",
        "category": "限期整改",
        "progress": None,
    },
    {
        "aspect": None,
        "finding": "问题甲",
        "measure": "措施二",
        "leader": ["张三"],
        "lead_org": ["办公室"],
        "co_orgs": [],
        "deadline": None,
        "category": "长期整改",
        "progress": "已建立台账",
    },
]


@pytest.mark.parametrize(
    "data",
    [CSV_TEXT.encode("gb18030"), b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"), CSV_TEXT.encode("utf-8")],
    ids=["gb18030", "utf-8-bom", "utf-8"],
)
def test_csv_in_any_common_encoding_is_read(data: bytes) -> None:
    parsed = read_ledger(data, "台账.csv", year=2021)
    assert parsed.to_json() == {"tasks": EXPECTED_CSV_TASKS, "errors": []}
    assert parsed.tasks[0].sheet == "台账"
    assert parsed.tasks[1].row == 4


def test_file_type_comes_from_content_not_name() -> None:
    wb = Workbook()
    wb.active.append(["反馈问题", "整改措施", "完成时限"])
    wb.active.append(["问题甲", "措施一", "2021-06-30"])
    parsed = read_ledger(save(wb), "台账.xls", year=2021)
    assert [t.deadline for t in parsed.tasks] == [date(2021, 6, 30)]


def test_xls_with_merged_cells_and_dates_is_read() -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("台账")
    ws.write_merge(0, 0, 0, 4, "整改台账")
    for col, text in enumerate(["方面", "反馈问题", "整改措施", "牵头单位", "完成时限"]):
        ws.write(1, col, text)
    ws.write_merge(2, 3, 0, 0, "党的建设方面")
    ws.write_merge(2, 3, 1, 1, "问题甲")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    ws.write(2, 2, "措施一")
    ws.write(2, 3, "办公室")
    ws.write(2, 4, date(2021, 6, 30), date_style)
    ws.write(3, 2, "措施二")
    ws.write(3, 3, "人事处")
    ws.write(3, 4, "年底前")
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_ledger(buffer.getvalue(), "台账.xls", year=2021)
    assert [(t.aspect, t.finding, t.measure, t.deadline, t.row) for t in parsed.tasks] == [
        ("党的建设方面", "问题甲", "措施一", date(2021, 6, 30), 3),
        ("党的建设方面", "问题甲", "措施二", date(2021, 12, 31), 4),
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "空"),
        (b"PK\x03\x04 this archive was cut short", "损坏"),
        (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}), "Word"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
        (b"%PDF-1.4 ...", "PDF"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"),
            "加密",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "损坏"),
    ],
    ids=["zero-bytes", "broken-zip", "renamed-docx", "html-as-xls", "pdf", "encrypted", "broken-ole"],
)
def test_unreadable_files_raise_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(LedgerFileError, match=reason):
        read_ledger(data, "台账.xlsx")


def test_zip_bomb_is_refused_before_it_is_opened() -> None:
    bomb = _zip(
        {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<" + b"0" * (4 * 1024 * 1024)}
    )
    with pytest.raises(LedgerFileError, match="压缩炸弹"):
        read_ledger(bomb, "台账.xlsx")
    with pytest.raises(LedgerFileError, match="压缩炸弹"):
        read_ledger(
            bomb,
            "台账.xlsx",
            limits=ReadLimits(max_uncompressed_bytes=1024 * 1024, max_compression_ratio=10**6),
        )


def test_sheet_over_the_row_limit_is_refused() -> None:
    wb = Workbook()
    wb.active.title = "大表"
    wb.active.append(["反馈问题", "整改措施", "完成时限"])
    for index in range(60):
        wb.active.append([f"问题{index}", "措施", "年底前"])
    data = save(wb)
    with pytest.raises(LedgerFileError, match="大表.*50 行"):
        read_ledger(data, "x.xlsx", year=2021, limits=ReadLimits(max_rows=50))
    with pytest.raises(LedgerFileError, match="单元格"):
        read_ledger(data, "x.xlsx", year=2021, limits=ReadLimits(max_cells=100))
    assert len(read_ledger(data, "x.xlsx", year=2021).tasks) == 60


def test_workbook_without_any_ledger_header_is_refused() -> None:
    wb = Workbook()
    wb.active["A1"] = "会议纪要"
    wb.active["A2"] = "本周召开整改推进会一次。"
    with pytest.raises(LedgerFileError, match="表头"):
        read_ledger(save(wb), "x.xlsx")


def test_a_stray_cell_in_column_xfd_on_every_row_is_read_in_bounded_memory() -> None:
    from rectify.spreadsheets.sources import load_sheets

    book = Workbook()
    sheet = book.active
    sheet.append(["反馈问题", "整改措施", "完成时限"])
    sheet.append(["问题甲", "措施一", "2021年6月底前"])
    for row in range(3, 6003):
        sheet.cell(row=row, column=16384, value="x")  # column XFD
    data = save(book)
    assert len(data) < 200 * 1024
    grid = load_sheets(data, "台账.xlsx", ReadLimits())[0]
    assert grid.far_cells == 6000
    # Only the cells of the ledger's own columns are visited, not 16,384 per row.
    assert grid.visited == 6
    parsed = read_ledger(data, "台账.xlsx", year=2021)
    assert [task.measure for task in parsed.tasks] == ["措施一"] and parsed.errors == []


def test_a_sheet_wider_than_the_cell_budget_is_refused_by_name() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["反馈问题", "整改措施", "完成时限"])
    for row in range(2, 50):
        sheet.cell(row=row, column=900, value="x")
    with pytest.raises(LedgerFileError, match="单元格的上限"):
        read_ledger(save(book), "台账.xlsx", limits=ReadLimits(max_cells=10_000))


def test_a_workbook_over_the_rows_of_all_its_sheets_together_is_refused_by_the_limit() -> None:
    book = Workbook()
    book.remove(book.active)
    for aspect in ("政治建设方面", "全面从严治党方面", "组织建设方面"):
        sheet = book.create_sheet(aspect)
        sheet.append(["反馈问题", "整改措施", "完成时限"])
        for index in range(40):
            sheet.append([f"问题{index}", f"措施{index}", "年底前"])
    data = save(book)
    limits = {"max_rows": 50, "max_cells": 200}  # every sheet is within the limits of one sheet
    with pytest.raises(LedgerFileError, match="合计超过 100 行的上限.*组织建设方面.*123 行"):
        read_ledger(data, "台账.xlsx", year=2021, limits=ReadLimits(**limits, max_total_rows=100))
    with pytest.raises(LedgerFileError, match="合计超过 300 个单元格的上限"):
        read_ledger(data, "台账.xlsx", year=2021, limits=ReadLimits(**limits, max_total_cells=300))
    assert len(read_ledger(data, "台账.xlsx", year=2021, limits=ReadLimits(**limits)).tasks) == 120
