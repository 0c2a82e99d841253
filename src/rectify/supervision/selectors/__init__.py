"""Scoped reads for supervision: the inbox, plan checks (integrity, formalism, clocks), common problems."""

from rectify.supervision.selectors.checks import (
    FlagView,
    PlanFlags,
    formalism_flags,
    plan_flags,
)
from rectify.supervision.selectors.plan import (
    ClockRow,
    Integrity,
    Unanswered,
    inspection_clocks,
    plan_integrity,
)
from rectify.supervision.selectors.problems import Cluster, common_problems, common_problems_page
from rectify.supervision.selectors.records import (
    inbox,
    orders_visible_to,
    unread_count,
    visible_unit,
)

__all__ = [
    "ClockRow",
    "Cluster",
    "FlagView",
    "Integrity",
    "PlanFlags",
    "Unanswered",
    "common_problems",
    "common_problems_page",
    "formalism_flags",
    "inbox",
    "inspection_clocks",
    "orders_visible_to",
    "plan_flags",
    "plan_integrity",
    "unread_count",
    "visible_unit",
]
