"""Office pages: every persona × endpoint, own unit and another unit's report (404/403/200)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.urls import NoReverseMatch, reverse
from docx import Document

from rectify import clock
from rectify.reports import services
from rectify.reports.models import Feedback, Report, ReportVersion


@dataclass
class Published:
    report: Report
    first: ReportVersion
    second: ReportVersion
    feedback: Feedback


@pytest.fixture
def published(filled) -> Published:
    unit = filled.unit
    report = services.generate_report(unit.office_staff, unit.inspection, "notice")
    first = services.publish_report(unit.office_staff, report)
    section = report.sections.get(key="next_steps")
    services.update_section(unit.office_staff, section, heading=section.heading, body="修改后的打算。",
                            expected_version=section.version)
    second = services.publish_report(unit.leader, report)
    feedback = Feedback.objects.create(report=report, unit=unit.org, message="请公开更多细节")
    return Published(report, first, second, feedback)


PERSONAS = ("office_staff", "leader", "supervisor", "dept_handler", "inspection_office", "outsider")


def persona(world, name: str):
    if name == "inspection_office":
        return world.inspection_office
    if name == "outsider":
        return world.units[1].office_staff
    return getattr(world.units[0], name)


def urls(p: Published) -> dict[str, tuple[str, str, dict]]:
    r, s = p.report, p.report.sections.first()
    return {
        "inspection": ("get", reverse("reports:inspection", args=[r.inspection_id]), {}),
        "detail": ("get", reverse("reports:detail", args=[r.pk]), {}),
        "versions": ("get", reverse("reports:versions", args=[r.pk]), {}),
        "version": ("get", reverse("reports:version", args=[r.pk, 1]), {}),
        "compare": ("get", reverse("reports:compare", args=[r.pk]) + "?a=1&b=2", {}),
        "docx": ("get", reverse("reports:download", args=[r.pk, 1, "docx"]), {}),
        "html": ("get", reverse("reports:download", args=[r.pk, 1, "html"]), {}),
        "txt": ("get", reverse("reports:download", args=[r.pk, 1, "txt"]), {}),
        "draft": ("get", reverse("reports:draft_download", args=[r.pk, "docx"]), {}),
        "draft_txt": ("get", reverse("reports:draft_download", args=[r.pk, "txt"]), {}),
        "generate": ("post", reverse("reports:generate", args=[r.inspection_id]), {"kind": "internal"}),
        "section_form": ("get", reverse("reports:section", args=[r.pk, s.pk]), {}),
        "section": ("post", reverse("reports:section", args=[r.pk, s.pk]),
                    {"heading": s.heading, "body": "新正文", "version": s.version}),
        "rename": ("post", reverse("reports:rename", args=[r.pk]),
                   {"title": r.title, "signer": "新署名", "version": r.version}),
        "publish_page": ("get", reverse("reports:publish", args=[r.pk]), {}),
        "handle": ("post", reverse("reports:handle", args=[p.feedback.pk]), {"note": "已回复"}),
    }


# A report covers every task and lead of the unit: a department, which sees only its own, is refused (403).
VIEW = {"office_staff": 200, "leader": 200, "supervisor": 200, "dept_handler": 403, "inspection_office": 200,
        "outsider": 404}
EDIT = {"office_staff": 200, "leader": 403, "supervisor": 403, "dept_handler": 403, "inspection_office": 403,
        "outsider": 404}
PUBLISH = {**EDIT, "leader": 200}
EXPECTED = {
    **{name: VIEW for name in ("inspection", "detail", "versions", "version", "compare", "docx", "html", "txt", "draft",
                                  "draft_txt")},
    "section_form": EDIT, "generate": {**EDIT, "office_staff": 302}, "section": {**EDIT, "office_staff": 302},
    "rename": {**EDIT, "office_staff": 302}, "publish_page": PUBLISH, "handle": {**EDIT, "office_staff": 302},
}


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
@pytest.mark.parametrize("who", PERSONAS)
def test_permission_matrix(client, world, published, endpoint, who) -> None:
    client.force_login(persona(world, who))
    method, url, data = urls(published)[endpoint]
    response = getattr(client, method)(url, data)
    assert response.status_code == EXPECTED[endpoint][who]


def test_far_unit_under_another_office_sees_nothing(client, world, published) -> None:
    client.force_login(world.far.office_staff)
    for method, url, data in urls(published).values():
        assert getattr(client, method)(url, data).status_code == 404


def test_anonymous_is_sent_to_login(client, published) -> None:
    try:
        reverse("login")
    except NoReverseMatch:
        pytest.skip("the login page is not wired yet")
    response = client.get(reverse("reports:detail", args=[published.report.pk]))
    assert response.status_code == 302


def test_downloads_open_in_their_format(client, world, published) -> None:
    client.force_login(world.units[0].supervisor)
    docx = client.get(reverse("reports:download", args=[published.report.pk, 2, "docx"]))
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "修改后的打算。" in paragraphs
    text = client.get(reverse("reports:download", args=[published.report.pk, 1, "txt"])).content.decode()
    assert text.startswith("省委统战部\n关于十一届省委第八轮巡视整改进展情况的通报") and "修改后的打算" not in text
    html = client.get(reverse("reports:download", args=[published.report.pk, 1, "html"]))
    assert html["Content-Type"].startswith("text/html") and "<script" not in html.content.decode()


def test_unknown_format_and_version_are_404(client, world, published) -> None:
    client.force_login(world.units[0].office_staff)
    assert client.get(reverse("reports:download", args=[published.report.pk, 1, "exe"])).status_code == 404
    assert client.get(reverse("reports:version", args=[published.report.pk, 9])).status_code == 404


def test_generate_then_edit_then_publish_through_the_pages(client, world, filled) -> None:
    unit = world.units[0]
    client.force_login(unit.office_staff)
    response = client.post(reverse("reports:generate", args=[unit.inspection.pk]), {"kind": "notice"})
    report = Report.objects.get(inspection=unit.inspection, kind="notice")
    assert response.url == reverse("reports:detail", args=[report.pk])
    section = report.sections.get(key="next_steps")
    client.post(reverse("reports:section", args=[report.pk, section.pk]),
                {"heading": section.heading, "body": "页面上写的打算。", "version": section.version})
    report.refresh_from_db()
    page = client.get(reverse("reports:publish", args=[report.pk]))
    assert "页面上写的打算。" in page.content.decode()
    client.post(reverse("reports:publish", args=[report.pk]), {"version": report.version})
    assert ReportVersion.objects.get(report=report).text.count("页面上写的打算。") == 1


def test_stale_section_form_shows_a_conflict(client, world, filled) -> None:
    unit = world.units[0]
    report = services.generate_report(unit.office_staff, unit.inspection, "notice")
    section = report.sections.get(key="basics")
    client.force_login(unit.office_staff)
    url = reverse("reports:section", args=[report.pk, section.pk])
    client.post(url, {"heading": section.heading, "body": "甲的修改", "version": section.version})
    response = client.post(url, {"heading": section.heading, "body": "乙的修改", "version": section.version})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    section.refresh_from_db()
    assert section.body == "甲的修改"


def test_publish_confirmation_refuses_a_stale_draft(client, world, filled) -> None:
    unit = world.units[0]
    report = services.generate_report(unit.office_staff, unit.inspection, "notice")
    confirmed = report.version
    section = report.sections.get(key="contact")
    services.update_section(unit.office_staff, section, heading="", body="改过的联系方式", expected_version=section.version)
    client.force_login(unit.leader)
    response = client.post(reverse("reports:publish", args=[report.pk]), {"version": confirmed})
    assert response.status_code == 409 and not ReportVersion.objects.exists()


def test_compare_page_shows_both_sides(client, world, published) -> None:
    client.force_login(world.units[0].office_staff)
    page = client.get(reverse("reports:compare", args=[published.report.pk]) + "?a=1&b=2").content.decode()
    assert "<ins>修改后的打算。</ins>" in page and "<del>" in page


def test_inspection_page_lists_reports_in_bounded_queries(client, world, published, django_assert_max_num_queries) -> None:
    client.force_login(world.units[0].office_staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("reports:inspection", args=[published.report.inspection_id]))
    assert "第 2 版" in response.content.decode()


def test_inbox_shows_only_own_units_feedback(client, world, published) -> None:
    client.force_login(world.units[1].office_staff)
    assert "请公开更多细节" not in client.get(reverse("reports:inbox")).content.decode()
    client.force_login(world.units[0].office_staff)
    assert "请公开更多细节" in client.get(reverse("reports:inbox")).content.decode()
    client.force_login(world.units[0].leader)
    assert client.get(reverse("reports:inbox")).status_code == 403


def test_marking_feedback_handled(client, world, published) -> None:
    client.force_login(world.units[0].office_staff)
    client.post(reverse("reports:handle", args=[published.feedback.pk]), {"note": "已电话回复"})
    published.feedback.refresh_from_db()
    assert published.feedback.status == "handled" and published.feedback.handled_at <= clock.now()
    assert published.feedback.note == "已电话回复"
