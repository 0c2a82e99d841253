"""The morning run (`rectify remind`) delivers each unit's warnings in a job of its own: a unit that fails
holds no other back, and a run killed after queueing is finished by the worker, each warning once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from rectify import clock
from rectify.jobs import queue
from rectify.jobs.models import Job
from rectify.supervision.models import Notification
from rectify.supervision.services import reminders
from tests.factories import make_task


def _overdue(world) -> None:
    for unit in world.units:
        make_task(unit, title=f"{unit.org.name}逾期的整改任务", deadline=clock.today() - dt.timedelta(days=3))


def _warned(unit) -> bool:
    return Notification.objects.filter(unit=unit.org, kind=Notification.Kind.OVERDUE).exists()


def test_each_unit_is_reminded_in_a_job_of_its_own(world) -> None:
    _overdue(world)
    result = reminders.run_reminders(email=False)
    jobs = Job.objects.filter(name=reminders.REMIND_JOB)
    units = {job.payload["unit"] for job in jobs}
    assert {unit.org.pk for unit in world.units} <= units and len(units) == jobs.count()
    assert set(jobs.values_list("status", flat=True)) == {Job.Status.DONE}
    assert all(_warned(unit) for unit in world.units)
    # What the run reports is what it sent, each warning once.
    assert sorted(n.pk for n in result.sent) == sorted(Notification.objects.values_list("pk", flat=True))
    assert reminders.run_reminders(email=False).sent == []


def test_a_failing_unit_does_not_hold_the_others_back(world, monkeypatch) -> None:
    _overdue(world)
    first, second = world.units[0], world.units[1]
    real = reminders.collect_warnings

    def broken(today, *, unit_id=None):
        if unit_id == first.org.pk:
            raise OSError("this unit's data cannot be read right now")
        return real(today, unit_id=unit_id)

    monkeypatch.setattr(reminders, "collect_warnings", broken)
    reminders.run_reminders(email=False)
    assert _warned(second) and not _warned(first)
    stuck = Job.objects.get(name=reminders.REMIND_JOB, payload__unit=first.org.pk)
    assert stuck.status == Job.Status.QUEUED and stuck.attempts == 1 and "OSError" in stuck.error
    # Its retry, once the back-off has passed, is the worker's.
    monkeypatch.setattr(reminders, "collect_warnings", real)
    Job.objects.filter(pk=stuck.pk).update(run_after=timezone.now())
    assert queue.run_due(names=[reminders.REMIND_JOB]).done == 1
    assert _warned(first)


def test_a_run_killed_after_queueing_is_finished_by_the_worker(world, monkeypatch) -> None:
    _overdue(world)
    monkeypatch.setattr(reminders, "_remind_here", lambda: [])  # the run dies right after queueing
    assert reminders.run_reminders(email=False).sent == []
    assert not Notification.objects.exists()
    queued = Job.objects.filter(name=reminders.REMIND_JOB, status=Job.Status.QUEUED).count()
    assert queued >= len(world.units)
    # A second run on the same day queues nothing twice.
    reminders.run_reminders(email=False)
    assert Job.objects.filter(name=reminders.REMIND_JOB).count() == queued
    assert queue.run_due().done >= queued  # `rectify worker`
    assert all(_warned(unit) for unit in world.units)
    count = Notification.objects.count()
    monkeypatch.undo()
    assert reminders.run_reminders(email=False).sent == []
    assert Notification.objects.count() == count


def test_a_dated_run_left_to_the_worker_keeps_its_date(world, monkeypatch) -> None:
    unit = world.units[0]
    day = clock.today() + dt.timedelta(days=40)
    make_task(unit, title="四十天后才逾期的整改任务", deadline=clock.today() + dt.timedelta(days=37))
    monkeypatch.setattr(reminders, "_remind_here", lambda: [])
    reminders.run_reminders(day, email=False)
    queue.run_due(names=[reminders.REMIND_JOB])
    titles = set(Notification.objects.filter(unit=unit.org, kind=Notification.Kind.OVERDUE).values_list("title", flat=True))
    assert titles == {"【逾期警示】整改任务「四十天后才逾期的整改任务」已逾期3天"}
