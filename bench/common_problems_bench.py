"""The 巡视办's common problems (共性问题) at provincial scale (PostgreSQL, data from bench/generate.py).

Times the background analysis (a full first run, an incremental run after new findings, a run with
nothing new) with its peak memory, then the page as `bench-office` sees it (bound ≤ 100 ms, median of
N warm runs, SQL queries counted) in a fresh process, so the analysis' garbage does not slow it. The
findings it adds are deleted again at the end. The inbox (a page doing next to nothing) is timed
beside it as the baseline every page pays on this machine at that moment.

    DATABASE_URL=postgres://… PYTHONPATH=src python bench/common_problems_bench.py [--runs 15] [--skip-full]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def page(runs: int) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rectify.organizations.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-office"))
    figures: dict[str, float] = {}
    for name, url in (("page", "/supervision/common-problems/"), ("inbox", "/supervision/inbox/")):
        for _ in range(3):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        figures.update({f"{name}_median_ms": round(statistics.median(times), 1),
                        f"{name}_fastest_ms": round(min(times), 1), f"{name}_queries": len(queries),
                        f"{name}_sql_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1),
                        f"{name}_bytes": len(response.content)})
    figures["load_average"] = round(os.getloadavg()[0], 1)
    print(json.dumps(figures))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-full", action="store_true", help="keep the stored analysis (no full run)")
    parser.add_argument("--new", type=int, default=1000, help="findings added before the incremental run")
    parser.add_argument("--page-only", action="store_true", help="time the page only (run by the bench itself)")
    args = parser.parse_args(argv)
    if args.page_only:
        return page(args.runs)

    import django

    django.setup()

    from rectify.inspections.models import Finding, Inspection
    from rectify.supervision.models import ProblemAnalysis, ProblemCluster, ProblemMember, ProblemTitle
    from rectify.supervision.services.problems import analyse_common_problems

    figures: dict[str, object] = {"findings": Finding.objects.filter(level__gte=2).count()}
    base = peak_mb()
    if not args.skip_full:
        start, cpu = time.perf_counter(), time.process_time()
        analyse_common_problems(0.5, full=True)
        figures["full_s"] = round(time.perf_counter() - start, 1)
        figures["full_cpu_s"] = round(time.process_time() - cpu, 1)
        figures["full_peak_rss_mb"] = round(peak_mb(), 0)
    analysis = ProblemAnalysis.objects.get(threshold="0.50")
    figures.update(titles=ProblemTitle.objects.filter(analysis=analysis).count(),
                   members=ProblemMember.objects.filter(analysis=analysis).count(),
                   clusters=ProblemCluster.objects.filter(analysis=analysis).count(), base_rss_mb=round(base, 0))

    # New findings in 100 units' latest inspections: half repeat an existing title, half are new text.
    inspections = list(Inspection.objects.order_by("target_id", "-pk").distinct("target_id")[:100])
    parents = {f.inspection_id: f for f in Finding.objects.filter(inspection__in=inspections, level=1)}
    added = []
    for i in range(args.new):
        inspection = inspections[i % len(inspections)]
        parent = parents.get(inspection.pk)
        title = (ProblemTitle.objects.filter(analysis=analysis).values_list("title", flat=True)[i % 50]
                 if i % 2 else f"第{i}项新发现的问题：基层单位公务接待超标准超范围列支第{i}类费用")
        added.append(Finding(inspection=inspection, parent=parent, level=2, kind="problem", label=f"{i}.",
                             title=title, text=title, position=900 + i))
    Finding.objects.bulk_create(added, batch_size=1000)
    try:
        start = time.perf_counter()
        analyse_common_problems(0.5)
        figures["incremental_s"] = round(time.perf_counter() - start, 2)
        figures["incremental_new_findings"] = len(added)
        start = time.perf_counter()
        analyse_common_problems(0.5)
        figures["nothing_new_s"] = round(time.perf_counter() - start, 2)
        figures["peak_rss_mb"] = round(peak_mb(), 0)

        page_figures = subprocess.run([sys.executable, __file__, "--page-only", "--runs", str(args.runs)],
                                      check=True, capture_output=True, text=True).stdout
        figures.update(json.loads(page_figures))
    finally:
        Finding.objects.filter(pk__in=[f.pk for f in added]).delete()
        analyse_common_problems(0.5)  # the summary without them again
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
