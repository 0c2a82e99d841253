"""write_ledger and blank_template, opened back with openpyxl as Excel would show them."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from rectify.spreadsheets import ExportRow, blank_template, read_ledger, write_ledger

ROWS = [
    ExportRow(
        "政治建设方面",
        "学习不深入",
        "修订学习制度",
        ["张三"],
        ["办公室"],
        ["机关党委"],
        date(2021, 6, 30),
        "限期整改",
        "已销号",
        "green",
        "已修订",
        None,
    ),
    ExportRow(
        "政治建设方面",
        "学习不深入",
        '=HYPERLINK("http://x")开展研讨',
        ["张三", "李四"],
        ["机关党委"],
        [],
        None,
        "长期整改",
        "整改中",
        "yellow",
        None,
        "每季度一次",
    ),
    ExportRow(
        "政治建设方面",
        "意识形态责任制落实不到位",
        "+开展专项检查",
        ["李四"],
        ["宣传处"],
        [],
        date(2021, 9, 30),
        "限期整改",
        "已退回",
        "red",
        None,
        None,
    ),
    ExportRow(
        "作风建设方面",
        "文山会海",
        "@精简文件",
        ["王五"],
        ["办公室"],
        [],
        None,
        "立行立改",
        "未开始",
        None,
        None,
        None,
    ),
]


def _open(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def test_export_merges_problems_over_measures_and_aspects_over_rows() -> None:
    ws = _open(write_ledger(ROWS, title="整改台账", unit="XX局", date_label="截至2021年8月26日")).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:M1", "C4:C5", "A4:A5", "B4:B6"} <= merged
    assert not any(r.startswith("C6") or r.startswith("B7") for r in merged)
    assert ws["A1"].value == "整改台账"
    assert "XX局" in ws["A2"].value
    assert [c.value for c in ws[3]][:4] == ["序号", "方面", "反馈问题", "整改措施"]
    assert ws["A6"].value == 2  # 序号 counts problems, not measures
    assert ws["H4"].value.date() == date(2021, 6, 30)
    assert ws["H5"].value == "长期坚持"


def test_export_is_print_ready() -> None:
    ws = _open(write_ledger(ROWS, title="t", unit="u", date_label="d")).active
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1)  # absent means 1 page wide in the file format
    assert ws.page_setup.fitToHeight == 0
    assert ws.column_dimensions["D"].width > 30
    assert ws["D4"].alignment.wrap_text


def test_export_colours_status_and_traffic_light() -> None:
    ws = _open(write_ledger(ROWS, title="t", unit="u", date_label="d")).active
    fills = {
        row: (ws[f"J{row}"].fill.fgColor.rgb, ws[f"K{row}"].fill.fgColor.rgb, ws[f"K{row}"].value)
        for row in (4, 5, 6)
    }
    assert fills[4][1:] == ("FF00B050", "绿")
    assert fills[5][1:] == ("FFFFC000", "黄")
    assert fills[6][1:] == ("FFFF0000", "红")
    assert len({fills[4][0], fills[5][0], fills[6][0]}) == 3  # 已销号, 整改中, 已退回 differ


def test_text_that_looks_like_a_formula_stays_text() -> None:
    data = write_ledger(ROWS, title="t", unit="u", date_label="d")
    ws = _open(data).active
    for ref, text in (("D5", '=HYPERLINK("http://x")开展研讨'), ("D6", "+开展专项检查"), ("D7", "@精简文件")):
        assert ws[ref].value == text
        assert ws[ref].data_type == "s"
        assert ws[ref].quotePrefix
    assert read_ledger(data, "x.xlsx").tasks[1].measure == '=HYPERLINK("http://x")开展研讨'


def test_one_sheet_per_aspect() -> None:
    wb = _open(write_ledger(ROWS, title="t", unit="u", date_label="d", per_aspect=True))
    assert wb.sheetnames == ["政治建设方面", "作风建设方面"]
    assert wb["作风建设方面"]["D4"].value == "@精简文件"


def test_blank_template_has_the_header_and_an_explanation_sheet() -> None:
    data = blank_template()
    wb = _open(data)
    assert wb.sheetnames == ["整改台账", "说明"]
    assert [c.value for c in wb["整改台账"][3]][:4] == ["序号", "方面", "反馈问题", "整改措施"]
    help_text = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    for phrase in ("完成时限", "6月底前", "长期坚持", "立行立改", "牵头"):
        assert phrase in help_text
    parsed = read_ledger(data, "模板.xlsx")
    assert (parsed.tasks, parsed.errors) == ([], [])
