"""A large confirmed ledger import runs in `rectify worker`: the office follows its progress on a page
polled by htmx, and it ends with the same messages, or the same refused rows and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rectify.jobs import queue
from rectify.jobs.models import HeldUpload, Job
from rectify.ledger.models import Task
from rectify.spreadsheets import ExportRow, write_ledger
from rectify.spreadsheets.jobs import IMPORT_JOB, PREVIEW_JOB
from tests.factories import PASSWORD

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _small_threshold(settings):
    settings.RECTIFY_IMPORT_INLINE_ROWS = 2


def row(measure: str, lead_org: str = "办公室") -> ExportRow:
    return ExportRow(aspect="全面从严治党方面", finding="主体责任落实不到位", measure=measure, leader=[],
                     lead_org=[lead_org], co_orgs=[], deadline=None, category="立行立改", status=None,
                     light=None, progress=None)


def ledger(*rows: ExportRow) -> SimpleUploadedFile:
    return SimpleUploadedFile("台账.xlsx", write_ledger(list(rows), title="整改台账", unit="省委统战部",
                                                      date_label="2026年11月"))


MEASURES = ("制定党组主体责任清单", "开展警示教育", "规范公文处理")


def confirm(client, unit, *rows: ExportRow, **extra: str):
    """Preview the ledger, then confirm it: the response to the confirmation."""
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    preview = client.post(url, {"file": ledger(*rows)})
    assert preview.status_code == 200
    return client.post(url, {"confirm": "1", "token": preview.context["token"], **extra})


def test_a_large_confirmed_import_is_queued_and_the_page_follows_it(client, unit) -> None:
    queued = confirm(client, unit, *(row(m) for m in MEASURES))
    job = Job.objects.get(name=IMPORT_JOB)
    assert queued.status_code == 302
    assert queued.url == reverse("spreadsheets:import_job", args=[unit.inspection.pk, job.pk])
    assert not Task.objects.filter(inspection=unit.inspection).exists()  # nothing written in the request
    page = client.get(queued.url)
    text = page.content.decode()
    assert page.status_code == 200 and "正在排队" in text and 'hx-trigger="load delay:2s"' in text
    assert 'http-equiv="refresh"' in text  # the plain refresh when scripts are off
    assert queue.run_due(names=[IMPORT_JOB]).done == 1
    assert set(Task.objects.filter(inspection=unit.inspection).values_list("title", flat=True)) == set(MEASURES)
    job.refresh_from_db()
    assert (job.done_count, job.total_count) == (3, 3)
    assert not HeldUpload.objects.exists()
    # The poll sends the browser to the page itself, which ends as the import in the request does.
    polled = client.get(queued.url, **HTMX)
    assert polled.status_code == 200 and polled["HX-Redirect"] == queued.url
    done = client.get(queued.url, follow=True)
    assert done.redirect_chain[0][0] == reverse("ledger:ledger", args=[unit.inspection.pk])
    assert "已导入 3 项整改任务" in done.content.decode()


def test_a_small_import_still_runs_in_the_request(client, unit) -> None:
    done = confirm(client, unit, row("开展警示教育"), row("规范公文处理"))
    assert done.status_code == 302 and done.url == reverse("ledger:ledger", args=[unit.inspection.pk])
    assert Task.objects.filter(inspection=unit.inspection).count() == 2
    assert not Job.objects.filter(name=IMPORT_JOB).exists()


def test_refused_rows_are_named_and_nothing_is_imported(client, unit) -> None:
    queued = confirm(client, unit, *(row(m) for m in MEASURES), row("加强干部监督", lead_org="宣传处"))
    assert queue.run_due(names=[IMPORT_JOB]).done == 1
    assert not Task.objects.filter(inspection=unit.inspection).exists()
    done = client.get(queued.url, follow=True)
    text = done.content.decode()
    assert done.redirect_chain[0][0] == reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    assert "有问题的行未处理，未导入任何数据" in text
    assert "第 " in text and "宣传处" in text  # the row, the column and the value


def test_skipping_bad_rows_imports_the_rest_in_the_worker(client, unit) -> None:
    queued = confirm(client, unit, *(row(m) for m in MEASURES), row("加强干部监督", lead_org="宣传处"),
                     skip_bad_rows="1")
    queue.run_due(names=[IMPORT_JOB])
    assert Task.objects.filter(inspection=unit.inspection).count() == 3
    text = client.get(queued.url, follow=True).content.decode()
    assert "已导入 3 项整改任务，跳过 1 行有问题的数据" in text


def test_a_failed_attempt_writes_nothing_and_the_retry_imports_once(client, unit, monkeypatch) -> None:
    confirm(client, unit, *(row(m) for m in MEASURES))
    from rectify.ledger import services as ledger

    real = ledger.PlanWriter.finish

    def dies(self):
        real(self)
        raise OSError("the database server went away")

    monkeypatch.setattr(ledger.PlanWriter, "finish", dies)
    assert queue.run_due(names=[IMPORT_JOB]).retrying == 1
    assert not Task.objects.filter(inspection=unit.inspection).exists()  # rolled back whole
    assert HeldUpload.objects.count() == 1  # kept for the retry
    monkeypatch.setattr(ledger.PlanWriter, "finish", real)
    Job.objects.filter(name=IMPORT_JOB).update(run_after=timezone.now())
    assert queue.run_due(names=[IMPORT_JOB]).done == 1
    assert Task.objects.filter(inspection=unit.inspection).count() == 3


def test_a_job_that_failed_for_good_says_nothing_was_imported(client, unit) -> None:
    queued = confirm(client, unit, *(row(m) for m in MEASURES))
    Job.objects.filter(name=IMPORT_JOB).update(status=Job.Status.FAILED, finished_at=timezone.now())
    done = client.get(queued.url, follow=True)
    assert "后台导入未能完成，未导入任何数据" in done.content.decode()


def test_the_page_says_when_no_worker_has_taken_the_job(client, unit, settings) -> None:
    queued = confirm(client, unit, *(row(m) for m in MEASURES))
    assert "rectify worker" not in client.get(queued.url).content.decode()
    Job.objects.filter(name=IMPORT_JOB).update(run_after=timezone.now() - dt.timedelta(
        seconds=settings.RECTIFY_JOB_WAIT_WARNING_SECONDS + 1))
    assert "后台任务尚未开始，请确认 rectify worker 正在运行" in client.get(queued.url, **HTMX).content.decode()


def test_a_running_import_shows_rows_checked_of_all(client, unit) -> None:
    queued = confirm(client, unit, *(row(m) for m in MEASURES))
    job = queue.claim(names=[IMPORT_JOB])
    queue.report_progress(job, 33, done=1, total=3)
    assert "已处理 1 / 3 行" in client.get(queued.url, **HTMX).content.decode()


def test_only_the_units_office_sees_its_import_job(client, unit, other) -> None:
    queued = confirm(client, unit, *(row(m) for m in MEASURES))
    job = Job.objects.get(name=IMPORT_JOB)
    client.logout()
    assert client.login(username=other.office_staff.username, password=PASSWORD)
    assert client.get(queued.url).status_code == 404  # another unit's inspection
    # The other unit's own inspection does not reveal this job either.
    assert client.get(reverse("spreadsheets:import_job", args=[other.inspection.pk, job.pk])).status_code == 404
    client.logout()
    assert client.login(username=unit.dept_handler.username, password=PASSWORD)
    assert client.get(queued.url).status_code == 403  # the unit's department: no role


@pytest.mark.postgres
def test_progress_shows_on_other_connections_while_the_import_is_uncommitted(transactional_db, world, client,
                                                                              monkeypatch) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the import's transaction holds it")
    unit = world.units[0]
    confirm(client, unit, *(row(m) for m in MEASURES))
    real = queue.report_progress
    seen = []

    def watched(job, *args, **kwargs):
        real(job, *args, **kwargs)
        other = connection.copy()  # what another app server reads now
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT done_count, total_count FROM jobs_job WHERE id = %s", [job.pk])
                counts = cursor.fetchone()
                cursor.execute("SELECT count(*) FROM ledger_task WHERE inspection_id = %s", [unit.inspection.pk])
                seen.append((*counts, cursor.fetchone()[0]))
        finally:
            other.close()

    monkeypatch.setattr(queue, "report_progress", watched)
    assert queue.run_due(names=[IMPORT_JOB]).done == 1
    assert (3, 3, 0) in seen  # all rows checked, shown at once, while no task is visible yet
    assert Task.objects.filter(inspection=unit.inspection).count() == 3


def test_a_large_file_is_previewed_in_the_worker_then_confirmed(client, unit, settings) -> None:
    settings.RECTIFY_IMPORT_PREVIEW_INLINE_BYTES = 100  # every test file is larger
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    queued = client.post(url, {"file": ledger(*(row(m) for m in MEASURES), row("加强干部监督", lead_org="宣传处"))})
    job = Job.objects.get(name=PREVIEW_JOB)
    assert queued.url == reverse("spreadsheets:import_job", args=[unit.inspection.pk, job.pk])
    assert "正在读取并检查整改台账" in client.get(queued.url).content.decode()
    assert queue.run_due(names=[PREVIEW_JOB]).done == 1
    assert not Task.objects.filter(inspection=unit.inspection).exists()  # a preview writes nothing
    preview = client.get(queued.url)
    text = preview.content.decode()
    assert "预览：台账.xlsx" in text and "制定党组主体责任清单" in text and "确认导入" in text
    assert "宣传处" in text and "跳过有问题的 1 行" in text
    # The confirmation of the previewed file is the usual one (here: in the worker, 3 rows > 2).
    confirmed = client.post(url, {"confirm": "1", "token": preview.context["token"], "skip_bad_rows": "1"})
    assert queue.run_due(names=[IMPORT_JOB]).done == 1
    assert "已导入 3 项整改任务，跳过 1 行有问题的数据" in client.get(confirmed.url, follow=True).content.decode()


def test_a_large_file_that_cannot_be_read_says_so_after_its_preview_job(client, unit, settings) -> None:
    settings.RECTIFY_IMPORT_PREVIEW_INLINE_BYTES = 10
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("spreadsheets:import_ledger", args=[unit.inspection.pk])
    queued = client.post(url, {"file": SimpleUploadedFile("台账.xlsx", b"PK\x03\x04 not really a zip file")})
    queue.run_due(names=[PREVIEW_JOB])
    page = client.get(queued.url)
    assert page.status_code == 200 and "errorlist" in page.content.decode() and "上传并预览" in page.content.decode()
    assert not HeldUpload.objects.exists()


def test_an_import_holds_its_job_for_as_long_as_its_rows_may_take(client, unit, monkeypatch) -> None:
    # On SQLite the import's transaction keeps the worker from extending its lease: it is taken before.
    from rectify.spreadsheets import jobs as background

    confirm(client, unit, *(row(m) for m in MEASURES))
    monkeypatch.setattr(background, "LEASE_PER_ROW", dt.timedelta(hours=1))
    held = []
    real = background.import_ledger

    def watched(*args, **kwargs):
        held.append(Job.objects.get(name=IMPORT_JOB).locked_until)
        return real(*args, **kwargs)

    monkeypatch.setattr(background, "import_ledger", watched)
    queue.run_due(names=[IMPORT_JOB])
    assert held[0] >= timezone.now() + queue.lease() + dt.timedelta(hours=3) - dt.timedelta(minutes=1)


def test_on_sqlite_the_page_shows_the_rows_checked_while_the_import_holds_the_database(client, unit, monkeypatch,
                                                                                        settings) -> None:
    from django.db import connection

    from rectify.jobs import progress as progress_file
    from rectify.spreadsheets import jobs as background
    from rectify.spreadsheets import services

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL writes the progress on a connection of its own")
    queued = confirm(client, unit, *(row(m) for m in MEASURES))
    job = Job.objects.get(name=IMPORT_JOB)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(background, "PROGRESS_SECONDS", 0)
    real = queue.report_progress
    shown = []

    def watched(job, *args, **kwargs):
        real(job, *args, **kwargs)
        if kwargs.get("in_transaction"):  # inside the import's transaction: the job's row cannot be written
            page = client.get(queued.url, **HTMX).content.decode()
            row = Job.objects.filter(pk=job.pk).values_list("done_count", flat=True).get()
            shown.append((page, row, progress_file.path_of(job.pk).exists()))

    monkeypatch.setattr(queue, "report_progress", watched)
    assert queue.run_due(names=[IMPORT_JOB]).done == 1
    pages = [page for page, _row, _file in shown]
    assert "已处理 1 / 3 行" in pages[1] and "已处理 2 / 3 行" in pages[2]
    assert "已检查全部 3 行，正在写入" in pages[-1]
    assert all(row == 0 and exists for _page, row, exists in shown)  # the counts came from the progress file
    assert not progress_file.path_of(job.pk).exists()  # gone with the end of the job
    job.refresh_from_db()
    assert (job.status, job.done_count, job.total_count) == (Job.Status.DONE, 3, 3)
    assert "已导入 3 项整改任务" in client.get(queued.url, follow=True).content.decode()


def test_a_progress_file_of_another_attempt_is_not_shown(client, unit) -> None:
    from rectify.jobs import progress as progress_file

    queued = confirm(client, unit, *(row(m) for m in MEASURES))
    job = queue.claim(names=[IMPORT_JOB])
    progress_file.write(job, {"progress": 66, "progress_note": "", "done_count": 2, "total_count": 3})
    assert "已处理 2 / 3 行" in client.get(queued.url, **HTMX).content.decode()
    Job.objects.filter(pk=job.pk).update(locked_by="another-server:1")  # its worker died; another took it over
    assert "已处理 2 / 3 行" not in client.get(queued.url, **HTMX).content.decode()
