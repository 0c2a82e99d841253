"""Evidence downloads: scoped like the task, always an attachment, never sniffed or run by the browser."""

from __future__ import annotations

from urllib.parse import quote

from rectify.ledger import services as ledger
from rectify.ledger.services.evidence import Upload
from tests.factories import PDF, evidence, make_task


def attach(unit, upload):
    task = make_task(unit)
    ledger.report_progress(unit.dept_handler, task, text="已完成", files=[upload])
    return task.evidence.get()


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_is_an_attachment_with_its_name_and_type(world, as_user):
    unit = world.units[0]
    item = attach(unit, evidence("整改佐证材料.pdf"))
    response = as_user(unit.co_handler, scope="read").get(f"/evidence/{item.pk}/download")
    assert response.status_code == 200
    assert body_of(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and quote("整改佐证材料.pdf") in disposition


def test_html_upload_comes_back_as_plain_text_attachment(world, as_user):
    unit = world.units[0]
    item = attach(unit, Upload(name="说明.html", data=b"<script>alert(document.cookie)</script>"))
    response = as_user(unit.office_staff, scope="read").get(f"/evidence/{item.pk}/download")
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_another_units_evidence_is_not_found(world, as_user):
    unit, other = world.units
    foreign = attach(other, evidence())
    response = as_user(unit.office_staff, scope="read").get(f"/evidence/{foreign.pk}/download")
    missing = as_user(unit.office_staff, scope="read").get(f"/evidence/{foreign.pk + 1000}/download")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()


def test_department_outside_the_task_cannot_download(world, as_user):
    from rectify.organizations.models import Role
    from tests.factories import person

    unit = world.units[0]
    item = attach(unit, evidence())
    outsider = person(unit.departments[2], Role.DEPARTMENT)
    assert as_user(outsider, scope="read").get(f"/evidence/{item.pk}/download").status_code == 404


def test_lost_file_is_reported_not_crashed(world, as_user):
    unit = world.units[0]
    item = attach(unit, evidence())
    item.file.storage.delete(item.file.name)
    response = as_user(unit.office_staff, scope="read").get(f"/evidence/{item.pk}/download")
    assert response.status_code == 404 and response.json()["code"] == "file_missing"
