"""Internal reports and their due dates."""

from __future__ import annotations

import datetime as dt

from rectify.reports import services
from rectify.reports.internal import internal_draft, leader_draft
from rectify.reports.selectors import reports_due
from tests.reports_app.conftest import SECRET_LEAD, SECRET_OUTCOME


def test_internal_report_lists_every_task_lead_and_outcome(filled) -> None:
    draft = internal_draft(filled.unit.inspection)
    sections = {s.key: s for s in draft.sections}
    assert len(sections["ledger"].table["rows"]) == 6  # exempt ones included
    assert "6项整改任务中已完成2项" in sections["organisation"].body
    assert [row[3] for row in sections["leads"].table["rows"]] == [SECRET_LEAD]
    assert any(row[2] == SECRET_OUTCOME and row[-1] == "否" for row in sections["outcomes"].table["rows"])
    assert draft.addressee == "省委巡视工作领导小组"


def test_leader_report_counts_the_principals_tasks_and_approvals(filled) -> None:
    draft = leader_draft(filled.unit.inspection)
    duty = next(s for s in draft.sections if s.key == "duty").body
    assert "本人作为责任领导牵头的6项整改任务中已完成2项。" in duty
    assert "审批同意销号2项" in duty
    assert draft.signer == filled.unit.leader.display_name


def test_reports_due_two_months_after_feedback(world, filled) -> None:
    unit = filled.unit
    rows = reports_due([unit.inspection, world.units[1].inspection])
    mine = [r for r in rows if r.inspection.pk == unit.inspection.pk]
    assert {r.kind for r in mine} == {"internal", "leader"}
    assert all(r.due == unit.inspection.report_due for r in mine)
    assert not any(r.done for r in rows)
    report = services.generate_report(unit.office_staff, unit.inspection, "internal")
    services.publish_report(unit.office_staff, report)
    done = {(r.inspection.pk, r.kind): r.done for r in reports_due([unit.inspection])}
    assert done == {(unit.inspection.pk, "internal"): True, (unit.inspection.pk, "leader"): False}


def test_reports_due_is_overdue_after_the_deadline(filled) -> None:
    row = reports_due([filled.unit.inspection])[0]
    assert not row.is_overdue(row.due)
    assert row.is_overdue(row.due + dt.timedelta(days=1))


def test_reports_due_queries_do_not_grow_with_inspections(world, django_assert_max_num_queries) -> None:
    inspections = [u.inspection for u in world.units] + [world.far.inspection]
    with django_assert_max_num_queries(1):
        reports_due(inspections)


def test_internal_report_keeps_the_findings_tree_in_order(world) -> None:
    from rectify.inspections import services as inspections
    from tests.factories import make_task
    from tests.reports_app.conftest import task_on

    unit = world.units[0]
    staff = unit.office_staff
    make_task(unit, title="学习任务")
    second = inspections.add_finding(staff, unit.inspection, title="制度执行不严格", label="2.", parent=unit.aspect)
    task_on(unit, second, title="制度任务")
    aspect_two = inspections.add_finding(staff, unit.inspection, title="全面从严治党方面", label="（二）")
    problem = inspections.add_finding(staff, unit.inspection, title="主体责任落实不到位", label="1.", parent=aspect_two)
    task_on(unit, problem, title="责任任务")
    aspect_three = inspections.add_finding(staff, unit.inspection, title="巡视整改不彻底方面", label="（三）")
    task_on(unit, aspect_three, title="整改任务")

    body = next(s for s in internal_draft(unit.inspection).sections if s.key == "tasks").body
    assert [line[:3] for line in body.split("\n")] == ["（一）", "1.学", "2.制", "（二）", "1.主", "（三）"]
    assert body.split("\n")[0] == "（一）贯彻落实党的理论和路线方针政策方面"
    assert body.split("\n")[-1] == "（三）巡视整改不彻底方面。1项整改任务尚未启动。"


def test_leader_report_does_not_count_unassigned_tasks_as_a_leader(filled) -> None:
    from tests.factories import make_task

    unit = filled.unit
    make_task(unit, title="没有责任领导的任务", leader=None)
    section = next(s for s in leader_draft(unit.inspection).sections if s.key == "leaders")
    assert "1名责任领导分别牵头推进，另有1项整改任务尚未明确责任领导" in section.body
    names = [row[1] for row in section.table["rows"]]
    assert "未明确" not in names and names[-1] == "未明确责任领导"
    assert section.table["rows"][-1][0] == ""


def test_full_ledger_is_an_attachment_on_landscape_pages(filled) -> None:
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT

    from rectify.reports.rendering import render_docx, render_text

    content = services.draft_as_content(internal_draft(filled.unit.inspection), "internal")
    document = Document(io.BytesIO(render_docx(content)))
    portrait, landscape = document.sections
    assert portrait.orientation == WD_ORIENT.PORTRAIT and landscape.orientation == WD_ORIENT.LANDSCAPE
    assert landscape.page_width > landscape.page_height
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert "附件：整改任务台账" in texts
    assert texts.index("附件：整改任务台账") < texts.index(content["signer"]) < texts.index("附件")
    ledger = document.tables[-1]
    assert len(ledger.rows) == 1 + 6
    text = render_text(content)
    assert text.index(content["signer"]) < text.index("\n附件\n整改任务台账\n序号 | 反馈问题")


def test_leader_report_of_a_leader_with_nothing_done_says_what_the_tasks_are_doing(world) -> None:
    from tests.factories import make_task

    unit = world.units[0]
    make_task(unit)
    make_task(unit)
    duty = next(s for s in leader_draft(unit.inspection).sections if s.key == "duty").body
    assert "本人作为责任领导牵头的2项整改任务均尚未启动。" in duty
    assert "已完成0项" not in duty
