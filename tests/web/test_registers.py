"""The registers' pages (建章立制, 问题线索, 整改成效, 责任交接): list, filter, create and edit through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rectify import clock
from rectify.audit.models import AuditEvent
from rectify.ledger import services as ledger
from rectify.ledger.models import Handover, Lead, Outcome, RuleChange
from tests.factories import PASSWORD, make_task, person, submitted_task

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def lead(unit, **kw):
    values = {"summary": "反映某处违规发放津贴", "received_on": clock.today() - dt.timedelta(days=10)}
    values.update(kw)
    return ledger.create_lead(unit.office_staff, unit.inspection, **values)


# 建章立制 -------------------------------------------------------------------------------------------

def test_office_registers_a_rule_and_finds_it_by_category(client, world):
    unit = world.units[0]
    task = make_task(unit)
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:rule_create", args=[unit.inspection.pk]), {
        "title": "党组理论学习中心组学习制度", "action": "revise", "document_no": "统办发〔2024〕3号",
        "issued_on": "2024-05-06", "task": task.pk, "text": "",
    })
    assert response.status_code == 302
    rule = RuleChange.objects.get()
    assert (rule.action, rule.task, rule.issued_on) == ("revise", task, dt.date(2024, 5, 6))
    assert AuditEvent.objects.filter(action="rulechange.create").exists()
    page = client.get(reverse("ledger:rules", args=[unit.inspection.pk]), {"action": "revise"}).content.decode()
    assert "党组理论学习中心组学习制度" in page
    assert "党组理论学习中心组学习制度" not in client.get(
        reverse("ledger:rules", args=[unit.inspection.pk]), {"action": "abolish"}).content.decode()


def test_editing_a_rule_keeps_the_old_text_in_the_audit_chain(client, world):
    unit = world.units[0]
    rule = ledger.create_rule_change(unit.office_staff, unit.inspection, title="旧名称")
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:rule_edit", args=[rule.pk]), {"title": "新名称", "action": "create"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.title == "新名称"
    event = AuditEvent.objects.get(action="rulechange.update")
    assert event.before["title"] == "旧名称"


def test_an_empty_rule_title_is_refused_with_the_field_named(client, world):
    unit = world.units[0]
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:rule_create", args=[unit.inspection.pk]), {"title": "  ", "action": "create"})
    assert response.status_code == 400
    assert "制度名称" in response.content.decode()
    assert not RuleChange.objects.exists()


# 问题线索 -------------------------------------------------------------------------------------------

def test_office_registers_a_petition_and_its_reply_date_is_three_months_on(client, world):
    unit = world.units[0]
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:lead_create", args=[unit.inspection.pk]), {
        "kind": "petition", "reference": "XF-001", "summary": "反映食堂采购问题", "received_on": "2026-01-31",
        "handler_org": unit.departments[2].pk, "exempt": "on",
    })
    assert response.status_code == 302
    created = Lead.objects.get()
    assert (created.kind, created.handler_org, created.reply_due) == ("petition", unit.departments[2], dt.date(2026, 4, 30))
    page = client.get(reverse("ledger:leads", args=[unit.inspection.pk])).content.decode()
    assert "XF-001" in page and "2026年4月30日" in page


def test_overdue_filter_shows_only_leads_past_their_reply_date(client, world):
    unit = world.units[0]
    today = clock.today()
    late = lead(unit, reference="L-LATE", received_on=today - dt.timedelta(days=120))
    lead(unit, reference="L-FRESH", received_on=today - dt.timedelta(days=5))
    done = lead(unit, reference="L-DONE", received_on=today - dt.timedelta(days=150))
    ledger.conclude_lead(unit.office_staff, done, result="已查实处理")
    login(client, unit.office_staff)
    rows = client.get(reverse("ledger:leads", args=[unit.inspection.pk]), {"overdue": "1"}).context["rows"]
    assert [r["lead"] for r in rows] == [late]
    assert rows[0]["overdue"]


def test_the_overdue_filter_agrees_with_the_reply_date_at_a_month_end(client, world):
    unit = world.units[0]
    on_time = lead(unit, received_on=dt.date(2025, 11, 30))  # due 2026-02-28
    login(client, unit.office_staff)
    url = reverse("ledger:leads", args=[unit.inspection.pk])
    with clock.frozen(dt.date(2026, 2, 28)):
        assert not client.get(url, {"overdue": "1"}).context["rows"]
    with clock.frozen(dt.date(2026, 3, 1)):
        assert [r["lead"] for r in client.get(url, {"overdue": "1"}).context["rows"]] == [on_time]


def test_office_edits_then_concludes_a_lead(client, world):
    unit = world.units[0]
    item = lead(unit)
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:lead_edit", args=[item.pk]), {
        "kind": "clue", "summary": "反映违规发放津贴补贴", "received_on": item.received_on.isoformat(),
        "status": "in_progress", "handler_org": unit.departments[2].pk,
    })
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.summary, item.exempt) == ("in_progress", "反映违规发放津贴补贴", False)
    response = client.post(reverse("ledger:lead_conclude", args=[item.pk]), {"result": "查实，给予诫勉"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.result, item.concluded_on) == ("concluded", "查实，给予诫勉", clock.today())


def test_a_conclusion_dated_before_the_transfer_is_refused(client, world):
    unit = world.units[0]
    item = lead(unit)
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:lead_conclude", args=[item.pk]), {
        "result": "已办结", "concluded_on": (item.received_on - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert "不能早于" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open"


def test_a_department_sees_only_the_leads_it_handles(client, world):
    unit = world.units[0]
    mine = lead(unit, reference="MINE", handler_org=unit.departments[0])
    theirs = lead(unit, reference="THEIRS", handler_org=unit.departments[2])
    login(client, unit.dept_handler)
    rows = client.get(reverse("ledger:leads", args=[unit.inspection.pk])).context["rows"]
    assert [r["lead"] for r in rows] == [mine]
    assert client.get(reverse("ledger:lead_edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("ledger:lead_edit", args=[mine.pk])).status_code == 403  # in scope, not the office


@pytest.mark.parametrize("name", ["rules", "leads", "outcomes"])
def test_another_units_registers_are_hidden(client, world, name):
    login(client, world.units[1].office_staff)
    assert client.get(reverse(f"ledger:{name}", args=[world.units[0].inspection.pk])).status_code == 404


@pytest.mark.parametrize("name", ["rule_create", "lead_create", "outcome_create"])
@pytest.mark.parametrize("who", ["leader", "supervisor", "dept_handler"])
def test_only_the_office_may_create_records(client, world, name, who):
    unit = world.units[0]
    login(client, getattr(unit, who))
    assert client.get(reverse(f"ledger:{name}", args=[unit.inspection.pk])).status_code == 403


def test_records_of_another_unit_cannot_be_edited(client, world):
    unit, other = world.units
    rule = ledger.create_rule_change(unit.office_staff, unit.inspection, title="制度")
    login(client, other.office_staff)
    assert client.post(reverse("ledger:rule_edit", args=[rule.pk]), {"title": "改", "action": "create"}).status_code == 404
    rule.refresh_from_db()
    assert rule.title == "制度"


# 整改成效 -------------------------------------------------------------------------------------------

def test_office_records_an_outcome_and_filters_by_category(client, world):
    unit = world.units[0]
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:outcome_create", args=[unit.inspection.pk]), {
        "kind": "funds_recovered", "what": "追缴违规资金", "value": "12.5", "value_unit": "万元"})
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.value, outcome.recorded_on) == (outcome.value.__class__("12.50"), clock.today())
    listed = client.get(reverse("ledger:outcomes", args=[unit.inspection.pk]), {"kind": "funds_recovered"})
    assert "追缴违规资金" in listed.content.decode()
    assert not client.get(reverse("ledger:outcomes", args=[unit.inspection.pk]), {"kind": "cost_cut"}).context["page"].object_list


def test_a_negative_outcome_value_is_refused_in_chinese(client, world):
    unit = world.units[0]
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:outcome_create", args=[unit.inspection.pk]), {
        "kind": "accountability", "what": "问责", "value": "-1", "value_unit": "人"})
    assert response.status_code == 400
    assert "数值" in response.content.decode()
    assert not Outcome.objects.exists()


def test_editing_an_outcome_changes_its_value(client, world):
    unit = world.units[0]
    outcome = ledger.record_outcome(unit.office_staff, unit.inspection, kind="accountability", what="问责", value=2,
                                    value_unit="人")
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:outcome_edit", args=[outcome.pk]), {
        "kind": "accountability", "what": "问责处理", "value": "3", "value_unit": "人",
        "recorded_on": outcome.recorded_on.isoformat()})
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.what, outcome.value) == ("问责处理", 3)


# 责任交接 -------------------------------------------------------------------------------------------

def handover_form(unit, successor, **kw):
    data = {"role": "leader", "from_user": unit.leader.pk, "to_user": successor.pk, "note": "工作调整",
            "from_password": PASSWORD, "to_password": PASSWORD}
    data.update(kw)
    return data


def test_hand_over_moves_the_open_tasks_signed_by_both(client, world):
    unit = world.units[0]
    successor = person(unit.org, "leader")
    open_task = make_task(unit)
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:handovers", args=[unit.org.pk]), handover_form(unit, successor))
    assert response.status_code == 302
    open_task.refresh_from_db()
    assert (open_task.leader, open_task.leader_name) == (successor, successor.display_name)
    handover = Handover.objects.get()
    assert list(handover.tasks.all()) == [open_task]
    event = AuditEvent.objects.get(action="task.hand_over")
    assert event.after["signed_by"] == [unit.leader.pk, successor.pk]
    assert successor.display_name in client.get(reverse("ledger:handovers", args=[unit.org.pk])).content.decode()


def test_hand_over_needs_the_receivers_own_password(client, world):
    unit = world.units[0]
    successor = person(unit.org, "leader")
    task = make_task(unit)
    login(client, unit.office_staff)
    response = client.post(reverse("ledger:handovers", args=[unit.org.pk]),
                           handover_form(unit, successor, to_password="wrong-password"))
    assert response.status_code == 400
    assert "签字密码不正确" in response.content.decode()
    task.refresh_from_db()
    assert task.leader == unit.leader and not Handover.objects.exists()


def test_hand_over_refuses_a_successor_of_another_unit(client, world):
    unit, other = world.units
    task = make_task(unit)
    login(client, unit.office_staff)
    # The form offers only this unit's people; the service refuses anyone else too.
    response = client.post(reverse("ledger:handovers", args=[unit.org.pk]), handover_form(unit, other.leader))
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.leader == unit.leader
    with pytest.raises(Exception, match="不是本单位人员"):
        ledger.hand_over(unit.office_staff, unit=unit.org, role="leader", from_user=unit.leader, to_user=other.leader,
                         from_password=PASSWORD, to_password=PASSWORD)


def test_hand_over_leaves_closed_tasks_with_the_old_leader(client, world):
    unit = world.units[0]
    successor = person(unit.org, "leader")
    open_task = make_task(unit)
    closed = submitted_task(unit)
    ledger.review_task(unit.office_staff, closed)
    ledger.approve_task(unit.leader, closed)
    ledger.hand_over(unit.office_staff, unit=unit.org, role="leader", from_user=unit.leader, to_user=successor,
                     from_password=PASSWORD, to_password=PASSWORD)
    open_task.refresh_from_db()
    closed.refresh_from_db()
    assert (open_task.leader, closed.leader) == (successor, unit.leader)


@pytest.mark.parametrize("who", ["leader", "supervisor"])
def test_hand_over_page_is_forbidden_to_roles_without_it(client, world, who):
    unit = world.units[0]
    login(client, getattr(unit, who))
    assert client.get(reverse("ledger:handovers", args=[unit.org.pk])).status_code == 403


def test_hand_over_page_of_another_unit_is_hidden(client, world):
    login(client, world.units[1].office_staff)
    assert client.get(reverse("ledger:handovers", args=[world.units[0].org.pk])).status_code == 404


def test_the_office_reaches_its_own_units_hand_over_from_the_navigation(client, world):
    unit = world.units[0]
    login(client, unit.office_staff)
    home = client.get(reverse("ledger:home"), follow=True).content.decode()
    assert reverse("ledger:handover_units") in home and reverse("ledger:all_leads") in home
    response = client.get(reverse("ledger:handover_units"))
    assert response.status_code == 302 and response["Location"] == reverse("ledger:handovers", args=[unit.org.pk])


def test_inspection_pages_link_the_registers(client, world):
    unit = world.units[0]
    login(client, unit.office_staff)
    page = client.get(reverse("ledger:ledger", args=[unit.inspection.pk])).content.decode()
    for name in ("rules", "leads", "outcomes"):
        assert reverse(f"ledger:{name}", args=[unit.inspection.pk]) in page
    assert reverse("ledger:handovers", args=[unit.org.pk]) in page


# Query counts ----------------------------------------------------------------------------------------

def test_register_list_pages_have_bounded_queries(client, world, django_assert_max_num_queries):
    unit = world.units[0]
    for i in range(30):
        task = make_task(unit)
        ledger.create_rule_change(unit.office_staff, unit.inspection, title=f"制度{i}", task=task)
        lead(unit, reference=f"L{i}", handler_org=unit.departments[i % 3])
        ledger.record_outcome(unit.office_staff, unit.inspection, kind="other", what=f"成效{i}", value=i,
                              value_unit="项", task=task)
    login(client, unit.office_staff)
    for name in ("rules", "leads", "outcomes"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(f"ledger:{name}", args=[unit.inspection.pk])).status_code == 200
        with django_assert_max_num_queries(16):
            assert client.get(reverse(f"ledger:all_{name}")).status_code == 200
    for _ in range(3):
        successor = person(unit.org, "leader")
        make_task(unit)
        ledger.hand_over(unit.office_staff, unit=unit.org, role="leader", from_user=unit.leader, to_user=successor,
                         from_password=PASSWORD, to_password=PASSWORD)
        unit.leader = successor
    with django_assert_max_num_queries(16):
        assert client.get(reverse("ledger:handovers", args=[unit.org.pk])).status_code == 200
