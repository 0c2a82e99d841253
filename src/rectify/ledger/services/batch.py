"""Adding a whole plan at once (导入整改台账): findings, tasks and their first progress in bulk.

`add_to_plan` does what `add_finding`, `create_task` and `report_progress` do one by one — the same
checks, the same audit events — with a handful of bulk inserts, so a 10,000-row ledger is written in
seconds; `PlanWriter` writes a larger plan the same way in batches, within the caller's transaction. The caller (the ledger import) validates row by row first with `check_plan_row` to name
each bad row; `add_to_plan` checks everything again before it writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from rectify import bulk, clock
from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.inspections.models import Finding, Inspection
from rectify.ledger.models import Progress, Task
from rectify.ledger.services import tallies
from rectify.ledger.services.plan import _check_task
from rectify.organizations.models import Membership, Organization, User
from rectify.organizations.scoping import Action, require, require_unit


@dataclass
class PlanRow:
    """One task to add: an unsaved Task (its finding may be new), its co-operating departments and progress."""

    task: Task
    co_orgs: list[Organization] = field(default_factory=list)
    progress: str = ""
    # A progress history kept in the ledger: (reported on, text, department); `progress` is then unused.
    history: list[tuple[date | None, str, Organization | None]] = field(default_factory=list)


def unit_members(inspection: Inspection) -> set[int]:
    """Ids of the people of the inspected unit: who may be a task's responsible leader or handler."""
    return set(
        Membership.objects.filter(organization__path__startswith=inspection.target.path).values_list("user_id", flat=True)
    )


def check_plan_row(row: PlanRow, *, members: set[int]) -> None:
    """Validate one row as `create_task` would; raises ValidationFailed naming the field. Writes nothing."""
    row.task.title = (row.task.title or "").strip()
    _check_task(row.task, row.co_orgs, members=members)
    row.progress = (row.progress or "").strip()


def _check_finding(inspection: Inspection, finding: Finding) -> None:
    finding.title = (finding.title or "").strip()
    if not finding.title:
        raise ValidationFailed(_("「问题标题」不能为空"), field="title")
    parent = finding.parent
    if finding.inspection_id != inspection.pk or (parent is not None and parent.inspection_id != inspection.pk):
        raise ValidationFailed(_("「上级问题」不属于本次巡视巡察"), field="parent")
    lowest = 1 if parent is None else parent.level + 1
    if not lowest <= finding.level <= 3:
        raise ValidationFailed(_("问题层级必须低于上级问题，最多三级"), field="parent")


@transaction.atomic
def add_to_plan(actor: User, inspection: Inspection, *, findings: list[Finding], rows: list[PlanRow]) -> list[Task]:
    """Add new findings (unsaved, parents before children) and tasks with their first progress to the plan.

    A task with progress starts 整改中, as if `report_progress` had been called by the actor right after
    `create_task`; the progress is reported for the task's lead department.
    """
    writer = PlanWriter(actor, inspection)
    tasks = writer.add(findings=findings, rows=rows)
    writer.finish()
    return tasks


class PlanWriter:
    """A plan added batch by batch inside the caller's transaction (导入整改台账 of many rows): each batch is
    checked and written as `add_to_plan` writes the whole, so a large import never holds every row's
    objects and audit events at once; `finish` recounts the unit once at the end. The caller owns the
    transaction: a batch refused or an error later rolls back every batch written before it.
    """

    def __init__(self, actor: User, inspection: Inspection) -> None:
        self.actor = actor
        self.inspection = inspection
        self.roles = require_unit(actor, Action.EDIT_PLAN, inspection.target)
        self.members = unit_members(inspection)
        self.may_report: bool | None = None  # checked with the first progress

    @transaction.atomic
    def add(self, *, findings: list[Finding], rows: list[PlanRow]) -> list[Task]:
        """Check and write one batch: its new findings (parents before children, or parents written by an
        earlier batch), its tasks, their co-operating departments, progress and audit events."""
        actor, inspection = self.actor, self.inspection
        if self.may_report is None and any(row.progress or row.history for row in rows):
            require(actor, Action.REPORT_PROGRESS, self.roles)
            self.may_report = True
        for finding in findings:
            _check_finding(inspection, finding)
        for row in rows:
            check_plan_row(row, members=self.members)

        unit_id = inspection.target_id
        entries: list[audit.Entry] = []
        for level in (Finding.Level.ASPECT, Finding.Level.PROBLEM, Finding.Level.SUB_PROBLEM):
            # Parents first, so each child's parent has its id when the child is inserted.
            batch = [f for f in findings if f.level == level]
            bulk.insert(batch)
            entries += [audit.Entry("finding.create", f, unit_id) for f in batch]

        now, today = clock.now(), clock.today()
        tasks = [row.task for row in rows]
        for row in rows:
            row.task.unit_id = unit_id
            row.task.created_at = now
            if row.progress or row.history:
                row.task.status = Task.Status.IN_PROGRESS
                row.task.last_progress_at = now
        bulk.insert(tasks)
        bulk.insert_rows(
            Task.co_orgs.through,
            [{"task_id": row.task.pk, "organization_id": org.pk} for row in rows for org in row.co_orgs],
        )
        progress = [
            bulk.new(Progress, task=row.task, text=row.progress, reported_on=today, author=actor,
                     organization_id=row.task.lead_org_id, created_at=now)
            for row in rows
            if row.progress and not row.history
        ] + [
            bulk.new(Progress, task=row.task, text=text, reported_on=day or today, author=actor,
                     organization_id=org.pk if org else row.task.lead_org_id, created_at=now)
            for row in rows
            for day, text, org in row.history
        ]
        bulk.insert(progress)
        entries += [
            audit.Entry("task.create", row.task, unit_id, json_ready=True,
                        after={**audit.snapshot(row.task), "co_orgs": [o.pk for o in row.co_orgs]})
            for row in rows
        ]
        entries += [audit.Entry("progress.create", p, unit_id) for p in progress]
        audit.record_many(actor, entries)
        return tasks

    def finish(self) -> None:
        """Recount the unit's tasks once every batch is written."""
        tallies.refresh_units([self.inspection.target_id])
