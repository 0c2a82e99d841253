"""Plan submission blocked by integrity, reviews with send-back and new versions, report reviews,
clocks on the working-day calendar, and the evaluation with its second round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rectify import clock
from rectify.errors import Forbidden, InvalidTransition, NotVisible, ValidationFailed
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.supervision import selectors, services
from rectify.supervision.models import PlanVersion, SecondRound
from tests.factories import make_task

from .conftest import START


def test_plan_cannot_be_submitted_while_a_problem_is_unanswered(sw, on_start) -> None:
    unit = sw.units[0]
    integrity = selectors.plan_integrity(unit.inspection)
    assert [u.finding for u in integrity.unanswered] == [unit.finding]  # the aspect has a child: not a leaf
    with pytest.raises(ValidationFailed, match="学习贯彻不深入"):
        services.submit_plan(unit.office_staff, unit.inspection)

    # A task without a leader or a department does not answer it either.
    make_task(unit, leader=None, lead_org=None, co_orgs=[], handler=None)
    (gap,) = selectors.plan_integrity(unit.inspection).unanswered
    assert "责任领导" in gap.reason and "牵头单位" in gap.reason
    make_task(unit, category=Task.Category.LONG_TERM, deadline=None)
    assert selectors.plan_integrity(unit.inspection).ok
    assert services.submit_plan(unit.office_staff, unit.inspection).number == 1


def test_plan_sent_back_is_submitted_again_as_the_next_version(sw, on_start) -> None:
    unit = sw.units[0]
    make_task(unit)
    v1 = services.submit_plan(unit.office_staff, unit.inspection)
    with pytest.raises(InvalidTransition):
        services.submit_plan(unit.office_staff, unit.inspection)  # v1 is waiting for review
    with pytest.raises(ValidationFailed):
        services.review_plan(sw.inspection_office, v1, party="office", grade="poor", send_back=True)  # no comments
    services.review_plan(sw.inspection_office, v1, party="office", grade="poor", send_back=True,
                         comments="措施空泛，未明确完成时限")
    v1.refresh_from_db()
    assert v1.status == PlanVersion.Status.RETURNED
    v2 = services.submit_plan(unit.office_staff, unit.inspection)
    assert v2.number == 2
    review = services.review_plan(unit.supervisor, v2, party="discipline", grade="good", comments="同意")
    assert review.get_grade_display() == "好"
    v2.refresh_from_db()
    assert v2.status == PlanVersion.Status.SUBMITTED  # 组织部 and 巡视办 have not reviewed yet
    services.review_plan(organization_department(sw), v2, grade="good")
    services.review_plan(sw.inspection_office, v2, grade="fair")
    v2.refresh_from_db()
    assert v2.status == PlanVersion.Status.ACCEPTED


def organization_department(sw):
    """An account of the 组织部, registered as that reviewing party, with the inspection office's reach."""
    from rectify.organizations import services as orgs
    from rectify.organizations.models import Organization, Role
    from rectify.supervision.models import ReviewParty
    from tests.factories import person

    org = orgs.create_organization(None, name="省委组织部", kind=Organization.Kind.OFFICE)
    ReviewParty.objects.create(organization=org, party="organization")
    user = person(org, Role.INSPECTION_OFFICE)
    orgs.grant_role(None, user=user, organization=sw.office, role=Role.INSPECTION_OFFICE)
    return user


def test_a_reviewer_is_the_party_of_their_account_and_reviews_once(sw, on_start) -> None:
    unit = sw.units[0]
    make_task(unit)
    version = services.submit_plan(unit.office_staff, unit.inspection)
    with pytest.raises(Forbidden, match="纪委监委"):
        services.review_plan(unit.supervisor, version, party="office", grade="good")
    review = services.review_plan(unit.supervisor, version, grade="good")
    assert review.party == "discipline"
    with pytest.raises(InvalidTransition, match="已审核"):
        services.review_plan(unit.supervisor, version, grade="poor")
    assert services.pending_parties(version) == ["organization", "office"]


def test_required_parties_are_configured(sw, on_start, settings) -> None:
    settings.RECTIFY_PLAN_REVIEW_PARTIES = ["office"]
    unit = sw.units[0]
    make_task(unit)
    version = services.submit_plan(unit.office_staff, unit.inspection)
    services.review_plan(sw.inspection_office, version, grade="good")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.ACCEPTED


def test_reviews_are_refused_to_the_wrong_people(sw, on_start) -> None:
    unit, other = sw.units[0], sw.units[1]
    make_task(unit)
    with pytest.raises(Forbidden):
        services.submit_plan(unit.dept_handler, unit.inspection)
    with pytest.raises(NotVisible):
        services.submit_plan(other.office_staff, unit.inspection)
    version = services.submit_plan(unit.office_staff, unit.inspection)
    with pytest.raises(Forbidden):
        services.review_plan(unit.office_staff, version, party="office", grade="good")  # cannot review itself
    with pytest.raises(NotVisible):
        services.review_plan(sw.far.supervisor, version, party="discipline", grade="good")


def test_report_review_sends_the_report_back(sw, on_start) -> None:
    unit = sw.units[0]
    review = services.review_report(sw.inspection_office, unit.inspection, subject="leader_report", party="group",
                                    grade="fair", comments="成效不具体，回炉重写", send_back=True)
    assert review.sent_back and review.get_subject_display() == "主要负责人组织落实情况报告"
    assert unit.office_staff.notifications.filter(kind="review").count() == 1


def test_clocks_use_the_working_day_calendar(sw) -> None:
    unit = sw.units[0]
    with clock.frozen(START):
        # Feedback on the last working day before the 2025 Spring Festival holiday (1月28日–2月4日).
        inspections.update_inspection(unit.office_staff, unit.inspection, feedback_date=dt.date(2025, 1, 27))
        ledger.create_lead(unit.office_staff, unit.inspection, summary="信访件", received_on=dt.date(2025, 1, 27),
                           reference="XF-1")
        plan, report, lead = selectors.inspection_clocks(unit.inspection)
    # 1月28日–2月4日 are off and 2月8日 (Saturday) is worked: 2月5–8日 are days 1–4, 2月24日 is day 15.
    assert (plan.due, plan.basis) == (dt.date(2025, 2, 24), "反馈后15个工作日")
    assert report.due == dt.date(2025, 3, 27)
    assert lead.due == dt.date(2025, 4, 27) and "XF-1" in lead.label
    assert plan.overdue and report.days_left == 24


def test_low_evaluation_starts_a_second_round(sw) -> None:
    unit = sw.units[0]
    with clock.frozen(START):
        for _ in range(3):
            make_task(unit, deadline=START + dt.timedelta(days=5))
    with clock.frozen(START + dt.timedelta(days=30)):
        with pytest.raises(Forbidden):
            services.evaluate_inspection(unit.office_staff, unit.inspection)
        evaluation = services.evaluate_inspection(
            sw.inspection_office, unit.inspection, deductions=[("leadership", "5", "领导小组会议记录缺失")],
            satisfaction="0.8",
        )
    # Three tasks due, none closed, all overdue: completion 0; 15-5 + 15 + 8 = 33 points.
    assert evaluation.total == Decimal("33.00")
    assert evaluation.get_grade_display() == "差" and evaluation.needs_second_round
    assert SecondRound.objects.get(inspection=unit.inspection).evaluation == evaluation


def test_good_evaluation_needs_no_second_round(sw, on_start) -> None:
    unit = sw.units[1]
    evaluation = services.evaluate_inspection(sw.inspection_office, unit.inspection)
    assert evaluation.total == Decimal("100.00") and evaluation.get_grade_display() == "好"
    assert not SecondRound.objects.filter(inspection=unit.inspection).exists()


def test_review_page_names_the_reviewers_party_instead_of_a_choice(sw, on_start, client) -> None:
    from django.urls import reverse

    unit = sw.units[0]
    make_task(unit)
    services.submit_plan(unit.office_staff, unit.inspection)
    client.force_login(unit.supervisor)
    page = client.get(reverse("supervision:review", args=[unit.inspection.pk])).content.decode()
    assert 'id="p-party"' not in page and "纪委监委" in page
    assert "尚待审核：纪委监委、组织部、巡视办/巡察办" in page
