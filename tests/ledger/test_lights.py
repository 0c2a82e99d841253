"""Traffic lights are derived from deadline, status, silence and returns."""

from __future__ import annotations

import datetime as dt

from rectify import clock
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from tests.factories import evidence, make_task


def test_light_is_green_on_track(unit):
    task = make_task(unit, deadline=clock.today() + dt.timedelta(days=40))
    ledger.report_progress(unit.dept_handler, task, text="推进中")
    assert task.light() == Task.Light.GREEN


def test_light_is_yellow_near_deadline(unit):
    task = make_task(unit, deadline=clock.today() + dt.timedelta(days=5))
    ledger.report_progress(unit.dept_handler, task, text="推进中")
    assert task.light() == Task.Light.YELLOW


def test_light_is_yellow_when_silent_for_a_week(unit):
    task = make_task(unit, deadline=clock.today() + dt.timedelta(days=40))
    with clock.frozen(clock.today() - dt.timedelta(days=8)):
        ledger.report_progress(unit.dept_handler, task, text="推进中")
    assert task.light() == Task.Light.YELLOW


def test_light_is_red_when_overdue_and_green_once_closed(unit):
    task = make_task(unit, deadline=clock.today() + dt.timedelta(days=3))
    later = clock.today() + dt.timedelta(days=4)
    assert task.light(later) == Task.Light.RED
    assert task.is_overdue(later)
    ledger.report_progress(unit.dept_handler, task, text="完成", files=[evidence()])
    ledger.submit_task(unit.dept_handler, task)
    ledger.review_task(unit.office_staff, task)
    ledger.approve_task(unit.leader, task)
    assert task.light(later) == Task.Light.GREEN
    assert not task.is_overdue(later)
