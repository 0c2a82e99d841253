"""An imported progress notice carries the state it reports at its publication date, once per round."""

from __future__ import annotations

import datetime as dt
import io

import docx

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.inspections.models import Inspection
from rectify.ledger.models import ClosureReview, Task
from rectify.ledger.notice_import import import_notice, stated_figures
from rectify.notice import Figure
from rectify.reports.compose import notice_draft

PROGRESS_NOTICE = """\
中共测试单位党组
关于十一届省委第八轮巡视整改进展情况的通报

  根据省委统一部署,2020年10月18日至12月25日,省委第十四巡视组对测试单位开展了常规巡视。2021年1月30日,省委巡视组向测试单位反馈了巡视意见。

  一、整改工作基本情况

  经过集中整改,4项整改任务中有1项已整改完成,3项长期整改任务均取得阶段性成效。

  二、省委巡视组反馈意见整改落实情况

  (一)关于落实全面从严治党政治责任方面问题

  1.关于“扛牢压实主体责任有差距”的问题。一是制定年度任务安排,已整改完成。二是完善主体责任清单。三是加强日常监督管理。四是健全廉政档案。

  三、下一步工作打算

  继续抓好整改。

中共测试单位党组
2021年8月26日
"""


def _import(unit, text: str = PROGRESS_NOTICE, filename: str = "通报.txt", data: bytes | None = None):
    return import_notice(unit.office_staff, unit.org, data=data or text.encode(), filename=filename)


def _docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_stated_figures_are_read_as_the_notice_states_them():
    stated = stated_figures([Figure(text="38项整改任务中有7项已整改完成"), Figure(text="31项长期整改任务均取得阶段性成效"),
                             Figure(text="对巡视反馈中指出的4个方面11个问题和4条整改建议进行逐条梳理")])
    assert stated == {"tasks": 38, "closed": 7, "long_term": 31, "aspects": 4, "problems": 11}
    assert "aspects" not in stated_figures([Figure(text="检视13个方面问题")])
    assert stated_figures([Figure(text="整改完成率达100%")]) == {"all_done": 1}


def test_tasks_carry_the_state_the_notice_reports(unit):
    result = _import(unit)
    tasks = list(Task.objects.filter(inspection=result.inspection).order_by("position"))
    assert [t.status for t in tasks] == ["closed", "phased_result", "phased_result", "phased_result"]
    assert tasks[0].closed_at.date() == dt.date(2021, 8, 26)
    assert all(t.category == Task.Category.LONG_TERM for t in tasks[1:])
    assert (result.closed, result.phased) == (1, 3)
    assert result.stated == {"tasks": 4, "closed": 1, "long_term": 3}


def test_nothing_the_notice_reports_done_is_overdue(unit):
    inspection = _import(unit).inspection
    assert not [t for t in Task.objects.filter(inspection=inspection) if t.is_overdue(clock.today())]


def test_imported_closure_is_audited_as_an_import_not_an_approval(unit):
    inspection = _import(unit).inspection
    closed = Task.objects.get(inspection=inspection, status="closed")
    actions = set(AuditEvent.objects.filter(object_id=str(closed.pk)).values_list("action", flat=True))
    assert "task.import_state" in actions
    assert not {"task.approve", "task.review", "task.submit"} & actions
    assert not ClosureReview.objects.filter(task=closed).exists()


def test_notice_generated_back_reports_what_the_import_carried(unit):
    inspection = _import(unit).inspection
    _notice, draft = notice_draft(inspection)
    text = "\n".join(s.body for s in draft.sections)
    assert "4项整改任务中已完成1项，其余3项已取得阶段性成效" in text


def test_same_round_as_docx_after_txt_is_the_same_inspection(unit):
    first = _import(unit)
    again = _import(unit, filename="通报.docx", data=_docx(PROGRESS_NOTICE))
    assert again.inspection.source_hash != "" and not again.created
    assert again.inspection.pk == first.inspection.pk
    assert Inspection.objects.filter(target=unit.org).exclude(source_hash="").count() == 1


def test_another_round_is_another_inspection(unit):
    first = _import(unit)
    other = _import(unit, PROGRESS_NOTICE.replace("第八轮", "第九轮"))
    assert other.created and other.inspection.pk != first.inspection.pk


CONTACT = "\n  欢迎广大干部群众对巡视整改落实情况进行监督。联系方式:电话:0531-51775418;邮政信箱:济南市市中区纬一路482号测试单位;邮政编码:250001;电子邮箱:sdtz@126.com。\n"


def test_the_notice_contact_reaches_the_generated_notice(unit):
    unit.org.__class__.objects.filter(pk=unit.org.pk).update(phone="", email="", address="", postcode="")
    text = PROGRESS_NOTICE.replace("  继续抓好整改。\n", "  继续抓好整改。\n" + CONTACT)
    inspection = _import(unit, text).inspection
    contact = next(s for s in notice_draft(inspection)[1].sections if s.key == "contact").body
    assert "0531-51775418" in contact and "sdtz@126.com" in contact and "250001" in contact
    assert "济南市市中区纬一路482号测试单位" in contact


def test_dispatch_sheet_shows_no_history_as_overdue(unit):
    from rectify.supervision.services.dispatch import build_dispatch

    inspection = _import(unit).inspection
    sheet = build_dispatch(unit.office_staff, unit.org, clock.today())
    assert not [row for row in sheet.overdue if row.task.inspection_id == inspection.pk]


def _progress_text(inspection, kind: str = "notice") -> str:
    from rectify.reports.internal import internal_draft, leader_draft

    draft = {"notice": lambda: notice_draft(inspection)[1], "internal": lambda: internal_draft(inspection),
             "leader": lambda: leader_draft(inspection)}[kind]()
    return "\n".join(s.body for s in draft.sections)


def test_counts_carried_from_the_import_are_as_of_the_notices_publication_date(unit):
    inspection = _import(unit).inspection
    today = clock.today()
    for kind in ("notice", "internal", "leader"):
        text = _progress_text(inspection, kind)
        assert "截至2021年8月26日，4项整改任务中已完成1项" in text, kind
        assert f"截至{today.year}年{today.month}月{today.day}日" not in text, kind


def test_counts_are_as_of_today_once_the_ledger_has_moved_on_since_the_import(unit):
    from rectify.ledger import services as ledger

    inspection = _import(unit).inspection
    task = Task.objects.filter(inspection=inspection, status=Task.Status.PHASED_RESULT).first()
    ledger.report_progress(unit.office_staff, task, text="完成主体责任清单修订")
    today = clock.today()
    for kind in ("notice", "internal", "leader"):
        text = _progress_text(inspection, kind)
        assert f"截至{today.year}年{today.month}月{today.day}日，4项整改任务中已完成1项" in text, kind
        assert "截至2021年8月26日" not in text, kind


def test_a_task_added_by_hand_after_the_import_makes_the_counts_todays(unit):
    from tests.reports_app.conftest import task_on

    inspection = _import(unit).inspection
    task_on(unit, inspection.findings.order_by("-level").first(), title="新增整改措施")
    today = clock.today()
    text = _progress_text(inspection)
    assert f"截至{today.year}年{today.month}月{today.day}日，整改台账所列5项整改任务中" in text
    assert "截至2021年8月26日" not in text
