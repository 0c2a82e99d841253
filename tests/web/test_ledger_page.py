"""The ledger page: bounded queries, filters in the URL, grouping by finding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rectify import clock
from rectify.ledger import services as ledger_services
from rectify.ledger.models import Task
from tests.factories import PASSWORD, make_task


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def ledger_queries(client, unit) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("ledger:ledger", args=[unit.inspection.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_ledger_page_queries_do_not_grow_with_tasks(client, unit):
    login(client, unit.office_staff)
    for _ in range(10):
        make_task(unit)
    small = ledger_queries(client, unit)
    for _ in range(490):
        make_task(unit)
    large = ledger_queries(client, unit)
    assert Task.objects.filter(inspection=unit.inspection).count() == 500
    assert large == small


def test_ledger_filters_survive_in_the_url(client, unit):
    login(client, unit.office_staff)
    late = make_task(unit, title="逾期的整改措施", deadline=clock.today() + dt.timedelta(days=1))
    Task.objects.filter(pk=late.pk).update(deadline=clock.today() - dt.timedelta(days=3))
    make_task(unit, title="按期推进的措施", lead_org=unit.departments[2])
    url = reverse("ledger:ledger", args=[unit.inspection.pk]) + "?overdue=1"
    page = client.get(url).content.decode()
    assert "逾期的整改措施" in page and "按期推进的措施" not in page
    by_org = client.get(reverse("ledger:ledger", args=[unit.inspection.pk]), {"lead_org": unit.departments[2].pk})
    assert "按期推进的措施" in by_org.content.decode() and "逾期的整改措施" not in by_org.content.decode()


def test_ledger_groups_tasks_under_their_finding(client, unit):
    login(client, unit.office_staff)
    make_task(unit, title="建立学习制度")
    page = client.get(reverse("ledger:ledger", args=[unit.inspection.pk])).content.decode()
    assert page.index(unit.finding.title) < page.index("建立学习制度")


def test_department_sees_only_its_own_tasks(client, unit):
    mine = make_task(unit, title="本部门牵头的任务")
    make_task(unit, title="其他部门的任务", lead_org=unit.departments[2], co_orgs=[])
    login(client, unit.dept_handler)
    page = client.get(reverse("ledger:my_tasks")).content.decode()
    assert "本部门牵头的任务" in page and "其他部门的任务" not in page
    assert client.get(reverse("ledger:task", args=[mine.pk])).status_code == 200


def test_bulk_assign_sets_deadline_on_selected_tasks(client, unit):
    login(client, unit.office_staff)
    a, b, c = make_task(unit), make_task(unit), make_task(unit)
    target = clock.today() + dt.timedelta(days=90)
    response = client.post(reverse("ledger:bulk_assign", args=[unit.inspection.pk]),
                           {"task": [a.pk, b.pk], "deadline": target.isoformat(), "lead_org": unit.departments[1].pk,
                            "reason": "按调度会意见调整"})
    assert response.status_code == 302
    assert {t.deadline for t in Task.objects.filter(pk__in=[a.pk, b.pk])} == {target}
    assert Task.objects.get(pk=c.pk).deadline != target
    assert Task.objects.get(pk=a.pk).lead_org == unit.departments[1]


def test_inline_edit_with_stale_version_shows_conflict(client, unit):
    login(client, unit.office_staff)
    task = make_task(unit)
    url = reverse("ledger:task_row_edit", args=[task.pk])
    form = {"title": "第一次修改", "category": "deadline", "deadline": task.deadline.isoformat(), "version": task.version}
    assert "第一次修改" in client.post(url, form).content.decode()
    stale = client.post(url, {**form, "title": "过时的修改"}).content.decode()
    assert "已被他人修改" in stale
    assert Task.objects.get(pk=task.pk).title == "第一次修改"


def test_a_refused_stale_save_keeps_the_typed_text_shows_the_colleagues_and_saves_on_purpose(client, unit):
    login(client, unit.office_staff)
    task = make_task(unit, title="原整改措施")
    url = reverse("ledger:task_row_edit", args=[task.pk])
    seen = task.version
    # A colleague saves first: new wording and another lead department.
    ledger_services.update_task(unit.office_staff, Task.objects.get(pk=task.pk), title="同事改过的措施",
                                lead_org=unit.departments[2])
    now = Task.objects.get(pk=task.pk).version
    typed = {"title": "我写的措施", "category": "deadline", "deadline": task.deadline.isoformat(),
             "lead_org": unit.departments[0].pk, "leader": unit.leader.pk, "version": seen}
    refused = client.post(url, typed, HTTP_HX_REQUEST="true")
    assert refused.status_code == 409 and refused["HX-Reswap"] == "outerHTML"
    form = refused.content.decode()
    assert ">我写的措施</textarea>" in form
    assert f'name="version" value="{now}"' in form and f'name="version" value="{seen}"' not in form
    assert f"现为第 {now} 版" in form
    assert "<dt>整改措施</dt><dd>同事改过的措施</dd>" in form and "<dt>牵头单位</dt><dd>财务处</dd>" in form
    assert Task.objects.get(pk=task.pk).title == "同事改过的措施"
    saved = client.post(url, {**typed, "version": now}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "errorlist" not in saved.content.decode()
    stored = Task.objects.get(pk=task.pk)
    assert (stored.title, stored.lead_org_id, stored.version) == ("我写的措施", unit.departments[0].pk, now + 1)
