"""The job queue behind `rectify worker`: e-mail leaves the request, failures are retried with back-off,
a dead worker's job is taken over, and overlapping reminder runs never deliver twice."""

from __future__ import annotations

import datetime as dt
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from rectify.jobs import locks, queue
from rectify.jobs.models import Job
from rectify.supervision import notify as delivery
from rectify.supervision.models import Notification, WebhookDelivery, WebhookEndpoint
from rectify.supervision.services.notifications import EMAIL_JOB, Warning, notify
from rectify.supervision.services.reminders import RemindBusy, run_reminders


def _warn(unit, key: str = "overdue:test:1", *, email: bool = True) -> list[Notification]:
    unit.dept_handler.email = "handler@example.org"
    unit.dept_handler.save(update_fields=["email"])
    return notify([Warning(kind=Notification.Kind.OVERDUE, key=key, title="【逾期警示】测试任务已逾期3天",
                           body="请说明原因", recipients=[unit.dept_handler.pk], unit_id=unit.org.pk)], email=email)


def test_notifying_queues_the_email_instead_of_sending_it(unit, mailoutbox) -> None:
    (notification,) = _warn(unit)
    assert mailoutbox == []
    assert Job.objects.filter(name=EMAIL_JOB, status=Job.Status.QUEUED).count() == 1
    assert queue.run_due().done == 1
    assert [m.to for m in mailoutbox] == [["handler@example.org"]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_smtp_has_a_timeout(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert mail.get_connection().timeout == settings.EMAIL_TIMEOUT == 10


def test_a_failed_email_is_retried_later_with_back_off(unit, mailoutbox, monkeypatch) -> None:
    _warn(unit)
    real = delivery.send_mail
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("mail server went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(delivery, "send_mail", flaky)
    drained = queue.run_due()
    assert (drained.done, drained.retrying) == (0, 1)
    job = Job.objects.get(name=EMAIL_JOB)
    assert job.status == Job.Status.QUEUED and job.attempts == 1 and "SMTPServerDisconnected" in job.error
    assert job.run_after >= timezone.now() + dt.timedelta(seconds=25)
    assert queue.run_due().done == 0  # not yet due
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())  # the back-off has passed
    assert queue.run_due().done == 1
    assert len(mailoutbox) == 1
    # The second wait is twice the first.
    assert queue.backoff(2) == 2 * queue.backoff(1)


def test_a_job_whose_worker_died_is_taken_over_after_its_lease(unit, mailoutbox) -> None:
    _warn(unit)
    lost = queue.claim(worker="server-a:1")
    assert lost is not None and queue.claim(worker="server-b:1") is None  # held while the lease runs
    Job.objects.filter(pk=lost.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    taken = queue.claim(worker="server-b:1")
    assert taken.pk == lost.pk and taken.attempts == 2 and taken.locked_by == "server-b:1"
    assert queue.run(taken).status == Job.Status.DONE
    assert len(mailoutbox) == 1
    # The first worker waking up late changes nothing on the row.
    queue.run(lost)
    assert len(mailoutbox) == 1
    assert Job.objects.get(pk=lost.pk).locked_by == "server-b:1"


def test_a_job_lost_on_its_last_attempt_fails_instead_of_looping(unit) -> None:
    _warn(unit)
    Job.objects.update(max_attempts=1)
    lost = queue.claim(worker="server-a:1")
    Job.objects.filter(pk=lost.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert queue.claim(worker="server-b:1") is None
    job = Job.objects.get(pk=lost.pk)
    assert job.status == Job.Status.FAILED and "lost" in job.error


def test_a_second_remind_run_stops_while_one_holds_the_lock(unit) -> None:
    with locks.exclusive("remind"):
        with pytest.raises(RemindBusy):
            run_reminders()
        err = io.StringIO()
        call_command("remind", stdout=io.StringIO(), stderr=err)
        assert "另一次提醒正在运行" in err.getvalue()
    run_reminders()  # released at the end of the first run


def test_two_sweeps_at_once_post_each_webhook_once(unit, monkeypatch) -> None:
    WebhookEndpoint.objects.create(unit=unit.org, url="http://127.0.0.1:9/hook", secret="s", max_attempts=3)
    _warn(unit, email=False)
    posted = []

    def post(url, body, signature, timeout):
        posted.append(body)
        # Another process sweeps while this one is posting.
        assert delivery.process_webhooks().ids == []
        return 200, ""

    monkeypatch.setattr(delivery, "_post", post)
    assert delivery.process_webhooks().delivered == 1
    assert len(posted) == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_worker_once_runs_the_due_jobs(unit, mailoutbox) -> None:
    _warn(unit)
    out = io.StringIO()
    call_command("worker", "--once", "--json", stdout=out)
    assert '"done": 1' in out.getvalue()
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)  # the worker's loop closes the connection, as in production
def test_a_busy_database_does_not_stop_the_worker(unit, mailoutbox, monkeypatch, settings) -> None:
    from django.db import OperationalError

    settings.RECTIFY_WORKER_POLL_SECONDS = 0.1
    _warn(unit)
    real, calls = queue.claim, []

    def locked_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(queue, "claim", locked_once)
    err = io.StringIO()
    call_command("worker", "--max-jobs", "1", stdout=io.StringIO(), stderr=err)
    assert "暂时无法读取作业队列" in err.getvalue()
    assert len(mailoutbox) == 1


def test_finished_jobs_are_pruned_and_failed_ones_kept(db) -> None:
    old = timezone.now() - dt.timedelta(days=8)
    done = Job.objects.create(name="x", status=Job.Status.DONE, finished_at=old)
    failed = Job.objects.create(name="x", status=Job.Status.FAILED, finished_at=old)
    recent = Job.objects.create(name="x", status=Job.Status.DONE, finished_at=timezone.now())
    assert queue.prune() == 1
    assert set(Job.objects.values_list("pk", flat=True)) == {failed.pk, recent.pk}
    assert not Job.objects.filter(pk=done.pk).exists()


def test_a_remind_run_stops_mailing_at_the_first_failure_and_leaves_the_rest_queued(world, monkeypatch) -> None:
    for unit in world.units:
        _warn(unit, key=f"overdue:test:{unit.org.pk}")
    calls = []

    def down(*args, **kwargs):
        calls.append(1)
        raise smtplib.SMTPConnectError(421, "mail server down")

    monkeypatch.setattr(delivery, "send_mail", down)
    run_reminders()
    assert len(calls) == 1  # not one timeout per e-mail
    assert Job.objects.filter(name=EMAIL_JOB, status=Job.Status.QUEUED).count() == 2
