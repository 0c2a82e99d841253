"""A task is named by the plan's numbering on every page, never by its database id."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_task

pytestmark = pytest.mark.django_db


def test_a_later_plan_starts_at_one_on_the_task_page_and_the_ledger(world, client):
    first = world.units[0]
    for _ in range(5):
        make_task(first)
    second = world.units[1]
    task = make_task(second)
    assert task.pk > 1, "the second unit's first task must not have id 1 for this test to mean anything"

    client.force_login(second.office_staff)
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "<h1>整改任务 1</h1>" in page
    assert f"整改任务 {task.pk}<" not in page

    ledger = client.get(reverse("ledger:ledger", args=[second.inspection.pk])).content.decode()
    numbers = re.findall(r'data-label="编号">([^<]*)<', ledger)
    assert numbers == ["1"]


def test_the_plans_own_number_wins_over_its_place(world, client):
    unit = world.units[1]
    make_task(unit)
    task = make_task(unit, number="2.3")
    client.force_login(unit.office_staff)
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "<h1>整改任务 2.3</h1>" in page
