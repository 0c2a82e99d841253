"""Evidence uploads: size limit, type by content, safe names, random storage names, scoped download."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectify.errors import ValidationFailed
from rectify.ledger import services as ledger
from rectify.ledger.models import Evidence, Progress
from rectify.ledger.services.evidence import Upload, add_evidence
from tests.factories import PDF, make_task
from tests.security.deployment import db_counts

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("整改方案")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def task(unit):
    return make_task(unit)


def upload(unit, task, name: str, data: bytes) -> Evidence:
    return add_evidence(unit.dept_handler, task, Upload(name=name, data=data))


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_file_over_the_size_limit_is_refused(unit, task, settings):
    settings.RECTIFY_UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationFailed, match="超过大小上限 1 MB"):
        upload(unit, task, "大文件.pdf", PDF + b"0" * (1024 * 1024))
    assert not Evidence.objects.exists()
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_exe_renamed_pdf_is_refused(unit, task):
    with pytest.raises(ValidationFailed, match="类型不受支持"):
        upload(unit, task, "整改报告.pdf", EXE)
    assert not Evidence.objects.exists()


def test_docx_renamed_pdf_is_accepted_as_docx(unit, task):
    evidence = upload(unit, task, "整改方案.pdf", docx_bytes())
    assert evidence.content_type.endswith("wordprocessingml.document")
    assert evidence.original_name.endswith(".docx")


def test_html_is_kept_as_plain_text(unit, task):
    evidence = upload(unit, task, "说明.html", b"<html><script>alert(1)</script></html>")
    assert evidence.content_type == "text/plain" and evidence.original_name.endswith(".txt")


@pytest.mark.parametrize(("name", "expected"), [
    ("../../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\佐证.pdf", "佐证.pdf"),
    ("/var/www/static/x.pdf", "x.pdf"),
    ("会议\x00纪要\r\n.pdf", "会议_纪要_.pdf"),
    ("", "file.pdf"),
    ("...", "file.pdf"),
])
def test_names_are_cleaned_of_paths_and_control_characters(unit, task, name, expected):
    assert upload(unit, task, name, PDF).original_name == expected


def test_very_long_names_are_shortened(unit, task):
    name = upload(unit, task, "很长的文件名" * 200 + ".pdf", PDF).original_name
    assert len(name) <= 110 and name.endswith(".pdf")


def test_bidi_override_characters_are_removed(unit, task):
    name = upload(unit, task, "报告\u202egpj.pdf", PDF).original_name
    assert "\u202e" not in name


def test_files_are_stored_under_random_names_outside_the_static_root(unit, task, settings):
    first = upload(unit, task, "../方案.pdf", PDF)
    second = upload(unit, task, "../方案.pdf", PDF)
    media = Path(settings.MEDIA_ROOT).resolve()
    for evidence in (first, second):
        path = Path(evidence.file.path).resolve()
        assert media in path.parents
        assert "方案" not in path.name and path.suffix == ""
        assert Path(django_settings.STATIC_ROOT).resolve() not in path.parents
    assert first.file.name != second.file.name


def test_download_is_scoped_attachment_with_nosniff(client, unit, other, task):
    evidence = upload(unit, task, "说明.html", b"<html><script>alert(1)</script></html>")
    url = reverse("ledger:evidence", args=[evidence.pk])
    client.force_login(unit.dept_handler)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(other.office_staff)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_media_url_serves_nothing(client, unit, task):
    evidence = upload(unit, task, "方案.pdf", PDF)
    client.force_login(unit.office_staff)
    assert client.get(f"{django_settings.MEDIA_URL}{evidence.file.name}").status_code == 404


def test_refused_file_in_a_progress_report_writes_no_row(client, unit, task):
    client.force_login(unit.dept_handler)
    before = db_counts()
    files = [SimpleUploadedFile("方案.pdf", PDF), SimpleUploadedFile("病毒.pdf", EXE)]
    response = client.post(reverse("ledger:task_action", args=[task.pk, "progress"]),
                           {"text": "已完成", "files": files}, follow=True)
    assert "类型不受支持" in response.content.decode()
    assert db_counts() == before
    assert not Progress.objects.filter(task=task).exists()


def test_refused_file_in_a_progress_report_leaves_no_file(unit, task, settings):
    with pytest.raises(ValidationFailed):
        ledger.report_progress(unit.dept_handler, task, text="已完成",
                               files=[Upload(name="方案.pdf", data=PDF), Upload(name="病毒.pdf", data=EXE)])
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_oversized_request_is_refused_before_it_is_read(client, unit, task, settings):
    settings.RECTIFY_REQUEST_MAX_BYTES = 1024 * 1024
    client.force_login(unit.dept_handler)
    response = client.post(reverse("ledger:task_action", args=[task.pk, "progress"]), {"text": "x"},
                           CONTENT_LENGTH=str(2 * 1024 * 1024))
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert not Progress.objects.exists()


def test_action_does_not_redirect_off_site(client, unit, task):
    client.force_login(unit.dept_handler)
    response = client.post(reverse("ledger:task_action", args=[task.pk, "start"]), {"next": "//evil.example/"})
    assert not response["Location"].startswith("//")
