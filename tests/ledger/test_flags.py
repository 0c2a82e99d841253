"""A 整改不实 flag puts a closed task into re-check (复核) until the office answers it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.errors import Forbidden, InvalidTransition, ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import Comment, Task
from rectify.supervision.models import Notification
from tests.factories import PASSWORD, make_task, submitted_task


def _closed(unit) -> Task:
    task = submitted_task(unit)
    ledger.review_task(unit.office_staff, task)
    return ledger.approve_task(unit.leader, task)


def test_flag_puts_a_closed_task_into_recheck_and_tells_the_office(unit):
    task = _closed(unit)
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    task.refresh_from_db()
    assert task.status == Task.Status.RECHECK
    assert task.get_status_display() == "复核中"
    assert task.is_open
    assert Notification.objects.filter(recipient=unit.office_staff, kind="task", title__contains="整改不实").exists()


def test_flag_on_an_open_task_keeps_its_status(unit):
    task = make_task(unit)
    ledger.flag_task(unit.supervisor, task, text="进展只有会议通知")
    task.refresh_from_db()
    assert task.status == Task.Status.NOT_STARTED


def test_office_upholds_the_closure_after_recheck(unit):
    task = _closed(unit)
    closed_at = task.closed_at
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    ledger.answer_flag(unit.office_staff, task, uphold=True, reason="经核实，整改到位")
    task.refresh_from_db()
    assert task.status == Task.Status.CLOSED and task.closed_at == closed_at
    assert task.comments.get(kind=Comment.Kind.FLAG).resolved_at is not None


def test_office_reopens_the_task_after_recheck(unit):
    task = _closed(unit)
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    ledger.answer_flag(unit.office_staff, task, uphold=False, reason="情况属实，重新整改")
    task.refresh_from_db()
    assert task.status == Task.Status.REOPENED and task.closed_at is None
    assert Notification.objects.filter(recipient=unit.dept_handler, title__contains="已重启").exists()


def test_answer_needs_a_reason_the_office_and_a_task_in_recheck(unit):
    task = _closed(unit)
    with pytest.raises(InvalidTransition):
        ledger.answer_flag(unit.office_staff, task, uphold=True, reason="无")
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    with pytest.raises(ValidationFailed):
        ledger.answer_flag(unit.office_staff, task, uphold=True, reason=" ")
    with pytest.raises(Forbidden):
        ledger.answer_flag(unit.supervisor, task, uphold=True, reason="维持")


def test_recheck_shows_on_the_ledger_the_office_approvals_and_the_task_page(client, unit):
    task = _closed(unit)
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    ledger_page = client.get(reverse("ledger:ledger", args=[unit.inspection.pk])).content.decode()
    assert "复核中" in ledger_page
    approvals = client.get(reverse("ledger:approvals")).content.decode()
    assert task.title[:20] in approvals and "复核" in approvals
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "复核整改不实问题" in page and "标记整改不实，进入复核" in page
    response = client.post(reverse("ledger:task_action", args=[task.pk, "answer_flag"]),
                           {"uphold": "1", "reason": "经核实整改到位", "version": Task.objects.get(pk=task.pk).version})
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).status == Task.Status.CLOSED


def test_recheck_is_counted_on_the_unit_dashboard(client, unit):
    task = _closed(unit)
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    page = client.get(reverse("ledger:unit_dashboard", args=[unit.org.pk])).content.decode()
    assert "整改不实复核中" in page
