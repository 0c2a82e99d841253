"""Keep `UnitTally` and `UnitWeekTally` equal to the tasks they count.

Every write of a task goes through `create_task`, `add_to_plan` or `save_versioned`; each calls
`refresh_units` for the task's unit inside its transaction, so the counts commit with the write.
"Overdue" and the traffic light also change with the date alone: rows judged before today are
refreshed by `refresh_stale` (the overview calls it, and `rectify remind` each morning).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import BooleanField, Case, Count, Value, When
from django.db.models.functions import TruncWeek

from rectify import bulk, clock
from rectify.ledger import lights
from rectify.ledger.models import Task, UnitTally, UnitWeekTally


def _overdue(today: dt.date) -> Case:
    """True or False, never NULL: a task without a deadline is not overdue."""
    return Case(
        When(lights.overdue_q(today), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    )


def refresh_units(unit_ids: Iterable[int], *, today: dt.date | None = None) -> None:
    """Recount the tasks of these units (two grouped queries over their tasks)."""
    ids = sorted(set(unit_ids))
    if not ids:
        return
    today = today or clock.today()
    UnitTally.objects.filter(unit_id__in=ids).delete()
    UnitWeekTally.objects.filter(unit_id__in=ids).delete()
    tasks = Task.objects.filter(unit_id__in=ids).order_by()
    bulk.insert_rows(UnitTally, [
        {"unit_id": row["unit_id"], "status": row["status"], "overdue": bool(row["overdue"]), "light": row["light"],
         "count": row["n"], "as_of": today}
        for row in tasks.values("unit_id", "status", overdue=_overdue(today), light=lights.light_case(today))
        .annotate(n=Count("id"))
    ])
    weeks: dict[tuple[int, dt.date], dict[str, object]] = {}
    for field, column in (("created_at", "created"), ("closed_at", "closed")):
        grouped = (
            tasks.filter(**{f"{field}__isnull": False}).values("unit_id", week=TruncWeek(field))
            .annotate(n=Count("id"))
        )
        for row in grouped:
            week = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
            entry = weeks.setdefault((row["unit_id"], week), {"unit_id": row["unit_id"], "week": week,
                                                                 "created": 0, "closed": 0})
            entry[column] = row["n"]
    bulk.insert_rows(UnitWeekTally, list(weeks.values()))


def refresh_stale(*, today: dt.date | None = None, batch: int = 200) -> int:
    """Recount the units whose overdue split was judged before today; returns how many."""
    today = today or clock.today()
    stale = set(UnitTally.objects.filter(as_of__lt=today).values_list("unit_id", flat=True))
    return _refresh_in_batches(stale, today=today, batch=batch)


def refresh_all(*, today: dt.date | None = None, batch: int = 200) -> int:
    """Recount every unit that has tasks (after a bulk load or a restore); returns how many."""
    today = today or clock.today()
    UnitTally.objects.all().delete()
    UnitWeekTally.objects.all().delete()
    units = set(Task.objects.order_by().values_list("unit_id", flat=True).distinct())
    return _refresh_in_batches(units, today=today, batch=batch)


def _refresh_in_batches(unit_ids: set[int], *, today: dt.date, batch: int) -> int:
    units = sorted(unit_ids)
    for start in range(0, len(units), batch):
        refresh_units(units[start : start + batch], today=today)
    return len(units)
