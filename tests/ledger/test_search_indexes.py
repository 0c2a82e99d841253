"""On PostgreSQL the search's `icontains` filters can use the trigram indexes (not a scan of every row)."""

from __future__ import annotations

import pytest
from django.db import connection

from rectify.inspections.models import Finding
from rectify.ledger.models import Progress, Task
from rectify.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Task.objects.filter(title__icontains="门户网站"), "ledger_task_title_trgm"),
        (lambda: Task.objects.filter(leader_name__icontains="张建国"), "ledger_task_leader_name_trgm"),
        (lambda: Progress.objects.filter(text__icontains="专题会议"), "ledger_progress_text_trgm"),
        (lambda: Finding.objects.filter(title__icontains="公务用车"), "inspections_finding_title_trgm"),
        (lambda: Finding.objects.filter(text__icontains="公务用车"), "inspections_finding_text_trgm"),
        (lambda: Organization.objects.filter(name__icontains="办公室"), "organizations_org_name_trgm"),
    ],
)
def test_search_filters_match_a_trigram_index(queryset, index):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL 未配置（scripts/with-postgres.sh 会设置 DATABASE_URL）")
    with connection.cursor() as cursor:
        # An empty test table makes any plan cheap: leave the planner only bitmap scans to choose from,
        # and no ordering that another index could serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        plan = queryset().order_by().explain()
    assert index in plan, plan
