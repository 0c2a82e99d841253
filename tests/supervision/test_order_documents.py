"""An order as a document names each task once and the reply deadline once."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from rectify.supervision import services
from rectify.supervision.documents import order_docx
from tests.factories import make_task

from .conftest import START


def _texts(data: bytes) -> tuple[str, str]:
    document = Document(io.BytesIO(data))
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join(p.text for p in document.paragraphs), cells


def test_order_lists_each_task_once_and_the_reply_deadline_once(sw, on_start) -> None:
    unit = sw.units[0]
    make_task(unit, title="清理违规配备的办公用房", deadline=START + dt.timedelta(days=20))
    make_task(unit, title="修订差旅费管理办法", deadline=START + dt.timedelta(days=40))
    order = services.issue_order(unit.office_staff, kind="supervise", department=unit.departments[0],
                                 reply_due=START + dt.timedelta(days=5))
    paragraphs, cells = _texts(order_docx(order))
    everything = f"{paragraphs}\n{cells}"
    assert everything.count("清理违规配备的办公用房") == 1
    assert everything.count("修订差旅费管理办法") == 1
    reply = f"{order.reply_due.year}年{order.reply_due.month}月{order.reply_due.day}日"
    assert everything.count(reply) == 1
    # The opening sentence stays, before the table.
    assert "现予督办" in paragraphs


def test_order_uses_full_width_punctuation_whatever_the_task_title(sw, on_start) -> None:
    unit = sw.units[0]
    task = make_task(unit, title="规范公务用车管理,年底前完成车辆清查(含租赁车辆)", deadline=START + dt.timedelta(days=20))
    order = services.issue_order(unit.office_staff, kind="supervise", task=task, reply_due=START + dt.timedelta(days=5))
    paragraphs, cells = _texts(order_docx(order))
    assert "规范公务用车管理，年底前完成车辆清查（含租赁车辆）" in cells
    assert "," not in paragraphs + cells and "(" not in paragraphs + cells


def test_dispatch_workbook_rows_are_as_tall_as_their_text(sw, on_start) -> None:
    from openpyxl import load_workbook

    from rectify.supervision.documents import dispatch_xlsx

    unit = sw.units[0]
    make_task(unit, title="短", deadline=START - dt.timedelta(days=3))
    make_task(unit, title="清退超标准配备办公用房" * 20, deadline=START - dt.timedelta(days=2))
    sheet = services.build_dispatch(unit.office_staff, unit.org, START)
    overdue = load_workbook(io.BytesIO(dispatch_xlsx(sheet)))["逾期未完成"]
    heights = [overdue.row_dimensions[row].height for row in (3, 4)]
    assert all(heights) and max(heights) > 2 * min(heights)
    assert overdue.page_setup.orientation == "landscape" and overdue.sheet_properties.pageSetUpPr.fitToPage
