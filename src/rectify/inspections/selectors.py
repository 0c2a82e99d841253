"""Scoped reads of inspections (巡视巡察). Every selector starts from the scoping function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from rectify.inspections.models import Inspection
from rectify.organizations.models import Organization, User
from rectify.organizations.scoping import Action, can_unit, unit_q, visible_organizations

StatsProvider = Callable[[QuerySet[Inspection]], list[dict[str, Any]]]
# The inspection list shows each inspection's progress, which the ledger counts: the ledger registers
# its counting function when the app is ready (LedgerConfig.ready), so inspections never imports it.
_stats: list[StatsProvider] = []


def inspections_visible_to(actor: User) -> QuerySet[Inspection]:
    """Inspections (巡视巡察) whose target unit the actor may see."""
    return Inspection.objects.filter(unit_q(actor, "target")).select_related("target")


def registrable_units(actor: User) -> list[Organization]:
    """Units the actor may register an inspection (巡视巡察) for, or import a notice into."""
    units = visible_organizations(actor).filter(kind=Organization.Kind.UNIT).order_by("path")
    return [unit for unit in units if can_unit(actor, Action.REGISTER_INSPECTION, unit)]


def register_stats(provider: StatsProvider) -> None:
    """Called once by the ledger: per inspection, tasks by status, overdue, leads and rules made."""
    _stats[:] = [provider]


def inspection_stats(inspections: QuerySet[Inspection]) -> list[dict[str, Any]]:
    """Per inspection, the progress figures the ledger registered (每周统计)."""
    if not _stats:
        raise ImproperlyConfigured("rectify.ledger is not installed: no inspection figures")
    return _stats[0](inspections)
