"""删除误录的巡视巡察: the office deletes an inspection registered by mistake from its edit page; one with
tasks or other records stays, and the audit chain keeps what a deleted one said."""

from __future__ import annotations

from django.urls import reverse

from rectify.audit.models import AuditEvent
from rectify.inspections.models import Finding, Inspection
from tests.factories import PASSWORD, make_task


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def delete_url(unit):
    return reverse("inspections:delete", args=[unit.inspection.pk])


def test_the_office_deletes_a_mistyped_inspection_and_the_audit_keeps_it(client, unit):
    pk, title = unit.inspection.pk, unit.inspection.title
    findings = set(Finding.objects.filter(inspection_id=pk).values_list("title", flat=True))
    assert findings  # the unit's inspection has its aspect and problem
    login(client, unit.office_staff)
    assert f'action="{delete_url(unit)}"' in client.get(reverse("inspections:edit", args=[pk])).content.decode()

    response = client.post(delete_url(unit), {"reason": "重复登记"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("inspections:list")
    assert f"已删除「{title}」，删除前的内容保存在审计记录中" in response.content.decode()
    assert not Inspection.objects.filter(pk=pk).exists() and not Finding.objects.filter(inspection_id=pk).exists()
    event = AuditEvent.objects.get(action="inspection.delete")
    assert event.before["title"] == title and {f["title"] for f in event.before["findings"]} == findings
    assert event.note == "重复登记"


def test_an_inspection_with_tasks_is_kept_and_the_page_says_why(client, unit):
    make_task(unit)
    login(client, unit.office_staff)
    refused = client.post(delete_url(unit), {"reason": ""})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "该巡视巡察已有「整改任务」记录，不能删除" in page
    assert f'value="{unit.inspection.title}"' in page  # the edit form is shown again, filled
    assert Inspection.objects.filter(pk=unit.inspection.pk).exists()
    assert not AuditEvent.objects.filter(action="inspection.delete").exists()


def test_a_department_cannot_delete_and_another_unit_does_not_see_it(client, unit, other):
    login(client, unit.dept_handler)
    assert client.post(delete_url(unit), {"reason": "x"}).status_code == 403
    client.logout()
    login(client, other.office_staff)
    assert client.post(delete_url(unit), {"reason": "x"}).status_code == 404
    assert Inspection.objects.filter(pk=unit.inspection.pk).exists()
    assert client.get(delete_url(unit)).status_code == 405
