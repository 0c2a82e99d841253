"""The task life cycle: progress, the closure chain, long-term tasks, look-backs, conflicts."""

from __future__ import annotations

import datetime as dt

import pytest

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.errors import InvalidTransition, StaleWrite, ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import ClosureReview, Evidence, Progress, Task
from rectify.ledger.services.evidence import Upload
from tests.factories import evidence, make_task, submitted_task


def test_closure_chain_from_progress_to_closed(unit):
    task = make_task(unit)
    ledger.start_task(unit.dept_handler, task)
    ledger.report_progress(unit.dept_handler, task, text="已印发学习制度", files=[evidence()])
    ledger.submit_task(unit.dept_handler, task, note="申请销号")
    ledger.review_task(unit.office_staff, task, note="材料齐全")
    assert task.status == Task.Status.REVIEWED
    ledger.approve_task(unit.leader, task)
    task.refresh_from_db()
    assert task.status == Task.Status.CLOSED
    assert task.closed_at is not None
    stages = list(task.reviews.values_list("stage", "decision"))
    assert stages == [("office", "approve"), ("leader", "approve")]
    actions = list(AuditEvent.objects.filter(object_type="ledger.task", object_id=str(task.pk)).values_list("action", flat=True))
    assert actions[-4:] == ["task.progress", "task.submit", "task.review", "task.close"]


def test_submit_task_requires_evidence(unit):
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已开会研究")
    with pytest.raises(ValidationFailed) as err:
        ledger.submit_task(unit.dept_handler, task)
    assert err.value.field == "evidence"
    assert "佐证材料" in err.value.message
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS


def test_submit_task_without_evidence_when_deployment_allows(unit, settings):
    settings.RECTIFY_RULES = {**settings.RECTIFY_RULES, "closure_needs_evidence": False}
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已完成")
    assert ledger.submit_task(unit.dept_handler, task).status == Task.Status.SUBMITTED


def test_submit_task_requires_progress(unit):
    task = make_task(unit)
    ledger.start_task(unit.dept_handler, task)
    with pytest.raises(ValidationFailed, match="整改进展"):
        ledger.submit_task(unit.dept_handler, task)


def test_return_task_needs_reason_and_counts_returns(unit):
    task = submitted_task(unit)
    with pytest.raises(ValidationFailed) as err:
        ledger.return_task(unit.office_staff, task, reason="  ")
    assert err.value.field == "reason"
    ledger.return_task(unit.office_staff, task, reason="佐证材料不全")
    task.refresh_from_db()
    assert task.status == Task.Status.RETURNED
    assert task.returned_count == 1
    assert task.reviews.get().reason == "佐证材料不全"


def test_returned_task_can_be_resubmitted_and_turns_red_after_two_returns(unit):
    task = submitted_task(unit)
    ledger.return_task(unit.office_staff, task, reason="不全")
    ledger.submit_task(unit.dept_handler, task)
    ledger.review_task(unit.office_staff, task)
    ledger.return_task(unit.leader, task, reason="成效不明显")
    task.refresh_from_db()
    assert task.returned_count == 2
    assert task.reviews.last().stage == ClosureReview.Stage.LEADER
    assert task.light() == Task.Light.RED


def test_leader_cannot_approve_before_office_review(unit):
    task = submitted_task(unit)
    with pytest.raises(InvalidTransition):
        ledger.approve_task(unit.leader, task)


def test_long_term_task_reports_phased_results_and_is_never_closed(unit):
    task = make_task(unit, category=Task.Category.LONG_TERM, deadline=None)
    ledger.report_progress(unit.dept_handler, task, text="建立长效机制", files=[evidence()])
    with pytest.raises(InvalidTransition, match="阶段性成效"):
        ledger.submit_task(unit.dept_handler, task)
    ledger.record_phased_result(unit.dept_handler, task, text="制度已执行半年")
    assert task.status == Task.Status.PHASED_RESULT
    ledger.report_progress(unit.dept_handler, task, text="继续推进")
    assert task.status == Task.Status.IN_PROGRESS


def test_failed_look_back_reopens_task_with_reason(unit):
    task = submitted_task(unit)
    ledger.review_task(unit.office_staff, task)
    ledger.approve_task(unit.leader, task)
    look_back = ledger.schedule_look_back(unit.office_staff, task, scheduled_on=clock.today())
    ledger.record_look_back(unit.supervisor, look_back, passed=False, asked="基层干部", answer="未落实", reason="问题反弹")
    task.refresh_from_db()
    assert task.status == Task.Status.REOPENED
    assert task.closed_at is None
    ledger.report_progress(unit.dept_handler, task, text="重新整改", files=[evidence()])
    assert ledger.submit_task(unit.dept_handler, task).status == Task.Status.SUBMITTED


def test_stale_version_is_refused_not_overwritten(unit):
    task = make_task(unit)
    seen = task.version
    ledger.update_task(unit.office_staff, Task.objects.get(pk=task.pk), title="新措施甲", expected_version=seen)
    with pytest.raises(StaleWrite) as err:
        ledger.update_task(unit.office_staff, Task.objects.get(pk=task.pk), title="新措施乙", expected_version=seen)
    assert "已被他人修改" in err.value.message
    assert Task.objects.get(pk=task.pk).title == "新措施甲"


def test_deadline_before_feedback_is_refused(unit):
    with pytest.raises(ValidationFailed) as err:
        make_task(unit, deadline=unit.inspection.feedback_date - dt.timedelta(days=1))
    assert err.value.field == "deadline"
    assert "早于巡视反馈日期" in err.value.message
    assert not Task.objects.exists()


def test_department_of_another_unit_is_refused(unit, other):
    with pytest.raises(ValidationFailed) as err:
        make_task(unit, lead_org=other.departments[0])
    assert err.value.field == "lead_org"
    assert "不是本单位的部门" in err.value.message
    assert other.departments[0].name not in err.value.message  # another unit's names stay hidden


def test_leader_from_another_unit_is_refused(unit, other):
    with pytest.raises(ValidationFailed) as err:
        make_task(unit, leader=other.leader)
    assert err.value.field == "leader"


def test_submitted_task_cannot_become_long_term(unit):
    task = submitted_task(unit)
    with pytest.raises(ValidationFailed) as err:
        ledger.update_task(unit.office_staff, task, category=Task.Category.LONG_TERM)
    assert err.value.field == "category"
    assert Task.objects.get(pk=task.pk).category == Task.Category.DEADLINE


def test_bad_evidence_leaves_no_progress_behind(unit):
    task = make_task(unit)
    with pytest.raises(ValidationFailed, match="类型不受支持"):
        ledger.report_progress(unit.dept_handler, task, text="已完成",
                               files=[evidence(), Upload(name="a.exe", data=b"MZ\x90\x00" + b"\x00" * 100)])
    assert not Progress.objects.exists()
    assert not Evidence.objects.exists()
    task.refresh_from_db()
    assert task.status == Task.Status.NOT_STARTED


def test_evidence_keeps_hash_and_safe_name(unit):
    task = make_task(unit)
    progress = ledger.report_progress(unit.dept_handler, task, text="完成",
                                      files=[Upload(name="../../etc/会议纪要.pdf", data=evidence().data)])
    item = progress.evidence.get()
    assert item.original_name == "会议纪要.pdf"
    assert item.content_type == "application/pdf"
    assert len(item.sha256) == 64
    assert "会议纪要" not in item.file.name and ".." not in item.file.name


def test_renamed_file_is_judged_by_content(unit):
    task = make_task(unit)
    with pytest.raises(ValidationFailed, match="类型不受支持"):
        ledger.report_progress(unit.dept_handler, task, text="完成",
                               files=[Upload(name="报告.pdf", data=b"\x7fELF" + b"\x00" * 64)])
