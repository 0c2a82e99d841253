"""Report work that may outlast a request runs in `rectify worker`: a report written from a large ledger,
and every PDF. The page follows the job and ends as the request would; the job stays in its unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.jobs import queue
from rectify.jobs.models import Job
from rectify.reports import jobs as background
from rectify.reports import services
from rectify.reports.models import Report

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def report(filled):
    unit = filled.unit
    return services.generate_report(unit.office_staff, unit.inspection, "notice")


def test_a_report_from_a_large_ledger_is_written_in_the_worker(client, filled, settings) -> None:
    settings.RECTIFY_REPORT_INLINE_TASKS = 1
    unit = filled.unit
    client.force_login(unit.office_staff)
    queued = client.post(reverse("reports:generate", args=[unit.inspection.pk]), {"kind": "internal"})
    job = Job.objects.get(name=background.GENERATE_JOB)
    assert queued.url == reverse("reports:generate_job", args=[unit.inspection.pk, job.pk])
    assert not Report.objects.filter(inspection=unit.inspection, kind="internal").exists()
    assert "正在排队" in client.get(queued.url).content.decode()
    assert queue.run_due(names=[background.GENERATE_JOB]).done == 1
    report = Report.objects.get(inspection=unit.inspection, kind="internal")
    assert client.get(queued.url, **HTMX)["HX-Redirect"] == queued.url
    done = client.get(queued.url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("reports:detail", args=[report.pk])
    assert f"已根据台账最新数据生成「{report.title}」" in done.content.decode()


def test_a_report_from_a_small_ledger_is_still_written_in_the_request(client, filled) -> None:
    unit = filled.unit
    client.force_login(unit.office_staff)
    response = client.post(reverse("reports:generate", args=[unit.inspection.pk]), {"kind": "notice"})
    report = Report.objects.get(inspection=unit.inspection, kind="notice")
    assert response.url == reverse("reports:detail", args=[report.pk])
    assert not Job.objects.filter(name=background.GENERATE_JOB).exists()


def test_a_pdf_is_made_by_the_worker_and_offered_on_the_page(client, filled, report, monkeypatch) -> None:
    monkeypatch.setattr(background, "render", lambda content, fmt: b"%PDF-1.7 " + content["title"].encode())
    client.force_login(filled.unit.supervisor)
    queued = client.get(reverse("reports:draft_download", args=[report.pk, "pdf"]))
    job = Job.objects.get(name=background.RENDER_JOB)
    assert queued.url == reverse("reports:file_job", args=[report.pk, job.pk])
    file_url = reverse("reports:job_file", args=[report.pk, job.pk])
    assert client.get(file_url).status_code == 404  # not made yet
    assert queue.run_due(names=[background.RENDER_JOB]).done == 1
    page = client.get(queued.url).content.decode()
    assert "下载 PDF 文件" in page and file_url in page and "hx-get" not in page  # ended: no more polling
    pdf = client.get(file_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == b"%PDF-1.7 " + report.title.encode()
    assert "%E8%8D%89%E7%A8%BF" in pdf["Content-Disposition"]  # （草稿）


def test_only_readers_of_the_report_see_its_file_job(client, world, filled, report, monkeypatch) -> None:
    monkeypatch.setattr(background, "render", lambda content, fmt: b"%PDF-1.7")
    client.force_login(filled.unit.office_staff)
    queued = client.get(reverse("reports:draft_download", args=[report.pk, "pdf"]))
    queue.run_due(names=[background.RENDER_JOB])
    job = Job.objects.get(name=background.RENDER_JOB)
    file_url = reverse("reports:job_file", args=[report.pk, job.pk])
    client.force_login(world.units[1].office_staff)
    assert client.get(queued.url).status_code == 404
    assert client.get(file_url).status_code == 404
    client.force_login(filled.unit.dept_handler)
    assert client.get(queued.url).status_code == 403
    assert client.get(file_url).status_code == 403


def test_a_generation_job_is_only_for_the_units_office(client, world, filled, settings) -> None:
    settings.RECTIFY_REPORT_INLINE_TASKS = 1
    unit = filled.unit
    client.force_login(unit.office_staff)
    queued = client.post(reverse("reports:generate", args=[unit.inspection.pk]), {"kind": "internal"})
    client.force_login(world.units[1].office_staff)
    assert client.get(queued.url).status_code == 404
    job = Job.objects.get(name=background.GENERATE_JOB)
    assert client.get(reverse("reports:generate_job", args=[world.units[1].inspection.pk, job.pk])).status_code == 404
    client.force_login(unit.supervisor)
    assert client.get(queued.url).status_code == 403
