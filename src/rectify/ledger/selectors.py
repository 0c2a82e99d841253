"""Scoped reads of the ledger. Every selector starts from the scoping function."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from rectify import clock
from rectify.inspections.models import Inspection
from rectify.ledger.models import Lead, RuleChange, Task, UnitTally, UnitWeekTally
from rectify.organizations.models import User
from rectify.organizations.scoping import task_q, unit_q


def tasks_visible_to(actor: User) -> QuerySet[Task]:
    """Tasks the actor may see (整改任务), with what a ledger row shows."""
    return Task.objects.filter(task_q(actor)).select_related("finding", "lead_org", "unit", "leader")


def inspections_visible_to(actor: User) -> QuerySet[Inspection]:
    """Inspections (巡视巡察) whose target unit the actor may see."""
    return Inspection.objects.filter(unit_q(actor, "target")).select_related("target")


def unit_tallies(actor: User) -> list[dict[str, Any]]:
    """Per unit in reach: tasks in all, closed, overdue and awaiting review, from the tallies the services keep."""
    def total(condition: Q | None = None) -> Coalesce:
        return Coalesce(Sum("count", filter=condition), 0)

    return list(
        UnitTally.objects.filter(unit_q(actor, "unit")).values("unit_id", "unit__name").annotate(
            total=total(), closed=total(Q(status=Task.Status.CLOSED)), overdue=total(Q(overdue=True)),
            waiting=total(Q(status__in=[Task.Status.SUBMITTED, Task.Status.REVIEWED])),
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
        Task.objects.filter(inspection_id__in=ids, deadline__lt=today).exclude(status=Task.Status.CLOSED)
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
        return cls(
            inspection=as_int("inspection"),
            status=status if status in Task.Status.values else None,
            lead_org=as_int("lead_org"),
            leader=as_int("leader"),
            category=category if category in Task.Category.values else None,
            overdue=True if params.get("overdue") in {"1", "true", "on"} else None,
            light=light if light in Task.Light.values else None,
            q=(params.get("q") or "").strip()[:100] or None,
        )


def red_q(today: dt.date) -> Q:
    rules = settings.RECTIFY_RULES
    return ~Q(status=Task.Status.CLOSED) & (Q(deadline__lt=today) | Q(returned_count__gte=rules["red_returns"]))


def yellow_q(today: dt.date) -> Q:
    rules = settings.RECTIFY_RULES
    silent_since = clock.now() - dt.timedelta(days=rules["silent_days"])
    near = Q(deadline__lte=today + dt.timedelta(days=rules["yellow_days"]))
    silent = Q(last_progress_at__lt=silent_since) | Q(last_progress_at__isnull=True, created_at__lt=silent_since)
    return ~Q(status=Task.Status.CLOSED) & ~red_q(today) & (near | silent)


def filter_tasks(qs: QuerySet[Task], f: TaskFilter) -> QuerySet[Task]:
    """Apply the ledger filters; the traffic light is computed in SQL the same way as `Task.light()`."""
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
        qs = qs.filter(deadline__lt=today).exclude(status=Task.Status.CLOSED)
    if f.light == Task.Light.RED:
        qs = qs.filter(red_q(today))
    elif f.light == Task.Light.YELLOW:
        qs = qs.filter(yellow_q(today))
    elif f.light == Task.Light.GREEN:
        qs = qs.exclude(red_q(today)).exclude(yellow_q(today) & ~Q(status=Task.Status.CLOSED))
    if f.q:
        qs = qs.filter(
            Q(title__icontains=f.q) | Q(finding__title__icontains=f.q) | Q(leader_name__icontains=f.q)
            | Q(lead_org__name__icontains=f.q) | Q(number=f.q)
        )
    return qs


@dataclass
class Event:
    """One entry of a task's timeline."""

    kind: str  # progress | phased | review | return | comment | flag | check
    at: dt.datetime
    who: str
    title: str
    text: str
    files: list[Any]


def timeline(task: Task) -> list[Event]:
    """A task's timeline (进展、佐证、审核、意见、回头看), newest first, in four queries."""
    from rectify.ledger.models import ClosureReview, Comment, LookBack, Progress

    events: list[Event] = []
    for p in Progress.objects.filter(task=task).select_related("author", "organization").prefetch_related("evidence"):
        kind = "phased" if p.kind == Progress.Kind.PHASED_RESULT else "progress"
        org = p.organization.name if p.organization else ""
        events.append(Event(kind, p.created_at, f"{org} {p.author.display_name if p.author else ''}".strip(),
                            p.get_kind_display(), p.text, list(p.evidence.all())))
    for r in ClosureReview.objects.filter(task=task).select_related("reviewer"):
        kind = "return" if r.decision == ClosureReview.Decision.RETURN else "review"
        events.append(Event(kind, r.created_at, r.reviewer.display_name if r.reviewer else "",
                            _("%(stage)s：%(decision)s") % {"stage": r.get_stage_display(),
                                                          "decision": r.get_decision_display()},
                            r.reason, []))
    for c in Comment.objects.filter(task=task).select_related("author"):
        events.append(Event(c.kind, c.created_at, c.author.display_name if c.author else "", c.get_kind_display(), c.text, []))
    for lb in LookBack.objects.filter(task=task).exclude(result=LookBack.Result.PENDING).select_related("checker"):
        moment = dt.datetime.combine(lb.checked_on, dt.time(12), tzinfo=dt.UTC) if lb.checked_on else lb.created_at
        title = _("%(method)s：%(result)s") % {"method": lb.get_method_display(), "result": lb.get_result_display()}
        asked = _("核查对象：%(asked)s") % {"asked": lb.asked} if lb.asked else ""
        text = _("；").join(x for x in (asked, lb.answer, lb.reason) if x)
        events.append(Event("check", moment, lb.checker.display_name if lb.checker else "", title, text, []))
    events.sort(key=lambda e: e.at, reverse=True)
    return events
