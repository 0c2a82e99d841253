"""Concurrent audited writes from many units on PostgreSQL: do the audit chains' head rows queue them?

Each thread is one unit's office staff editing their own unit's tasks (`update_task`, one transaction and
one audit event each). Reported per thread count: each write's latency (p50/p95/max) and the writes per
second of all threads together; then the same while another unit's 10,000-row ledger import runs, which
appends ~20,000 events in one `record_many` and holds its own unit's chain head until its transaction
commits (each unit has a chain of its own, so the writers of the other units should not wait for it).

    scripts/with-postgres.sh env PYTHONPATH=src python bench/audit_concurrency_bench.py [--units 16] [--writes 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")


def writer(staff, tasks, writes: int, latencies: list[float], start: threading.Barrier,  # type: ignore[no-untyped-def]
           busy: threading.Event) -> None:
    """`writes` edits, and more for as long as `busy` is set (the import is running)."""
    from django.db import connection

    from rectify.ledger import services as ledger

    start.wait()
    index = 0
    try:
        while index < writes or busy.is_set():
            index += 1
            task = tasks[index % len(tasks)]
            began = time.perf_counter()
            ledger.update_task(staff, task, title=f"{task.title[:40]} 第{index}次修改")
            latencies.append(time.perf_counter() - began)
    finally:
        connection.close()


def run(units, threads: int, writes: int, during=None) -> dict[str, float]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    start = threading.Barrier(threads + (1 if during else 0))
    busy = threading.Event()
    if during:
        busy.set()
    workers = [threading.Thread(target=writer, args=(units[i].office_staff, units[i].tasks, writes, latencies, start,
                                                      busy))
               for i in range(threads)]
    background = threading.Thread(target=during, args=(start, busy)) if during else None
    began = time.perf_counter()
    for thread in workers + ([background] if background else []):
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - began
    if background:
        background.join()
    ordered = sorted(latencies)
    return {
        "writes": len(ordered), "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000, "max": ordered[-1] * 1000,
        "per_second": len(ordered) / elapsed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=16)
    parser.add_argument("--writes", type=int, default=40, help="writes per thread")
    parser.add_argument("--import-rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL must point at PostgreSQL (scripts/with-postgres.sh)", file=sys.stderr)
        return 2
    os.environ.setdefault("RECTIFY_HOME", tempfile.mkdtemp(prefix="rectify-audit-bench-"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from ledger_bench import make_rows
    from tests.factories import build_unit, make_task

    from rectify.audit import services as audit
    from rectify.inspections import services as inspections
    from rectify.organizations import services as orgs
    from rectify.organizations.models import Organization
    from rectify.spreadsheets import write_ledger
    from rectify.spreadsheets.services import import_ledger

    call_command("migrate", verbosity=0)
    office = orgs.create_organization(None, name="省直机关巡视办", kind=Organization.Kind.OFFICE)
    units = []
    for index in range(args.units):
        unit = build_unit(office, f"省直单位{index:03d}")
        unit.tasks = [make_task(unit) for _ in range(4)]  # type: ignore[attr-defined]
        units.append(unit)
    # Inspections of one more unit (the import bench's departments and leaders), one import each.
    from ledger_import_bench import build_unit as build_import_unit

    staff, first = build_import_unit()
    importers = [(staff, first)] + [(staff, inspections.create_inspection(
        staff, target=first.target, title=f"省委第{number}巡视组巡视省发展改革委", inspector="省委", term="十一届",
        round=number, group=f"第{number}巡视组", onsite_start=first.onsite_start, onsite_end=first.onsite_end,
        feedback_date=first.feedback_date)) for number in (9, 10)]
    data = write_ledger(make_rows(args.import_rows), title="巡视整改台账", unit="省发展改革委",
                        date_label="截至2021年8月26日")

    def big_import(start: threading.Barrier, busy: threading.Event) -> None:
        staff, inspection = importers.pop()
        start.wait()
        try:
            began = time.perf_counter()
            result = import_ledger(staff, inspection, data=data, filename="bench.xlsx")
            print(f"  (import of {result.created.get('tasks', 0)} rows took {time.perf_counter() - began:.1f} s)")
        finally:
            busy.clear()
            connection.close()

    print(f"command: scripts/with-postgres.sh env PYTHONPATH=src python bench/audit_concurrency_bench.py "
          f"--units {args.units} --writes {args.writes}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'threads':>7} {'during import':>13} {'writes':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'writes/s':>9}")
    for threads in sorted({1, 4, args.units}):
        for during in (None, big_import):
            figures = run(units, threads, args.writes, during)
            print(f"{threads:>7} {'yes' if during else 'no':>13} {figures['writes']:>6} {figures['p50']:>8.1f} "
                  f"{figures['p95']:>8.1f} {figures['max']:>8.1f} {figures['per_second']:>9.1f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    chain = audit.verify()
    print(f"audit chains: {'verify' if chain.ok else chain.reason} ({chain.chains} chains, {chain.checked} events)")
    return 0 if chain.ok else 1


if __name__ == "__main__":
    sys.exit(main())
