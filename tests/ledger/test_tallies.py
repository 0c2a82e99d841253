"""The unit tallies always equal a count of the tasks themselves, whatever the services did."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models.functions import TruncWeek

from rectify import clock
from rectify.ledger import services as ledger
from rectify.ledger.models import Task, UnitTally, UnitWeekTally
from rectify.ledger.services import tallies
from tests.factories import make_task, submitted_task

pytestmark = pytest.mark.django_db


def counted(today: dt.date) -> Counter:
    return Counter((t.unit_id, t.status, t.is_overdue(today)) for t in Task.objects.all())


def tallied() -> Counter:
    return Counter({(r.unit_id, r.status, r.overdue): r.count for r in UnitTally.objects.all()})


def weekly() -> Counter:
    weeks: Counter = Counter()
    for field, column in (("created_at", "created"), ("closed_at", "closed")):
        for unit_id, week in Task.objects.filter(**{f"{field}__isnull": False}).annotate(
            w=TruncWeek(field)
        ).values_list("unit_id", "w"):
            weeks[(unit_id, week.date(), column)] += 1
    return weeks


def tallied_weeks() -> Counter:
    weeks: Counter = Counter()
    for row in UnitWeekTally.objects.all():
        weeks[(row.unit_id, row.week, "created")] += row.created
        weeks[(row.unit_id, row.week, "closed")] += row.closed
    return +weeks


def test_the_life_cycle_keeps_the_tallies_exact(world):
    first, second = world.units
    today = clock.today()
    late = make_task(first, deadline=today - dt.timedelta(days=3))
    make_task(second)
    make_task(second, category=Task.Category.LONG_TERM, deadline=None)
    make_task(second, category=Task.Category.IMMEDIATE, deadline=None)
    closing = submitted_task(first)
    assert tallied() == counted(today)

    ledger.review_task(first.office_staff, closing)
    ledger.approve_task(first.leader, closing)
    ledger.update_task(first.office_staff, late, deadline=today + dt.timedelta(days=30))
    ledger.report_progress(first.dept_handler, late, text="已制定方案")
    assert tallied() == counted(today)
    assert tallied_weeks() == weekly()
    assert UnitTally.objects.get(unit=first.org, status=Task.Status.CLOSED).count == 1


def test_a_new_day_makes_a_task_overdue_and_refresh_stale_catches_it(world):
    unit = world.units[0]
    today = clock.today()
    make_task(unit, deadline=today)
    assert not UnitTally.objects.filter(overdue=True).exists()

    tomorrow = today + dt.timedelta(days=1)
    with clock.frozen(tomorrow):
        assert tallies.refresh_stale() == 1
        assert tallied() == counted(tomorrow)
        assert UnitTally.objects.get(unit=unit.org, overdue=True).count == 1
        assert tallies.refresh_stale() == 0  # nothing judged before today any more


def test_refresh_all_rebuilds_what_a_bulk_load_left_out(world):
    unit = world.units[0]
    make_task(unit)
    UnitTally.objects.all().delete()
    UnitWeekTally.objects.all().delete()
    assert tallies.refresh_all() == 1
    assert tallied() == counted(clock.today())
    assert tallied_weeks() == weekly()


def test_the_morning_remind_run_refreshes_overdue_counts(world):
    from rectify.supervision.services.reminders import run_reminders

    unit = world.units[0]
    today = clock.today()
    make_task(unit, deadline=today)
    run_reminders(today + dt.timedelta(days=1), email=False, webhooks=False)
    assert UnitTally.objects.get(unit=unit.org, overdue=True).count == 1
