"""延期申请: the department asks with a reason, the office reviews, the leader decides; the original deadline
is kept. Withdrawing a closure request. Bulk deadline changes need a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, InvalidTransition, ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import Extension, Task
from rectify.ledger.selectors import timeline
from rectify.supervision.models import Notification
from tests.factories import PASSWORD, make_task, submitted_task


def test_extension_goes_from_department_to_office_to_leader_and_keeps_the_original_deadline(unit, today):
    task = make_task(unit)
    original = task.deadline
    wanted = original + dt.timedelta(days=30)
    ledger.request_extension(unit.dept_handler, task, deadline=wanted, reason="需等待上级批复")
    assert Notification.objects.filter(recipient=unit.office_staff, title__contains="延期申请").exists()
    ledger.review_extension(unit.office_staff, task, approve=True)
    assert Notification.objects.filter(recipient=unit.leader, title__contains="延期申请").exists()
    extension = ledger.decide_extension(unit.leader, task, approve=True)
    task.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED
    assert (task.deadline, task.original_deadline) == (wanted, original)
    texts = [e.text for e in timeline(task)]
    assert any("需等待上级批复" in t for t in texts)
    assert any(f"完成时限由 {original.isoformat()} 调整为 {wanted.isoformat()}" in t for t in texts)


def test_refusing_an_extension_needs_a_reason_and_changes_no_deadline(unit):
    task = make_task(unit)
    ledger.request_extension(unit.dept_handler, task, deadline=task.deadline + dt.timedelta(days=10), reason="人手不足")
    with pytest.raises(ValidationFailed):
        ledger.review_extension(unit.office_staff, task, approve=False, note="")
    ledger.review_extension(unit.office_staff, task, approve=False, note="理由不充分")
    task.refresh_from_db()
    assert task.extensions.get().status == Extension.Status.REFUSED and task.original_deadline is None
    assert Notification.objects.filter(recipient=unit.dept_handler, title__contains="延期申请已办理").exists()


def test_extension_is_refused_without_reason_for_an_earlier_date_or_twice(unit, today):
    task = make_task(unit)
    with pytest.raises(ValidationFailed):
        ledger.request_extension(unit.dept_handler, task, deadline=task.deadline + dt.timedelta(days=5), reason=" ")
    with pytest.raises(ValidationFailed, match="应晚于"):
        ledger.request_extension(unit.dept_handler, task, deadline=task.deadline, reason="理由")
    ledger.request_extension(unit.dept_handler, task, deadline=task.deadline + dt.timedelta(days=5), reason="理由")
    with pytest.raises(InvalidTransition, match="已有待办理"):
        ledger.request_extension(unit.dept_handler, task, deadline=task.deadline + dt.timedelta(days=9), reason="理由")
    with pytest.raises(Forbidden):
        ledger.review_extension(unit.dept_handler, task, approve=True)


def test_department_withdraws_its_closure_request(unit):
    task = submitted_task(unit)
    ledger.withdraw_task(unit.dept_handler, task, note="材料需要补充")
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS and task.submitted_at is None
    assert any(e.title == "撤回销号申请" and e.text == "材料需要补充" for e in timeline(task))
    with pytest.raises(InvalidTransition):
        ledger.withdraw_task(unit.dept_handler, task)


def test_task_page_extension_and_withdraw_forms(client, unit):
    task = submitted_task(unit)
    assert client.login(username=unit.dept_handler.username, password=PASSWORD)
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "撤回销号申请" in page and "申请延期" in page
    client.post(reverse("ledger:task_action", args=[task.pk, "withdraw"]), {"version": task.version})
    assert Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS
    new = (task.deadline + dt.timedelta(days=20)).isoformat()
    response = client.post(reverse("ledger:task_action", args=[task.pk, "extend"]), {"deadline": new, "reason": "待批复"},
                           follow=True)
    assert "延期申请已提交" in response.content.decode()
    response = client.post(reverse("ledger:task_action", args=[task.pk, "extend"]),
                           {"deadline": "2026-02-30", "reason": "待批复"}, follow=True)
    assert "「申请延期至」无法识别：2026-02-30" in response.content.decode()
    response = client.post(reverse("ledger:task_action", args=[task.pk, "extend"]), {"deadline": new, "reason": "再次"},
                           follow=True)
    assert "已有待办理的延期申请" in response.content.decode()


def test_bulk_deadline_change_asks_for_a_reason_and_keeps_the_original(client, unit):
    task = make_task(unit)
    original = task.deadline
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("ledger:bulk_assign", args=[unit.inspection.pk])
    new = (original + dt.timedelta(days=15)).isoformat()
    response = client.post(url, {"task": [task.pk], "deadline": new}, follow=True)
    assert "调整时限的理由" in response.content.decode()
    assert Task.objects.get(pk=task.pk).deadline == original
    client.post(url, {"task": [task.pk], "deadline": new, "reason": "按领导小组会议调整"})
    task.refresh_from_db()
    assert task.deadline.isoformat() == new and task.original_deadline == original
    assert "按领导小组会议调整" in AuditEvent.objects.filter(action="task.deadline").get().note


def test_a_task_in_recheck_takes_no_extension_as_its_page_offers_none(unit):
    from rectify.organizations.scoping import Action, actions_on_task

    task = submitted_task(unit)
    ledger.review_task(unit.office_staff, task)
    ledger.approve_task(unit.leader, task)
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    task.refresh_from_db()
    assert task.status == Task.Status.RECHECK
    assert Action.REQUEST_EXTENSION not in actions_on_task(unit.dept_handler, task)
    with pytest.raises(InvalidTransition):
        ledger.request_extension(unit.dept_handler, task, deadline=task.deadline + dt.timedelta(days=30), reason="理由")
    assert not task.extensions.exists()
