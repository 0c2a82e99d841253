"""二次整改: a low evaluation starts a round with its own clock; the office plans its tasks once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rectify import clock
from rectify.errors import Forbidden, InvalidTransition
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.supervision import services
from rectify.supervision.models import SecondRound
from tests.factories import make_task, submitted_task

from .conftest import START


def _low_evaluation(sw):
    unit = sw.units[0]
    with clock.frozen(START):
        late = [make_task(unit, title=f"逾期任务 {i}", deadline=START + dt.timedelta(days=5)) for i in range(2)]
        done = submitted_task(unit, title="已完成任务", deadline=START + dt.timedelta(days=5))
        ledger.review_task(unit.office_staff, done)
        ledger.approve_task(unit.leader, done)
    with clock.frozen(START + dt.timedelta(days=30)):
        services.evaluate_inspection(sw.inspection_office, unit.inspection,
                                     deductions=[("leadership", "10", "领导小组未研究整改")], satisfaction="0.5")
    return unit, late


def test_the_round_has_its_own_clock_and_plans_the_unfinished_tasks(sw) -> None:
    unit, late = _low_evaluation(sw)
    second = SecondRound.objects.get(inspection=unit.inspection)
    assert second.due_on == dt.date(2025, 6, 2)  # two months after the evaluation (2025-04-02), next working day
    with pytest.raises(Forbidden):
        services.plan_second_round(sw.inspection_office, second)
    with clock.frozen(START + dt.timedelta(days=31)):
        created = services.plan_second_round(unit.office_staff, second)
    assert sorted(t.title for t in created) == ["（二次整改）逾期任务 0", "（二次整改）逾期任务 1"]
    assert all(t.deadline == second.due_on and t.lead_org == late[0].lead_org for t in created)
    assert set(second.tasks.all()) == set(created)
    assert Task.objects.filter(inspection=unit.inspection).count() == 5
    with pytest.raises(InvalidTransition):
        services.plan_second_round(unit.office_staff, second)


def test_review_page_shows_the_round_and_lets_the_office_plan_it(sw, client) -> None:
    unit, _late = _low_evaluation(sw)
    client.force_login(unit.office_staff)
    url = reverse("supervision:review", args=[unit.inspection.pk])
    with clock.frozen(START + dt.timedelta(days=31)):
        page = client.get(url).content.decode()
        assert "二次整改完成时限：2025年6月2日" in page and "生成二次整改任务" in page
        client.post(reverse("supervision:review_action", args=[unit.inspection.pk, "second-round"]))
        page = client.get(url).content.decode()
    assert "已生成 2 项二次整改任务" in page
