"""Scoped reads of the ledger. Every selector starts from the scoping function."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from rectify import clock
from rectify.inspections.models import Inspection
from rectify.ledger.models import Lead, RuleChange, Task
from rectify.organizations.models import User
from rectify.organizations.scoping import task_q, unit_q


def tasks_visible_to(actor: User) -> QuerySet[Task]:
    """Tasks the actor may see (整改任务), with what a ledger row shows."""
    return Task.objects.filter(task_q(actor)).select_related("finding", "lead_org", "unit", "leader")


def inspections_visible_to(actor: User) -> QuerySet[Inspection]:
    """Inspections (巡视巡察) whose target unit the actor may see."""
    return Inspection.objects.filter(unit_q(actor, "target")).select_related("target")


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
