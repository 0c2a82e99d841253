"""A deployment with real data, built through the services; imported by tests and by the
subprocesses they start (`python -c "from tests.security.deployment import populate; …"`)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.factories import PDF, build_world, make_task

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def populate(tasks: int = 6) -> dict[str, int]:
    """Two units with tasks, progress and evidence files, all audited; returns a few counts."""
    from rectify.ledger import services as ledger
    from rectify.ledger.models import Evidence, Task
    from rectify.ledger.services.evidence import Upload

    world = build_world()
    for index in range(tasks):
        unit = world.units[index % 2]
        task = make_task(unit)
        files = [Upload(name=f"佐证{index}.pdf", data=PDF + str(index).encode()), Upload(name="照片.png", data=PNG)]
        ledger.report_progress(unit.dept_handler, task, text=f"第 {index} 项已推进", files=files)
    return {"tasks": Task.objects.count(), "evidence": Evidence.objects.count()}


def sqlite_counts(path: Path) -> dict[str, int]:
    """Rows per table of a SQLite file, read without Django."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
    finally:
        db.close()


def print_json(value: object) -> None:
    print(json.dumps(value), flush=True)


def db_counts() -> dict[str, int]:
    """Rows of every model's table, and the audit events (every one `verify` checks), through Django."""
    from django.apps import apps

    from rectify.audit.models import AuditEvent

    counts = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
    counts["audit events"] = AuditEvent.objects.count()
    return counts
