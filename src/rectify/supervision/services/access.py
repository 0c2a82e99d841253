"""Supervision's role sets, named for the callers that check with them; every set is a row of the one
Action → roles table (rules.permissions), and every check is organizations.scoping's."""

from __future__ import annotations

from collections.abc import Iterable

from rectify.errors import Forbidden
from rectify.organizations.models import Organization, User
from rectify.organizations.scoping import require, roles_over_unit
from rectify.rules.permissions import ALLOWED, Action

DISPATCH_VIEW = ALLOWED[Action.VIEW_DISPATCH]
DISPATCH_RECORD = ALLOWED[Action.RECORD_DISPATCH]
ORDER_ISSUE = ALLOWED[Action.ISSUE_ORDER]
REVIEWERS = ALLOWED[Action.REVIEW_PLAN]
EVALUATORS = ALLOWED[Action.EVALUATE]
PLAN_SUBMITTERS = ALLOWED[Action.SUBMIT_PLAN]
LOOK_BACK = ALLOWED[Action.LOOK_BACK]
ANALYSTS = ALLOWED[Action.ANALYSE]


def require_roles(actor: User, unit: Organization, allowed: Iterable[str], message: str) -> set[str]:
    """NotVisible when the actor has no role over the unit, Forbidden (with `message`) when none is allowed.

    Prefer `require_unit(actor, Action.…, unit)`: this form is for a role set the table does not name.
    """
    held = roles_over_unit(actor, unit)
    require(actor, Action.VIEW, held)
    if not held & set(allowed):
        raise Forbidden(message)
    return held


def has_roles(actor: User, unit: Organization, allowed: Iterable[str]) -> bool:
    return bool(roles_over_unit(actor, unit) & set(allowed))
