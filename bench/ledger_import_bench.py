"""Import and export a 10,000-task ledger through the database (target: each ≤ 3 s).

`bench/ledger_bench.py` times the reading and writing of the workbook alone; this one times what a
user waits for: `rectify import-ledger` (read, match departments and leaders, create problems, tasks,
progress and their audit events in one transaction) and `rectify export-ledger` (query the plan and
write the workbook), on a fresh SQLite database (the default install) or on PostgreSQL when
DATABASE_URL is set.

    PYTHONPATH=src python bench/ledger_import_bench.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")

BOUND_SECONDS = 3.0


def build_unit():  # type: ignore[no-untyped-def]
    """A unit with the bench ledger's departments and leaders, its office staff and an inspection."""
    from ledger_bench import LEADERS, ORGS

    from rectify.inspections import services as inspections
    from rectify.organizations import services as orgs
    from rectify.organizations.models import Organization, Role

    office = orgs.create_organization(None, name="省委巡视办", kind=Organization.Kind.OFFICE)
    unit = orgs.create_organization(None, name="省发展改革委", kind=Organization.Kind.UNIT, parent=office)
    for name in ORGS:
        orgs.create_organization(None, name=name, kind=Organization.Kind.DEPARTMENT, parent=unit)
    staff = orgs.create_user(None, username="zgb", full_name="整改办", password="Bench-Password-2026")
    orgs.grant_role(None, user=staff, organization=unit, role=Role.RECTIFICATION_OFFICE)
    for index, name in enumerate(LEADERS):
        leader = orgs.create_user(None, username=f"leader{index}", full_name=name, password="Bench-Password-2026")
        orgs.grant_role(None, user=leader, organization=unit, role=Role.LEADER)
    inspection = inspections.create_inspection(
        staff, target=unit, title="省委第八巡视组巡视省发展改革委", inspector="省委", term="十一届", round=8,
        group="第八巡视组", onsite_start=dt.date(2020, 10, 1), onsite_end=dt.date(2020, 12, 1),
        feedback_date=dt.date(2021, 1, 15),
    )
    return staff, inspection


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        os.environ["RECTIFY_HOME"] = tempfile.mkdtemp(prefix="rectify-import-bench-")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from ledger_bench import make_rows, timed

    from rectify.audit import services as audit
    from rectify.ledger.models import Task
    from rectify.spreadsheets import write_ledger
    from rectify.spreadsheets.services import export_ledger, import_ledger

    call_command("migrate", verbosity=0)
    staff, inspection = build_unit()
    data = write_ledger(make_rows(args.rows), title="巡视整改台账", unit="省发展改革委", date_label="截至2021年8月26日")
    print(f"command: PYTHONPATH=src python bench/ledger_import_bench.py --rows {args.rows}")
    print(f"database: {connection.vendor}; load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'file size':<40} {len(data) / 1048576:6.2f} MB")
    result = timed(
        f"import_ledger({args.rows} rows) into the plan",
        lambda: import_ledger(staff, inspection, data=data, filename="bench.xlsx"),
        BOUND_SECONDS,
    )
    print(f"{'created':<40} {result.created}, errors {len(result.errors)}")
    exported = timed(f"export_ledger({args.rows} tasks)", lambda: export_ledger(staff, inspection), BOUND_SECONDS)
    print(f"{'exported file size':<40} {len(exported) / 1048576:6.2f} MB")
    again = timed("import the export again (adds nothing)",
                  lambda: import_ledger(staff, inspection, data=exported, filename="again.xlsx"), None)
    tasks = Task.objects.filter(inspection=inspection).count()
    chain = audit.verify()
    print(f"{'tasks in the plan / added again':<40} {tasks} / {again.created.get('tasks', 0)}")
    print(f"{'audit chain':<40} {'verifies' if chain.ok else chain.reason} ({chain.checked} events)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of the process':<40} {peak:6.0f} MB")
    return 0 if tasks == args.rows and not result.errors and chain.ok else 1


if __name__ == "__main__":
    sys.exit(main())
