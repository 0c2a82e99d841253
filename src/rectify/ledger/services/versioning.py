"""Optimistic concurrency for tasks: a version column; a stale write is refused, never lost."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from rectify import clock
from rectify.errors import StaleWrite
from rectify.ledger.models import Task
from rectify.ledger.services import tallies

# The fields the unit tallies count by: a write touching one recounts the unit.
# What the tallies count by: status, overdue and the traffic light (rules.lights).
TALLIED = {"status", "deadline", "closed_at", "unit", "last_progress_at", "returned_count"}


def save_versioned(task: Task, *, fields: list[str], expected_version: int | None = None) -> Task:
    """Write `fields` only if nobody saved the task since `expected_version` (default: the loaded one)."""
    expected = task.version if expected_version is None else expected_version
    values: dict[str, Any] = {}
    for name in fields:
        field = Task._meta.get_field(name)
        values[field.attname] = getattr(task, field.attname)  # type: ignore[union-attr]
    now = clock.now()
    updated = Task.objects.filter(pk=task.pk, version=expected).update(
        version=F("version") + 1, updated_at=now, **values
    )
    if not updated:
        raise StaleWrite(
            _("任务「%(title)s」已被他人修改（您看到的是第 %(seen)d 版），请刷新后重试")
            % {"title": task.title[:30], "seen": expected},
            field="version",
        )
    task.version = expected + 1
    task.updated_at = now
    if TALLIED & set(fields):
        tallies.refresh_units([task.unit_id])
    return task
