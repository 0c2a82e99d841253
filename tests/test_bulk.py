"""rectify.bulk: many rows written at once read back exactly as `save()` would have stored them."""

from __future__ import annotations

import datetime as dt

import pytest

from rectify import bulk, clock
from rectify.audit import services as audit
from rectify.audit.models import AuditEvent
from rectify.inspections.models import Finding
from rectify.ledger.models import Progress, Task

pytestmark = pytest.mark.django_db

AWKWARD = "制度\t建设\\「反斜杠」\n第二行\r\n第三行 'quotes' \"双引号\" \\N ∑ 😀"


def test_new_builds_what_the_constructor_builds(world):
    unit = world.units[0]
    values = {"inspection": unit.inspection, "title": "加强干部监督", "level": Finding.Level.PROBLEM, "position": 3}
    fast, slow = bulk.new(Finding, **values), Finding(**values)
    assert [getattr(fast, f.attname) for f in Finding._meta.concrete_fields] == [
        getattr(slow, f.attname) for f in Finding._meta.concrete_fields
    ]
    assert fast.inspection is unit.inspection and fast._state.adding
    task = bulk.new(Task, inspection=unit.inspection, finding=fast, unit=unit.org, title="措施", deadline=None)
    assert task.finding is fast and task.finding_id is None  # unsaved parent: its id is taken on insert
    assert task.status == Task.Status.NOT_STARTED and task.version == 1 and task.created_at is not None
    with pytest.raises(TypeError, match="no field named colour"):
        bulk.new(Finding, colour="red")


def test_awkward_text_dates_and_json_round_trip(world):
    unit = world.units[0]
    finding = bulk.new(Finding, inspection=unit.inspection, title=AWKWARD, text="", level=Finding.Level.PROBLEM)
    bulk.insert([finding])
    task = bulk.new(Task, inspection=unit.inspection, finding=finding, unit=unit.org, title=AWKWARD,
                    deadline=dt.date(2031, 12, 31), lead_org=unit.departments[0], exempt=True, exempt_reason="涉密")
    bulk.insert([task])
    moment = clock.now().replace(microsecond=123456)
    progress = bulk.new(Progress, task=task, text=AWKWARD, reported_on=dt.date(2031, 1, 2),
                        author=unit.office_staff, organization=unit.departments[0], created_at=moment)
    bulk.insert([progress])
    assert finding.pk and task.finding_id == finding.pk and progress.task_id == task.pk

    stored = Task.objects.get(pk=task.pk)
    assert (stored.title, stored.deadline, stored.exempt, stored.finding.title) == (
        AWKWARD, dt.date(2031, 12, 31), True, AWKWARD)
    stored_progress = Progress.objects.get(pk=progress.pk)
    assert (stored_progress.text, stored_progress.reported_on, stored_progress.created_at) == (
        AWKWARD, dt.date(2031, 1, 2), moment)

    audit.record_many(unit.office_staff, [
        audit.Entry("task.import", task, unit.org.pk, note=AWKWARD),
        audit.Entry("x.y", object_type="x", object_id=1, after={"text": AWKWARD, "list": [1, None, "\t"]}),
    ])
    first, second = AuditEvent.objects.order_by("-id")[:2][::-1]
    assert first.after["title"] == AWKWARD and first.note == AWKWARD
    assert second.after == {"text": AWKWARD, "list": [1, None, "\t"]}
    assert audit.verify().ok
