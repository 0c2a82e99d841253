"""Writes of the supervision app. Each checks scope and role, audits, and runs in one transaction."""

from rectify.supervision.services.dispatch import (
    DispatchSheet,
    build_dispatch,
    record_decision,
    record_dispatch,
)
from rectify.supervision.services.evaluation import (
    evaluate_inspection,
    plan_second_round,
    start_second_round,
    unfinished_before,
)
from rectify.supervision.services.lookbacks import sample_for_look_back
from rectify.supervision.services.notifications import mark_read, notify
from rectify.supervision.services.orders import (
    close_order,
    issue_order,
    reply_order,
    suggest_next_order,
)
from rectify.supervision.services.reminders import RemindResult, collect_warnings, run_reminders
from rectify.supervision.services.reviews import (
    party_of,
    pending_parties,
    review_plan,
    review_report,
    sign_plan,
    submit_plan,
)

__all__ = [
    "DispatchSheet",
    "RemindResult",
    "build_dispatch",
    "close_order",
    "collect_warnings",
    "evaluate_inspection",
    "issue_order",
    "mark_read",
    "notify",
    "party_of",
    "plan_second_round",
    "start_second_round",
    "unfinished_before",
    "pending_parties",
    "record_decision",
    "record_dispatch",
    "reply_order",
    "review_plan",
    "review_report",
    "run_reminders",
    "sample_for_look_back",
    "sign_plan",
    "submit_plan",
    "suggest_next_order",
]
