"""`export_ledger`: the plan as the standard ledger workbook, scoped, and readable back."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from rectify.errors import Forbidden, NotVisible
from rectify.inspections import services as inspections
from rectify.inspections.models import Finding
from rectify.ledger.models import Task
from rectify.spreadsheets.services import export_ledger, import_ledger
from rectify.spreadsheets.writer import COLUMNS
from tests.factories import make_task
from tests.importers.conftest import ledger_bytes


@pytest.fixture
def planned(unit, messy_rows):
    import_ledger(unit.office_staff, unit.inspection, data=ledger_bytes(messy_rows), filename="台账.xlsx")
    return unit


def signature(inspection) -> list[tuple]:
    """What a ledger says about each task, independent of database ids."""
    rows = []
    for task in Task.objects.filter(inspection=inspection).select_related("finding__parent", "lead_org", "leader"):
        parent = task.finding.parent
        rows.append((
            parent.title if parent else None, task.finding.title, task.title, task.category, task.deadline,
            task.leader_id, task.leader_name, task.lead_org.name if task.lead_org else None,
            tuple(sorted(o.name for o in task.co_orgs.all())),
            tuple(task.progress.values_list("text", flat=True)),
        ))
    return sorted(rows, key=repr)


def test_export_then_import_gives_the_same_tasks(planned):
    data = export_ledger(planned.office_staff, planned.inspection)
    again = inspections.create_inspection(
        planned.office_staff, target=planned.org, title="再次导入", feedback_date=planned.inspection.feedback_date
    )
    result = import_ledger(planned.office_staff, again, data=data, filename="导出.xlsx")
    assert result.errors == []
    assert signature(again) == signature(planned.inspection)
    assert len(signature(again)) == 5


def test_exported_workbook_has_title_header_and_merged_problems(planned):
    data = export_ledger(planned.office_staff, planned.inspection)
    ws = load_workbook(io.BytesIO(data)).active

    assert ws["A1"].value == f"{planned.inspection.title}整改台账"
    assert "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    assert planned.org.name in ws["A2"].value
    assert [ws.cell(row=3, column=c).value for c in range(1, len(COLUMNS) + 1)] == [c.header for c in COLUMNS]
    measures = {ws.cell(row=r, column=4).value: r for r in range(4, ws.max_row + 1)}
    first, second = measures["修订党组理论学习中心组学习制度"], measures["每季度开展一次专题研讨"]
    assert abs(first - second) == 1
    top = min(first, second)
    assert f"C{top}:C{top + 1}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(row=top, column=3).value == "理论学习不深入，学用结合不紧"
    row = measures["修订党组理论学习中心组学习制度"]
    assert ws.cell(row=row, column=10).value == "推进中"  # status label
    assert ws.cell(row=row, column=11).value in {"绿", "黄", "红"}
    assert ws.cell(row=row, column=12).value == "已起草修订稿"
    assert ws.cell(row=measures["每季度开展一次专题研讨"], column=9).value == "长期整改"


def test_per_aspect_export_puts_each_aspect_on_its_own_sheet(planned):
    data = export_ledger(planned.office_staff, planned.inspection, per_aspect=True)
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert set(names) == {"政治建设方面", "全面从严治党方面", planned.aspect.title[:31]}


def test_export_query_count_does_not_grow_with_tasks(unit):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_ledger(unit.leader, unit.inspection)
        return len(captured)

    make_task(unit)
    queries()  # the first call also loads the actor's memberships, cached on the user afterwards
    few = queries()
    for _ in range(6):
        make_task(unit)
    assert queries() == few


@pytest.mark.parametrize("persona", ["office_staff", "leader", "supervisor"])
def test_unit_roles_may_export(unit, persona):
    make_task(unit)
    assert export_ledger(getattr(unit, persona), unit.inspection)[:2] == b"PK"


def test_inspection_office_above_the_unit_may_export(world, unit):
    assert export_ledger(world.inspection_office, unit.inspection)[:2] == b"PK"


def test_another_units_inspection_is_not_visible(unit, other):
    with pytest.raises(NotVisible):
        export_ledger(other.office_staff, unit.inspection)


def test_unit_under_another_office_is_not_visible(world, unit):
    with pytest.raises(NotVisible):
        export_ledger(world.far.office_staff, unit.inspection)


def test_department_persona_may_not_export_the_whole_ledger(unit):
    with pytest.raises(Forbidden):
        export_ledger(unit.dept_handler, unit.inspection)


def test_importing_an_export_into_the_same_inspection_adds_nothing(planned):
    before = signature(planned.inspection)
    data = export_ledger(planned.office_staff, planned.inspection)
    result = import_ledger(planned.office_staff, planned.inspection, data=data, filename="导出.xlsx")
    assert result.errors == []
    assert result.created["tasks"] == 0
    assert any("已跳过" in warning for warning in result.warnings)
    assert signature(planned.inspection) == before


def tree(inspection) -> list[tuple]:
    """The findings tree and where each task hangs, independent of ids and positions."""
    from rectify.inspections.models import Finding

    findings = [(f.level, f.parent.title if f.parent else None, f.title)
                for f in Finding.objects.filter(inspection=inspection).select_related("parent")]
    tasks = [(t.finding.level, t.finding.title, t.title)
             for t in Task.objects.filter(inspection=inspection).select_related("finding")]
    return sorted(findings) + sorted(tasks)


def test_a_task_on_an_aspect_reads_back_under_its_own_aspect(unit):
    staff = unit.office_staff
    make_task(unit, title="学习任务")
    second = inspections.add_finding(staff, unit.inspection, title="巡视整改不彻底方面", label="（二）")
    from tests.reports_app.conftest import task_on

    task_on(unit, second, title="彻底整改上轮问题")
    data = export_ledger(staff, unit.inspection)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert ["（二）巡视整改不彻底方面", "（二）巡视整改不彻底方面"] in [row[1:3] for row in rows]

    again = inspections.create_inspection(staff, target=unit.org, title="再次导入",
                                          feedback_date=unit.inspection.feedback_date)
    result = import_ledger(staff, again, data=data, filename="导出.xlsx")
    assert result.errors == []
    assert tree(again) == tree(unit.inspection)


def test_exported_rows_are_as_tall_as_their_text(unit):
    from rectify.spreadsheets.writer import FIRST_DATA_ROW, LINE_POINTS

    make_task(unit, title="短措施")
    make_task(unit, title="很长的整改措施" * 40)
    sheet = load_workbook(io.BytesIO(export_ledger(unit.office_staff, unit.inspection))).active
    short, long = (sheet.row_dimensions[FIRST_DATA_ROW + i].height for i in range(2))
    assert short and long and long >= short + 6 * LINE_POINTS
    setup = sheet.page_setup
    assert (setup.orientation, str(setup.paperSize), setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", "9", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows.replace("$", "") == "3:3"


def ordered_tree(inspection) -> list[tuple]:
    """Every finding in plan order with its depth, level, numbering and title, and its tasks in order."""
    from rectify.inspections.models import Finding

    findings = list(Finding.objects.filter(inspection=inspection))
    tasks: dict[int, list[tuple]] = {}
    for task in Task.objects.filter(inspection=inspection).order_by("position", "id"):
        tasks.setdefault(task.finding_id, []).append(
            (task.display_number, task.title, task.category, task.deadline)
        )
    children: dict[int | None, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.position, f.pk)):
        children.setdefault(finding.parent_id, []).append(finding)
    out: list[tuple] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for finding in children.get(parent_id, []):
            out.append((depth, finding.level, finding.label, finding.title, tuple(tasks.get(finding.pk, []))))
            walk(finding.pk, depth + 1)

    walk(None, 0)
    return out


def test_export_then_import_into_a_fresh_unit_gives_the_same_findings_tree(unit, other):
    from tests.reports_app.conftest import task_on

    staff = unit.office_staff
    add = inspections.add_finding
    # 方面 → 问题 → 子问题, with measures on the problem itself and on each sub-problem.
    problem = unit.finding  # under the unit's first aspect
    first = add(staff, unit.inspection, title="理论学习流于形式", label="（1）", parent=problem)
    second = add(staff, unit.inspection, title="学用结合不紧", label="（2）", parent=problem)
    task_on(unit, problem, title="制定理论学习计划")
    task_on(unit, first, title="修订中心组学习制度")
    task_on(unit, first, title="每季度开展专题研讨", category=Task.Category.LONG_TERM, deadline=None)
    task_on(unit, second, title="建立调研成果转化机制")
    # An aspect with no 问题 level: a sub-problem right under it, and a measure on the aspect itself.
    bare = add(staff, unit.inspection, title="巡视整改不彻底方面", label="（二）")
    task_on(unit, bare, title="彻底整改上轮问题")
    direct = add(staff, unit.inspection, title="上轮巡视问题反弹", label="1.", parent=bare,
                 level=Finding.Level.SUB_PROBLEM)
    task_on(unit, direct, title="开展上轮问题回头看", category=Task.Category.IMMEDIATE, deadline=None)
    # An ordinary 方面 → 问题 branch after them.
    third = add(staff, unit.inspection, title="全面从严治党方面", label="（三）")
    task_on(unit, add(staff, unit.inspection, title="主体责任落实不到位", label="1.", parent=third),
            title="压实主体责任")

    data = export_ledger(staff, unit.inspection)
    header = [cell.value for cell in next(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3, max_row=3))]
    assert header[:5] == ["序号", "方面", "反馈问题", "子问题", "整改措施"]
    fresh = inspections.create_inspection(other.office_staff, target=other.org, title="导入的台账",
                                          feedback_date=unit.inspection.feedback_date)
    result = import_ledger(other.office_staff, fresh, data=data, filename="导出.xlsx")

    assert result.errors == []
    assert ordered_tree(fresh) == ordered_tree(unit.inspection)
    assert [row[:4] for row in ordered_tree(fresh)[:4]] == [
        (0, 1, "（一）", "贯彻落实党的理论和路线方针政策方面"),
        (1, 2, "1.", "学习贯彻不深入"),
        (2, 3, "（1）", "理论学习流于形式"),
        (2, 3, "（2）", "学用结合不紧"),
    ]


def test_a_plan_without_sub_problems_keeps_the_standard_columns(unit):
    make_task(unit)
    sheet = load_workbook(io.BytesIO(export_ledger(unit.office_staff, unit.inspection))).active
    assert [cell.value for cell in next(sheet.iter_rows(min_row=3, max_row=3))] == [c.header for c in COLUMNS]


def _fresh(other, unit):
    return inspections.create_inspection(other.office_staff, target=other.org, title="导入的台账",
                                         feedback_date=unit.inspection.feedback_date)


def _cells(data: bytes) -> list[dict]:
    """The exported data rows as {header: value}, a merged cell's value in each row it covers."""
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[r - 1][c - 1] = values[merged.min_row - 1][merged.min_col - 1]
    return [dict(zip(values[2], row, strict=True)) for row in values[3:]]


TASK_HEADERS = ("序号", "整改措施", "责任领导", "牵头单位", "配合单位", "完成时限", "整改类型", "整改状态", "预警", "整改进展")


@pytest.mark.parametrize("batch", [None, 1], ids=["one batch", "a batch per row"])
def test_findings_with_no_task_yet_are_exported_in_plan_order_and_import_back(unit, other, batch, monkeypatch):
    from rectify.spreadsheets import services as sheet_services
    from tests.reports_app.conftest import task_on

    if batch:
        monkeypatch.setattr(sheet_services, "WRITE_BATCH", batch)  # findings written before and between tasks

    staff = unit.office_staff
    add = inspections.add_finding
    problem = unit.finding  # "1." under the unit's first aspect
    answered = add(staff, unit.inspection, title="理论学习流于形式", label="（1）", parent=problem)
    waiting = add(staff, unit.inspection, title="学用结合不紧", label="（2）", parent=problem)
    task_on(unit, answered, title="修订中心组学习制度")
    empty_problem = add(staff, unit.inspection, title="意识形态责任制落实不力", label="2.", parent=unit.aspect)
    later = add(staff, unit.inspection, title="巡视整改不彻底方面", label="（二）")
    task_on(unit, add(staff, unit.inspection, title="上轮问题反弹", label="1.", parent=later), title="开展回头看")

    data = export_ledger(staff, unit.inspection)
    rows = _cells(data)
    by_finding = {(row["反馈问题"], row["子问题"]): row for row in rows}
    assert list(by_finding) == [
        ("1.学习贯彻不深入", "（1）理论学习流于形式"),
        ("1.学习贯彻不深入", "（2）学用结合不紧"),
        ("2.意识形态责任制落实不力", None),
        ("1.上轮问题反弹", None),
    ]
    for key in [("1.学习贯彻不深入", "（2）学用结合不紧"), ("2.意识形态责任制落实不力", None)]:
        row = by_finding[key]
        assert row["方面"] == "（一）贯彻落实党的理论和路线方针政策方面"
        assert {name: row[name] for name in TASK_HEADERS} == dict.fromkeys(TASK_HEADERS)
    assert by_finding[("1.学习贯彻不深入", "（1）理论学习流于形式")]["整改措施"] == "修订中心组学习制度"

    fresh = _fresh(other, unit)
    result = import_ledger(other.office_staff, fresh, data=data, filename="导出.xlsx")
    assert result.errors == []
    assert result.created["tasks"] == 2
    assert any("2 个反馈问题尚无整改措施" in warning for warning in result.warnings), result.warnings
    assert ordered_tree(fresh) == ordered_tree(unit.inspection)
    titles = [row[3] for row in ordered_tree(fresh)]
    assert titles.index(waiting.title) < titles.index(empty_problem.title) < titles.index(later.title)


def test_importing_the_export_again_adds_no_second_finding_without_task(unit):
    inspections.add_finding(unit.office_staff, unit.inspection, title="意识形态责任制落实不力", parent=unit.aspect)
    make_task(unit)
    before = ordered_tree(unit.inspection)
    data = export_ledger(unit.office_staff, unit.inspection)
    result = import_ledger(unit.office_staff, unit.inspection, data=data, filename="导出.xlsx")
    assert result.errors == []
    assert ordered_tree(unit.inspection) == before


def test_root_problems_and_sub_problems_keep_their_level_through_export_and_import(unit, other):
    from tests.reports_app.conftest import task_on

    staff = unit.office_staff
    add = inspections.add_finding
    # A notice listing problems without aspects: 问题 and 子问题 at the root of the tree.
    root_problem = add(staff, unit.inspection, title="落实主体责任不到位", label="（二）", level=Finding.Level.PROBLEM)
    task_on(unit, root_problem, title="压实主体责任")
    under = add(staff, unit.inspection, title="考核流于形式", label="1.", parent=root_problem)
    task_on(unit, under, title="修订考核办法")
    bare_problem = add(staff, unit.inspection, title="干部队伍建设滞后", label="（三）", level=Finding.Level.PROBLEM)
    root_sub = add(staff, unit.inspection, title="会议纪要不规范", label="2.", level=Finding.Level.SUB_PROBLEM)
    task_on(unit, root_sub, title="规范会议纪要", category=Task.Category.IMMEDIATE, deadline=None)

    data = export_ledger(staff, unit.inspection)
    rows = {row["整改措施"] or row["子问题"] or row["反馈问题"]: row for row in _cells(data)}
    assert (rows["压实主体责任"]["方面"], rows["压实主体责任"]["反馈问题"]) == ("—", "（二）落实主体责任不到位")
    assert (rows["（三）干部队伍建设滞后"]["方面"], rows["（三）干部队伍建设滞后"]["整改措施"]) == ("—", None)
    assert [rows["规范会议纪要"][name] for name in ("方面", "反馈问题", "子问题")] == ["—", "—", "2.会议纪要不规范"]

    fresh = _fresh(other, unit)
    result = import_ledger(other.office_staff, fresh, data=data, filename="导出.xlsx")
    assert result.errors == []
    assert ordered_tree(fresh) == ordered_tree(unit.inspection)
    levels = {f.title: (f.level, f.parent.title if f.parent else None)
              for f in Finding.objects.filter(inspection=fresh).select_related("parent")}
    assert levels[root_problem.title] == (Finding.Level.PROBLEM, None)
    assert levels[under.title] == (Finding.Level.SUB_PROBLEM, root_problem.title)
    assert levels[bare_problem.title] == (Finding.Level.PROBLEM, None)
    assert levels[root_sub.title] == (Finding.Level.SUB_PROBLEM, None)
