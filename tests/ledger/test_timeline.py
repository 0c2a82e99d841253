"""The task's timeline (办理过程): every step with people's names and roles, in a bounded number of queries."""

from __future__ import annotations

from django.urls import reverse

from rectify.ledger import services as ledger
from rectify.ledger.selectors import timeline
from tests.factories import PASSWORD, evidence, make_task, submitted_task


def _closed_after_a_return(unit):
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已印发学习制度", files=[evidence()])
    ledger.submit_task(unit.dept_handler, task, note="制度已印发，申请销号")
    ledger.return_task(unit.office_staff, task, reason="缺少印发文件")
    ledger.report_progress(unit.dept_handler, task, text="补充印发文件", files=[evidence()])
    ledger.submit_task(unit.dept_handler, task, note="已补充")
    ledger.review_task(unit.office_staff, task, note="材料齐全")
    ledger.approve_task(unit.leader, task, note="同意")
    return task


def test_timeline_shows_the_closure_request_and_its_note(unit):
    task = _closed_after_a_return(unit)
    events = timeline(task)
    submits = [e for e in events if e.kind == "submit"]
    assert [e.text for e in submits] == ["已补充", "制度已印发，申请销号"]
    assert all(e.title == "申请销号" and e.who == unit.dept_handler.display_name for e in submits)
    assert submits[0].role == "办公室"


def test_timeline_names_each_person_with_their_role(unit):
    task = _closed_after_a_return(unit)
    by_kind = {}
    for e in timeline(task):
        by_kind.setdefault(e.kind, e)
    assert by_kind["return"].text == "退回理由：缺少印发文件"
    assert (by_kind["return"].who, by_kind["return"].role) == (unit.office_staff.display_name, "整改办")
    assert by_kind["review"].title == "领导审批：同意"
    assert (by_kind["review"].who, by_kind["review"].role) == (unit.leader.display_name, "责任领导")


def test_timeline_shows_flags_orders_and_look_backs(unit, today):
    from rectify.supervision import services as supervision

    task = _closed_after_a_return(unit)
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    supervision.issue_order(unit.office_staff, kind="supervise", task=task, reply_due=today, number="督〔2026〕1号")
    kinds = {e.kind: e for e in timeline(task)}
    assert kinds["flag"].text.startswith("佐证与实际不符") and kinds["flag"].role == "纪检监督"
    assert kinds["order"].title == "督办通知书 督〔2026〕1号" and kinds["order"].order_id


def test_task_page_timeline_and_history_speak_chinese(client, unit):
    task = _closed_after_a_return(unit)
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    timeline_html = page.split('id="h-timeline"')[1].split('id="h-audit"')[0]
    assert "制度已印发，申请销号" in timeline_html and "申请销号" in timeline_html
    assert "退回理由：缺少印发文件" in timeline_html
    assert "task.submit" not in page
    assert unit.dept_handler.username not in page.split('id="h-audit"')[1]


def test_task_page_queries_do_not_grow_with_the_history(client, unit, django_assert_max_num_queries):
    short = submitted_task(unit)
    long = _closed_after_a_return(unit)
    for n in range(5):
        ledger.comment_task(unit.supervisor, long, text=f"意见 {n}")
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ledger:task", args=[short.pk]))
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        client.get(reverse("ledger:task", args=[long.pk]))
