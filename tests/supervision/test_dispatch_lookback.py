"""The weekly dispatch sheet (一周一调度) and its downloads, decisions, and look-back sampling."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, NotVisible, ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import LookBack, Task
from rectify.supervision import services
from rectify.supervision.documents import dispatch_docx, dispatch_xlsx
from tests.factories import make_task, submitted_task

from .conftest import START

WEEK = START + dt.timedelta(days=14)  # a Monday


@pytest.fixture
def sheet_tasks(sw) -> dict[str, Task]:
    unit = sw.units[0]
    with clock.frozen(START):
        tasks = {
            "overdue": make_task(unit, title="清退超标准配备办公用房", deadline=WEEK - dt.timedelta(days=3)),
            "due_soon": make_task(unit, title="修订公务接待管理办法", deadline=WEEK + dt.timedelta(days=4)),
            "later": make_task(unit, title="完成干部档案专项审核", deadline=WEEK + dt.timedelta(days=40)),
            "returned": submitted_task(unit, title="追缴违规发放的津贴补贴", deadline=WEEK + dt.timedelta(days=30)),
        }
        ledger.return_task(unit.office_staff, tasks["returned"], reason="佐证材料不足")
    with clock.frozen(WEEK - dt.timedelta(days=2)):
        ledger.report_progress(unit.dept_handler, Task.objects.get(pk=tasks["later"].pk), text="已完成80%")
        ledger.report_progress(unit.dept_handler, Task.objects.get(pk=tasks["due_soon"].pk), text="初稿已形成")
    return tasks


def _titles(rows: list) -> list[str]:
    return [row.task.title for row in rows]


def test_dispatch_sheet_sorts_tasks_into_sections(sw, sheet_tasks) -> None:
    sheet = services.build_dispatch(sw.units[0].office_staff, sw.units[0].org, WEEK + dt.timedelta(days=2))
    assert sheet.week_of == WEEK
    assert _titles(sheet.overdue) == ["清退超标准配备办公用房"] and sheet.overdue[0].days == 3
    assert _titles(sheet.due_soon) == ["修订公务接待管理办法"] and sheet.due_soon[0].days == 4
    assert _titles(sheet.returned) == ["追缴违规发放的津贴补贴"]
    # Silent: no progress since START (14 days); the two that reported two days ago are not.
    assert sorted(_titles(sheet.silent)) == ["清退超标准配备办公用房", "追缴违规发放的津贴补贴"]


def test_dispatch_downloads_open_back_with_the_right_rows(sw, sheet_tasks) -> None:
    unit = sw.units[0]
    with clock.frozen(WEEK):
        services.record_decision(unit.office_staff, unit.org, week_of=WEEK, task=sheet_tasks["overdue"],
                                 text="本周五前完成清退并报送照片", responsible="王处长", due_on=WEEK + dt.timedelta(days=4))
    sheet = services.build_dispatch(unit.office_staff, unit.org, WEEK)

    book = load_workbook(io.BytesIO(dispatch_xlsx(sheet)))
    assert book.sheetnames == ["逾期未完成", "7日内到期", "被退回、问题反弹", "7日以上未报送进展", "调度意见"]
    overdue = list(book["逾期未完成"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2], r[6]) for r in overdue] == [("清退超标准配备办公用房", unit.departments[0].name, 3)]
    assert [r[1] for r in book["7日内到期"].iter_rows(min_row=3, values_only=True)] == ["修订公务接待管理办法"]
    decisions = list(book["调度意见"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2], r[3]) for r in decisions] == [("清退超标准配备办公用房", "本周五前完成清退并报送照片", "王处长")]

    document = Document(io.BytesIO(dispatch_docx(sheet)))
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    assert len(tables) == 5  # four sections with rows, and the decisions
    assert tables[0][0][-1] == "逾期天数" and tables[0][1][1] == "清退超标准配备办公用房"
    assert tables[4][1][2] == "本周五前完成清退并报送照片"
    assert "整改工作调度表" in "".join(p.text for p in document.paragraphs)


def test_dispatch_decisions_are_audited_and_checked(sw, sheet_tasks) -> None:
    unit, other = sw.units[0], sw.units[1]
    with clock.frozen(WEEK):
        decision = services.record_decision(unit.office_staff, unit.org, week_of=WEEK, task=sheet_tasks["due_soon"],
                                            text="倒排工期", responsible="李四", due_on=WEEK + dt.timedelta(days=3))
        assert AuditEvent.objects.filter(action="dispatch.decision", object_id=str(decision.pk)).exists()
        with pytest.raises(ValidationFailed):
            services.record_decision(unit.office_staff, unit.org, week_of=WEEK, task=sheet_tasks["due_soon"],
                                     text="", responsible="李四", due_on=WEEK)
        with pytest.raises(Forbidden):
            services.record_decision(unit.leader, unit.org, week_of=WEEK, task=sheet_tasks["due_soon"],
                                     text="倒排工期", responsible="李四", due_on=WEEK)
    with pytest.raises(NotVisible):
        services.build_dispatch(other.office_staff, unit.org, WEEK)
    with pytest.raises(Forbidden):
        services.build_dispatch(unit.dept_handler, unit.org, WEEK)


def _close(unit, **overrides) -> Task:
    task = submitted_task(unit, **overrides)
    ledger.review_task(unit.office_staff, task)
    return ledger.approve_task(unit.leader, task)


def test_look_back_samples_closed_tasks_and_a_failure_reopens(sw) -> None:
    unit = sw.units[0]
    with clock.frozen(START):
        immediate = [_close(unit, category=Task.Category.IMMEDIATE, deadline=None) for _ in range(2)]
        others = [_close(unit) for _ in range(6)]
        make_task(unit)  # open: never sampled
        picked = services.sample_for_look_back(sw.inspection_office, unit.inspection, 50, categories=["immediate"],
                                               seed=7, scheduled_on=START + dt.timedelta(days=30))
    sampled = {lb.task_id for lb in picked}
    assert {t.pk for t in immediate} <= sampled
    assert len(sampled - {t.pk for t in immediate}) == 3  # half of the six others
    assert sampled <= {t.pk for t in immediate + others}
    with clock.frozen(START):
        again = services.sample_for_look_back(sw.inspection_office, unit.inspection, 100, seed=7)
    assert {lb.task_id for lb in again} == {t.pk for t in others} - sampled  # pending ones are skipped

    with clock.frozen(START + dt.timedelta(days=30)):
        ledger.record_look_back(sw.inspection_office, picked[0], passed=False, reason="办公用房超标问题反弹")
    assert Task.objects.get(pk=picked[0].task_id).status == Task.Status.REOPENED
    assert LookBack.objects.get(pk=picked[0].pk).result == LookBack.Result.FAILED


def test_look_back_sampling_is_refused_out_of_scope(sw, on_start) -> None:
    with pytest.raises(NotVisible):
        services.sample_for_look_back(sw.units[1].office_staff, sw.units[0].inspection, 10)
    with pytest.raises(Forbidden):
        services.sample_for_look_back(sw.units[0].dept_handler, sw.units[0].inspection, 10)
    with pytest.raises(ValidationFailed):
        services.sample_for_look_back(sw.units[0].office_staff, sw.units[0].inspection, 120)
