"""Supervision documents: the dispatch sheet (.docx, .xlsx), the five orders (.docx, GB/T 9704) and
the common-problems table (.xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from rectify.notice.numerals import int_to_chinese
from rectify.reports.gbt9704 import OfficialDocument, chinese_date
from rectify.rules.sheet_rows import row_points, text_lines
from rectify.supervision.models import Order
from rectify.supervision.selectors.problems import Cluster
from rectify.supervision.services.dispatch import DispatchRow, DispatchSheet
from rectify.supervision.services.orders import order_tasks

DISPATCH_HEADERS = ("序号", "整改任务", "牵头单位", "责任领导", "完成时限", "状态", "天数")
DISPATCH_DAYS = {"overdue": "逾期天数", "due_soon": "剩余天数", "returned": "退回次数", "silent": "未报送天数"}
DECISION_HEADERS = ("序号", "整改任务", "调度意见", "责任人", "完成时限")
CLUSTER_HEADERS = ("序号", "共性问题", "问题数", "涉及单位数", "涉及单位", "具体问题")
# A cell starting with one of these would run as a formula in Excel or WPS.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _row(index: int, row: DispatchRow) -> list[object]:
    task = row.task
    return [
        index, task.title, task.lead_org.name if task.lead_org else "", task.leader_name,
        task.deadline or "长期坚持", task.get_status_display(), row.days,
    ]


def dispatch_title(sheet: DispatchSheet) -> str:
    return f"{sheet.unit.name}整改工作调度表"


def dispatch_docx(sheet: DispatchSheet) -> bytes:
    """The week's dispatch sheet as a 公文 with one table per section and the meeting's decisions."""
    document = OfficialDocument()
    document.title(dispatch_title(sheet))
    document.subtitle(f"（{chinese_date(sheet.week_of)}至{chinese_date(sheet.week_end, with_year=False)}）")
    document.paragraph(
        f"本周共需调度整改任务{sheet.total}项次：逾期未完成{len(sheet.overdue)}项，7日内到期{len(sheet.due_soon)}项，"
        f"被退回或问题反弹{len(sheet.returned)}项，7日以上未报送进展{len(sheet.silent)}项。"
    )
    for number, (key, label, rows) in enumerate(sheet.sections(), start=1):
        document.heading(1, f"{_cn(number)}、{label}（{len(rows)}项）")
        if rows:
            headers = [*DISPATCH_HEADERS[:-1], DISPATCH_DAYS[key]]
            document.table(headers, [_row(i, r) for i, r in enumerate(rows, start=1)], [1, 6, 2.5, 2, 2.5, 1.6, 1.4])
        else:
            document.paragraph("无。")
    if sheet.decisions:
        document.heading(1, f"{_cn(len(sheet.sections()) + 1)}、调度意见")
        document.table(
            DECISION_HEADERS,
            [[i, d.task.title, d.text, d.responsible, d.due_on] for i, d in enumerate(sheet.decisions, start=1)],
            [1, 5, 5, 2, 2.5],
        )
    held = sheet.dispatch.held_on if sheet.dispatch else None
    document.signature(f"{sheet.unit.name}整改工作领导小组办公室", held)
    return document.to_bytes()


def _cn(number: int) -> str:
    return int_to_chinese(number)


class _Sheet:
    """A worksheet with a title row and a header row, written with XlsxWriter."""

    def __init__(self, book: Any, name: str, title: str, headers: Sequence[str], widths: Sequence[float]) -> None:
        self.ws = book.add_worksheet(name[:31])
        self.wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        self.date = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "border": 1})
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
        title_format = book.add_format({"bold": True, "font_size": 14})
        self.ws.write(0, 0, title, title_format)
        for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
            self.ws.write(1, col, header, head)
            self.ws.set_column(col, col, width)
        self.ws.freeze_panes(2, 0)
        self.ws.repeat_rows(1)
        self.ws.set_landscape()
        self.ws.set_paper(9)
        self.ws.fit_to_pages(1, 0)
        self.widths = list(widths)
        self.row = 2

    def write(self, values: Sequence[object]) -> None:
        # As tall as the longest wrapped cell: no program grows a row to its text on opening.
        lines = max((text_lines(v, w) for v, w in zip(values, self.widths, strict=False) if isinstance(v, str) and v),
                    default=1)
        self.ws.set_row(self.row, row_points(lines))
        for col, value in enumerate(values):
            if isinstance(value, dt.date):
                self.ws.write_datetime(self.row, col, dt.datetime.combine(value, dt.time()), self.date)
            else:
                self.ws.write(self.row, col, _safe(value), self.wrap)
        self.row += 1


def dispatch_xlsx(sheet: DispatchSheet) -> bytes:
    """The dispatch sheet as a workbook: one worksheet per section, and the decisions."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    period = f"{sheet.week_of.isoformat()}至{sheet.week_end.isoformat()}"
    for key, label, rows in sheet.sections():
        ws = _Sheet(book, label, f"{dispatch_title(sheet)}·{label}（{period}）",
                    [*DISPATCH_HEADERS[:-1], DISPATCH_DAYS[key]], [6, 50, 16, 12, 12, 10, 10])
        for i, row in enumerate(rows, start=1):
            ws.write(_row(i, row))
    ws = _Sheet(book, "调度意见", f"{dispatch_title(sheet)}·调度意见（{period}）", DECISION_HEADERS, [6, 40, 40, 12, 12])
    for i, d in enumerate(sheet.decisions, start=1):
        ws.write([i, d.task.title, d.text, d.responsible, d.due_on])
    book.close()
    return buffer.getvalue()


def order_docx(order: Order) -> bytes:
    """A supervision order (督办通知书 …) as a 公文: title, number, addressee, body, the tasks once as a
    table, the reply deadline once, and the issuer's signature.

    The stored body usually lists the tasks ("1.…（完成时限：…）") and the reply deadline already; the
    table takes the place of that list, and the deadline is added only when the body does not state it.
    """
    document = OfficialDocument()
    document.title(order.get_kind_display())
    if order.number:
        document.subtitle(order.number)
    document.addressee(order.addressee)
    tasks = order_tasks(order)
    titles = [t.title.strip() for t in tasks]
    lines = [line.strip() for line in order.body.split("\n") if line.strip()]
    listed = [line for line in lines if _LIST_ITEM.match(line) and any(title and title in line for title in titles)]
    before = [line for line in lines if line not in listed]
    # The lines after the list (the reply request) follow the table.
    cut = lines.index(listed[-1]) + 1 if listed else len(before)
    after = [line for line in lines[cut:] if line not in listed]
    before = [line for line in before if line not in after]
    for line in before:
        document.paragraph(line)
    if tasks:
        document.table(
            ("序号", "整改任务", "完成时限", "整改状态"),
            [[i, t.title, t.deadline or "长期坚持", t.get_status_display()] for i, t in enumerate(tasks, start=1)],
            [1, 7, 2.5, 2],
        )
    for line in after:
        document.paragraph(line)
    if chinese_date(order.reply_due) not in order.body and f"{order.reply_due.month}月{order.reply_due.day}日" not in order.body:
        document.paragraph(f"请于{chinese_date(order.reply_due)}前将整改情况书面回复。")
    document.signature(order.issuer, order.issued_on)
    return document.to_bytes()


_LIST_ITEM = re.compile(r"^\d+[.．、]")


def common_problems_xlsx(clusters: Sequence[Cluster]) -> bytes:
    """The common problems across units (共性问题清单) as a workbook."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = _Sheet(book, "共性问题", "各单位共性问题清单", CLUSTER_HEADERS, [6, 40, 8, 10, 30, 60])
    for i, cluster in enumerate(clusters, start=1):
        details = "\n".join(f"{item.unit}：{item.title}" for item in cluster.items)
        ws.write([i, cluster.title, cluster.count, len(cluster.units), "、".join(cluster.units), details])
    book.close()
    return buffer.getvalue()
