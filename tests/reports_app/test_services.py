"""Report services: generate, regenerate, edit a section, publish a frozen version, compare."""

from __future__ import annotations

import io

import pytest
from docx import Document

from rectify.audit.models import AuditEvent
from rectify.errors import Forbidden, InvalidTransition, NotVisible, StaleWrite, ValidationFailed
from rectify.reports import services
from rectify.reports.models import Report, ReportVersion, content_hash
from rectify.reports.rendering import render_docx
from tests.reports_app.conftest import SECRETS


@pytest.fixture
def notice_report(filled) -> Report:
    return services.generate_report(filled.unit.office_staff, filled.unit.inspection, "notice")


def test_generate_writes_sections_and_an_audit_event(notice_report) -> None:
    keys = list(notice_report.sections.values_list("key", flat=True))
    assert keys == ["opening", "basics", "findings", "next_steps", "contact"]
    assert notice_report.sections.get(key="basics").heading == "一、整改工作基本情况"
    assert AuditEvent.objects.filter(action="report.generate", object_id=str(notice_report.pk)).exists()


def test_regenerate_refreshes_the_draft_and_keeps_section_ids(filled, notice_report) -> None:
    section = notice_report.sections.get(key="basics")
    services.update_section(filled.unit.office_staff, section, heading=section.heading, body="手写的段落",
                            expected_version=section.version)
    again = services.generate_report(filled.unit.office_staff, filled.unit.inspection, "notice")
    refreshed = again.sections.get(key="basics")
    assert again.pk == notice_report.pk and refreshed.pk == section.pk
    assert "4项整改任务中已完成2项" in refreshed.body and not refreshed.edited


def test_only_the_office_generates(world, filled) -> None:
    unit = filled.unit
    with pytest.raises(Forbidden):
        services.generate_report(unit.leader, unit.inspection, "notice")
    with pytest.raises(NotVisible):
        services.generate_report(unit.office_staff, world.units[1].inspection, "notice")


def test_stale_section_edit_is_refused(filled, notice_report) -> None:
    section = notice_report.sections.get(key="next_steps")
    seen = section.version
    services.update_section(filled.unit.office_staff, section, heading=section.heading, body="第一人修改",
                            expected_version=seen)
    with pytest.raises(StaleWrite, match="已被他人修改"):
        services.update_section(filled.unit.office_staff, section, heading=section.heading, body="第二人修改",
                                expected_version=seen)
    section.refresh_from_db()
    assert section.body == "第一人修改"


def test_publish_freezes_a_version_with_its_hash(filled, notice_report) -> None:
    version = services.publish_report(filled.unit.leader, notice_report)
    assert version.number == 1 and version.sha256 == content_hash(version.content) and version.is_intact()
    assert "4项整改任务中已完成2项" in version.text
    notice_report.refresh_from_db()
    assert notice_report.status == Report.Status.PUBLISHED
    event = AuditEvent.objects.get(action="report.publish")
    assert event.after["sha256"] == version.sha256


def test_published_version_refuses_changes(filled, notice_report) -> None:
    version = services.publish_report(filled.unit.office_staff, notice_report)
    version.title = "改过的标题"
    with pytest.raises(RuntimeError):
        version.save()
    with pytest.raises(RuntimeError):
        version.delete()
    with pytest.raises(RuntimeError):
        ReportVersion.objects.filter(pk=version.pk).update(title="改过的标题")
    with pytest.raises(RuntimeError):
        ReportVersion.objects.filter(pk=version.pk).delete()
    assert ReportVersion.objects.get(pk=version.pk).title != "改过的标题"


def test_edits_after_publishing_leave_the_version_untouched(filled, notice_report) -> None:
    version = services.publish_report(filled.unit.office_staff, notice_report)
    section = notice_report.sections.get(key="next_steps")
    services.update_section(filled.unit.office_staff, section, heading=section.heading, body="新的打算",
                            expected_version=section.version)
    assert "新的打算" not in ReportVersion.objects.get(pk=version.pk).text
    second = services.publish_report(filled.unit.office_staff, notice_report)
    assert second.number == 2 and "新的打算" in second.text


def test_publishing_unchanged_content_again_is_refused(filled, notice_report) -> None:
    services.publish_report(filled.unit.office_staff, notice_report)
    with pytest.raises(InvalidTransition, match="没有修改"):
        services.publish_report(filled.unit.office_staff, notice_report)


def test_publishing_a_draft_edited_after_confirmation_is_refused(filled, notice_report) -> None:
    confirmed = notice_report.version
    section = notice_report.sections.get(key="next_steps")
    services.update_section(filled.unit.office_staff, section, heading="", body="确认后的修改",
                            expected_version=section.version)
    with pytest.raises(StaleWrite):
        services.publish_report(filled.unit.leader, notice_report, expected_version=confirmed)
    assert not ReportVersion.objects.exists()


def test_leader_report_is_published_by_the_leader_only(filled) -> None:
    unit = filled.unit
    report = services.generate_report(unit.office_staff, unit.inspection, "leader")
    with pytest.raises(Forbidden):
        services.publish_report(unit.office_staff, report)
    assert services.publish_report(unit.leader, report).number == 1


@pytest.mark.parametrize("who", ["supervisor", "dept_handler"])
def test_other_roles_cannot_publish(filled, notice_report, who) -> None:
    with pytest.raises(Forbidden):
        services.publish_report(getattr(filled.unit, who), notice_report)


def test_section_length_is_limited(filled, notice_report) -> None:
    section = notice_report.sections.first()
    with pytest.raises(ValidationFailed, match="不能超过"):
        services.update_section(filled.unit.office_staff, section, heading="标" * 201, body="",
                                expected_version=section.version)


def test_diff_shows_changed_sections_side_by_side(filled, notice_report) -> None:
    first = services.publish_report(filled.unit.office_staff, notice_report)
    section = notice_report.sections.get(key="next_steps")
    lines = section.body.split("\n")
    services.update_section(filled.unit.office_staff, section, heading=section.heading,
                            body="\n".join([lines[0], "新增一条打算。", *lines[1:]]), expected_version=section.version)
    second = services.publish_report(filled.unit.office_staff, notice_report)
    diff = {d.heading: d for d in services.diff_versions(first, second)}
    assert diff["三、下一步工作打算"].status == "changed"
    assert diff["一、整改工作基本情况"].status == "same"
    inserted = [r for r in diff["三、下一步工作打算"].rows if r.tag == "insert"]
    assert [(r.left, r.right) for r in inserted] == [("", "新增一条打算。")]


def test_internal_report_docx_has_the_task_table(filled) -> None:
    from rectify.reports.selectors import draft_content

    report = services.generate_report(filled.unit.office_staff, filled.unit.inspection, "internal")
    document = Document(io.BytesIO(render_docx(draft_content(report))))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "建立学习督查机制" in cells and "整改任务" in cells
    # Internal reports keep exempt tasks, marked as such.
    assert any(SECRETS[1] in c and "不予公开" in c for c in cells)
