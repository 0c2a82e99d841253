"""A ledger worth reporting on, built through the services, with exempt items that carry
distinctive words so a test can prove they never reach the public."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from rectify import clock
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.organizations.models import Organization
from tests import corpus
from tests.factories import UnitWorld, make_task, submitted_task

SEEDS = corpus.SEEDS

# Words that appear only in exempt items: none may appear anywhere on the public side.
SECRET_FINDING = "涉密问题甲乙丙"
SECRET_TASK = "暂缓公开的核查事项丁戊己"
SECRET_CHILD_TASK = "隐去的下级任务辛壬癸"
SECRET_OUTCOME = "立案审查"
SECRET_LEAD = "移交线索庚辛"
SECRETS = (SECRET_FINDING, SECRET_TASK, SECRET_CHILD_TASK, SECRET_OUTCOME, SECRET_LEAD)


@pytest.fixture(autouse=True)
def _clear_cache(db):  # the cache is a database table shared by every app server
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Ledger:
    unit: UnitWorld
    closed: list[Task]
    open: list[Task]
    second_problem: object


def close(unit: UnitWorld, task: Task) -> Task:
    """Take a submitted task through the office's review and the leader's approval (销号)."""
    ledger.review_task(unit.office_staff, task)
    return ledger.approve_task(unit.leader, task)


def task_on(unit: UnitWorld, finding: object, **overrides: object) -> Task:
    """A task answering `finding` (make_task always uses the unit's first problem)."""
    values: dict[str, object] = {
        "category": Task.Category.DEADLINE, "deadline": clock.today() + dt.timedelta(days=30),
        "leader": unit.leader, "lead_org": unit.departments[0], "handler": unit.dept_handler,
    }
    values.update(overrides)
    return ledger.create_task(unit.office_staff, finding, **values)  # type: ignore[arg-type]


def build_ledger(unit: UnitWorld) -> Ledger:
    """Two problems under one aspect, 3 public tasks (2 closed), rules, outcomes; and exempt items."""
    from rectify.inspections import services as inspections

    Organization.objects.filter(pk=unit.org.pk).update(
        phone="0531-51775418", email="zgb@example.cn", address="济南市纬一路482号", postcode="250001"
    )
    unit.org.refresh_from_db()
    staff = unit.office_staff
    closed = [close(unit, submitted_task(unit, title="制定理论学习制度")),
              close(unit, submitted_task(unit, title="开展专题培训"))]
    open_task = make_task(unit, title="建立学习督查机制")
    ledger.report_progress(unit.dept_handler, open_task, text="已起草督查办法，正在征求意见。")
    second = inspections.add_finding(staff, unit.inspection, title="制度执行不严格", label="2.", parent=unit.aspect)
    long_term = task_on(unit, second, title="长期坚持制度执行检查", category=Task.Category.LONG_TERM, deadline=None)
    # Exempt: a whole finding with a task under it, a task under a public finding, an outcome, a lead.
    hidden = inspections.add_finding(staff, unit.inspection, title=SECRET_FINDING, label="3.", parent=unit.aspect,
                                     exempt=True, exempt_reason="涉及正在核查的案件")
    task_on(unit, hidden, title=SECRET_CHILD_TASK)
    make_task(unit, title=SECRET_TASK, exempt=True, exempt_reason="案件尚未公布")
    ledger.create_rule_change(staff, unit.inspection, title="理论学习中心组学习制度", action="create", task=closed[0])
    ledger.create_rule_change(staff, unit.inspection, title="督查工作办法", action="revise")
    ledger.record_outcome(staff, unit.inspection, kind="accountability", what="问责", value=3, value_unit="人")
    ledger.record_outcome(staff, unit.inspection, kind="discipline", what=SECRET_OUTCOME, value=2, value_unit="人",
                          exempt=True)
    ledger.create_lead(staff, unit.inspection, summary=SECRET_LEAD, received_on=unit.inspection.feedback_date)
    return Ledger(unit=unit, closed=closed, open=[open_task, long_term], second_problem=second)


@pytest.fixture
def filled(world) -> Ledger:
    return build_ledger(world.units[0])


@pytest.fixture
def seeds() -> Path:
    corpus.require(SEEDS)
    return SEEDS


def days_ago(n: int) -> dt.date:
    return clock.today() - dt.timedelta(days=n)
