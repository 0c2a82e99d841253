"""What reading a ledger (整改台账) gives back, and what writing one takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Messages keep their template and values; `rectify.language.localize` renders them on a page.
from rectify.rules.messages import Message, gettext_noop

__all__ = [
    "CATEGORIES",
    "CATEGORY_DEADLINE",
    "CATEGORY_IMMEDIATE",
    "CATEGORY_LONG_TERM",
    "FIELD_LABELS",
    "ColumnMap",
    "ExportRow",
    "LedgerFileError",
    "LedgerParse",
    "LedgerRow",
    "Message",
    "NO_LEVEL",
    "NO_LEVEL_MARKS",
    "ReadLimits",
    "RowError",
    "SheetInfo",
    "gettext_noop",
]




# Values compared and written to ledgers: plain Chinese; marked so a preview page can show them translated.
CATEGORY_IMMEDIATE = gettext_noop("立行立改")
CATEGORY_DEADLINE = gettext_noop("限期整改")
CATEGORY_LONG_TERM = gettext_noop("长期整改")
CATEGORIES = (CATEGORY_IMMEDIATE, CATEGORY_DEADLINE, CATEGORY_LONG_TERM)

# A 方面 (or 反馈问题) cell saying the plan has no such level above the finding: a notice that lists
# problems without aspects. Written as NO_LEVEL; any of NO_LEVEL_MARKS reads as it.
NO_LEVEL = "—"
NO_LEVEL_MARKS = frozenset({"—", "——", "-", "--", "/", "无"})

# Field names of a ledger column, with the label shown in a preview table (translated on the page).
FIELD_LABELS: dict[str, str] = {
    "seq": Message(gettext_noop("序号")),
    "aspect": Message(gettext_noop("方面")),
    "finding": Message(gettext_noop("反馈问题")),
    "sub_problem": Message(gettext_noop("子问题")),
    "measure": Message(gettext_noop("整改措施")),
    "leader": Message(gettext_noop("责任领导")),
    "lead_org": Message(gettext_noop("牵头单位")),
    "co_orgs": Message(gettext_noop("配合单位")),
    "deadline": Message(gettext_noop("完成时限")),
    "category": Message(gettext_noop("整改类型")),
    "status": Message(gettext_noop("整改状态")),
    "light": Message(gettext_noop("预警")),
    "progress": Message(gettext_noop("整改进展")),
    "note": Message(gettext_noop("备注")),
}


class LedgerFileError(Exception):
    """The file as a whole cannot be read; the message (Chinese, a `Message`) names the reason."""


@dataclass(frozen=True)
class ReadLimits:
    """Bounds that keep a hostile or mistaken upload from exhausting the server."""

    max_bytes: int = 50 * 1024 * 1024
    max_uncompressed_bytes: int = 300 * 1024 * 1024  # sum of the zip's declared member sizes
    max_compression_ratio: int = 200  # per member, for members over 1 MiB uncompressed
    max_sheets: int = 200
    max_rows: int = 100_000  # per sheet
    max_cells: int = 2_000_000  # per sheet: cells read, and cells a row's width makes room for
    max_columns: int = 1024  # cells further right are no part of any ledger and are not read
    # All sheets together: a workbook of 200 sheets each just under the per-sheet limits would be read whole.
    max_total_rows: int = 200_000
    max_total_cells: int = 4_000_000
    header_scan_rows: int = 30


@dataclass(slots=True)  # a 100,000-row ledger holds as many: no __dict__ each
class LedgerRow:
    """One task (整改任务) read from one spreadsheet row."""

    sheet: str
    row: int
    aspect: str | None
    finding: str
    measure: str
    leader: list[str]
    lead_org: list[str]
    co_orgs: list[str]
    deadline: date | None
    category: str
    progress: str | None
    note: str | None = None
    number: str | None = None  # the plan's own numbering of the task (序号): "3", "1.2"
    finding_label: str = ""  # the problem's numbering as written: "（一）", "1."
    aspect_label: str = ""  # the aspect's numbering as written: "一、"
    sub_problem: str | None = None  # the 子问题 under `finding` the measure answers, if any
    sub_problem_label: str = ""  # its numbering as written: "（1）"
    without_aspect: bool = False  # the 方面 cell says there is none: the finding is a root below level 1

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "aspect": self.aspect,
            "finding": self.finding,
            "measure": self.measure,
            "leader": list(self.leader),
            "lead_org": list(self.lead_org),
            "co_orgs": list(self.co_orgs),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "category": self.category,
            "progress": self.progress,
        }
        if self.sub_problem:
            found["sub_problem"] = self.sub_problem
        if self.without_aspect:
            found["without_aspect"] = True
        return found


@dataclass
class RowError:
    """A row (or a sheet, then ``row`` is its header row) that could not be read."""

    sheet: str
    row: int
    column: str | None  # column letter, e.g. "H"
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "why": self.why}


@dataclass
class ColumnMap:
    """One column of a sheet as the header detection understood it."""

    letter: str
    header: str  # the header text(s) found, "责任主体/牵头单位" for a two-row header
    field: str | None  # key of FIELD_LABELS, None when the column is not used
    hidden: bool = False

    @property
    def label(self) -> str | None:
        return FIELD_LABELS.get(self.field) if self.field else None


@dataclass
class SheetInfo:
    """What was found on one sheet, for a preview before importing."""

    name: str
    header_rows: list[int] = field(default_factory=list)
    columns: list[ColumnMap] = field(default_factory=list)
    ignored: bool = False
    reason: str | None = None  # why the sheet was ignored
    aspect: str | None = None  # the aspect taken from the sheet name, if any
    task_count: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "header_rows": list(self.header_rows),
            "columns": [
                {"letter": c.letter, "header": c.header, "field": c.field, "hidden": c.hidden}
                for c in self.columns
            ],
            "ignored": self.ignored,
            "reason": self.reason,
            "aspect": self.aspect,
            "task_count": self.task_count,
        }


@dataclass
class LedgerParse:
    """The result of reading a ledger: tasks, findings with no task yet, the rows that failed, and what
    each sheet held."""

    tasks: list[LedgerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sheets: list[SheetInfo] = field(default_factory=list)
    # Rows naming a finding (方面/问题/子问题) and no measure: the finding is part of the plan,
    # its tasks are still to come (or follow on the rows below). `measure` is "".
    findings: list[LedgerRow] = field(default_factory=list)

    def in_order(self) -> list[LedgerRow]:
        """Tasks and finding rows as the sheets hold them: the plan's order."""
        order = {sheet.name: index for index, sheet in enumerate(self.sheets)}
        return sorted([*self.tasks, *self.findings], key=lambda row: (order.get(row.sheet, len(order)), row.row))

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "tasks": [task.to_json() for task in self.tasks],
            "errors": [error.to_json() for error in self.errors],
        }
        if self.findings:
            found["findings"] = [row.to_json() for row in self.findings]
        return found


@dataclass
class ExportRow:
    """One task as it is written to an exported ledger, or a finding that has no task yet.

    ``finding`` equal to ``aspect`` means the plan has no 问题 level there: the measure (or its
    ``sub_problem``) hangs on the aspect itself. ``aspect`` None means the finding has no 方面
    above it (a root 问题 or 子问题); ``finding`` "" then means no 问题 either. An empty
    ``measure`` is a finding with no task yet: its task cells stay empty. Labels are the plan's
    numbering ("（一）"); ``number`` is the task's own 序号.
    """

    aspect: str | None
    finding: str
    measure: str
    leader: list[str] = field(default_factory=list)
    lead_org: list[str] = field(default_factory=list)
    co_orgs: list[str] = field(default_factory=list)
    deadline: date | None = None
    category: str = CATEGORY_DEADLINE
    status: str | None = None  # Chinese label, e.g. "整改中"
    light: str | None = None  # "green" | "yellow" | "red" | None
    progress: str | None = None
    note: str | None = None
    sub_problem: str | None = None
    aspect_label: str = ""
    finding_label: str = ""
    sub_problem_label: str = ""
    number: str = ""

    @property
    def has_task(self) -> bool:
        return bool(self.measure)
