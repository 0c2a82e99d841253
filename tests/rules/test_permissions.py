"""The one Action → roles table (rules.permissions): who may sign the plan."""

from __future__ import annotations

import pytest

from rectify.rules.permissions import (
    ADMIN,
    DEPARTMENT,
    INSPECTION_OFFICE,
    LEADER,
    RECTIFICATION_OFFICE,
    SUPERVISOR,
    Action,
    has_role,
)


def test_a_leader_may_sign_the_plan():
    assert has_role(Action.SIGN_PLAN, {LEADER})


@pytest.mark.parametrize("role", [RECTIFICATION_OFFICE, DEPARTMENT, SUPERVISOR, INSPECTION_OFFICE, ADMIN])
def test_nobody_but_a_leader_may_sign_the_plan(role):
    assert not has_role(Action.SIGN_PLAN, {role})


@pytest.mark.parametrize(("role", "replies"), [
    (RECTIFICATION_OFFICE, True), (DEPARTMENT, True), (LEADER, False), (SUPERVISOR, False),
    (INSPECTION_OFFICE, False), (ADMIN, False),
])
def test_the_office_and_departments_reply_to_orders(role, replies):
    assert has_role(Action.REPLY_ORDER, {role}) is replies
