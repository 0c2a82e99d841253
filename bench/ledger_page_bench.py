"""One unit's ledger page of 500 tasks on SQLite (the default install) — bound ≤ 100 ms.

Builds a fresh SQLite database in a temporary RECTIFY_HOME: one unit with three inspections, the
latest with 500 tasks (~2,500 progress entries), rows from the same generator as bench/generate.py.
Then requests the pages a unit's office uses every day through Django's test Client as `u1-zgb`
(整改办) and `u1-d1` (a department): median of N warm runs, SQL queries counted.

    PYTHONPATH=src python bench/ledger_page_bench.py [--runs 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")

BOUND_MS = 100.0
COMMAND = "PYTHONPATH=src python bench/ledger_page_bench.py"


def load(seed: int) -> dict[str, int]:
    """Fill the SQLite tables with the generator's rows (COPY text turned into executemany)."""
    from django.apps import apps
    from django.contrib.auth.hashers import make_password
    from django.db import connection, models, transaction
    from generate import COLUMNS, PASSWORD, TZ, Clock, Generator, Plan

    boolean_columns = {
        model._meta.db_table: {f.column for f in model._meta.concrete_fields if isinstance(f, models.BooleanField)}
        for model in apps.get_models()
    }
    plan = Plan(units=1, inspections=3, tasks=600, ledger_tasks=500)
    gen = Generator(plan, seed, Clock(dt.datetime.now(TZ), utc=True), make_password(PASSWORD))
    steps = [
        ("organizations_organization", gen.organizations), ("organizations_user", gen.users),
        ("organizations_membership", gen.memberships), ("inspections_inspection", gen.inspections),
        ("inspections_finding", gen.findings_and_layout), ("ledger_task", gen.tasks),
        ("ledger_task_co_orgs", gen.co_orgs), ("ledger_progress", gen.progress),
        ("ledger_closurereview", gen.reviews), ("ledger_lead", gen.leads), ("ledger_rulechange", gen.rule_changes),
    ]
    counts = {}
    with transaction.atomic(), connection.cursor() as cur:
        for table, rows in steps:
            columns = [c.strip() for c in COLUMNS[table].split(",")]
            flags = boolean_columns.get(table, set())

            def value(column: str, raw: str, flags: set[str] = flags) -> object:
                if raw == "\\N":
                    return None
                if column.strip('"') in flags:
                    return raw == "t"
                return raw

            data = [[value(c, v) for c, v in zip(columns, row.rstrip("\n").split("\t"), strict=True)] for row in rows()]
            cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", data)
            counts[table] = len(data)
        cur.execute("ANALYZE")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    os.environ.pop("DATABASE_URL", None)  # the default install: SQLite
    os.environ["RECTIFY_HOME"] = tempfile.mkdtemp(prefix="rectify-ledger-bench-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rectify.inspections.models import Inspection
    from rectify.ledger.models import Task
    from rectify.organizations.models import Membership, User

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    counts = load(args.seed)
    print(f"SQLite {connection.Database.sqlite_version}: loaded {counts['ledger_task']} tasks, "
          f"{counts['ledger_progress']} progress entries in {time.perf_counter() - start:.1f} s")
    unit = Membership.objects.get(user__username="u1-zgb").organization_id
    inspection = Inspection.objects.filter(target_id=unit).order_by("-feedback_date", "-id").first()
    assert inspection is not None
    ledger_size = Task.objects.filter(inspection=inspection).count()
    task = Task.objects.filter(inspection=inspection).exclude(status="not_started").order_by("position").first()
    assert task is not None
    cases = [
        ("ledger page 1", "u1-zgb", f"/inspections/{inspection.pk}/ledger/"),
        ("ledger page 5", "u1-zgb", f"/inspections/{inspection.pk}/ledger/?page=5"),
        ("ledger red+q", "u1-zgb", f"/inspections/{inspection.pk}/ledger/?light=red&q=整改"),
        ("findings", "u1-zgb", f"/inspections/{inspection.pk}/findings/"),
        ("responsibility", "u1-zgb", f"/inspections/{inspection.pk}/responsibility/"),
        ("unit dashboard", "u1-zgb", f"/units/{unit}/dashboard/"),
        ("task page", "u1-zgb", f"/tasks/{task.pk}/"),
        ("my tasks", "u1-d1", "/my/tasks/"),
        ("api tasks", "u1-zgb", f"/api/v1/tasks?inspection={inspection.pk}&page_size=100"),
    ]
    print(f"ledger of {ledger_size} tasks (inspection {inspection.pk})")
    print(f"{'page':<18}{'median':>9}{'min':>9}{'cpu':>9}{'sql':>9}{'bound':>9}{'queries':>8}  persona")
    clients: dict[str, Client] = {}
    results = []
    for name, persona, url in cases:
        if persona not in clients:
            clients[persona] = Client(raise_request_exception=False)
            clients[persona].force_login(User.objects.get(username=persona))
        client = clients[persona]
        status = [client.get(url).status_code for _ in range(args.warmup)][-1]
        if status != 200:
            print(f"{name:<18}HTTP {status} for {url} — skipped", flush=True)
            results.append({"page": name, "url": url, "error": status})
            continue
        times, cpu = [], []
        for _ in range(args.runs):
            cpu_start = time.process_time()
            begin = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        median = statistics.median(times)
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        mark = "" if median <= BOUND_MS else "  ✗ over bound"
        print(f"{name:<18}{median:>7.1f}ms{min(times):>7.1f}ms{statistics.median(cpu):>7.1f}ms{sql_ms:>7.1f}ms"
              f"{'≤' + str(int(BOUND_MS)) + 'ms':>9}{len(captured):>8}  {persona}{mark}")
        results.append({"page": name, "url": url, "median_ms": round(median, 1), "min_ms": round(min(times), 1),
                        "cpu_ms": round(statistics.median(cpu), 1), "sql_ms": round(sql_ms, 1),
                        "queries": len(captured)})
    print(f"load average {os.getloadavg()[0]:.1f}; min = fastest run; cpu = process CPU (median, SQLite runs "
          "in-process); sql = summed query time of one run")
    print(f"command: {COMMAND}")
    print("JSON " + json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
