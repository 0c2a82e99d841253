"""The same ledger saved as .xlsx, .xls, .xlsb, .ods and .csv (GBK and UTF-8) reads to the same tasks."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from rectify.spreadsheets import read_ledger
from tests.spreadsheets.conftest import save

ROWS: list[list[object]] = [
    ["XX局巡察整改台账"],
    ["序号", "存在问题", "整改措施", "责任人", "牵头部门", "配合部门", "完成时限", "整改进展"],
    [1, "问题甲", "措施一", "张三", "办公室", "财务处、人事处", "2021年8月底前", None],
    [None, None, "措施二", "张三", "办公室", None, "长期坚持", "已建立台账"],
    [2, "问题乙", "措施三", "李四", "人事处", None, datetime(2021, 6, 30), None],
    [3, "问题丙", "措施四", "王五", "财务处", None, 44377, None],  # a date typed as a number
    [4, "问题丁", "措施五", "王五", "财务处", None, "二〇二一年九月底", None],
]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    for row in rows:
        sheet.append(row)
    for cell in sheet["G"]:
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy-mm-dd"
    return save(book)


def _xls(rows: list[list[object]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(r, c, value, date_style)
            elif value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsb(rows: list[list[object]], tmp_path: Path) -> bytes:
    pyxlsbwriter = pytest.importorskip("pyxlsbwriter")
    path = tmp_path / "台账.xlsb"
    with pyxlsbwriter.XlsbWriter(str(path)) as writer:
        writer.add_sheet("台账")
        writer.write_sheet([list(row) + [None] * (8 - len(row)) for row in rows])
    return path.read_bytes()


def _ods(rows: list[list[object]]) -> bytes:
    pytest.importorskip("odf")
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="台账")
    for row in rows:
        line = TableRow()
        for value in row:
            if value is None:
                cell = TableCell()
            elif isinstance(value, datetime):
                cell = TableCell(valuetype="date", datevalue=value.date().isoformat())
                cell.addElement(P(text=value.date().isoformat()))
            elif isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _csv(rows: list[list[object]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else v.date().isoformat() if isinstance(v, datetime) else v for v in row])
    return buffer.getvalue().encode(encoding)


WRITERS: dict[str, Callable[[list[list[object]], Path], bytes]] = {
    "xlsx": lambda rows, _: _xlsx(rows),
    "xls": lambda rows, _: _xls(rows),
    "xlsb": _xlsb,
    "ods": lambda rows, _: _ods(rows),
    "csv-gbk": lambda rows, _: _csv(rows, "gbk"),
    "csv-utf8": lambda rows, _: _csv(rows, "utf-8"),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_same_ledger_in_every_format_reads_to_the_same_tasks(kind: str, tmp_path: Path) -> None:
    want = read_ledger(_xlsx(ROWS), "台账.xlsx", year=2021)
    assert want.errors == [] and len(want.tasks) == 5
    data = WRITERS[kind](ROWS, tmp_path)
    got = read_ledger(data, "台账." + kind.split("-")[0], year=2021)
    assert got.to_json() == want.to_json()
    assert [task.row for task in got.tasks] == [task.row for task in want.tasks]


def test_deadlines_typed_as_numbers_and_in_chinese_numerals_are_read() -> None:
    tasks = read_ledger(_xlsx(ROWS), "台账.xlsx", year=2021).tasks
    assert [task.deadline.isoformat() for task in tasks[2:]] == ["2021-06-30", "2021-06-30", "2021-09-30"]
