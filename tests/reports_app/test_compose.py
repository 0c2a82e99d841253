"""compose_notice: the public notice is written from the ledger, and exempt items stay out."""

from __future__ import annotations

from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.notice import render_text
from rectify.reports.compose import compose_notice, notice_draft
from tests.factories import evidence
from tests.reports_app.conftest import SECRETS, close, task_on


def _all_text(inspection) -> str:
    notice, draft = notice_draft(inspection)
    sections = "\n".join(f"{s.heading}\n{s.body}" for s in draft.sections)
    return "\n".join([render_text(notice), sections, draft.title, str(notice.to_dict())])


def test_notice_counts_tasks_and_closures_from_the_ledger(filled) -> None:
    notice = compose_notice(filled.unit.inspection)
    problem = notice.findings[0].children[0]
    assert problem.title == "学习贯彻不深入"
    assert problem.text == "3项整改任务中已完成2项。"
    figures = [f.text for f in notice.figures]
    assert "4项整改任务中已完成2项" in figures
    assert "新建或修订完善制度2项" in figures
    assert "问责3人" in figures


def test_notice_follows_the_ledger_when_a_task_closes(filled) -> None:
    unit, task = filled.unit, filled.open[0]
    ledger.report_progress(unit.dept_handler, task, text="督查办法已印发。", files=[evidence()])
    close(unit, ledger.submit_task(unit.dept_handler, task))
    notice = compose_notice(unit.inspection)
    assert notice.findings[0].children[0].text == "3项整改任务中已完成3项。"
    assert notice.findings[0].children[0].measures[2] == "三是建立学习督查机制。督查办法已印发。已完成。"
    assert "4项整改任务中已完成3项" in [f.text for f in notice.figures]


def test_measures_carry_the_latest_progress(filled) -> None:
    problem = compose_notice(filled.unit.inspection).findings[0].children[0]
    assert problem.measures[2] == "三是建立学习督查机制。已起草督查办法，正在征求意见。正在推进。"
    long_term = compose_notice(filled.unit.inspection).findings[0].children[1]
    assert long_term.measures == ["长期坚持制度执行检查。尚未启动。"]


def test_exempt_items_never_reach_the_public_notice(filled) -> None:
    text = _all_text(filled.unit.inspection)
    for secret in SECRETS:
        assert secret not in text
    # Nor are they counted: 2 problems shown of the 3 in the ledger, 4 tasks of 6, 问责 only.
    assert "1个方面2个问题" in text
    assert "2人" not in text


def test_exempt_finding_leaves_no_gap_in_the_numbering(world) -> None:
    unit = world.units[0]
    hidden = inspections.add_finding(unit.office_staff, unit.inspection, title="不公开问题", label="2.",
                                     parent=unit.aspect, exempt=True, exempt_reason="涉密")
    shown = inspections.add_finding(unit.office_staff, unit.inspection, title="公开问题", label="3.", parent=unit.aspect)
    task_on(unit, hidden, title="不公开措施")
    task_on(unit, shown, title="公开措施")
    labels = [node.label for node in compose_notice(unit.inspection).findings[0].children]
    assert labels == ["1.", "2."]


def test_opening_and_contact_come_from_inspection_and_unit(filled) -> None:
    notice, draft = notice_draft(filled.unit.inspection)
    opening = draft.sections[0].body
    assert "省委第十四巡视组对省委统战部开展了常规巡视" in opening
    assert notice.contact.phone == ["0531-51775418"]
    assert notice.contact.postcode == "250001"
    contact = draft.sections[-1].body
    assert "0531-51775418" in contact and "zgb@example.cn" in contact and "济南市纬一路482号" in contact


def test_notice_of_an_empty_ledger_still_reads(world) -> None:
    notice = compose_notice(world.units[1].inspection)
    assert [n.title for n in notice.findings] == ["贯彻落实党的理论和路线方针政策方面"]
    assert "0项整改任务中已完成0项" in [f.text for f in notice.figures]
