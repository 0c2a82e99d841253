"""Import a large ledger through the background job, as the page does past RECTIFY_IMPORT_INLINE_ROWS.

The workbook is held as the preview holds it, the confirmation's job is queued (`start_import`) and run
by the worker's own loop (`queue.run_due`) in this process, while a second thread, with a connection of
its own as another app server has, reads the job every half second as its page does: how long the job
takes, and what progress the page showed while it ran (on PostgreSQL the row, written on a connection
of its own; on SQLite, where the import's transaction holds the only write lock, the job's progress file).
Memory: the peak of the whole process, and the peak while the job ran (the high-water mark is reset once
the workbook is made, so making it does not count).

    PYTHONPATH=src python bench/ledger_import_job_bench.py [--rows 99900]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")

# The request would have to finish within gunicorn's timeout; the job has no such bound.
GUNICORN_TIMEOUT_SECONDS = 30


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # A sheet holds at most 100,000 rows (ImportLimits.max_rows), its title and header rows included.
    parser.add_argument("--rows", type=int, default=99_900)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        os.environ["RECTIFY_HOME"] = tempfile.mkdtemp(prefix="rectify-import-job-bench-")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from ledger_bench import make_rows
    from ledger_import_bench import build_unit

    from rectify.jobs import progress as progress_file
    from rectify.jobs import queue
    from rectify.jobs.models import HeldUpload, Job
    from rectify.ledger.models import Task
    from rectify.spreadsheets import jobs as background
    from rectify.spreadsheets import write_ledger

    call_command("migrate", verbosity=0)
    staff, inspection = build_unit()
    data = write_ledger(make_rows(args.rows), title="巡视整改台账", unit="省发展改革委", date_label="截至2021年8月26日")
    print(f"command: PYTHONPATH=src python bench/ledger_import_job_bench.py --rows {args.rows}")
    print(f"database: {connection.vendor}; load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'file size':<44} {len(data) / 1048576:6.2f} MB")
    gc.collect()
    reset = _reset_peak()
    before = _rss_mb()
    held = HeldUpload.objects.create(token="bench", user=staff, purpose=background.JOB_PURPOSE, name="bench.xlsx",
                                     data=data, rows=args.rows)
    job = background.start_import(staff, inspection, upload=held.pk, skip_bad_rows=False)

    seen: list[tuple[float, str, int, int]] = []
    stop = threading.Event()
    started = time.perf_counter()

    def watch() -> None:  # another app server's view of the job
        from django.db import connection as own

        while not stop.is_set():
            found = Job.objects.filter(pk=job.pk).first()
            if found:
                shown = progress_file.shown(found)
                seen.append((time.perf_counter() - started, shown.status, shown.done_count, shown.total_count))
            stop.wait(0.5)
        own.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    cpu = time.process_time()
    drained = queue.run_due(names=[background.IMPORT_JOB])
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    stop.set()
    watcher.join()
    job.refresh_from_db()
    tasks = Task.objects.filter(inspection=inspection).count()
    print(f"{'import job, queued to done (wall)':<44} {wall:7.2f} s   (a request: gunicorn stops it at "
          f"{GUNICORN_TIMEOUT_SECONDS} s)")
    print(f"{'client CPU of this process':<44} {cpu:7.2f} s")
    print(f"{'job':<44} {job.status}, attempts {job.attempts}, {drained.done} done")
    print(f"{'tasks in the plan':<44} {tasks}")
    if job.result and job.result.get("error"):
        print(f"{'the import refused the file':<44} {job.result['error']}")
    running = [(t, d, n) for t, status, d, n in seen if status == Job.Status.RUNNING]
    shown = sorted({d for _t, d, _n in running})
    print(f"{'polls of the row while running':<44} {len(running)}; distinct rows-checked figures seen: {len(shown)}")
    if shown:
        print(f"{'rows checked, as other connections saw them':<44} {', '.join(str(d) for d in shown[:12])}"
              f"{' …' if len(shown) > 12 else ''} (of {running[-1][2]})")
    checked = next((t for t, d, n in running if n and d >= n), None)
    first = next((t for t, d, n in running if n), None)
    if first is not None:
        print(f"{'first count shown (file read) after':<44} {first:7.2f} s")
    if checked is not None:
        print(f"{'all rows checked (last batch written) after':<44} {checked:7.2f} s")
    print(f"{'load average after':<44} {os.getloadavg()[0]:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of the process':<44} {peak:6.0f} MB (making the workbook included)")
    if reset:
        print(f"{'peak memory while the job ran':<44} {_peak_mb():6.0f} MB (process at {before:.0f} MB before)")
    return 0 if job.status == Job.Status.DONE and tasks == args.rows else 1


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    return _status_mb("VmHWM")


def _reset_peak() -> bool:
    """Reset the process's resident high-water mark (Linux: `5` to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
