"""第一责任人签字: the leader signs the plan in person (own login, second factor where enabled), audited;
reports are published only after that sign-off."""

from __future__ import annotations

import pyotp
import pytest
from django.urls import reverse

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, InvalidTransition, ValidationFailed
from rectify.reports import services as reports
from rectify.supervision import services
from rectify.totp import services as totp
from tests.factories import PASSWORD, make_task, person


@pytest.fixture
def plan(unit):
    make_task(unit)
    return services.submit_plan(unit.office_staff, unit.inspection)


def test_the_first_responsible_person_signs_in_person_and_it_is_audited(unit, plan):
    signed = services.sign_plan(unit.leader, plan)
    assert signed.signed_by == unit.leader.display_name and signed.signed_by_user == unit.leader
    assert signed.signed_at is not None
    event = AuditEvent.objects.get(action="plan.sign")
    assert event.actor == unit.leader and event.after["second_factor"] is False
    with pytest.raises(InvalidTransition, match="已签字"):
        services.sign_plan(unit.leader, plan)


def test_nobody_else_signs_for_the_leader(unit, plan):
    from rectify.organizations.models import Role

    deputy = person(unit.org, Role.LEADER)  # a leader, but not the principal
    for somebody in (unit.office_staff, deputy):
        with pytest.raises(Forbidden):
            services.sign_plan(somebody, plan)
    plan.refresh_from_db()
    assert plan.signed_at is None


def test_a_leader_with_a_second_factor_signs_with_a_current_code(unit, plan):
    device = totp.start_enrolment(unit.leader)
    totp.confirm_enrolment(unit.leader, code=pyotp.TOTP(device.secret).now())
    with pytest.raises(ValidationFailed):
        services.sign_plan(unit.leader, plan, code="")
    device.refresh_from_db()
    step = max(int(clock.now().timestamp()) // 30, device.last_step + 1)
    services.sign_plan(unit.leader, plan, code=pyotp.TOTP(device.secret).at(step * 30))
    assert AuditEvent.objects.get(action="plan.sign").after["second_factor"] is True


def test_a_report_waits_for_the_sign_off(unit, plan):
    report = reports.generate_report(unit.office_staff, unit.inspection, "notice")
    with pytest.raises(InvalidTransition, match="第一责任人签字"):
        reports.publish_report(unit.office_staff, report)
    services.sign_plan(unit.leader, plan)
    assert reports.publish_report(unit.office_staff, report).number == 1


def test_review_page_has_no_typed_signature_and_lets_the_leader_sign(client, unit, plan):
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    page = client.get(reverse("supervision:review", args=[unit.inspection.pk])).content.decode()
    assert 'name="signed_by"' not in page and "待第一责任人签字" in page and "第一责任人签字确认" not in page
    client.logout()
    assert client.login(username=unit.leader.username, password=PASSWORD)
    page = client.get(reverse("supervision:review", args=[unit.inspection.pk])).content.decode()
    assert "第一责任人签字确认" in page
    client.post(reverse("supervision:review_action", args=[unit.inspection.pk, "sign"]))
    plan.refresh_from_db()
    assert plan.signed_by_user == unit.leader


def test_another_units_principal_does_not_see_the_plan_to_sign(unit, other, plan):
    from rectify.errors import NotVisible

    with pytest.raises(NotVisible):
        services.sign_plan(other.leader, plan)


def test_the_supervisor_and_the_inspection_office_do_not_sign(world, unit, plan):
    for somebody in (unit.supervisor, world.inspection_office):
        with pytest.raises(Forbidden, match="只有第一责任人本人可以签字"):
            services.sign_plan(somebody, plan)
    plan.refresh_from_db()
    assert plan.signed_at is None


def test_a_principal_of_the_office_above_does_not_sign_for_the_unit(world, unit, plan):
    from rectify.organizations.models import Role

    above = person(world.office, Role.LEADER, is_principal=True)
    with pytest.raises(Forbidden):
        services.sign_plan(above, plan)


def test_a_deputy_leader_sees_no_sign_button_and_is_refused(client, unit, plan):
    from rectify.organizations.models import Role

    deputy = person(unit.org, Role.LEADER)
    assert client.login(username=deputy.username, password=PASSWORD)
    page = client.get(reverse("supervision:review", args=[unit.inspection.pk])).content.decode()
    assert "第一责任人签字确认" not in page
    response = client.post(reverse("supervision:review_action", args=[unit.inspection.pk, "sign"]))
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.signed_at is None
