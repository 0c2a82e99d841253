"""Scoped reads shared by the record routers (leads, rules, outcomes): their unit must be visible."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from rectify.organizations.models import User
from rectify.organizations.scoping import lead_q, unit_q


def records_visible_to(user: User, model: type[Model], inspection: int | None) -> QuerySet[Any]:
    """Rows of a unit-level record (问题线索, 建章立制, 整改成效) whose unit the user may see."""
    from rectify.ledger.models import Lead

    visible = lead_q(user) if model is Lead else unit_q(user, "unit")
    qs = model._default_manager.filter(visible).select_related("inspection", "unit")  # type: ignore[attr-defined]
    return qs.filter(inspection_id=inspection) if inspection else qs
