"""Time the busiest pages at provincial scale (PostgreSQL, data from bench/generate.py) — bound ≤ 100 ms.

Each page is requested through the real URL, middleware, view and template with Django's test
Client, logged in as a persona; the figure is the median of N warm runs; the SQL queries of one
run are counted. For every page over its bound, the slowest queries of that run are saved with
EXPLAIN (ANALYZE, BUFFERS) into bench/notes/<page>.txt.

    DATABASE_URL=postgres://… PYTHONPATH=src python bench/scale_bench.py [--runs 7] [--only overview]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")

BOUND_MS = 100.0
NOTES = REPO / "bench" / "notes"
COMMAND = "DATABASE_URL=… PYTHONPATH=src python bench/scale_bench.py"


@dataclass
class Case:
    name: str
    persona: str
    url: Callable[[dict[str, Any]], str]
    what: str


CASES = [
    Case("ledger", "u1-zgb", lambda c: f"/inspections/{c['inspection']}/ledger/",
         "整改台账：单位1最新一轮巡视（500 项任务，每页 100 项），整改办"),
    Case("ledger_filtered", "u1-zgb", lambda c: f"/inspections/{c['inspection']}/ledger/?light=red&q=整改",
         "整改台账：红灯 + 关键词筛选，整改办"),
    Case("unit_dashboard", "u1-zgb", lambda c: f"/units/{c['unit']}/dashboard/",
         "单位整改看板：单位1全部巡视（约 3,300 项任务），整改办"),
    Case("overview", "bench-office", lambda c: "/overview/",
         "各单位整改总览：巡视办，全省 300 个单位、全部任务"),
    Case("my_tasks", "u1-d1", lambda c: "/my/tasks/", "我的任务：单位1的一个部门（责任单位）"),
    Case("task", "u1-zgb", lambda c: f"/tasks/{c['task']}/", "任务页：进展时间线与审计记录"),
    Case("inspections", "bench-office", lambda c: "/inspections/", "巡视巡察列表：巡视办（20,000 轮）"),
    Case("api_tasks_unit", "u1-zgb", lambda c: "/api/v1/tasks?status=in_progress&overdue=true&page_size=50",
         "API 任务列表：整改办，推进中且逾期"),
    Case("api_tasks_province", "bench-office", lambda c: "/api/v1/tasks?light=red&page_size=50",
         "API 任务列表：巡视办，全省红灯任务"),
    Case("api_tasks_dept", "u1-d1", lambda c: "/api/v1/tasks?page_size=50", "API 任务列表：责任单位"),
    Case("search_unit", "u1-zgb", lambda c: f"/search/?q={quote('公务用车')}", "搜索「公务用车」：整改办（单位范围）"),
    Case("search_province", "bench-office", lambda c: f"/search/?q={quote('公务用车')}", "搜索「公务用车」：巡视办（全省）"),
    Case("search_rare", "bench-office", lambda c: f"/search/?q={quote('任务4242第')}", "搜索罕见词：巡视办（全省）"),
]


def context() -> dict[str, Any]:
    """The ids the URLs need: unit 1, its latest inspection (the 500-task ledger) and a task in it."""
    from rectify.inspections.models import Inspection
    from rectify.ledger.models import Task
    from rectify.organizations.models import Membership

    unit = Membership.objects.get(user__username="u1-zgb").organization_id
    inspection = Inspection.objects.filter(target_id=unit).order_by("-feedback_date", "-id").first()
    assert inspection is not None, "run bench/generate.py first"
    task = Task.objects.filter(inspection=inspection).exclude(status="not_started").order_by("position").first()
    assert task is not None
    return {"unit": unit, "inspection": inspection.pk, "task": task.pk}


def redact(text: str) -> str:
    """Hide session keys and data, and shorten very long lines (id lists) in saved notes."""
    text = re.sub(r"(session_data\"? = )'[^']*'", r"\1'<redacted>'", text)
    text = re.sub(r"(session_key\"?\)?(?:::text)? = )'[^']*'", r"\1'<redacted>'", text)
    return "\n".join(line if len(line) <= 4000 else line[:4000] + " … (truncated)" for line in text.split("\n"))


def explain(queries: list[dict[str, str]], path: Path, title: str, top: int = 3) -> None:
    """Save EXPLAIN (ANALYZE, BUFFERS) of the slowest queries of one run."""
    from django.db import connection

    reads = [q for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    slowest = sorted(reads, key=lambda q: float(q["time"]), reverse=True)[:top]
    parts = [f"# {title}\n# {len(queries)} queries in one run; the {len(slowest)} slowest below.\n"]
    with connection.cursor() as cur:
        for q in slowest:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            plan = "\n".join(row[0] for row in cur.fetchall())
            parts.append(f"\n## {float(q['time']) * 1000:.1f} ms (as timed by Django)\n{q['sql']}\n\n{plan}\n")
    path.write_text(redact("".join(parts)), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page (median reported)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="page names to run")
    parser.add_argument("--no-explain", action="store_true", help="do not write bench/notes/*.txt")
    parser.add_argument("--explain-all", action="store_true", help="write bench/notes/<page>.txt for pages within bound too")
    parser.add_argument("--notes-suffix", default="", help="suffix for the notes files (e.g. -after)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rectify.ledger.models import Progress, Task
    from rectify.organizations.models import Organization, User

    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：请设置 DATABASE_URL", file=sys.stderr)
        return 2
    ctx = context()
    print(f"data: {Organization.objects.count():,} organizations, {Task.objects.count():,} tasks, "
          f"{Progress.objects.count():,} progress entries; PostgreSQL "
          f"{connection.cursor().connection.info.server_version}")
    clients: dict[str, Client] = {}
    results = []
    NOTES.mkdir(exist_ok=True)
    print(f"{'page':<20}{'median':>9}{'min':>9}{'app cpu':>9}{'sql':>9}{'bound':>9}{'queries':>8}  persona       what")
    for case in CASES:
        if args.only and case.name not in args.only:
            continue
        if case.persona not in clients:
            clients[case.persona] = Client(raise_request_exception=False)
            clients[case.persona].force_login(User.objects.get(username=case.persona))
        client = clients[case.persona]
        url = case.url(ctx)
        status = [client.get(url).status_code for _ in range(args.warmup)][-1]
        if status != 200:
            print(f"{case.name:<20}HTTP {status} for {url} — skipped", flush=True)
            results.append({"page": case.name, "url": url, "persona": case.persona, "error": status})
            continue
        times, cpu = [], []
        for _ in range(args.runs):
            cpu_start = time.process_time()
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        median = statistics.median(times)
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        mark = "" if median <= BOUND_MS else "  ✗ over bound"
        print(f"{case.name:<20}{median:>7.1f}ms{min(times):>7.1f}ms{statistics.median(cpu):>7.1f}ms{sql_ms:>7.1f}ms"
              f"{'≤' + str(int(BOUND_MS)) + 'ms':>9}{len(captured):>8}  {case.persona:<13} {case.what}{mark}", flush=True)
        results.append({"page": case.name, "url": url, "persona": case.persona, "median_ms": round(median, 1),
                        "min_ms": round(min(times), 1), "app_cpu_ms": round(statistics.median(cpu), 1),
                        "sql_ms": round(sql_ms, 1), "queries": len(captured), "bound_ms": BOUND_MS})
        if (median > BOUND_MS or args.explain_all) and not args.no_explain:
            explain(list(captured.captured_queries), NOTES / f"{case.name}{args.notes_suffix}.txt",
                    f"{case.name} {url} as {case.persona}: median {median:.1f} ms over {args.runs} runs")
    print(f"load average {os.getloadavg()[0]:.1f}; min = fastest run; app cpu = Django process CPU (median); "
          "sql = summed query time of one run")
    print(f"command: {COMMAND}" + (f" --only {' '.join(args.only)}" if args.only else ""))
    print("JSON " + json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
