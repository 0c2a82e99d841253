"""The task page and its actions, as each role uses them."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectify.ledger.models import Evidence, Task
from tests.factories import PASSWORD, PDF, make_task, submitted_task


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_department_reports_progress_with_several_files(client, unit):
    task = make_task(unit)
    login(client, unit.dept_handler)
    files = [SimpleUploadedFile("方案.pdf", PDF), SimpleUploadedFile("照片.pdf", PDF)]
    response = client.post(reverse("ledger:task_action", args=[task.pk, "progress"]), {"text": "已印发方案", "files": files})
    assert response.status_code == 302
    assert Evidence.objects.filter(task=task).count() == 2
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "已印发方案" in page and "方案.pdf" in page


def test_refused_step_shows_the_reason_and_changes_nothing(client, unit):
    task = make_task(unit)
    login(client, unit.dept_handler)
    response = client.post(reverse("ledger:task_action", args=[task.pk, "submit"]), follow=True)
    assert "不能申请销号" in response.content.decode()
    assert Task.objects.get(pk=task.pk).status == Task.Status.NOT_STARTED


def test_office_returns_with_reason_and_department_sees_it(client, unit):
    task = submitted_task(unit)
    login(client, unit.office_staff)
    client.post(reverse("ledger:task_action", args=[task.pk, "return"]), {"reason": "缺少正式印发文件"})
    assert Task.objects.get(pk=task.pk).status == Task.Status.RETURNED
    client.logout()
    login(client, unit.dept_handler)
    assert "缺少正式印发文件" in client.get(reverse("ledger:my_tasks")).content.decode()


def test_supervisor_cannot_review_but_can_flag(client, unit):
    task = submitted_task(unit)
    login(client, unit.supervisor)
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "审核通过" not in page and "标记整改不实" in page
    assert client.post(reverse("ledger:task_action", args=[task.pk, "review"])).status_code == 403
    client.post(reverse("ledger:task_action", args=[task.pk, "flag"]), {"text": "佐证与实际不符"})
    assert task.comments.get().kind == "flag"


def test_evidence_download_is_an_attachment_and_scoped(client, unit, other):
    task = make_task(unit)
    login(client, unit.dept_handler)
    client.post(reverse("ledger:task_action", args=[task.pk, "progress"]),
                {"text": "完成", "files": [SimpleUploadedFile("纪要.pdf", PDF)]})
    evidence = Evidence.objects.get(task=task)
    response = client.get(reverse("ledger:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    client.logout()
    login(client, other.office_staff)
    assert client.get(reverse("ledger:evidence", args=[evidence.pk])).status_code == 404


def test_pages_send_a_content_security_policy_without_inline_scripts(client, unit):
    login(client, unit.office_staff)
    response = client.get(reverse("ledger:ledger", args=[unit.inspection.pk]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    body = response.content.decode()
    assert "<script>" not in body and "onclick" not in body
