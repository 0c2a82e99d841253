"""Ledgers as units really keep them, built in memory, and a way to see that nothing was written."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import Workbook

from rectify.audit.models import AuditEvent
from rectify.inspections.models import Finding, Inspection
from rectify.ledger.models import Outcome, Progress, RuleChange, Task
from rectify.organizations.models import Organization

HEADER = ["序号", "问题类别", "存在问题", "整改举措", "责任主体", None, None, "完成期限", "整改情况"]
SUB_HEADER = [None, None, None, None, "责任领导", "牵头部门", "配合部门", None, None]


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Row:
    """One measure of a ledger; `None` for aspect/finding means "merged with the row above"."""

    aspect: str | None
    finding: str | None
    measure: str
    leader: str | None = None
    lead_org: str | None = None
    co_orgs: str | None = None
    deadline: Any = None
    progress: str | None = None


def ledger_workbook(rows: list[Row], *, title: str = "巡视反馈问题整改台账") -> Workbook:
    """A ledger as offices make it: a merged title, a unit/date line, a two-row header with a group
    heading (责任主体), synonyms for the column names, merged aspect and problem cells, a footer."""
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws["A1"] = title
    ws.merge_cells("A1:I1")
    ws["A2"] = "填报单位：（盖章）"
    ws.merge_cells("A2:D2")
    ws["F2"] = "填报日期：2026年3月1日"
    for col, value in enumerate(HEADER, start=1):
        ws.cell(row=3, column=col, value=value)
    for col, value in enumerate(SUB_HEADER, start=1):
        ws.cell(row=4, column=col, value=value)
    for letter in "ABCDHI":
        ws.merge_cells(f"{letter}3:{letter}4")
    ws.merge_cells("E3:G3")
    first = 5
    spans: dict[str, list[int]] = {"B": [], "C": []}
    seq = 0
    for offset, row in enumerate(rows):
        excel_row = first + offset
        if row.finding is not None:
            seq += 1
            ws.cell(row=excel_row, column=1, value=seq)
        values = [row.aspect, row.finding, row.measure, row.leader, row.lead_org, row.co_orgs, row.deadline,
                  row.progress]
        for col, value in enumerate(values, start=2):
            if value is not None:
                ws.cell(row=excel_row, column=col, value=value)
        for letter, value in (("B", row.aspect), ("C", row.finding)):
            if value is not None:
                spans[letter].append(excel_row)
    last = first + len(rows) - 1
    for letter, starts in spans.items():
        for index, start in enumerate(starts):
            end = (starts[index + 1] - 1) if index + 1 < len(starts) else last
            if end > start:
                ws.merge_cells(f"{letter}{start}:{letter}{end}")
    ws.cell(row=last + 2, column=1, value="填表人：钱七        审核人：孙八")
    return wb


def ledger_bytes(rows: list[Row], **kwargs: Any) -> bytes:
    return save(ledger_workbook(rows, **kwargs))


@pytest.fixture
def messy_rows(unit, today) -> list[Row]:
    """Four measures under three problems of two new aspects, plus one under the unit's existing problem."""
    return [
        Row("一、政治建设方面", "理论学习不深入，学用结合不紧", "修订党组理论学习中心组学习制度",
            leader=unit.leader.full_name, lead_org="办公室", co_orgs="干部处、财务处",
            deadline=dt.datetime.combine(today + dt.timedelta(days=90), dt.time()), progress="已起草修订稿"),
        Row(None, None, "每季度开展一次专题研讨", leader="张三", lead_org="干部处", deadline="长期坚持"),
        Row(None, "意识形态责任制落实不到位", "开展意识形态专项检查", leader="李四、王五",
            lead_org="财务处（牵头）、省委统战部办公室", deadline=f"{(today + dt.timedelta(days=120)):%Y年%m月%d日}前"),
        Row("全面从严治党方面", "监督执纪宽松软", "约谈相关负责人", lead_org="办 公 室", deadline="立行立改"),
        Row("贯彻落实党的理论和路线方针政策方面", "学习贯彻不深入", "建立学习台账", lead_org="干部处",
            deadline=dt.datetime.combine(today + dt.timedelta(days=30), dt.time())),
    ]


@dataclass(frozen=True)
class Counts:
    values: tuple[int, ...]


@pytest.fixture
def db_counts() -> Callable[[], Counts]:
    """Rows of everything an import may write, to compare before and after."""

    def count() -> Counts:
        models = (Organization, Inspection, Finding, Task, Progress, RuleChange, Outcome, AuditEvent)
        return Counts(tuple(model.objects.count() for model in models))

    return count
