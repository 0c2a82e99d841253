"""Evidence files never outlive the write that stored them: a rolled-back progress report leaves no file."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectify.errors import StaleWrite
from rectify.ledger import services as ledger
from rectify.ledger.models import Evidence, Task
from tests.factories import PDF, evidence, make_task


def _files() -> list:
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_stale_progress_report_keeps_no_file(unit):
    task = make_task(unit)
    stale = task.version
    ledger.update_task(unit.office_staff, task, title="先改一次")
    with pytest.raises(StaleWrite):
        ledger.report_progress(unit.dept_handler, Task.objects.get(pk=task.pk), text="已完成",
                               files=[evidence("纪要.pdf"), evidence("通知.pdf")], expected_version=stale)
    assert not Evidence.objects.filter(task=task).exists()
    assert _files() == []


def test_stale_phased_result_keeps_no_file(unit):
    task = make_task(unit, category=Task.Category.LONG_TERM, deadline=None)
    stale = task.version
    ledger.update_task(unit.office_staff, task, title="先改一次")
    with pytest.raises(StaleWrite):
        ledger.record_phased_result(unit.dept_handler, Task.objects.get(pk=task.pk), text="阶段成效",
                                    files=[evidence()], expected_version=stale)
    assert _files() == []


def test_409_from_the_api_keeps_no_file(client, unit):
    from rectify.api.services import create_token

    task = make_task(unit)
    stale = task.version
    ledger.update_task(unit.office_staff, task, title="先改一次")
    _token, secret = create_token(unit.dept_handler, name="回滚测试", scope="write", days=1)
    response = client.post(f"/api/v1/tasks/{task.pk}/progress", {
        "text": "已完成", "version": str(stale), "files": SimpleUploadedFile("纪要.pdf", PDF, "application/pdf")},
        headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 409
    assert _files() == []


def test_stale_report_on_the_page_keeps_no_file(client, unit):
    task = make_task(unit)
    stale = task.version
    ledger.update_task(unit.office_staff, task, title="先改一次")
    client.force_login(unit.dept_handler)
    client.post(reverse("ledger:task_action", args=[task.pk, "progress"]), {
        "text": "已完成", "version": str(stale), "files": SimpleUploadedFile("纪要.pdf", PDF, "application/pdf")})
    assert not Evidence.objects.filter(task=task).exists()
    assert _files() == []


def test_accepted_progress_keeps_its_files(unit):
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已完成", files=[evidence()], expected_version=task.version)
    assert len(_files()) == 1
