"""Who may do what in supervision, on top of organizations.scoping (404 out of scope, 403 without role)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from rectify.errors import Forbidden, NotVisible
from rectify.organizations.models import Organization, Role, User
from rectify.organizations.scoping import roles_over_unit

# 调度: the rectification office runs the weekly meeting; leaders and supervisors may read it.
DISPATCH_VIEW = frozenset({Role.RECTIFICATION_OFFICE, Role.LEADER, Role.SUPERVISOR, Role.INSPECTION_OFFICE, Role.ADMIN})
DISPATCH_RECORD = frozenset({Role.RECTIFICATION_OFFICE})
# 五书: issued by the rectification office, the discipline inspection group or the inspection office.
ORDER_ISSUE = frozenset({Role.RECTIFICATION_OFFICE, Role.SUPERVISOR, Role.INSPECTION_OFFICE})
# 方案审核: the reviewing parties (纪委, 组织部, 巡视办, 巡视组) act through these roles.
REVIEWERS = frozenset({Role.INSPECTION_OFFICE, Role.SUPERVISOR})
EVALUATORS = frozenset({Role.INSPECTION_OFFICE})
PLAN_SUBMITTERS = frozenset({Role.RECTIFICATION_OFFICE})
LOOK_BACK = frozenset({Role.RECTIFICATION_OFFICE, Role.INSPECTION_OFFICE, Role.SUPERVISOR})
# Common problems across units: the inspection office's analysis.
ANALYSTS = frozenset({Role.INSPECTION_OFFICE, Role.ADMIN})


def require_roles(actor: User, unit: Organization, allowed: Iterable[str], message: str) -> set[str]:
    """NotVisible when the actor has no role over the unit, Forbidden when none of them is allowed."""
    held = roles_over_unit(actor, unit)
    if not held:
        raise NotVisible(_("未找到该记录"))
    if not held & set(allowed):
        raise Forbidden(message)
    return held


def has_roles(actor: User, unit: Organization, allowed: Iterable[str]) -> bool:
    return bool(roles_over_unit(actor, unit) & set(allowed))
