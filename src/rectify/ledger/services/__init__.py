"""Writes to the ledger. Each function checks scope and role, validates, audits, and runs in one transaction."""

from rectify.ledger.services.batch import PlanRow, PlanWriter, add_to_plan, check_plan_row
from rectify.ledger.services.evidence import add_evidence
from rectify.ledger.services.extensions import (
    decide_extension,
    request_extension,
    review_extension,
    withdraw_task,
)
from rectify.ledger.services.lifecycle import (
    answer_flag,
    approve_task,
    comment_task,
    flag_task,
    record_look_back,
    record_phased_result,
    reopen_task,
    report_progress,
    return_task,
    review_task,
    schedule_look_back,
    start_task,
    submit_task,
)
from rectify.ledger.services.plan import create_task, delete_task, hand_over, update_task
from rectify.ledger.services.records import (
    conclude_lead,
    create_lead,
    create_rule_change,
    record_outcome,
    update_lead,
    update_outcome,
    update_rule_change,
)

__all__ = [
    "decide_extension",
    "delete_task",
    "request_extension",
    "review_extension",
    "withdraw_task",
    "PlanRow",
    "PlanWriter",
    "add_evidence",
    "add_to_plan",
    "answer_flag",
    "approve_task",
    "check_plan_row",
    "comment_task",
    "conclude_lead",
    "create_lead",
    "create_rule_change",
    "create_task",
    "flag_task",
    "hand_over",
    "record_look_back",
    "record_outcome",
    "record_phased_result",
    "reopen_task",
    "report_progress",
    "return_task",
    "review_task",
    "schedule_look_back",
    "start_task",
    "submit_task",
    "update_task",
    "update_lead",
    "update_outcome",
    "update_rule_change",
]
