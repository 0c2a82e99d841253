"""Correcting the plan: tasks, findings and inspections entered by mistake are deleted with audit, never
losing history; once the plan is submitted, only with a recorded reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, ValidationFailed
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.supervision import services as supervision
from tests.factories import PASSWORD, evidence, make_task


def test_a_draft_task_is_deleted_and_the_audit_keeps_it(unit):
    task = make_task(unit, title="误录的任务")
    pk = task.pk
    ledger.delete_task(unit.office_staff, task)
    assert not Task.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="task.delete")
    assert event.before["title"] == "误录的任务" and event.object_id == str(pk)


def test_a_task_with_progress_is_never_deleted(unit):
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已开展", files=[evidence()])
    with pytest.raises(ValidationFailed, match="不能删除"):
        ledger.delete_task(unit.office_staff, task)
    with pytest.raises(Forbidden):
        ledger.delete_task(unit.dept_handler, make_task(unit))


def test_after_the_plan_is_submitted_a_deletion_needs_a_reason(unit):
    task = make_task(unit)
    spare = make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    with pytest.raises(ValidationFailed, match="理由"):
        ledger.delete_task(unit.office_staff, spare)
    ledger.delete_task(unit.office_staff, spare, reason="与第1项重复")
    assert AuditEvent.objects.get(action="task.delete").note == "与第1项重复"
    assert Task.objects.filter(pk=task.pk).exists()


def test_a_finding_is_deleted_only_without_tasks_or_children(unit):
    with pytest.raises(ValidationFailed):
        inspections.delete_finding(unit.office_staff, unit.aspect)  # has a sub-problem
    extra = inspections.add_finding(unit.office_staff, unit.inspection, title="重复录入的问题", parent=unit.aspect)
    inspections.delete_finding(unit.office_staff, extra)
    assert AuditEvent.objects.get(action="finding.delete").before["title"] == "重复录入的问题"


def test_an_inspection_with_tasks_is_never_deleted_one_without_is(unit):
    make_task(unit)
    with pytest.raises(ValidationFailed, match="整改任务"):
        inspections.delete_inspection(unit.office_staff, unit.inspection)
    mistaken = inspections.create_inspection(unit.office_staff, target=unit.org, title="误登记的巡视")
    inspections.add_finding(unit.office_staff, mistaken, title="方面")
    inspections.delete_inspection(unit.office_staff, mistaken)
    event = AuditEvent.objects.get(action="inspection.delete")
    assert event.before["title"] == "误登记的巡视" and event.before["findings"][0]["title"] == "方面"


def test_task_page_deletes_and_returns_to_the_ledger(client, unit):
    task = make_task(unit)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    assert "删除任务" in client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    response = client.post(reverse("ledger:task_action", args=[task.pk, "delete"]))
    assert response.url == reverse("ledger:ledger", args=[unit.inspection.pk])
    assert not Task.objects.filter(pk=task.pk).exists()


def test_findings_page_deletes_a_finding(client, unit):
    extra = inspections.add_finding(unit.office_staff, unit.inspection, title="重复录入的问题", parent=unit.aspect)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    response = client.post(reverse("ledger:delete_finding", args=[unit.inspection.pk]), {"finding": extra.pk}, follow=True)
    assert "问题已删除" in response.content.decode()
