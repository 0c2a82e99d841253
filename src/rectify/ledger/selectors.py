"""Scoped reads of the ledger. Every selector starts from the scoping function."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import CharField, Count, Model, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.inspections.models import Inspection
from rectify.inspections.selectors import inspections_visible_to as inspections_visible_to  # re-exported
from rectify.ledger import lights
from rectify.ledger.access import task_q
from rectify.ledger.models import Lead, RuleChange, Task, UnitTally, UnitWeekTally
from rectify.ledger.timeline import Event, timeline
from rectify.organizations.models import Role, User
from rectify.organizations.scoping import grants, lead_q, unit_q
from rectify.rules.calendar import add_months

__all__ = ["Event", "timeline"]  # the task page's timeline lives in ledger/timeline.py


def tasks_visible_to(actor: User) -> QuerySet[Task]:
    """Tasks the actor may see (整改任务), with what a ledger row shows."""
    return Task.objects.filter(task_q(actor)).select_related("finding", "lead_org", "unit", "leader")


def own_tasks(actor: User) -> QuerySet[Task]:
    """我的任务: a department's tasks; a leader's are the tasks they are responsible leader (责任领导) of."""
    held = {g.role for g in grants(actor)}
    qs = tasks_visible_to(actor)
    if Role.LEADER in held and Role.DEPARTMENT not in held:
        qs = qs.filter(leader=actor)
    return qs


def awaiting(actor: User, *, mine_only: bool = False) -> QuerySet[Task]:
    """待我审批: closure requests the office reviews (待审核) and flagged closures it re-checks (复核中), and
    those a leader approves (待审批) as the task's responsible leader or the unit's 第一责任人 (only the
    former with `mine_only`)."""
    held = {g.role for g in grants(actor)}
    wanted = Q(pk__in=[])
    qs = tasks_visible_to(actor)
    if Role.RECTIFICATION_OFFICE in held:
        # Not the requests this person made: another member of the office reviews them.
        qs = qs.annotate(submitter=Subquery(submitters()))
        wanted |= (Q(status=Task.Status.SUBMITTED) & ~Q(submitter=actor.pk)) | Q(status=Task.Status.RECHECK)
    if Role.LEADER in held:
        approver = Q(leader=actor)
        if not mine_only:
            principal_paths = [g.path for g in grants(actor) if g.role == Role.LEADER and g.principal]
            if principal_paths:
                approver |= Q(unit__path__in=principal_paths)
        wanted |= Q(status=Task.Status.REVIEWED) & approver
    return qs.filter(wanted)


def submitters() -> QuerySet[AuditEvent]:
    """Per task (OuterRef "pk"), who asked for its latest closure (申请销号): see ledger.access.submitter_id."""
    return (
        AuditEvent.objects.filter(object_type="ledger.task", object_id=Cast(OuterRef("pk"), CharField()),
                                  action="task.submit")
        .order_by("-id").values("actor_id")[:1]
    )


def records_visible_to(user: User, model: type[Model], inspection: int | None) -> QuerySet[Any]:
    """Rows of a unit-level record (问题线索, 建章立制, 整改成效) whose unit the user may see; a department
    sees only the leads it handles."""
    visible = lead_q(user) if model is Lead else unit_q(user, "unit")
    qs = model._default_manager.filter(visible).select_related("inspection", "unit")  # type: ignore[attr-defined]
    return qs.filter(inspection_id=inspection) if inspection else qs


def lead_overdue_q(today: dt.date) -> Q:
    """Leads past their reply date (逾期未答复), as SQL: received on or before the last day whose
    `Lead.reply_due` is before today (months clamp at month ends, so the day is found by stepping)."""
    months = settings.RECTIFY_RULES["lead_reply_months"]
    last = add_months(today, -months)
    if add_months(last, months) < today:
        while add_months(last + dt.timedelta(days=1), months) < today:
            last += dt.timedelta(days=1)
    else:
        while add_months(last, months) >= today:
            last -= dt.timedelta(days=1)
    return Q(received_on__lte=last) & ~Q(status=Lead.Status.CONCLUDED)


def unit_tallies(actor: User) -> list[dict[str, Any]]:
    """Per unit in reach: tasks in all, closed, overdue, red, yellow and awaiting review, from the kept tallies."""
    def total(condition: Q | None = None) -> Coalesce:
        return Coalesce(Sum("count", filter=condition), 0)

    return list(
        UnitTally.objects.filter(unit_q(actor, "unit")).values("unit_id", "unit__name", "unit__level", "unit__parent_id",
                                                              "unit__parent__name").annotate(
            total=total(), closed=total(Q(status=Task.Status.CLOSED)), overdue=total(Q(overdue=True)),
            red=total(Q(light=Task.Light.RED)), yellow=total(Q(light=Task.Light.YELLOW)),
            waiting=total(Q(status__in=[Task.Status.SUBMITTED, Task.Status.REVIEWED, Task.Status.RECHECK])),
        ).order_by("unit__name")
    )


def weekly_tallies(actor: User) -> dict[dt.date, tuple[int, int]]:
    """Tasks created and closed in each week (Monday) across the units in reach."""
    rows = UnitWeekTally.objects.filter(unit_q(actor, "unit")).values("week").annotate(
        made=Sum("created"), done=Sum("closed")
    ).order_by("week")
    return {row["week"]: (row["made"], row["done"]) for row in rows}


def inspection_stats(inspections: QuerySet[Inspection]) -> list[dict[str, Any]]:
    """Per inspection: tasks by status, overdue, leads open/concluded, rules made (每周统计)."""
    today = clock.today()
    ids = list(inspections.values_list("pk", flat=True))
    by_status: dict[int, dict[str, int]] = {pk: {s: 0 for s in Task.Status.values} for pk in ids}
    for row in Task.objects.filter(inspection_id__in=ids).values("inspection_id", "status").annotate(n=Count("id")):
        by_status[row["inspection_id"]][row["status"]] = row["n"]
    overdue = dict(
        Task.objects.filter(lights.overdue_q(today), inspection_id__in=ids)
        .values("inspection_id").annotate(n=Count("id")).values_list("inspection_id", "n")
    )
    leads = {
        row["inspection_id"]: row
        for row in Lead.objects.filter(inspection_id__in=ids).values("inspection_id").annotate(
            open=Count("id", filter=~Q(status=Lead.Status.CONCLUDED)),
            concluded=Count("id", filter=Q(status=Lead.Status.CONCLUDED)),
        )
    }
    rules = {
        row["inspection_id"]: row
        for row in RuleChange.objects.filter(inspection_id__in=ids).values("inspection_id").annotate(
            total=Count("id"),
            created=Count("id", filter=Q(action=RuleChange.Action.CREATE)),
            revised=Count("id", filter=Q(action=RuleChange.Action.REVISE)),
            abolished=Count("id", filter=Q(action=RuleChange.Action.ABOLISH)),
        )
    }
    result = []
    for inspection in inspections.order_by("pk"):
        statuses = by_status[inspection.pk]
        lead = leads.get(inspection.pk, {})
        rule = rules.get(inspection.pk, {})
        result.append({
            "id": inspection.pk,
            "title": inspection.title,
            "unit": inspection.target.name,
            "tasks": {"total": sum(statuses.values()), **statuses, "overdue": overdue.get(inspection.pk, 0)},
            "leads": {"open": lead.get("open", 0), "concluded": lead.get("concluded", 0)},
            "rules": {k: rule.get(k, 0) for k in ("total", "created", "revised", "abolished")},
            "report_due": inspection.report_due.isoformat() if inspection.report_due else None,
        })
    return result


@dataclass
class TaskFilter:
    """The ledger's filters (also the API's): every field optional; they survive a reload in the URL."""

    inspection: int | None = None
    status: str | None = None
    lead_org: int | None = None
    leader: int | None = None
    category: str | None = None
    overdue: bool | None = None
    light: str | None = None
    q: str | None = None

    @classmethod
    def from_params(cls, params: Any) -> TaskFilter:
        """Read filters from a QueryDict-like mapping, ignoring what does not parse."""

        def as_int(name: str) -> int | None:
            from rectify.rules.ids import parse_id

            return parse_id(params.get(name))

        status = params.get("status") or None
        category = params.get("category") or None
        light = params.get("light") or None
        light = light if light in Task.Light.values else None
        # The page's 只看逾期 box is the red light (红灯（逾期）): the box and the light menu are one filter.
        # Beside another light it is the overdue rule, which that light excludes.
        box = params.get("overdue") in {"1", "true", "on"}
        if box and light is None:
            light = Task.Light.RED
        return cls(
            inspection=as_int("inspection"),
            status=status if status in Task.Status.values else None,
            lead_org=as_int("lead_org"),
            leader=as_int("leader"),
            category=category if category in Task.Category.values else None,
            overdue=True if box and light != Task.Light.RED else None,
            light=light,
            q=(params.get("q") or "").strip()[:100] or None,
        )


def filter_tasks(qs: QuerySet[Task], f: TaskFilter) -> QuerySet[Task]:
    """Apply the ledger filters; the light conditions come from `ledger.lights`, the rule of `Task.light()`."""
    today = clock.today()
    if f.inspection:
        qs = qs.filter(inspection_id=f.inspection)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.lead_org:
        qs = qs.filter(Q(lead_org_id=f.lead_org) | Q(co_orgs__id=f.lead_org)).distinct()
    if f.leader:
        qs = qs.filter(leader_id=f.leader)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.overdue:
        qs = qs.filter(lights.overdue_q(today))
    if f.light:
        qs = qs.filter(lights.light_q(f.light, today))
    if f.q:
        qs = qs.filter(
            Q(title__icontains=f.q) | Q(finding__title__icontains=f.q) | Q(leader_name__icontains=f.q)
            | Q(lead_org__name__icontains=f.q) | Q(number=f.q)
        )
    return qs
