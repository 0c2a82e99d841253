"""Who may do what: the one Action → roles table, and what a person may do with a task right now.

Pure Python over plain facts (the actor's roles over the task's unit, whether the actor is the task's
responsible leader, the unit's 第一责任人 or the person who asked for closure, the task's status and
category). `organizations.scoping` and `ledger.access` gather the facts from the database; services
refuse what `refusal` names, and the task page and the API show `allowed_actions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Role values, as stored in organizations.Membership.role.
INSPECTION_OFFICE = "inspection_office"  # 巡视巡察办
RECTIFICATION_OFFICE = "rectification_office"  # 整改办
DEPARTMENT = "department"  # 责任单位
LEADER = "leader"  # 领导
SUPERVISOR = "supervisor"  # 纪检监督
ADMIN = "admin"  # 系统管理员
# The command line's actor (`rectify import-ledger`, `rectify report` …): the operator at the server's
# console, who could change the database anyway, acts with every right and is audited as "system".
SYSTEM = "system"

ROLES = frozenset({INSPECTION_OFFICE, RECTIFICATION_OFFICE, DEPARTMENT, LEADER, SUPERVISOR, ADMIN})
# Roles that reach every object of the units under their organization; a department reaches only its tasks.
UNIT_ROLES = frozenset({INSPECTION_OFFICE, RECTIFICATION_OFFICE, LEADER, SUPERVISOR, ADMIN, SYSTEM})


class Action(StrEnum):
    """Everything a user may be allowed to do; task steps are named like the task page's forms."""

    VIEW = "view"
    REGISTER_INSPECTION = "register_inspection"
    EDIT_PLAN = "edit_plan"
    START = "start"
    REPORT_PROGRESS = "progress"
    PHASED_RESULT = "phased"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REQUEST_EXTENSION = "extend"
    REVIEW = "review"
    RETURN = "return"
    APPROVE = "approve"
    COMMENT = "comment"
    FLAG = "flag"
    ANSWER_FLAG = "answer_flag"
    LOOK_BACK = "lookback"
    REOPEN = "reopen"
    MANAGE_RECORDS = "manage_records"
    HANDOVER = "handover"
    # Reports (整改情况报告, 通报): internal to the office, leaders and supervisors.
    VIEW_REPORTS = "view_reports"
    PUBLISH_REPORT = "publish_report"
    PUBLISH_LEADER_REPORT = "publish_leader_report"
    # Supervision: dispatch (调度), orders (五书), plan review (方案审核), evaluation, common problems.
    VIEW_DISPATCH = "view_dispatch"
    RECORD_DISPATCH = "record_dispatch"
    ISSUE_ORDER = "issue_order"
    REPLY_ORDER = "reply_order"
    SUBMIT_PLAN = "submit_plan"
    SIGN_PLAN = "sign_plan"
    REVIEW_PLAN = "review_plan"
    VIEW_PLAN_REVIEW = "view_plan_review"
    VIEW_LOOK_BACKS = "view_look_backs"
    EVALUATE = "evaluate"
    ANALYSE = "analyse"
    VIEW_OVERVIEW = "view_overview"


_UNIT_READERS = frozenset({INSPECTION_OFFICE, RECTIFICATION_OFFICE, LEADER, SUPERVISOR, ADMIN})

# Which roles may do what. Some task steps narrow further on facts (see `refusal`): a department
# submits only the tasks it leads; a leader approves only as the task's responsible leader or the
# unit's 第一责任人; the office does not review a closure request it made itself.
ALLOWED: dict[Action, frozenset[str]] = {
    Action.VIEW: ROLES,
    Action.REGISTER_INSPECTION: frozenset({INSPECTION_OFFICE, RECTIFICATION_OFFICE, ADMIN}),
    Action.EDIT_PLAN: frozenset({RECTIFICATION_OFFICE, ADMIN}),
    Action.START: frozenset({DEPARTMENT, RECTIFICATION_OFFICE}),
    Action.REPORT_PROGRESS: frozenset({DEPARTMENT, RECTIFICATION_OFFICE}),
    Action.PHASED_RESULT: frozenset({DEPARTMENT, RECTIFICATION_OFFICE}),
    Action.SUBMIT: frozenset({DEPARTMENT, RECTIFICATION_OFFICE}),
    Action.WITHDRAW: frozenset({DEPARTMENT, RECTIFICATION_OFFICE}),
    Action.REQUEST_EXTENSION: frozenset({DEPARTMENT, RECTIFICATION_OFFICE}),
    Action.REVIEW: frozenset({RECTIFICATION_OFFICE}),
    # Returning is a review decision: the office's at review, the approving leader's at approval.
    Action.RETURN: frozenset({RECTIFICATION_OFFICE, LEADER}),
    Action.APPROVE: frozenset({LEADER}),
    Action.COMMENT: ROLES,
    Action.FLAG: frozenset({SUPERVISOR, INSPECTION_OFFICE}),
    # A flag (整改不实) puts a closed task into re-check until the office answers it.
    Action.ANSWER_FLAG: frozenset({RECTIFICATION_OFFICE}),
    Action.LOOK_BACK: frozenset({RECTIFICATION_OFFICE, INSPECTION_OFFICE, SUPERVISOR}),
    Action.REOPEN: frozenset({RECTIFICATION_OFFICE, INSPECTION_OFFICE, SUPERVISOR}),
    Action.MANAGE_RECORDS: frozenset({RECTIFICATION_OFFICE, ADMIN}),
    Action.HANDOVER: frozenset({RECTIFICATION_OFFICE, ADMIN}),
    Action.VIEW_REPORTS: _UNIT_READERS,
    # The office issues the notice and the internal report once the leader has signed off;
    # 主要负责人组织落实情况报告 is the leader's own signed account.
    Action.PUBLISH_REPORT: frozenset({RECTIFICATION_OFFICE, LEADER, ADMIN}),
    Action.PUBLISH_LEADER_REPORT: frozenset({LEADER, ADMIN}),
    Action.VIEW_DISPATCH: _UNIT_READERS,
    Action.RECORD_DISPATCH: frozenset({RECTIFICATION_OFFICE}),
    Action.ISSUE_ORDER: frozenset({RECTIFICATION_OFFICE, SUPERVISOR, INSPECTION_OFFICE}),
    # The office replies for the unit; a department only to an order addressed to it
    # (supervision.services.orders checks the address).
    Action.REPLY_ORDER: frozenset({RECTIFICATION_OFFICE, DEPARTMENT}),
    Action.SUBMIT_PLAN: frozenset({RECTIFICATION_OFFICE}),
    # The 第一责任人 signs the plan in person (签字背书): a leader, and of the leaders only the unit's
    # principal (主要负责人), which supervision.services.reviews checks on the membership.
    Action.SIGN_PLAN: frozenset({LEADER}),
    # The reviewing parties (纪委, 组织部, 巡视办, 巡视组) act through these roles.
    Action.REVIEW_PLAN: frozenset({INSPECTION_OFFICE, SUPERVISOR}),
    Action.VIEW_PLAN_REVIEW: _UNIT_READERS,
    Action.VIEW_LOOK_BACKS: _UNIT_READERS,
    Action.EVALUATE: frozenset({INSPECTION_OFFICE}),
    Action.ANALYSE: frozenset({INSPECTION_OFFICE, ADMIN}),
    # 各单位总览: the inspection office follows its units; a unit reads its own dashboard.
    Action.VIEW_OVERVIEW: frozenset({INSPECTION_OFFICE, ADMIN}),
}

# Task statuses (ledger.Task.Status values) and the steps each allows.
NOT_STARTED, IN_PROGRESS, SUBMITTED, REVIEWED = "not_started", "in_progress", "submitted", "reviewed"
RETURNED, CLOSED, REOPENED, PHASED = "returned", "closed", "reopened", "phased_result"
RECHECK = "recheck"
LONG_TERM = "long_term"

PROGRESS_FROM = frozenset({NOT_STARTED, IN_PROGRESS, RETURNED, REOPENED, PHASED})
# A closure request waits for the office or the leader: the department is not chased meanwhile
# (due reminders, the dispatch sheet's due and silent lists).
AWAITING_CLOSURE = frozenset({SUBMITTED, REVIEWED})
SUBMIT_FROM = frozenset({IN_PROGRESS, RETURNED, REOPENED})

TASK_ACTIONS = (
    Action.EDIT_PLAN, Action.START, Action.REPORT_PROGRESS, Action.PHASED_RESULT, Action.SUBMIT, Action.WITHDRAW,
    Action.REQUEST_EXTENSION, Action.REVIEW, Action.RETURN, Action.APPROVE, Action.COMMENT, Action.FLAG,
    Action.ANSWER_FLAG, Action.LOOK_BACK, Action.REOPEN,
)


class Refusal(StrEnum):
    """Why a person in scope may not take a step (each has one message in organizations.scoping)."""

    ROLE = "role"
    NOT_LEAD = "not_lead"
    NOT_RESPONSIBLE_LEADER = "not_responsible_leader"
    OWN_SUBMISSION = "own_submission"


@dataclass(frozen=True)
class TaskFacts:
    """What the rules need to know about one person and one task."""

    roles: frozenset[str]
    status: str = NOT_STARTED
    category: str = ""
    leads: bool = False  # the actor's department is the task's lead department (牵头单位)
    responsible_leader: bool = False  # the actor is the task's responsible leader (责任领导)
    principal: bool = False  # the actor is the unit's 第一责任人 (主要负责人)
    submitter: bool = False  # the actor asked for the pending closure (申请销号)


def has_role(action: Action, roles: frozenset[str] | set[str]) -> bool:
    """True when one of `roles` may do `action` (the console's system actor may do everything)."""
    return bool(set(roles) & (ALLOWED[action] | {SYSTEM}))


def refusal(action: Action, facts: TaskFacts) -> Refusal | None:
    """Why the person may not take `action` on the task whatever its status, or None when they may."""
    roles = facts.roles
    if not has_role(action, roles):
        return Refusal.ROLE
    if SYSTEM in roles:
        return None
    lead_step = action in {Action.SUBMIT, Action.WITHDRAW, Action.REQUEST_EXTENSION}
    if lead_step and RECTIFICATION_OFFICE not in roles and not facts.leads:
        return Refusal.NOT_LEAD
    approving = action == Action.APPROVE or (action == Action.RETURN and facts.status == REVIEWED)
    if approving and not (LEADER in roles and (facts.responsible_leader or facts.principal)):
        return Refusal.NOT_RESPONSIBLE_LEADER if LEADER in roles else Refusal.ROLE
    reviewing = action == Action.REVIEW or (action == Action.RETURN and facts.status != REVIEWED)
    if reviewing:
        if RECTIFICATION_OFFICE not in roles:
            return Refusal.ROLE
        if facts.submitter:
            return Refusal.OWN_SUBMISSION
    return None


def status_allows(action: Action, status: str, category: str) -> bool:
    """The life cycle's precondition for a task step (DESIGN.md, Task life cycle)."""
    long_term = category == LONG_TERM
    if action == Action.START:
        return status == NOT_STARTED
    if action == Action.REPORT_PROGRESS:
        return status in PROGRESS_FROM
    if action == Action.PHASED_RESULT:
        return long_term and status in PROGRESS_FROM
    if action == Action.SUBMIT:
        return not long_term and status in SUBMIT_FROM
    if action == Action.WITHDRAW:
        return status == SUBMITTED
    if action == Action.REQUEST_EXTENSION:
        # Until the task is closed: a deadline can also pass while a closure request waits for review.
        return not long_term and status not in {CLOSED, RECHECK}
    if action == Action.ANSWER_FLAG:
        return status == RECHECK
    if action == Action.REVIEW:
        return status == SUBMITTED
    if action == Action.RETURN:
        return status in {SUBMITTED, REVIEWED}
    if action == Action.APPROVE:
        return status == REVIEWED
    if action in {Action.LOOK_BACK, Action.REOPEN}:
        return status == CLOSED
    return True


def allowed_actions(facts: TaskFacts) -> frozenset[Action]:
    """The task steps this person may take now: allowed by role and facts, and by the task's status."""
    if not facts.roles:
        return frozenset()
    return frozenset(
        action for action in TASK_ACTIONS
        if refusal(action, facts) is None and status_allows(action, facts.status, facts.category)
    )
