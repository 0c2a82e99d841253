"""ledger.add_to_plan: a whole plan written at once, checked and audited like task by task."""

from __future__ import annotations

import datetime as dt

import pytest

from rectify import clock
from rectify.audit import services as audit
from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, ValidationFailed
from rectify.inspections.models import Finding
from rectify.ledger import services as ledger
from rectify.ledger.models import Progress, Task

pytestmark = pytest.mark.django_db


def plan(unit, *, progress: str = "已召开专题会议", **task_fields):
    aspect = Finding(inspection=unit.inspection, level=Finding.Level.ASPECT, title="落实全面从严治党方面", position=10)
    problem = Finding(inspection=unit.inspection, parent=aspect, level=Finding.Level.PROBLEM, title="监督执纪偏松偏软",
                      position=11)
    values = {
        "inspection": unit.inspection, "finding": problem, "title": "建立监督执纪问责台账",
        "category": Task.Category.DEADLINE, "deadline": clock.today() + dt.timedelta(days=60),
        "leader": unit.leader, "lead_org": unit.departments[0], **task_fields,
    }
    row = ledger.PlanRow(Task(**values), co_orgs=[unit.departments[1], unit.departments[2]], progress=progress)
    return [aspect, problem], [row]


def test_everything_is_written_with_its_audit_events(world):
    unit = world.units[0]
    findings, rows = plan(unit)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    [task] = ledger.add_to_plan(unit.office_staff, unit.inspection, findings=findings, rows=rows)

    task = Task.objects.get(pk=task.pk)
    assert task.finding.title == "监督执纪偏松偏软" and task.finding.parent.title == "落实全面从严治党方面"
    assert task.unit_id == unit.org.pk and task.leader_name == unit.leader.display_name
    assert set(task.co_orgs.all()) == {unit.departments[1], unit.departments[2]}
    assert task.status == Task.Status.IN_PROGRESS and task.last_progress_at is not None
    progress = Progress.objects.get(task=task)
    assert progress.text == "已召开专题会议" and progress.author == unit.office_staff
    assert progress.organization == unit.departments[0]

    actions = list(AuditEvent.objects.filter(pk__gt=before).order_by("pk").values_list("action", "object_id"))
    assert actions == [
        ("finding.create", str(findings[0].pk)), ("finding.create", str(findings[1].pk)),
        ("task.create", str(task.pk)), ("progress.create", str(progress.pk)),
    ]
    created = AuditEvent.objects.get(action="task.create", object_id=str(task.pk))
    assert created.after["co_orgs"] == [unit.departments[1].pk, unit.departments[2].pk]
    assert created.after["deadline"] == task.deadline.isoformat()
    assert audit.verify().ok


def test_without_progress_a_task_is_not_started(world):
    unit = world.units[0]
    findings, rows = plan(unit, progress="")
    [task] = ledger.add_to_plan(unit.office_staff, unit.inspection, findings=findings, rows=rows)
    assert Task.objects.get(pk=task.pk).status == Task.Status.NOT_STARTED
    assert not Progress.objects.filter(task=task).exists()


def test_one_bad_row_writes_nothing(world):
    unit = world.units[0]
    findings, rows = plan(unit)
    _, more = plan(unit, deadline=None)  # a time-bound task needs a deadline
    more[0].task.finding = findings[1]
    tasks, events = Task.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        ledger.add_to_plan(unit.office_staff, unit.inspection, findings=findings, rows=[*rows, *more])
    assert raised.value.field == "deadline"
    assert (Task.objects.count(), AuditEvent.objects.count()) == (tasks, events)
    assert not Finding.objects.filter(title="监督执纪偏松偏软").exists()


def test_a_leader_of_another_unit_is_refused(world):
    unit, other = world.units
    findings, rows = plan(unit, leader=other.leader)
    with pytest.raises(ValidationFailed) as raised:
        ledger.add_to_plan(unit.office_staff, unit.inspection, findings=findings, rows=rows)
    assert raised.value.field == "leader"


def test_only_the_rectification_office_adds_to_the_plan(world):
    unit = world.units[0]
    findings, rows = plan(unit)
    with pytest.raises(Forbidden):
        ledger.add_to_plan(unit.supervisor, unit.inspection, findings=findings, rows=rows)
    assert not Task.objects.filter(title="建立监督执纪问责台账").exists()
