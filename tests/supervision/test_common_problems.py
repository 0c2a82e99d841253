"""共性问题 in the background: the worker analyses, later runs read only new findings, and the page
shows the last result while it polls for the run under way."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rectify.inspections import services as inspections
from rectify.jobs import queue
from rectify.jobs.models import Job
from rectify.supervision import selectors
from rectify.supervision.services.problems import JOB, analyse_common_problems

TITLE = "落实中央八项规定精神不到位，公务接待超标准"


@pytest.fixture
def similar(sw):
    for index, title in ((0, TITLE), (1, "落实中央八项规定精神不到位、公务接待超标准问题"), (0, "选人用人把关不严")):
        unit = sw.units[index]
        inspections.add_finding(unit.office_staff, unit.inspection, title=title, parent=unit.aspect)
    return sw


def test_a_later_run_reads_only_the_findings_added_since(similar) -> None:
    notes: list[str] = []
    analyse_common_problems(0.5)
    analyse_common_problems(0.5, progress=lambda percent, note: notes.append(note))
    assert notes == []  # nothing new: no finding read again, the summary stands
    far = similar.units[1]
    inspections.add_finding(far.office_staff, far.inspection, title="选人用人把关不严格", parent=far.aspect)
    notes.clear()
    analyse_common_problems(0.5, progress=lambda percent, note: notes.append(note))
    assert notes == ["1/1", "summary"]
    titles = {c.title for c in selectors.common_problems(similar.inspection_office)}
    assert any("选人用人" in t for t in titles) and any("八项规定" in t for t in titles)


def test_a_deleted_finding_leaves_the_summary_at_the_next_run(similar) -> None:
    analyse_common_problems(0.5)
    (cluster,) = [c for c in selectors.common_problems(similar.inspection_office) if "八项规定" in c.title]
    from rectify.inspections.models import Finding

    Finding.objects.filter(title__startswith="落实中央八项规定精神不到位、").delete()
    analyse_common_problems(0.5)
    assert not [c for c in selectors.common_problems(similar.inspection_office) if "八项规定" in c.title]


def test_a_full_run_gives_the_same_clusters_as_incremental_runs(similar) -> None:
    analyse_common_problems(0.5)
    unit = similar.units[1]
    inspections.add_finding(unit.office_staff, unit.inspection, title="选人用人把关不严格", parent=unit.aspect)
    analyse_common_problems(0.5)
    incremental = selectors.common_problems(similar.inspection_office)
    analyse_common_problems(0.5, full=True)
    assert selectors.common_problems(similar.inspection_office) == incremental


def test_the_page_asks_the_worker_and_polls_until_the_result_is_there(similar, client: Client) -> None:
    client.force_login(similar.inspection_office)
    url = reverse("supervision:common_problems")
    page = client.get(url).content.decode()
    assert "正在后台分析" in page and 'hx-trigger="load delay:2s"' in page
    assert Job.objects.filter(name=JOB, status=Job.Status.QUEUED).count() == 1
    client.get(url)  # asking again queues nothing more
    assert Job.objects.filter(name=JOB).count() == 1
    assert queue.run_due().done == 1
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "八项规定" in partial and "hx-trigger" not in partial and "<html" not in partial


def test_the_page_reads_a_bounded_number_of_queries(similar, client: Client, django_assert_max_num_queries) -> None:
    analyse_common_problems(0.5)
    client.force_login(similar.inspection_office)
    with django_assert_max_num_queries(20):
        assert "八项规定" in client.get(reverse("supervision:common_problems")).content.decode()


def test_the_reminder_run_asks_the_worker_for_the_days_analysis(similar) -> None:
    from rectify.supervision.services.reminders import run_reminders

    run_reminders(email=False, webhooks=False)
    assert Job.objects.filter(name=JOB, status=Job.Status.QUEUED, payload__threshold="0.50").count() == 1
    queue.run_due(names=[JOB])
    assert any("八项规定" in c.title for c in selectors.common_problems(similar.inspection_office))
