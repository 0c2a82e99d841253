"""Read a rectification ledger (整改台账) kept in Excel, WPS or CSV into tasks.

`read_ledger` never half-succeeds silently: a row it cannot read becomes a `RowError` naming the
sheet, the row as Excel numbers it, the column and the reason; a file it cannot read at all
raises `LedgerFileError`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from openpyxl.utils.cell import get_column_letter

from rectify.spreadsheets.deadlines import Deadline, DeadlineError, parse_deadline
from rectify.spreadsheets.headers import HeaderMatch, exact_field, find_header
from rectify.spreadsheets.model import (
    CATEGORY_DEADLINE,
    CATEGORY_IMMEDIATE,
    CATEGORY_LONG_TERM,
    FIELD_LABELS,
    NO_LEVEL_MARKS,
    ColumnMap,
    LedgerFileError,
    LedgerParse,
    LedgerRow,
    Message,
    ReadLimits,
    RowError,
    SheetInfo,
    gettext_noop,
)
from rectify.spreadsheets.sources import SheetGrid, load_sheets
from rectify.spreadsheets.text import (
    cell_text,
    clean_text,
    half_width,
    numbering_of,
    sort_roles,
    split_names,
    strip_numbering,
)

__all__ = ["read_ledger"]

# The first cell of a signature row below the table: skipped wherever it stands.
_FOOTER = re.compile(
    r"^(?:填表人|填报人|制表人|审核人|审核|审签|核稿|签发人|联系人|联系电话|经办人|单位负责人|主要负责人[:：]"
    r"|负责人[:：]|分管领导[:：]|填表日期|填报日期|制表日期|日期[:：])"
)
# A note below the table ("注：…"): skipped there, a bad row when tasks follow it.
_NOTE = re.compile(r"^(?:注[:：\d]|注释|附注|说明[:：]|备注[:：])")
# A total line is never a task: it is named as a bad row.
_TOTAL = re.compile(r"^(?:合计|总计|小计|共计)")
_ASPECT_HEADING = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十]{1,3}[)）、.]|第[一二三四五六七八九十]{1,3}部分)|方面"
)
# Sheet names that name the ledger itself, not an aspect.
_GENERIC_SHEET = re.compile(
    r"^(?:sheet\d*|工作表\d*|表\d*|附件\d*|.*(?:台账|清单|汇总|总表|明细|目录).*)$", re.I
)
_LIST_FIELDS = ("leader", "lead_org", "co_orgs")
# A task's own cells, which a finding's row (one with no measure) leaves empty.
_TASK_FIELDS = frozenset({"leader", "lead_org", "co_orgs", "deadline", "category", "progress"})


def read_ledger(
    data: bytes,
    filename: str,
    *,
    year: int | None = None,
    limits: ReadLimits | None = None,
) -> LedgerParse:
    """Read an .xlsx, .xls or .csv ledger (type decided by content) into tasks and row errors.

    ``year`` is the inspection's year, used for deadlines such as "6月底前".
    Raises `LedgerFileError` when the file itself cannot be read or holds no ledger at all.
    """
    limits = limits or ReadLimits()
    grids = load_sheets(data, filename, limits)
    result = LedgerParse()
    found: list[tuple[_Sheet, SheetInfo]] = []
    for grid in grids:
        info = SheetInfo(name=grid.name)
        result.sheets.append(info)
        if grid.hidden:
            info.ignored, info.reason = True, Message(gettext_noop("隐藏的工作表，已忽略"))
            continue
        sheet = _Sheet.from_grid(grid)
        header = find_header(
            sheet.rows,
            scan_rows=limits.header_scan_rows,
            merged_across=sheet.merged_across,
            merged_down=sheet.merged_down,
        )
        if header is None:
            info.ignored = True
            info.reason = Message(gettext_noop("未找到台账表头（如封面、说明页），已忽略"))
            continue
        sheet.use_header(header)
        info.header_rows = list(header.rows)
        info.columns = sheet.column_maps()
        found.append((sheet, info))
    if not found:
        raise LedgerFileError(
            Message(gettext_noop(
                "没有找到整改台账：任何工作表都没有可识别的表头（需要“反馈问题”“整改措施”“完成时限”等列）"
            ))
        )
    per_aspect = len(found) > 1
    for sheet, info in found:
        if per_aspect and "aspect" not in sheet.columns_of and not _GENERIC_SHEET.match(info.name):
            info.aspect = strip_numbering(clean_text(info.name)) or None
        reader = _SheetReader(sheet, info, year=year)
        tasks, errors = reader.read()
        info.task_count = len(tasks)
        result.tasks.extend(tasks)
        result.findings.extend(reader.findings)
        result.errors.extend(errors)
    return result


@dataclass
class _Sheet:
    """A grid with merged cells filled in and its header understood."""

    name: str
    rows: list[list[Any]]
    hidden_columns: set[int]
    bad_cells: dict[tuple[int, int], str]
    # Per column, the merges over it in row order: (first rows, merges). Not one entry per merged cell:
    # a ledger merges its problem cells over every measure, 300,000 cells in a 100,000-row sheet.
    merges_by_column: dict[int, tuple[list[int], list[tuple[int, int, int, int]]]]
    header: HeaderMatch | None = None
    columns_of: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_grid(cls, grid: SheetGrid) -> _Sheet:
        rows = grid.rows
        width = max((len(row) for row in rows), default=0)
        by_column: dict[int, list[tuple[int, int, int, int]]] = {}
        for r1, c1, r2, c2 in grid.merges:
            # A merge may reach past the data (whole columns merged); only the used part matters.
            r2, c2 = min(r2, len(rows)), min(c2, max(width, c1))
            if r1 > r2 or c1 > c2 or (r1 == r2 and c1 == c2):
                continue
            merge = (r1, c1, r2, c2)
            anchor = rows[r1 - 1][c1 - 1] if c1 - 1 < len(rows[r1 - 1]) else None
            for r in range(r1, r2 + 1):
                row = rows[r - 1]
                if len(row) < c2:
                    row.extend([None] * (c2 - len(row)))
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        row[c - 1] = anchor
            for c in range(c1, c2 + 1):
                by_column.setdefault(c, []).append(merge)
        merges_by_column = {}
        for c, merges in by_column.items():
            merges.sort()
            merges_by_column[c] = ([merge[0] for merge in merges], merges)
        return cls(grid.name, rows, grid.hidden_columns, grid.bad_cells, merges_by_column)

    def merge_at(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merged area (r1, c1, r2, c2) the cell belongs to, if any (Excel never lets merges overlap)."""
        found = self.merges_by_column.get(col)
        if found is None:
            return None
        starts, merges = found
        index = bisect_right(starts, row) - 1
        if index < 0 or merges[index][2] < row:
            return None
        return merges[index]

    def merged_across(self, row: int, col: int) -> bool:
        merge = self.merge_at(row, col)
        return merge is not None and merge[3] > merge[1]

    def merged_down(self, row: int, col: int) -> bool:
        merge = self.merge_at(row, col)
        return merge is not None and merge[0] < row

    def is_fill(self, row: int, col: int) -> bool:
        """True for a merged cell that only repeats the value of the merge's first cell."""
        merge = self.merge_at(row, col)
        return merge is not None and (merge[0], merge[1]) != (row, col)

    def use_header(self, header: HeaderMatch) -> None:
        self.header = header
        for col, name in sorted(header.fields.items()):
            self.columns_of.setdefault(name, []).append(col)

    def column_maps(self) -> list[ColumnMap]:
        assert self.header is not None
        width = max((len(self.rows[r - 1]) for r in self.header.rows), default=0)
        width = max([width, *self.header.fields])
        maps = []
        for col in range(1, width + 1):
            hidden = col in self.hidden_columns
            name = self.header.fields.get(col)
            text = self.header.texts.get(col) or " / ".join(
                dict.fromkeys(
                    t for r in self.header.rows if (t := clean_text(self.value(r, col), numbering=False))
                )
            )
            if hidden and name is None:
                continue  # a hidden helper column with an unknown header is not part of the ledger
            maps.append(ColumnMap(get_column_letter(col), text, name, hidden))
        return maps

    def value(self, row: int, col: int) -> Any:
        cells = self.rows[row - 1]
        return cells[col - 1] if col - 1 < len(cells) else None


@dataclass
class _SheetReader:
    sheet: _Sheet
    info: SheetInfo
    year: int | None
    tasks: list[LedgerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    findings: list[LedgerRow] = field(default_factory=list)  # rows naming a finding and no measure
    aspect: str | None = None  # from the aspect column
    without_aspect: bool = False  # the aspect column says the findings below have no 方面 ("—")
    section_aspect: str | None = None  # from a heading row spanning the table ("一、政治建设方面")
    aspect_label: str = ""
    section_label: str = ""
    finding_label: str = ""
    seq: str | None = None  # the 序号 of the tasks read since the last problem or number changed
    seq_tasks: list[int] = field(default_factory=list)  # their indices in `tasks`
    finding: str | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)  # note rows not yet known to stand inside the table

    def read(self) -> tuple[list[LedgerRow], list[RowError]]:
        sheet = self.sheet
        assert sheet.header is not None
        if "measure" not in sheet.columns_of:
            self.error(sheet.header.rows[0], None, Message(gettext_noop("未找到「整改措施」列，无法读取本工作表")))
            return self.tasks, self.errors
        visible = [
            col
            for col in range(1, max((len(r) for r in sheet.rows), default=0) + 1)
            if col not in sheet.hidden_columns or col in sheet.header.fields
        ]
        for row in range(sheet.header.rows[-1] + 1, len(sheet.rows) + 1):
            self.read_row(row, visible)
        self.close_finding()
        self.close_seq()
        self.errors.sort(key=lambda error: error.row)  # a problem's missing measure is found rows later
        return self.tasks, self.errors

    # ------------------------------------------------------------------ row kinds

    def read_row(self, row: int, visible: Sequence[int]) -> None:
        sheet = self.sheet
        fields = sheet.header.fields if sheet.header else {}
        cells = sheet.rows[row - 1]
        width = len(cells)
        texts = {}
        for col in visible:
            value = cells[col - 1] if col <= width else None
            texts[col] = value.strip() if type(value) is str else cell_text(value).strip()
        used = {col: text for col, text in texts.items() if text and col in fields}
        if not any(texts.values()):
            return  # blank row
        first = next(half_width(text) for text in texts.values() if text)
        compact = first.replace(" ", "")
        if _FOOTER.match(compact):
            return  # 填表人、审核人…
        if _TOTAL.match(compact):
            self.error(row, None, Message(gettext_noop("这一行是合计行，不是整改任务：「%(text)s」"), text=_short(first)))
            return
        if _NOTE.match(compact):
            self.notes.append((row, first))
            return
        if used and all(sheet.is_fill(row, col) for col in used):
            return  # the row only continues cells merged from above
        if sum(len(text) <= 12 and exact_field(text) == fields[col] for col, text in used.items()) >= 2:
            return  # the header repeated (printed pages, one block per aspect)
        content = {col: text for col, text in used.items() if fields[col] != "seq"}
        if self.is_section(row, texts, content):
            return
        if not content:
            if used:
                self.error(row, None, Message(
                    gettext_noop("这一行只有序号「%(text)s」，没有反馈问题和整改措施"), text=_short(first)
                ))
            else:
                self.error(row, None, Message(
                    gettext_noop("这一行不在台账的任何一列中，不是整改任务：「%(text)s」"), text=_short(first)
                ))
            return
        self.read_task(row, content)

    def is_section(self, row: int, texts: dict[int, str], content: dict[int, str]) -> bool:
        """A heading row across the table ("一、政治建设方面") sets the aspect of the rows below."""
        distinct = set(content.values())
        candidates = distinct or {t for t in texts.values() if t}
        if len(candidates) != 1:
            return False
        text = next(iter(candidates))
        spans = sum(1 for t in texts.values() if t == text)
        fields = self.sheet.header.fields if self.sheet.header else {}
        own = {fields.get(col) for col, t in texts.items() if t == text}
        if own & {"finding", "measure"} and spans < 2:
            return False  # a lone 反馈问题 (its measures below) or a lone measure
        if "aspect" in own and "measure" not in own:
            return False  # the aspect column itself (and a finding's own row): handled as an ordinary row
        if spans < 2 and not _ASPECT_HEADING.search(text):
            return False
        self.close_finding()
        self.aspect = None
        self.section_aspect = strip_numbering(clean_text(text)) or None
        self.section_label = numbering_of(clean_text(text, numbering=False))
        return True

    # ------------------------------------------------------------------ tasks

    def read_task(self, row: int, content: dict[int, str]) -> None:
        sheet = self.sheet
        cols = sheet.columns_of
        bad = sheet.bad_cells and [(col, why) for col in content if (why := sheet.bad_cells.get((row, col)))] + [
            (col, why)
            for name, columns in cols.items()
            for col in columns
            if col not in content and (why := sheet.bad_cells.get((row, col)))
        ]
        if bad:
            for col, why in bad:
                self.error(row, col, Message(gettext_noop("%(cell)s %(why)s"), cell=f"{get_column_letter(col)}{row}", why=why))
            return

        aspect = self.joined(row, "aspect")
        if aspect in NO_LEVEL_MARKS:
            if not self.without_aspect:
                self.close_finding()
                self.aspect, self.aspect_label, self.without_aspect = None, "", True
        elif aspect:
            aspect = strip_numbering(aspect) or aspect
            if aspect != self.aspect or self.without_aspect:
                self.close_finding()  # a problem never runs on into the next aspect
                self.aspect, self.without_aspect = aspect, False
                self.aspect_label = self.label_of(row, "aspect")
        finding = self.joined(row, "finding")
        if finding and finding != self.finding:
            self.close_finding()
            self.finding = finding
            self.finding_label = self.label_of(row, "finding")

        # A 子问题 cell (an exported ledger's level below the problem) is read row by row: the
        # export merges it over its measures, and a blank one means the measure answers the problem.
        sub_problem = self.joined(row, "sub_problem") or None
        measure = self.joined(row, "measure")
        if not measure:
            if (finding or aspect or sub_problem) and not self.has_task_cells(row, content):
                # A finding with no task yet, or a problem (or an aspect) whose measures follow below.
                self.findings.append(self.ledger_row(row, measure="", sub_problem=sub_problem))
                return
            self.error(row, cols["measure"][0], Message(gettext_noop("「整改措施」为空")))
            return
        if not self.finding:
            column = cols["finding"][0] if "finding" in cols else None
            self.error(row, column, Message(gettext_noop("「反馈问题」为空，且上方没有可沿用的问题")))
            return

        deadline = self.deadline(row)
        if deadline is None:
            return
        leader = self.names(row, "leader")
        lead_org, co_orgs = self.orgs(row)
        progress = self.joined(row, "progress") or deadline.progress
        seq = self.joined(row, "seq") or None
        same_finding = bool(self.seq_tasks) and self.tasks[self.seq_tasks[-1]].finding == self.problem()
        if seq is None and same_finding:
            seq = self.seq  # a row without its own number continues the numbered task above
        if seq != self.seq or (self.seq_tasks and not same_finding):
            self.close_seq()
            self.seq = seq
        for note_row, text in self.notes:  # a note with tasks below it stands inside the table
            self.error(note_row, None, Message(gettext_noop("表格中间的说明文字，不是整改任务：「%(text)s」"), text=_short(text)))
        self.notes.clear()
        self.tasks.append(self.ledger_row(
            row, measure=measure, sub_problem=sub_problem, number=seq, leader=leader, lead_org=lead_org,
            co_orgs=co_orgs, deadline=deadline, progress=progress or None, note=self.joined(row, "note") or None,
        ))
        self.seq_tasks.append(len(self.tasks) - 1)

    def ledger_row(
        self, row: int, *, measure: str, sub_problem: str | None, number: str | None = None,
        leader: list[str] | None = None, lead_org: list[str] | None = None, co_orgs: list[str] | None = None,
        deadline: Deadline | None = None, progress: str | None = None, note: str | None = None,
    ) -> LedgerRow:
        """A row under the aspect and problem read so far (a finding's own row when `measure` is "")."""
        if self.without_aspect:
            aspect, aspect_label = None, ""
        elif self.aspect:
            aspect, aspect_label = self.aspect, self.aspect_label
        elif self.section_aspect:
            aspect, aspect_label = self.section_aspect, self.section_label
        else:
            aspect, aspect_label = self.info.aspect, ""
        finding = self.problem()
        return LedgerRow(
            sheet=self.sheet.name,
            row=row,
            aspect=aspect,
            aspect_label=aspect_label,
            finding_label=self.finding_label if finding else "",
            number=number,
            finding=finding,
            measure=measure,
            leader=leader or [],
            lead_org=lead_org or [],
            co_orgs=co_orgs or [],
            deadline=deadline.date if deadline else None,
            category=deadline.category if deadline else "",
            progress=progress,
            note=note,
            sub_problem=sub_problem,
            sub_problem_label=self.label_of(row, "sub_problem") if sub_problem else "",
            without_aspect=self.without_aspect,
        )

    def close_seq(self) -> None:
        """Tasks that share one 序号 (a number over a problem's rows) are numbered 1.1, 1.2 …"""
        if self.seq is not None and len(self.seq_tasks) > 1:
            for position, index in enumerate(self.seq_tasks, start=1):
                self.tasks[index].number = f"{self.seq}.{position}"
        self.seq_tasks = []

    def label_of(self, row: int, name: str) -> str:
        columns = self.sheet.columns_of.get(name, [])
        return numbering_of(clean_text(self.sheet.value(row, columns[0]), numbering=False)) if columns else ""

    def has_task_cells(self, row: int, content: dict[int, str]) -> bool:
        """True when the row fills a task's own cells (a department, a deadline …) in a cell of its own:
        without a measure it is a task missing it, not a finding's row. A cell merged down over a
        problem's rows belongs to the measures below it."""
        fields = self.sheet.header.fields if self.sheet.header else {}
        for col in content:
            if fields.get(col) in _TASK_FIELDS:
                merge = self.sheet.merge_at(row, col)
                if merge is None or merge[0] == merge[2]:
                    return True
        return False

    def problem(self) -> str:
        """The 反馈问题 the rows belong to; "" when its cell says there is none ("—")."""
        return "" if not self.finding or self.finding in NO_LEVEL_MARKS else self.finding

    def close_finding(self) -> None:
        # A problem with no measure is kept as a finding row: the import creates it without tasks.
        self.finding = None

    def deadline(self, row: int) -> Deadline | None:
        category = self.category(row)
        for col in self.sheet.columns_of.get("deadline", []):
            value = self.sheet.value(row, col)
            if value is None or cell_text(value).strip() == "":
                continue
            try:
                parsed = parse_deadline(value, year=self.year)
            except DeadlineError as error:
                why = error.args[0] if error.args else str(error)
                self.error(row, col, Message(gettext_noop("「%(label)s」无法识别：%(why)s"),
                                             label=self.header_label(col), why=why))
                return None
            if category:
                return Deadline(parsed.date, category, parsed.progress)
            return parsed
        if category:
            return Deadline(None, category)
        column = self.sheet.columns_of.get("deadline", [None])[0]
        self.error(row, column, Message(gettext_noop("「完成时限」为空，无法确定完成日期和整改类型")))
        return None

    def category(self, row: int) -> str | None:
        text = self.joined(row, "category")
        if "立行立改" in text or "立即" in text:
            return CATEGORY_IMMEDIATE
        if "长期" in text or "持续" in text:
            return CATEGORY_LONG_TERM
        if "限期" in text:
            return CATEGORY_DEADLINE
        return None

    def names(self, row: int, name: str) -> list[str]:
        found: list[str] = []
        for col in self.sheet.columns_of.get(name, []):
            for person in split_names(self.sheet.value(row, col)):
                if person not in found:
                    found.append(person)
        return found

    def orgs(self, row: int) -> tuple[list[str], list[str]]:
        cells = tuple(
            (self.sheet.value(row, col), default_lead)
            for name, default_lead in (("lead_org", True), ("co_orgs", False))
            for col in self.sheet.columns_of.get(name, [])
        )
        lead, co = _orgs(cells)
        return list(lead), list(co)

    def joined(self, row: int, name: str) -> str:
        columns = self.sheet.columns_of.get(name, [])
        if len(columns) == 1:
            return clean_text(self.sheet.value(row, columns[0]))
        parts: list[str] = []
        for col in columns:
            text = clean_text(self.sheet.value(row, col))
            if text and text not in parts:
                parts.append(text)
        return "\n".join(parts)

    def header_label(self, col: int) -> str:
        assert self.sheet.header is not None
        name = self.sheet.header.fields.get(col)
        text = self.sheet.header.texts.get(col, "")
        return text.split("/")[-1] if text else FIELD_LABELS.get(name or "", "")

    def error(self, row: int, col: int | None, why: str) -> None:
        letter = get_column_letter(col) if col else None
        self.errors.append(RowError(self.sheet.name, row, letter, why))


@lru_cache(maxsize=4096)
def _orgs(cells: tuple[tuple[Any, bool], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lead, co-operating) departments named by a row's 牵头单位/配合单位 cells, each with its column's role."""
    lead: list[str] = []
    co: list[str] = []
    for value, default_lead in cells:
        more_lead, more_co = sort_roles(split_names(value), default_lead=default_lead)
        lead += [org for org in more_lead if org not in lead]
        co += [org for org in more_co if org not in co]
    return tuple(lead), tuple(org for org in co if org not in lead)


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
