"""Write the rectification ledger (整改台账) in the standard shape.

A title row, a unit/date row, the header, then one row per task with the problem (and its
aspect) merged over its measures; print-ready on A4 landscape with the header repeated on every
page. Written with XlsxWriter (shared strings, UTF-8 XML): an openpyxl-written ledger of
10,000 tasks is several times larger and slower both to write and to read back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rectify.rules.sheet_rows import LINE_POINTS, row_points, text_lines
from rectify.spreadsheets.model import (
    CATEGORIES,
    CATEGORY_IMMEDIATE,
    CATEGORY_LONG_TERM,
    NO_LEVEL,
    ExportRow,
)

__all__ = ["COLUMNS", "LINE_POINTS", "blank_template", "row_heights", "write_ledger"]


@dataclass(frozen=True)
class _Column:
    field: str
    header: str
    width: float
    centered: bool


COLUMNS: tuple[_Column, ...] = (
    _Column("seq", "序号", 6, True),
    _Column("aspect", "方面", 14, True),
    _Column("finding", "反馈问题", 36, False),
    _Column("measure", "整改措施", 42, False),
    _Column("leader", "责任领导", 11, True),
    _Column("lead_org", "牵头单位", 15, True),
    _Column("co_orgs", "配合单位", 16, True),
    _Column("deadline", "完成时限", 13, True),
    _Column("category", "整改类型", 10, True),
    _Column("status", "整改状态", 10, True),
    _Column("light", "预警", 7, True),
    _Column("progress", "整改进展", 36, False),
    _Column("note", "备注", 12, False),
)
# A plan with 子问题 gets their column next to the problem's, so every level reads back.
SUB_PROBLEM_COLUMN = _Column("sub_problem", "子问题", 30, False)
COLUMNS_WITH_SUB_PROBLEMS: tuple[_Column, ...] = (*COLUMNS[:3], SUB_PROBLEM_COLUMN, *COLUMNS[3:])
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1

LIGHTS = {"green": ("绿", "00B050"), "yellow": ("黄", "FFC000"), "red": ("红", "FF0000")}
# Status labels by the words they contain; the first match decides the fill colour.
STATUS_FILLS: tuple[tuple[str, str], ...] = (
    ("退回", "F8CBAD"),
    ("重新", "F8CBAD"),
    ("反弹", "F8CBAD"),
    ("逾期", "F8CBAD"),
    ("销号", "C6EFCE"),
    ("完成", "C6EFCE"),
    ("阶段", "DDEBF7"),
    ("提交", "FFF2CC"),
    ("审核", "FFF2CC"),
    ("整改中", "DDEBF7"),
    ("推进", "DDEBF7"),
    ("未开始", "EDEDED"),
)
# A cell starting with one of these would be run as a formula by Excel or WPS.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
PAPER_A4 = 9  # ECMA-376 paper size code
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def write_ledger(
    rows: Sequence[ExportRow],
    *,
    title: str,
    unit: str,
    date_label: str,
    per_aspect: bool = False,
) -> bytes:
    """Write tasks as a ledger workbook (.xlsx bytes); ``per_aspect`` puts each aspect on its own sheet."""
    buffer = io.BytesIO()
    workbook = _new_workbook(buffer)
    styles = _Styles(workbook)
    if per_aspect and rows:
        groups: dict[str | None, list[ExportRow]] = {}
        for row in rows:
            groups.setdefault(row.aspect, []).append(row)
        used: set[str] = set()
        for aspect, group in groups.items():
            _write_sheet(
                workbook, styles, _sheet_name(aspect or "其他", used), group, title, unit, date_label,
                columns=columns_for(rows),
            )
    else:
        _write_sheet(workbook, styles, "整改台账", rows, title, unit, date_label, columns=columns_for(rows))
    workbook.close()
    return buffer.getvalue()


def columns_for(rows: Sequence[ExportRow]) -> tuple[_Column, ...]:
    """The ledger's columns: the standard ones, with 子问题 when any task answers a sub-problem."""
    return COLUMNS_WITH_SUB_PROBLEMS if any(row.sub_problem for row in rows) else COLUMNS


def blank_template() -> bytes:
    """An empty ledger in the standard shape, with a 说明 sheet on how to fill it in."""
    buffer = io.BytesIO()
    workbook = _new_workbook(buffer)
    styles = _Styles(workbook)
    _write_sheet(
        workbook,
        styles,
        "整改台账",
        [],
        "巡视（巡察）反馈问题整改台账",
        "（填写单位名称）",
        "填报日期：    年  月  日",
        blank_rows=20,
    )
    _write_help(workbook, styles)
    workbook.close()
    return buffer.getvalue()


def _new_workbook(buffer: io.BytesIO) -> Workbook:
    # Every text is written with write_string; these options are a second guard against
    # XlsxWriter turning "=…" into a formula or "http…" into a link.
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    return xlsxwriter.Workbook(buffer, options)


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_NAME_BAD.sub("", name).strip("'").strip() or "其他"
    base = base[:31]
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f"({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


class _Styles:
    """The cell formats of a ledger, made once per workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._properties: dict[int, dict[str, Any]] = {}
        self._quoted: dict[int, Format] = {}
        body = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "text_wrap": True, "border": 1}
        heading = {
            "font_name": "方正小标宋简体",
            "font_size": 18,
            "bold": True,
            "align": "center",
            "valign": "vcenter",
        }
        self.title = self.make({**heading, "text_wrap": True})
        self.unit = self.make({"font_name": "宋体", "font_size": 11, "align": "left", "valign": "vcenter"})
        self.date = self.make({"font_name": "宋体", "font_size": 11, "align": "right", "valign": "vcenter"})
        self.header = self.make(
            {
                **body,
                "font_name": "黑体",
                "font_size": 11,
                "bold": True,
                "align": "center",
                "bg_color": "#D9D9D9",
                "pattern": 1,
            }
        )
        self.left = self.make({**body, "align": "left"})
        self.center = self.make({**body, "align": "center"})
        self.date_cell = self.make({**body, "align": "center", "num_format": DATE_FORMAT})
        self.lights = {
            key: self.make(
                {
                    **body,
                    "align": "center",
                    "bold": True,
                    "font_color": "#FFFFFF",
                    "bg_color": f"#{colour}",
                    "pattern": 1,
                }
            )
            for key, (_, colour) in LIGHTS.items()
        }
        self.status = {
            colour: self.make({**body, "align": "center", "bg_color": f"#{colour}", "pattern": 1})
            for _, colour in STATUS_FILLS
        }
        self.help_key = self.make(
            {**body, "font_name": "黑体", "font_size": 11, "bold": True, "align": "left"}
        )

    def make(self, properties: dict[str, Any]) -> Format:
        style = self.workbook.add_format(properties)
        self._properties[id(style)] = properties
        return style

    def quoted(self, base: Format) -> Format:
        """The same format with Excel's quote prefix (the leading apostrophe that keeps text text)."""
        key = id(base)
        if key not in self._quoted:
            self._quoted[key] = self.workbook.add_format({**self._properties[key], "quote_prefix": True})
        return self._quoted[key]


def _put(ws: Worksheet, styles: _Styles, row: int, col: int, value: Any, style: Format) -> None:
    """Write one cell; text is always text, never a formula."""
    if value is None or value == "":
        ws.write_blank(row, col, None, style)
    elif isinstance(value, str):
        # isprintable() is False for every control character (and for line breaks): most cells skip the regex.
        text = value if value.isprintable() else CONTROL_CHARACTERS.sub("", value)
        ws.write_string(row, col, text, styles.quoted(style) if text.startswith(_FORMULA_START) else style)
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, style)
    else:
        ws.write_number(row, col, value, style)


def _merge(
    ws: Worksheet, styles: _Styles, r1: int, c1: int, r2: int, c2: int, value: Any, style: Format
) -> None:
    if (r1, c1) == (r2, c2):
        _put(ws, styles, r1, c1, value, style)
        return
    ws.merge_range(r1, c1, r2, c2, "", style)
    _put(ws, styles, r1, c1, value, style)


def _write_sheet(
    workbook: Workbook,
    styles: _Styles,
    name: str,
    rows: Sequence[ExportRow],
    title: str,
    unit: str,
    date_label: str,
    *,
    blank_rows: int = 0,
    columns: tuple[_Column, ...] = COLUMNS,
) -> None:
    ws = workbook.add_worksheet(name)
    last = len(columns) - 1
    for index, column in enumerate(columns):
        ws.set_column(index, index, column.width)
    ws.freeze_panes(FIRST_DATA_ROW - 1, 0)
    ws.repeat_rows(HEADER_ROW - 1)
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.set_row(0, 36)
    ws.set_row(HEADER_ROW - 1, 30)

    split = len(columns) // 2
    _merge(ws, styles, 0, 0, 0, last, title, styles.title)
    unit_text = f"填报单位：{unit}" if unit and not unit.startswith("填报单位") else unit
    _merge(ws, styles, 1, 0, 1, split - 1, unit_text, styles.unit)
    _merge(ws, styles, 1, split, 1, last, date_label, styles.date)
    for index, column in enumerate(columns):
        _put(ws, styles, HEADER_ROW - 1, index, column.header, styles.header)

    _write_tasks(ws, styles, rows, columns)
    first_blank = FIRST_DATA_ROW - 1 + len(rows)
    for row in range(first_blank, first_blank + blank_rows):
        for index, column in enumerate(columns):
            ws.write_blank(row, index, None, styles.center if column.centered else styles.left)
    end = max(first_blank + blank_rows - 1, FIRST_DATA_ROW - 1)
    category = [column.field for column in columns].index("category")
    ws.data_validation(
        FIRST_DATA_ROW - 1,
        category,
        end,
        category,
        {
            "validate": "list",
            "source": list(CATEGORIES),
            "error_title": "整改类型",
            "error_message": "请从列表中选择：" + "、".join(CATEGORIES),
        },
    )


def row_heights(rows: Sequence[ExportRow], texts: Sequence[dict[str, str]], spans: dict[str, dict[int, int]]) -> list[float]:
    """The height of each data row: its own cells' lines, and merged problem/aspect text spread over
    the rows it covers (the last row of the span takes what the others lack)."""
    widths = {column.field: column.width for column in COLUMNS_WITH_SUB_PROBLEMS}
    lines = [
        max((text_lines(value, widths[name]) for name, value in cells.items() if name not in _MERGED and value),
            default=1)
        for cells in texts
    ]
    for name in ("sub_problem", "finding", "aspect"):
        for start, end in spans[name].items():
            need = text_lines(texts[start].get(name, ""), widths[name]) if texts[start].get(name) else 1
            have = sum(lines[start : end + 1])
            if need > have:
                lines[end] += need - have
    return [row_points(n) for n in lines]


_MERGED = {"seq", "aspect", "finding", "sub_problem"}


def _labelled(label: str, title: str | None) -> str | None:
    """A level's title with the plan's numbering in front ("（一）学习不深入"), as officials write it."""
    return f"{label}{title}" if label and title else title


def _aspect_text(row: ExportRow) -> str:
    return (_labelled(row.aspect_label, row.aspect) or "") if row.aspect is not None else NO_LEVEL


def _finding_text(row: ExportRow) -> str:
    return (_labelled(row.finding_label, row.finding) or "") if row.finding else NO_LEVEL


_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def _number_value(number: str) -> Any:
    """A 序号 as Excel shows it: a whole number as a number, "1.2" as text (never the decimal 1.2)."""
    return int(number) if _NUMBER.fullmatch(number) else number or None


def _seq_cells(rows: Sequence[ExportRow], spans: dict[str, dict[int, int]]) -> dict[int, tuple[int, Any]]:
    """The 序号 cells, first row offset → (last row offset, value).

    The tasks' own numbers: one number merged over a problem's rows where its tasks are numbered
    N.1, N.2 … (or it has one task), as the reader numbers such a merged cell; else one a row, and
    none on a finding's row that has no task. Rows that carry no number at all get the problems counted.
    """
    cells: dict[int, tuple[int, Any]] = {}
    if not any(row.number for row in rows):
        for count, (start, end) in enumerate(spans["finding"].items(), start=1):
            cells[start] = (end, count)
        return cells
    for start, end in spans["finding"].items():
        numbers = [row.number for row in rows[start : end + 1] if row.has_task]
        prefix = numbers[0].rpartition(".")[0] if numbers else ""
        shared = None
        if len(numbers) < end - start + 1:
            pass  # a finding with no task among the rows: no number reaches over its row
        elif len(numbers) == 1 and numbers[0]:
            shared = numbers[0]
        elif len(numbers) > 1 and prefix and numbers == [f"{prefix}.{i}" for i in range(1, len(numbers) + 1)]:
            shared = prefix
        if shared is not None:
            cells[start] = (end, _number_value(shared))
        else:
            for offset in range(start, end + 1):
                cells[offset] = (offset, _number_value(rows[offset].number) if rows[offset].has_task else None)
    return cells


def _write_tasks(ws: Worksheet, styles: _Styles, rows: Sequence[ExportRow], columns: tuple[_Column, ...]) -> None:
    merged = _MERGED
    spans = _spans(rows)
    texts = [
        {"aspect": _aspect_text(row),
         "finding": _finding_text(row),
         "sub_problem": _labelled(row.sub_problem_label, row.sub_problem) or "",
         "measure": row.measure or "",
         "leader": "、".join(row.leader), "lead_org": "、".join(row.lead_org), "co_orgs": "、".join(row.co_orgs),
         "status": row.status or "", "progress": row.progress or "", "note": row.note or ""}
        for row in rows
    ]
    for offset, height in enumerate(row_heights(rows, texts, spans)):
        ws.set_row(FIRST_DATA_ROW - 1 + offset, height)
    seq_cells = _seq_cells(rows, spans)
    status_styles: dict[str | None, Format] = {}
    fields = [(index, column.field, column.field in merged) for index, column in enumerate(columns)]
    for offset, row in enumerate(rows):
        excel_row = FIRST_DATA_ROW - 1 + offset
        if not row.has_task:
            _write_finding_only(ws, styles, row, offset, columns, spans, seq_cells)
            continue
        status_style = status_styles.get(row.status)
        if status_style is None:
            status_style = status_styles[row.status] = _status_style(styles, row.status)
        light_text, _ = LIGHTS.get(row.light or "", ("", ""))
        text = texts[offset]
        deadline: Any = row.deadline
        if deadline is None:
            deadline = {CATEGORY_LONG_TERM: "长期坚持", CATEGORY_IMMEDIATE: "立行立改"}.get(row.category)
        values: dict[str, tuple[Any, Format]] = {
            "seq": (None, styles.center),
            "aspect": (text["aspect"], styles.center),
            "finding": (text["finding"], styles.left),
            "sub_problem": (text["sub_problem"], styles.left),
            "measure": (row.measure, styles.left),
            "leader": (text["leader"], styles.center),
            "lead_org": (text["lead_org"], styles.center),
            "co_orgs": (text["co_orgs"], styles.center),
            "deadline": (deadline, styles.date_cell if isinstance(deadline, date) else styles.center),
            "category": (row.category, styles.center),
            "status": (row.status, status_style),
            "light": (light_text, styles.lights.get(row.light or "", styles.center)),
            "progress": (row.progress, styles.left),
            "note": (row.note, styles.left),
        }
        for index, name, is_merged in fields:
            value, style = values[name]
            if is_merged:
                _write_merged(ws, styles, offset, index, name, spans, seq_cells, value, style)
            else:
                _put(ws, styles, excel_row, index, value, style)


def _status_style(styles: _Styles, status: str | None) -> Format:
    """The fill of a status label: the first word of STATUS_FILLS it contains decides."""
    for word, colour in STATUS_FILLS:
        if status and word in status:
            return styles.status[colour]
    return styles.center


def _write_merged(
    ws: Worksheet, styles: _Styles, offset: int, index: int, name: str, spans: dict[str, dict[int, int]],
    seq_cells: dict[int, tuple[int, Any]], value: Any, style: Format,
) -> None:
    """A 序号/方面/问题/子问题 cell, merged over the rows it covers (nothing for the rows below its first)."""
    if name == "seq":
        if offset not in seq_cells:
            return
        end, value = seq_cells[offset]
    else:
        if offset not in spans[name]:
            return  # covered by the merge that starts above
        end = spans[name][offset]
    excel_row = FIRST_DATA_ROW - 1 + offset
    _merge(ws, styles, excel_row, index, excel_row + end - offset, index, value, style)


def _write_finding_only(
    ws: Worksheet, styles: _Styles, row: ExportRow, offset: int, columns: tuple[_Column, ...],
    spans: dict[str, dict[int, int]], seq_cells: dict[int, tuple[int, Any]],
) -> None:
    """A finding with no task yet: its 方面/问题/子问题 cells filled, every task cell empty (bordered)."""
    values = {
        "aspect": (_aspect_text(row), styles.center),
        "finding": (_finding_text(row), styles.left),
        "sub_problem": (_labelled(row.sub_problem_label, row.sub_problem), styles.left),
        "seq": (None, styles.center),
    }
    for index, column in enumerate(columns):
        if column.field in _MERGED:
            value, style = values[column.field]
            _write_merged(ws, styles, offset, index, column.field, spans, seq_cells, value, style)
        else:
            ws.write_blank(FIRST_DATA_ROW - 1 + offset, index, None, styles.center if column.centered else styles.left)


def _spans(rows: Sequence[ExportRow]) -> dict[str, dict[int, int]]:
    """Where each aspect, problem and sub-problem starts (row offset) and ends: the ranges to merge."""
    spans: dict[str, dict[int, int]] = {"aspect": {}, "finding": {}, "sub_problem": {}}
    keys: dict[str, list[Any]] = {
        "aspect": [row.aspect for row in rows],
        "finding": [(row.aspect, row.finding) for row in rows],
        "sub_problem": [(row.aspect, row.finding, row.sub_problem) for row in rows],
    }
    for name, values in keys.items():
        start = 0
        for index in range(1, len(values) + 1):
            if index == len(values) or values[index] != values[start]:
                spans[name][start] = index - 1
                start = index
    return spans


_HELP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("序号", "问题的序号，可不填；同一问题的多条措施可合并单元格。"),
    (
        "方面",
        "反馈问题所属方面，如“贯彻落实党的路线方针政策方面”。同一方面的多行可合并单元格或只在第一行填写；"
        "也可以每个方面单独一个工作表（以工作表名称作为方面）。问题不属于任何方面时填“—”。",
    ),
    (
        "反馈问题",
        "巡视（巡察）反馈的问题。一个问题有多条整改措施时，每条措施占一行，问题单元格可合并，或只在第一行填写。",
    ),
    (
        "整改措施",
        "一行一条具体措施，写明做什么、谁来做、做到什么程度。尚未制定措施的问题可只填问题，"
        "整改措施及其后各列留空，导入时只建立问题。",
    ),
    ("责任领导", "多个姓名用顿号“、”分隔。"),
    ("牵头单位", "多个单位用顿号“、”分隔；若与配合单位写在同一列，请在牵头单位后注明“（牵头）”。"),
    ("配合单位", "多个单位用顿号“、”分隔。"),
    (
        "完成时限",
        "可填日期（2021-06-30、2021/6/30、2021.6、2021年6月底前、6月底前、年底前、上半年），"
        "或“立行立改”“长期坚持”。没写年份的按巡视（巡察）所在年份计算。",
    ),
    ("整改类型", "立行立改、限期整改或长期整改；不填时根据完成时限判断（有日期为限期整改）。"),
    ("整改状态", "导出时由系统填写，导入时不读取。"),
    ("预警", "导出时由系统填写：绿（正常推进）、黄（临近时限或 7 天未更新）、红（逾期或多次退回）。"),
    ("整改进展", "目前进展情况，可填“已完成”或具体进展。"),
    ("备注", "其他需要说明的事项。"),
)


def _write_help(workbook: Workbook, styles: _Styles) -> None:
    ws = workbook.add_worksheet("说明")
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 90)
    _merge(ws, styles, 0, 0, 0, 1, "填表说明", styles.title)
    _merge(
        ws,
        styles,
        1,
        0,
        1,
        1,
        "请在“整改台账”工作表第 4 行起逐行填写，不要修改表头；标题、填表人、注释等行导入时会自动跳过。",
        styles.left,
    )
    for row, (name, text) in enumerate(_HELP_COLUMNS, start=2):
        _put(ws, styles, row, 0, name, styles.help_key)
        _put(ws, styles, row, 1, text, styles.left)
