"""The people who act next are told when a task moves: inbox, e-mail and webhook, like the orders (五书)."""

from __future__ import annotations

from django.core import mail

from rectify.jobs import queue
from rectify.ledger import services as ledger
from rectify.supervision.models import Notification, WebhookDelivery, WebhookEndpoint
from tests.factories import evidence, make_task, submitted_task


def _inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind="task").values_list("title", flat=True))


def test_a_closure_request_tells_the_office(unit):
    submitted_task(unit)
    assert _inbox(unit.office_staff) == ["【待审核】办公室申请销号"]
    assert _inbox(unit.dept_handler) == []  # the actor is not told of their own step


def test_a_return_tells_the_department_with_the_reason(unit):
    task = submitted_task(unit)
    ledger.return_task(unit.office_staff, task, reason="缺少印发文件")
    note = Notification.objects.get(recipient=unit.dept_handler, kind="task")
    assert note.title == "【已退回】销号申请被退回，请补充整改"
    assert "缺少印发文件" in note.body and note.task_id == task.pk


def test_a_review_tells_the_responsible_leader_and_an_approval_the_department(unit):
    task = submitted_task(unit)
    ledger.review_task(unit.office_staff, task)
    assert _inbox(unit.leader) == ["【待审批】整改办审核通过，请审批销号"]
    ledger.approve_task(unit.leader, task)
    assert "【已销号】任务已审批销号" in _inbox(unit.dept_handler)


def test_a_flag_tells_the_office(unit):
    task = make_task(unit)
    ledger.flag_task(unit.supervisor, task, text="佐证与实际不符")
    assert _inbox(unit.office_staff) == ["【整改不实】纪检监督标记整改不实，请复核"]


def test_steps_are_emailed_by_the_queue_and_queued_for_the_units_webhook(unit, django_capture_on_commit_callbacks):
    unit.dept_handler.email = "handler@example.org"
    unit.dept_handler.save()
    WebhookEndpoint.objects.create(unit=unit.org, url="http://127.0.0.1:9/hook", secret="k")
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已完成", files=[evidence()])
    ledger.submit_task(unit.dept_handler, task)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.return_task(unit.office_staff, task, reason="缺少印发文件")
    assert mail.outbox == []  # never sent inside the request: the worker sends it
    queue.run_due()
    assert [m.subject for m in mail.outbox] == ["【已退回】销号申请被退回，请补充整改"]
    assert mail.outbox[0].to == ["handler@example.org"]
    returned = Notification.objects.get(recipient=unit.dept_handler, kind="task")
    assert WebhookDelivery.objects.filter(notification=returned).count() == 1


def test_each_return_is_a_new_notification(unit):
    task = submitted_task(unit)
    ledger.return_task(unit.office_staff, task, reason="第一次退回")
    ledger.report_progress(unit.dept_handler, task, text="补充", files=[evidence()])
    ledger.submit_task(unit.dept_handler, task)
    ledger.return_task(unit.office_staff, task, reason="第二次退回")
    assert len(_inbox(unit.dept_handler)) == 2
