"""二次整改: the evaluation graded 一般 or 差 starts the round itself, once: its own clock, its tasks planned
from the unfinished ones, and the departments and the office told who acts next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, InvalidTransition
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.supervision import services
from rectify.supervision.models import Notification, SecondRound
from tests.factories import make_task, submitted_task

from .conftest import START

EVALUATED = START + dt.timedelta(days=30)


def _evaluate_low(sw, unit):
    with clock.frozen(EVALUATED):
        return services.evaluate_inspection(sw.inspection_office, unit.inspection,
                                            deductions=[("leadership", "10", "领导小组未研究整改")], satisfaction="0.5")


def _low_evaluation(sw):
    unit = sw.units[0]
    with clock.frozen(START):
        late = [make_task(unit, title=f"逾期任务 {i}", deadline=START + dt.timedelta(days=5)) for i in range(2)]
        done = submitted_task(unit, title="已完成任务", deadline=START + dt.timedelta(days=5))
        ledger.review_task(unit.office_staff, done)
        ledger.approve_task(unit.leader, done)
    _evaluate_low(sw, unit)
    return unit, late


def test_a_low_evaluation_starts_the_round_with_its_clock_and_tasks(sw) -> None:
    unit, late = _low_evaluation(sw)
    second = SecondRound.objects.get(inspection=unit.inspection)
    assert second.due_on == dt.date(2025, 6, 2)  # two months after the evaluation (2025-04-02), next working day
    created = list(second.tasks.order_by("pk"))
    assert [t.title for t in created] == ["（二次整改）逾期任务 0", "（二次整改）逾期任务 1"]
    assert all(t.deadline == second.due_on and t.lead_org == late[0].lead_org and t.handler == late[0].handler
               and t.status == Task.Status.NOT_STARTED for t in created)
    assert Task.objects.filter(inspection=unit.inspection).count() == 5
    assert AuditEvent.objects.get(action="inspection.second_round").actor == sw.inspection_office


def test_a_second_low_evaluation_starts_nothing_more(sw) -> None:
    unit, _late = _low_evaluation(sw)
    _evaluate_low(sw, unit)
    assert SecondRound.objects.filter(inspection=unit.inspection).count() == 1
    assert Task.objects.filter(inspection=unit.inspection).count() == 5
    assert AuditEvent.objects.filter(action="inspection.second_round_plan").count() == 1
    assert Notification.objects.filter(title__startswith="【二次整改】").count() == 3  # not sent twice


def test_the_departments_and_the_office_are_told_and_the_evaluator_is_not(sw) -> None:
    unit, _late = _low_evaluation(sw)
    second = SecondRound.objects.get(inspection=unit.inspection)
    to_department = Notification.objects.filter(recipient=unit.dept_handler, title__startswith="【二次整改】")
    assert {n.task_id for n in to_department} == set(second.tasks.values_list("pk", flat=True))
    assert all(n.due_on == second.due_on for n in to_department)
    office = Notification.objects.get(recipient=unit.office_staff, title__startswith="【二次整改】")
    assert office.title == "【二次整改】整改评估为差，已进入二次整改"
    assert "已生成 2 项二次整改任务，完成时限 2025-06-02" in office.body
    assert not Notification.objects.filter(recipient=sw.inspection_office).exists()


def test_with_nothing_unfinished_the_round_starts_and_the_office_is_asked_to_add_tasks(sw, client) -> None:
    unit = sw.units[1]
    with clock.frozen(START):
        done = submitted_task(unit, title="已完成任务", deadline=START + dt.timedelta(days=5))
        ledger.review_task(unit.office_staff, done)
        ledger.approve_task(unit.leader, done)
    with clock.frozen(EVALUATED):
        services.evaluate_inspection(sw.inspection_office, unit.inspection,
                                     deductions=[("leadership", "15", "未成立领导小组"), ("responsibility", "15", "责任未落实")],
                                     satisfaction="0.2")
    second = SecondRound.objects.get(inspection=unit.inspection)
    assert not second.tasks.exists()
    office = Notification.objects.get(recipient=unit.office_staff, title__startswith="【二次整改】")
    assert "请针对评估指出的问题补充二次整改任务" in office.body
    client.force_login(unit.office_staff)
    page = client.get(reverse("supervision:review", args=[unit.inspection.pk])).content.decode()
    assert "在问题清单中补充二次整改任务" in page and "生成二次整改任务</button>" not in page


def test_review_page_shows_the_round_and_its_tasks_without_a_button(sw, client) -> None:
    unit, _late = _low_evaluation(sw)
    client.force_login(unit.office_staff)
    with clock.frozen(EVALUATED):
        page = client.get(reverse("supervision:review", args=[unit.inspection.pk])).content.decode()
    assert "二次整改完成时限：2025年6月2日" in page and "已生成 2 项二次整改任务" in page
    assert "生成二次整改任务</button>" not in page


def test_a_round_started_without_its_tasks_is_planned_once_by_the_office(sw, client) -> None:
    """A round from before the evaluation planned its tasks: the office's button still plans it, once."""
    unit, _late = _low_evaluation(sw)
    second = SecondRound.objects.get(inspection=unit.inspection)
    Task.objects.filter(pk__in=second.tasks.values("pk")).delete()
    assert not second.tasks.exists()
    with pytest.raises(Forbidden):
        services.plan_second_round(sw.inspection_office, second)
    client.force_login(unit.office_staff)
    url = reverse("supervision:review", args=[unit.inspection.pk])
    assert "生成二次整改任务</button>" in client.get(url).content.decode()
    client.post(reverse("supervision:review_action", args=[unit.inspection.pk, "second-round"]))
    assert "已生成 2 项二次整改任务" in client.get(url).content.decode()
    with pytest.raises(InvalidTransition):
        services.plan_second_round(unit.office_staff, second)
