"""修改反馈问题: the edit form shows the chosen finding's current number, title, content and category."""

from __future__ import annotations

from django.urls import reverse

from rectify.inspections import services as inspections
from rectify.inspections.models import Finding
from tests.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def recommendation(unit):
    return inspections.add_finding(unit.office_staff, unit.inspection, parent=unit.aspect, label="2.",
                                   title="理论学习中心组学习流于形式", text="全年集中学习不足 6 次，研讨发言照本宣科",
                                   kind=Finding.Kind.RECOMMENDATION)


def test_the_row_link_opens_the_form_filled_with_the_findings_values(client, unit):
    finding = recommendation(unit)
    login(client, unit.office_staff)
    url = reverse("ledger:findings", args=[unit.inspection.pk])
    page = client.get(url).content.decode()
    assert f'href="?finding={finding.pk}#edit-finding"' in page
    page = client.get(url, {"finding": finding.pk}).content.decode()
    assert '<details id="edit-finding" open>' in page
    assert f'<option value="{finding.pk}" selected>' in page
    assert 'name="label" maxlength="16" value="2."' in page
    assert ">理论学习中心组学习流于形式</textarea>" in page
    assert ">全年集中学习不足 6 次，研讨发言照本宣科</textarea>" in page
    assert '<option value="recommendation" selected>' in page


def test_choosing_a_finding_through_htmx_returns_the_filled_form_alone(client, unit):
    finding = recommendation(unit)
    login(client, unit.office_staff)
    response = client.get(reverse("ledger:findings", args=[unit.inspection.pk]), {"finding": finding.pk},
                          HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith('<form id="edit-finding-form"') and "<html" not in body
    assert ">理论学习中心组学习流于形式</textarea>" in body


def test_saving_the_filled_form_changes_content_and_category(client, unit):
    finding = recommendation(unit)
    login(client, unit.office_staff)
    done = client.post(reverse("ledger:edit_finding", args=[unit.inspection.pk]), {
        "finding": finding.pk, "shown": finding.pk, "label": "2.", "kind": "problem",
        "title": "理论学习中心组学习流于形式", "text": "全年集中学习仅 4 次"}, follow=True)
    assert "问题已修改" in done.content.decode()
    finding.refresh_from_db()
    assert (finding.label, finding.kind, finding.text) == ("2.", "problem", "全年集中学习仅 4 次")


def test_a_form_that_showed_no_finding_only_renames(client, unit):
    finding = recommendation(unit)
    login(client, unit.office_staff)
    client.post(reverse("ledger:edit_finding", args=[unit.inspection.pk]), {
        "finding": finding.pk, "kind": "problem", "title": "理论学习流于形式", "text": ""})
    finding.refresh_from_db()
    assert finding.title == "理论学习流于形式"
    assert (finding.kind, finding.text) == ("recommendation", "全年集中学习不足 6 次，研讨发言照本宣科")


def test_a_supervisor_sees_no_edit_form_and_no_values(client, unit):
    login(client, unit.supervisor)
    page = client.get(reverse("ledger:findings", args=[unit.inspection.pk]), {"finding": unit.finding.pk})
    assert page.status_code == 200
    assert "edit-finding-form" not in page.content.decode()
