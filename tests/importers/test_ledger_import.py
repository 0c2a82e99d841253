"""`import_ledger`: a unit's own messy Excel ledger becomes findings and tasks, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from rectify.errors import Forbidden, NotVisible
from rectify.inspections.models import Finding
from rectify.ledger.models import Progress, Task
from rectify.spreadsheets import LedgerFileError
from rectify.spreadsheets.services import describe_error, import_ledger
from tests.importers.conftest import Row, ledger_bytes


def run(unit, data: bytes, **options):
    return import_ledger(unit.office_staff, unit.inspection, data=data, filename="台账.xlsx", **options)


def test_messy_ledger_becomes_findings_and_tasks(unit, messy_rows):
    result = run(unit, ledger_bytes(messy_rows))

    assert result.errors == []
    assert result.committed
    assert result.created == {"aspects": 2, "findings": 3, "tasks": 5, "progress": 1}
    tasks = {t.title: t for t in Task.objects.filter(inspection=unit.inspection).select_related("finding__parent")}
    assert set(tasks) == {row.measure for row in messy_rows}
    first = tasks["修订党组理论学习中心组学习制度"]
    assert first.finding.title == "理论学习不深入，学用结合不紧"
    assert first.finding.level == Finding.Level.PROBLEM
    assert first.finding.parent.title == "政治建设方面"
    assert first.category == Task.Category.DEADLINE
    assert first.lead_org == unit.departments[0]
    assert set(first.co_orgs.all()) == {unit.departments[1], unit.departments[2]}
    assert first.leader == unit.leader
    assert first.status == Task.Status.IN_PROGRESS
    assert list(Progress.objects.filter(task=first).values_list("text", "author")) == [("已起草修订稿", unit.office_staff.pk)]


def test_merged_problem_cell_gives_one_finding_for_its_measures(unit, messy_rows):
    run(unit, ledger_bytes(messy_rows))
    finding = Finding.objects.get(inspection=unit.inspection, title="理论学习不深入，学用结合不紧")
    assert sorted(finding.tasks.values_list("title", flat=True)) == ["修订党组理论学习中心组学习制度", "每季度开展一次专题研讨"]


def test_categories_follow_the_deadline_column(unit, messy_rows):
    run(unit, ledger_bytes(messy_rows))
    tasks = {t.title: t for t in Task.objects.filter(inspection=unit.inspection)}
    assert (tasks["每季度开展一次专题研讨"].category, tasks["每季度开展一次专题研讨"].deadline) == (Task.Category.LONG_TERM, None)
    assert tasks["约谈相关负责人"].category == Task.Category.IMMEDIATE
    assert tasks["开展意识形态专项检查"].deadline == unit.inspection.feedback_date + dt.timedelta(days=60 + 120)


def test_departments_match_by_mark_spacing_and_unique_containment(unit, messy_rows):
    run(unit, ledger_bytes(messy_rows))
    office, cadres, finance = unit.departments
    check = Task.objects.get(inspection=unit.inspection, title="开展意识形态专项检查")
    assert check.lead_org == finance  # "财务处（牵头）"
    assert list(check.co_orgs.all()) == [office]  # "省委统战部办公室"
    assert Task.objects.get(inspection=unit.inspection, title="约谈相关负责人").lead_org == office  # "办 公 室"


def test_unknown_leaders_are_kept_as_names(unit, messy_rows):
    run(unit, ledger_bytes(messy_rows))
    check = Task.objects.get(inspection=unit.inspection, title="开展意识形态专项检查")
    assert (check.leader, check.leader_name) == (None, "李四、王五")
    first = Task.objects.get(inspection=unit.inspection, title="修订党组理论学习中心组学习制度")
    assert first.leader_name == unit.leader.full_name


def test_existing_aspect_and_problem_are_reused_not_duplicated(unit, messy_rows):
    result = run(unit, ledger_bytes(messy_rows))
    assert Finding.objects.filter(inspection=unit.inspection, title="学习贯彻不深入").count() == 1
    assert Finding.objects.filter(inspection=unit.inspection, title=unit.aspect.title).count() == 1
    assert Task.objects.get(inspection=unit.inspection, title="建立学习台账").finding == unit.finding
    assert result.reused_findings >= 1


def test_importing_twice_reuses_the_findings(unit, messy_rows):
    data = ledger_bytes(messy_rows)
    run(unit, data)
    findings = Finding.objects.filter(inspection=unit.inspection).count()
    second = run(unit, data)
    assert second.created["aspects"] == second.created["findings"] == 0
    assert Finding.objects.filter(inspection=unit.inspection).count() == findings


def test_unknown_department_is_a_row_error_and_nothing_is_written(unit, messy_rows, db_counts):
    messy_rows.append(Row("全面从严治党方面", "宣传教育不到位", "开展警示教育", lead_org="宣传处", deadline="立行立改"))
    before = db_counts()
    result = run(unit, ledger_bytes(messy_rows))

    assert not result.committed
    assert db_counts() == before
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == ("整改台账", 10, "F")
    assert "第 10 行「牵头部门」未找到部门：宣传处" in describe_error(error)
    assert "整改台账" in describe_error(error)


def test_skip_bad_rows_imports_the_rest_and_lists_what_was_left(unit, messy_rows):
    messy_rows.append(Row("全面从严治党方面", "宣传教育不到位", "开展警示教育", lead_org="宣传处", deadline="立行立改"))
    result = run(unit, ledger_bytes(messy_rows), skip_bad_rows=True)

    assert result.committed
    assert [(e.row, e.column) for e in result.errors] == [(10, "F")]
    titles = set(Task.objects.filter(inspection=unit.inspection).values_list("title", flat=True))
    assert titles == {row.measure for row in messy_rows[:-1]}
    # The bad row's new problem was rolled back with it.
    assert not Finding.objects.filter(inspection=unit.inspection, title="宣传教育不到位").exists()


def test_service_check_deadline_before_feedback_is_a_row_error(unit, messy_rows, db_counts):
    early = unit.inspection.feedback_date - dt.timedelta(days=10)
    messy_rows[4].deadline = dt.datetime.combine(early, dt.time())
    before = db_counts()
    result = run(unit, ledger_bytes(messy_rows))

    assert db_counts() == before
    [error] = result.errors
    assert (error.row, error.column) == (9, "H")
    assert "早于巡视反馈日期" in error.why


def test_reader_errors_also_stop_the_import(unit, messy_rows, db_counts):
    messy_rows.append(Row("全面从严治党方面", "宣传教育不到位", "开展警示教育", lead_org="办公室", deadline="下周左右"))
    before = db_counts()
    result = run(unit, ledger_bytes(messy_rows))
    assert db_counts() == before
    assert [(e.row, e.column) for e in result.errors] == [(10, "H")]


def test_dry_run_validates_everything_and_writes_nothing(unit, messy_rows, db_counts):
    before = db_counts()
    result = run(unit, ledger_bytes(messy_rows), dry_run=True)

    assert db_counts() == before
    assert result.dry_run and not result.committed
    assert result.created == {"aspects": 2, "findings": 3, "tasks": 5, "progress": 1}


def test_dry_run_reports_service_errors_too(unit, messy_rows, db_counts):
    messy_rows[0].deadline = dt.datetime.combine(unit.inspection.feedback_date - dt.timedelta(days=1), dt.time())
    before = db_counts()
    result = run(unit, ledger_bytes(messy_rows), dry_run=True)
    assert db_counts() == before
    assert [(e.row, e.column) for e in result.errors] == [(5, "H")]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 this is not a workbook", "已损坏"),
        (b"", "空"),
        ("<html><body>台账</body></html>".encode(), "网页"),
    ],
    ids=["broken-zip", "empty", "html"],
)
def test_broken_file_is_a_clear_error_and_nothing_is_written(unit, db_counts, data, reason):
    before = db_counts()
    with pytest.raises(LedgerFileError, match=reason):
        run(unit, data)
    assert db_counts() == before


def test_result_json_carries_the_reader_contract_and_counts(unit, messy_rows):
    result = run(unit, ledger_bytes(messy_rows), dry_run=True)
    data = result.to_json()
    assert data["tasks"] == result.parse.to_json()["tasks"]
    assert data["created"]["tasks"] == 5
    assert data["errors"] == []


def test_department_persona_may_not_import(unit, messy_rows, db_counts):
    before = db_counts()
    with pytest.raises(Forbidden):
        import_ledger(unit.dept_handler, unit.inspection, data=ledger_bytes(messy_rows), filename="台账.xlsx")
    assert db_counts() == before


def test_another_units_inspection_is_not_visible(unit, other, messy_rows):
    with pytest.raises(NotVisible):
        import_ledger(other.office_staff, unit.inspection, data=ledger_bytes(messy_rows), filename="台账.xlsx")


def test_skip_bad_rows_rolls_back_the_new_problem_of_a_refused_row(unit, messy_rows):
    early = dt.datetime.combine(unit.inspection.feedback_date - dt.timedelta(days=1), dt.time())
    messy_rows.append(Row("全面从严治党方面", "宣传教育不到位", "开展警示教育", lead_org="办公室", deadline=early))
    result = run(unit, ledger_bytes(messy_rows), skip_bad_rows=True)

    assert [(e.row, e.column) for e in result.errors] == [(10, "H")]
    assert result.created["findings"] == 3
    assert not Finding.objects.filter(inspection=unit.inspection, title="宣传教育不到位").exists()
    assert Task.objects.filter(inspection=unit.inspection).count() == 5


def test_progress_is_never_dropped_silently(unit, messy_rows):
    from rectify.organizations.services import system_actor

    result = import_ledger(system_actor(), unit.inspection, data=ledger_bytes(messy_rows), filename="台账.xlsx")
    assert result.committed
    if result.created["progress"] == 0:  # the command-line actor may not report progress
        assert any("整改进展" in warning for warning in result.warnings)
    else:
        assert Progress.objects.filter(task__inspection=unit.inspection).count() == 1


def test_the_plans_own_numbering_is_kept_and_shown(unit, messy_rows, client):
    from django.urls import reverse

    from tests.factories import PASSWORD

    run(unit, ledger_bytes(messy_rows))
    numbers = dict(Task.objects.filter(inspection=unit.inspection).values_list("title", "number"))
    # 序号 numbers the problems; the measures of problem 1 are 1.1 and 1.2.
    assert numbers == {
        "修订党组理论学习中心组学习制度": "1.1", "每季度开展一次专题研讨": "1.2", "开展意识形态专项检查": "2",
        "约谈相关负责人": "3", "建立学习台账": "4",
    }
    aspect = Finding.objects.get(inspection=unit.inspection, title="政治建设方面")
    assert aspect.label == "一、"
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    task = Task.objects.get(inspection=unit.inspection, title="开展意识形态专项检查")
    page = client.get(reverse("ledger:ledger", args=[unit.inspection.pk])).content.decode()
    assert f'<tr id="task-row-{task.pk}"' in page
    row = page.split(f'<tr id="task-row-{task.pk}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="nowrap muted" data-label="编号">2</td>' in row
    assert "一、政治建设方面" in page
    detail = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "整改任务 2" in detail
