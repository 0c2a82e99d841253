"""Correcting the plan after it is submitted: every edit of an inspection, a finding or a task needs a
recorded reason (修改原因), kept in the audit event and shown in the task's timeline; a draft needs none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.audit.models import AuditEvent
from rectify.errors import ValidationFailed
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.ledger.selectors import timeline
from rectify.supervision import services as supervision
from tests.factories import PASSWORD, make_task


def test_a_draft_plan_is_corrected_without_a_reason(unit):
    task = make_task(unit)
    ledger.update_task(unit.office_staff, task, title="修正后的整改措施")
    inspections.update_finding(unit.office_staff, unit.finding, title="修正后的问题")
    inspections.update_inspection(unit.office_staff, unit.inspection, group="第十五巡视组")
    assert Task.objects.get(pk=task.pk).title == "修正后的整改措施"


def test_after_submission_a_task_edit_without_a_reason_is_refused_and_nothing_changes(unit):
    task = make_task(unit, title="原整改措施")
    supervision.submit_plan(unit.office_staff, unit.inspection)
    with pytest.raises(ValidationFailed, match="修改原因") as refused:
        ledger.update_task(unit.office_staff, task, lead_org=unit.departments[2], reason="  ")
    assert refused.value.field == "reason"
    task.refresh_from_db()
    assert task.lead_org == unit.departments[0] and task.version == 1
    assert not AuditEvent.objects.filter(action="task.update").exists()


def test_after_submission_the_reason_is_in_the_audit_event_and_the_timeline(unit):
    task = make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    ledger.update_task(unit.office_staff, task, lead_org=unit.departments[2], reason="职能调整，改由财务处牵头")
    event = AuditEvent.objects.get(action="task.update")
    assert event.note == "职能调整，改由财务处牵头"
    assert event.before["lead_org_id"] == unit.departments[0].pk and event.after["lead_org_id"] == unit.departments[2].pk
    edit = next(e for e in timeline(task) if e.title == "修改任务")
    assert edit.text == "修改「牵头单位」；修改原因：职能调整，改由财务处牵头"
    assert edit.who == unit.office_staff.display_name


def test_saving_an_unchanged_task_needs_no_reason(unit):
    task = make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    ledger.update_task(unit.office_staff, task, title=task.title, deadline=task.deadline, leader=unit.leader,
                       co_orgs=[unit.departments[1]])
    assert not [e for e in timeline(task) if e.title == "修改任务"]


def test_after_submission_findings_and_the_inspection_need_a_reason(unit):
    make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    with pytest.raises(ValidationFailed, match="修改原因"):
        inspections.update_finding(unit.office_staff, unit.finding, title="改写的问题")
    with pytest.raises(ValidationFailed, match="修改原因"):
        inspections.update_inspection(unit.office_staff, unit.inspection, group="第十五巡视组")
    inspections.update_finding(unit.office_staff, unit.finding, title="改写的问题", reason="按反馈意见原文更正")
    inspections.update_inspection(unit.office_staff, unit.inspection, group="第十五巡视组", reason="组别录入有误")
    assert AuditEvent.objects.get(action="finding.update").note == "按反馈意见原文更正"
    assert AuditEvent.objects.get(action="inspection.update").note == "组别录入有误"


def test_inline_edit_after_submission_asks_for_the_reason_and_keeps_what_was_typed(client, unit):
    task = make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("ledger:task_row_edit", args=[task.pk])
    assert "修改原因" in client.get(url).content.decode()
    form = {"title": "改写后的整改措施", "category": "deadline", "deadline": task.deadline.isoformat(),
            "lead_org": unit.departments[2].pk, "leader": unit.leader.pk, "version": task.version}
    page = client.post(url, form).content.decode()
    assert "整改方案已报送，修改须填写「修改原因」" in page
    assert "改写后的整改措施" in page and f'value="{unit.departments[2].pk}" selected' in page
    assert Task.objects.get(pk=task.pk).title == task.title
    saved = client.post(url, {**form, "reason": "按整改办会议意见细化"}).content.decode()
    assert "改写后的整改措施" in saved and "errorlist" not in saved
    assert AuditEvent.objects.get(action="task.update").note == "按整改办会议意见细化"


def test_inline_edit_of_a_draft_shows_no_reason_field(client, unit):
    task = make_task(unit)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    assert "修改原因" not in client.get(reverse("ledger:task_row_edit", args=[task.pk])).content.decode()


def test_inline_edit_names_a_deadline_that_is_no_day(client, unit):
    task = make_task(unit)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    page = client.post(reverse("ledger:task_row_edit", args=[task.pk]), {
        "title": task.title, "category": "deadline", "deadline": "2026-02-30", "version": task.version})
    assert page.status_code == 200
    assert "「完成时限」无法识别：2026-02-30" in page.content.decode()


def test_bulk_assignment_after_submission_needs_the_reason(client, unit):
    a, b = make_task(unit), make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("ledger:bulk_assign", args=[unit.inspection.pk])
    refused = client.post(url, {"task": [a.pk, b.pk], "lead_org": unit.departments[2].pk}, follow=True)
    assert "整改方案已报送，修改须填写「修改原因」" in refused.content.decode()
    assert not Task.objects.filter(lead_org=unit.departments[2]).exists()
    client.post(url, {"task": [a.pk, b.pk], "lead_org": unit.departments[2].pk, "reason": "机构改革"})
    assert Task.objects.filter(lead_org=unit.departments[2]).count() == 2
    assert set(AuditEvent.objects.filter(action="task.update").values_list("note", flat=True)) == {"机构改革"}



def test_findings_page_corrects_a_finding_with_the_reason_once_submitted(client, unit):
    make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    page = client.get(reverse("ledger:findings", args=[unit.inspection.pk])).content.decode()
    assert "修改反馈问题" in page and 'name="reason" maxlength="200"><div class="help">' in page
    url = reverse("ledger:edit_finding", args=[unit.inspection.pk])
    refused = client.post(url, {"finding": unit.finding.pk, "title": "学习贯彻党的创新理论不深入"}, follow=True)
    assert "整改方案已报送，修改须填写「修改原因」" in refused.content.decode()
    unit.finding.refresh_from_db()
    assert unit.finding.title == "学习贯彻不深入"
    done = client.post(url, {"finding": unit.finding.pk, "title": "学习贯彻党的创新理论不深入",
                             "reason": "按反馈意见原文更正"}, follow=True)
    assert "问题已修改" in done.content.decode()
    unit.finding.refresh_from_db()
    assert (unit.finding.title, unit.finding.label) == ("学习贯彻党的创新理论不深入", "1.")
    assert AuditEvent.objects.get(action="finding.update").note == "按反馈意见原文更正"
