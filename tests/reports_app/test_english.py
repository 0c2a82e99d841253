"""Report pages and the public portal in English: the interface follows the chosen language, the reports
themselves (drafts, published versions, downloads) stay the Chinese official documents they are."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from rectify import clock
from rectify.reports import services
from rectify.reports.models import Feedback, Report


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """A request in English leaves English active in this thread: give the next test the default back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def notice(filled) -> Report:
    unit = filled.unit
    report = services.generate_report(unit.office_staff, unit.inspection, "notice")
    services.publish_report(unit.leader, report)
    return report


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


# --- the public portal ------------------------------------------------------------------------------


def test_portal_index_in_english(english, notice) -> None:
    html = page(english, reverse("portal:index"))
    assert '<html lang="en">' in html
    assert '<h1 class="portal-h1">Rectification progress notice</h1>' in html
    assert "Inspection rectification progress disclosure" in html
    assert "巡视巡察整改进展情况公开" not in html
    # The notice's own title is the published text: it stays as it was written.
    assert notice.title in html


def test_portal_index_is_chinese_by_default(client, notice) -> None:
    html = page(client, reverse("portal:index"))
    assert '<html lang="zh-CN">' in html
    assert '<h1 class="portal-h1">整改进展情况通报</h1>' in html
    assert "Rectification progress" not in html


def test_empty_portal_in_english(english, db) -> None:
    html = page(english, reverse("portal:index"))
    assert "No rectification progress notices have been published yet." in html
    assert "目前还没有发布的整改进展情况通报" not in html


def test_portal_notice_chrome_is_english_and_the_notice_stays_chinese(english, notice) -> None:
    html = page(english, reverse("portal:notice", args=[notice.pk]))
    for text in ("Comments and suggestions", "Send comments", "Full name (optional)", "Contact details (optional)",
                 "Word document", "Plain text", "Phone", "Postcode"):
        assert text in html
    assert ">提交意见</button>" not in html and '<h2 id="feedback-h">意见建议</h2>' not in html
    assert "<dt>联系电话</dt>" not in html
    # The document itself: Chinese text, marked as Chinese inside an English page.
    assert '<article class="official-document" lang="zh-CN">' in html
    assert "4项整改任务中已完成2项" in html


def test_portal_notice_is_chinese_by_default(client, notice) -> None:
    html = page(client, reverse("portal:notice", args=[notice.pk]))
    assert ">提交意见</button>" in html and "<dt>联系电话</dt>" in html and "Send comments" not in html


def _send(client, report: Report, **fields: str):
    form = page(client, reverse("portal:notice", args=[report.pk]))
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    data = {"name": "", "contact": "", "message": "建议公开整改台账的更多细节", "website": "", "token": token, **fields}
    with clock.frozen(clock.now() + dt.timedelta(seconds=30)):
        return client.post(reverse("portal:notice", args=[report.pk]), data, REMOTE_ADDR="10.0.0.9")


def test_feedback_errors_and_thanks_in_english(english, notice) -> None:
    refused = _send(english, notice, message="")
    assert refused.status_code == 400
    assert "Please fill in “Comment text”." in refused.content.decode()
    assert not Feedback.objects.exists()
    thanks = _send(english, notice).content.decode()
    assert "Comments received" in thanks and "Reference number" in thanks
    assert "意见已收到" not in thanks
    assert Feedback.objects.get().reference in thanks


def test_feedback_errors_stay_chinese_by_default(client, notice) -> None:
    assert "请填写「意见内容」" in _send(client, notice, message="").content.decode()


# --- office pages -----------------------------------------------------------------------------------


@pytest.fixture
def office(english, world, notice):
    english.force_login(world.units[0].office_staff)
    return english


def test_inspection_reports_page_in_english(office, notice) -> None:
    html = page(office, reverse("reports:inspection", args=[notice.inspection_id]))
    assert "<h1>Rectification reports: " in html
    assert "Generate from the ledger" in html and "Version 1" in html
    assert "Submission deadlines" in html and "due by" in html
    assert "整改报告：" not in html and "根据台账生成" not in html and "第 1 版" not in html


def test_report_detail_in_english(office, notice) -> None:
    html = page(office, reverse("reports:detail", args=[notice.pk]))
    assert "<h1>Rectification progress notice (Published)</h1>" in html
    assert "Edit section by section" in html and "Save section" in html and "Section heading" in html
    assert "逐节编辑" not in html and "保存本节" not in html
    # The preview is the report as it will be published: Chinese.
    assert "4项整改任务中已完成2项" in html


def test_versions_compare_and_version_pages_in_english(office, filled, notice) -> None:
    section = notice.sections.get(key="next_steps")
    services.update_section(filled.unit.office_staff, section, heading=section.heading, body="修改后的打算。",
                            expected_version=section.version)
    services.publish_report(filled.unit.leader, notice)
    versions = page(office, reverse("reports:versions", args=[notice.pk]))
    assert "<h1>Published versions</h1>" in versions and "Compare selected versions" in versions
    compare = page(office, reverse("reports:compare", args=[notice.pk]) + "?a=1&b=2")
    assert "<h1>Compare versions</h1>" in compare and "Version 1 → version 2" in compare
    assert "(changed)" in compare and "<ins>修改后的打算。</ins>" in compare
    assert "版本比较" not in compare and "（有修改）" not in compare
    version = page(office, reverse("reports:version", args=[notice.pk, 2]))
    assert "(version 2)</h1>" in version and "Published by " in version
    assert "发布于" not in version


def test_section_and_publish_pages_in_english(office, notice) -> None:
    section = notice.sections.first()
    edit = page(office, reverse("reports:section", args=[notice.pk, section.pk]))
    assert "<h1>Edit section: " in edit and "编辑章节" not in edit
    publish = page(office, reverse("reports:publish", args=[notice.pk]))
    assert "<h1>Confirm publication</h1>" in publish and "disclosure site" in publish
    assert "确认发布" not in publish


def test_stale_edit_is_explained_in_english(office, notice) -> None:
    section = notice.sections.get(key="basics")
    url = reverse("reports:section", args=[notice.pk, section.pk])
    office.post(url, {"heading": section.heading, "body": "甲的修改", "version": section.version})
    response = office.post(url, {"heading": section.heading, "body": "乙的修改", "version": section.version})
    assert response.status_code == 409
    assert "Someone else has changed section" in response.content.decode()


def test_inbox_in_english(office, notice) -> None:
    Feedback.objects.create(report=notice, unit=notice.inspection.target, message="请公开更多细节")
    html = page(office, reverse("reports:inbox"))
    assert "<h1>Public feedback</h1>" in html and "Mark as handled" in html and "Pending" in html
    assert "Name: (not given); contact details: (not given)" in html
    assert "标记为已处理" not in html and "待处理" not in html
    assert "请公开更多细节" in html


def test_flash_message_in_english_and_the_generated_report_in_chinese(office, world) -> None:
    unit = world.units[0]
    response = office.post(reverse("reports:generate", args=[unit.inspection.pk]), {"kind": "internal"}, follow=True)
    html = response.content.decode()
    assert "generated from the latest ledger data" in html
    report = Report.objects.get(inspection=unit.inspection, kind="internal")
    # The draft written while the page was in English is the same Chinese document as the command line's.
    with translation.override("en"):
        in_english = services.build_draft(unit.inspection, "internal")
    in_chinese = services.build_draft(unit.inspection, "internal")
    assert in_english == in_chinese
    assert [s.body for s in report.sections.order_by("position")] == [s.body for s in in_chinese.sections]


def test_office_page_is_chinese_by_default(client, world, notice) -> None:
    client.force_login(world.units[0].office_staff)
    html = page(client, reverse("reports:detail", args=[notice.pk]))
    assert "<h1>整改进展情况通报（已发布）</h1>" in html and "逐节编辑" in html
    assert "Edit section by section" not in html


# --- the catalogue ----------------------------------------------------------------------------------
