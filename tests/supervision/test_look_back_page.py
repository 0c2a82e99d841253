"""回头看抽查: sampled checks are listed, recorded against their sample, and the sample is finished."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.errors import ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import LookBack, LookBackSample, Task
from rectify.supervision import services
from tests.factories import PASSWORD, submitted_task


def _closed(unit, n: int) -> list[Task]:
    tasks = []
    for i in range(n):
        task = submitted_task(unit, title=f"已销号任务 {i}")
        ledger.review_task(unit.office_staff, task)
        tasks.append(ledger.approve_task(unit.leader, task))
    return tasks


def test_a_sample_is_finished_when_its_last_check_is_recorded(unit):
    _closed(unit, 2)
    checks = services.sample_for_look_back(unit.office_staff, unit.inspection, 100, seed=1)
    sample = LookBackSample.objects.get()
    assert {c.sample_id for c in checks} == {sample.pk}
    ledger.record_look_back(unit.office_staff, checks[0], passed=True, answer="制度执行到位")
    sample.refresh_from_db()
    assert sample.finished_at is None
    ledger.record_look_back(unit.office_staff, checks[1], passed=False, reason="问题反弹")
    sample.refresh_from_db()
    assert sample.finished_at is not None
    assert Task.objects.get(pk=checks[1].task_id).status == Task.Status.REOPENED


def test_nothing_to_sample_is_said_not_silently_done(unit):
    with pytest.raises(ValidationFailed, match="没有可抽查"):
        services.sample_for_look_back(unit.office_staff, unit.inspection, 100)


def test_the_page_lists_the_checks_and_records_them(client, unit):
    _closed(unit, 1)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    response = client.post(reverse("supervision:review_action", args=[unit.inspection.pk, "look-back"]),
                           {"percent": "100", "method": "look_back"})
    assert response.url == reverse("supervision:look_backs", args=[unit.inspection.pk])
    page = client.get(response.url).content.decode()
    assert "已销号任务 0" in page and "待核查 1 项" in page
    check = LookBack.objects.get()
    client.post(reverse("supervision:look_back_record", args=[check.pk]), {"result": "passed", "answer": "已核实"})
    page = client.get(response.url).content.decode()
    assert "已完成" in page and "已核实" in page
    assert LookBack.objects.get().result == LookBack.Result.PASSED


def test_the_task_page_records_the_sampled_check_instead_of_a_new_one(client, unit):
    (task,) = _closed(unit, 1)
    services.sample_for_look_back(unit.office_staff, unit.inspection, 100)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    client.post(reverse("ledger:task_action", args=[task.pk, "lookback"]), {"result": "passed"})
    assert LookBack.objects.count() == 1
    assert LookBackSample.objects.get().finished_at is not None


def test_other_units_cannot_record_a_check(client, unit, other):
    _closed(unit, 1)
    services.sample_for_look_back(unit.office_staff, unit.inspection, 100)
    assert client.login(username=other.office_staff.username, password=PASSWORD)
    check = LookBack.objects.get()
    assert client.post(reverse("supervision:look_back_record", args=[check.pk]), {"result": "passed"}).status_code == 404
    assert client.get(reverse("supervision:look_backs", args=[unit.inspection.pk])).status_code == 404
