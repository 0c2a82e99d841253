"""PDF output: `rectify report --format pdf` and the PDF download, through LibreOffice when installed,
and a clear Chinese message when it is not."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from rectify.jobs import queue
from rectify.reports import pdf, services
from rectify.reports.jobs import RENDER_JOB

needs_libreoffice = pytest.mark.skipif(
    pdf.soffice() is None, reason="LibreOffice not installed (scripts/setup.sh --test installs it)"
)


@pytest.fixture
def without_libreoffice(monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)


@needs_libreoffice
def test_report_writes_a_pdf_notice(filled, tmp_path) -> None:
    out = tmp_path / "notice.pdf"
    call_command("report", str(filled.unit.inspection.pk), "--format", "pdf", "-o", str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "整改工作基本情况" in text.replace(" ", "")


def test_report_pdf_without_libreoffice_says_so_in_chinese(filled, tmp_path, without_libreoffice) -> None:
    with pytest.raises(CommandError, match="未安装 LibreOffice"):
        call_command("report", str(filled.unit.inspection.pk), "--format", "pdf", "-o", str(tmp_path / "n.pdf"),
                     stdout=io.StringIO())
    assert not (tmp_path / "n.pdf").exists()


@needs_libreoffice
def test_pdf_download_of_the_draft(client, filled) -> None:
    unit = filled.unit
    report = services.generate_report(unit.office_staff, unit.inspection, "notice")
    client.force_login(unit.office_staff)
    # LibreOffice may take seconds: the worker makes the PDF, the page that follows it offers it.
    page = client.get(reverse("reports:draft_download", args=[report.pk, "pdf"]))
    assert queue.run_due(names=[RENDER_JOB]).done == 1
    offered = client.get(page.url)
    (link,) = re.findall(r'href="([^"]+/file)"', offered.content.decode())
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_download_without_libreoffice_explains_on_the_report_page(client, filled, without_libreoffice) -> None:
    unit = filled.unit
    report = services.generate_report(unit.office_staff, unit.inspection, "notice")
    client.force_login(unit.office_staff)
    page = client.get(reverse("reports:draft_download", args=[report.pk, "pdf"]))
    queue.run_due(names=[RENDER_JOB])
    response = client.get(page.url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("reports:detail", args=[report.pk])
    assert "服务器未安装 LibreOffice，无法生成 PDF" in response.content.decode()
