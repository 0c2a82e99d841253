"""A large ledger is written in batches inside the import's one transaction: the same plan as written at
once, never more than a batch of rows held for writing, and still all or nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction

from rectify.audit.models import AuditEvent
from rectify.inspections.models import Finding
from rectify.ledger import services as ledger
from rectify.ledger.models import Progress, Task
from rectify.spreadsheets import services
from rectify.spreadsheets.services import describe_error, import_ledger
from tests.importers.conftest import Row, ledger_bytes


def run(unit, data: bytes, **options):
    return import_ledger(unit.office_staff, unit.inspection, data=data, filename="台账.xlsx", **options)


def plan(unit) -> dict[str, Any]:
    """The inspection's whole plan as a user sees it: the findings tree, every task, its links and progress."""
    findings = {f.pk: f for f in Finding.objects.filter(inspection=unit.inspection)}

    def path(finding: Finding) -> tuple[str, ...]:
        return (*path(findings[finding.parent_id]), finding.title) if finding.parent_id else (finding.title,)

    tree = sorted((path(f), f.level, f.label, f.position) for f in findings.values())
    tasks = sorted(
        (path(findings[t.finding_id]), t.title, t.category, t.deadline, t.leader_id, t.leader_name, t.lead_org_id,
         t.status, t.position, t.number, tuple(sorted(t.co_orgs.values_list("pk", flat=True))),
         tuple(Progress.objects.filter(task=t).order_by("id").values_list("text", "reported_on", "organization_id")))
        for t in Task.objects.filter(inspection=unit.inspection)
    )
    actions = Counter(AuditEvent.objects.filter(unit_id=unit.org.pk).values_list("action", flat=True))
    return {"tree": tree, "tasks": tasks, "audit": actions}


def test_a_ledger_written_in_batches_is_the_ledger_written_at_once(unit, messy_rows, monkeypatch):
    data = ledger_bytes(messy_rows)
    with transaction.atomic():
        whole = run(unit, data)
        at_once = plan(unit)
        transaction.set_rollback(True)
    monkeypatch.setattr(services, "WRITE_BATCH", 1)  # each row its own batch: parents from earlier batches
    batched = run(unit, data)

    assert batched.committed and batched.created == whole.created
    assert plan(unit) == at_once
    assert at_once["tasks"] and at_once["audit"]["task.create"] == 5


def test_an_import_holds_at_most_one_batch_of_rows_for_writing(unit, messy_rows, monkeypatch):
    batches: list[int] = []
    real = ledger.PlanWriter.add

    def add(self, *, findings, rows):
        batches.append(len(rows))
        return real(self, findings=findings, rows=rows)

    monkeypatch.setattr(ledger.PlanWriter, "add", add)
    monkeypatch.setattr(services, "WRITE_BATCH", 2)
    run(unit, ledger_bytes(messy_rows))
    assert batches == [2, 2, 1]
    assert Task.objects.filter(inspection=unit.inspection).count() == 5


def test_a_refused_row_after_written_batches_leaves_nothing(unit, messy_rows, db_counts, monkeypatch):
    monkeypatch.setattr(services, "WRITE_BATCH", 1)
    messy_rows.append(Row("全面从严治党方面", "宣传教育不到位", "开展警示教育", lead_org="宣传处", deadline="立行立改"))
    before = db_counts()
    result = run(unit, ledger_bytes(messy_rows))

    assert not result.committed
    assert db_counts() == before  # the five rows written before the bad one were rolled back
    [error] = result.errors
    assert "第 10 行「牵头部门」未找到部门：宣传处" in describe_error(error)


def test_skipping_bad_rows_in_batches_writes_every_good_row(unit, messy_rows, monkeypatch):
    monkeypatch.setattr(services, "WRITE_BATCH", 2)
    messy_rows.insert(2, Row(None, "宣传教育不到位", "开展警示教育", lead_org="宣传处", deadline="立行立改"))
    result = run(unit, ledger_bytes(messy_rows), skip_bad_rows=True)

    assert result.committed and len(result.errors) == 1
    titles = set(Task.objects.filter(inspection=unit.inspection).values_list("title", flat=True))
    assert titles == {row.measure for row in messy_rows} - {"开展警示教育"}
    assert not Finding.objects.filter(inspection=unit.inspection, title="宣传教育不到位").exists()
