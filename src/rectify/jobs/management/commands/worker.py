"""`rectify worker [--once]`: run the background jobs (e-mail, webhooks, analyses) from the database."""

from __future__ import annotations

import json
import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from rectify.jobs import queue


class Command(BaseCommand):
    help = "执行后台作业（邮件、Webhook、共性问题分析等）；可在多台服务器上同时运行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="执行完当前到期的作业后退出")
        parser.add_argument("--max-jobs", type=int, default=0, help="执行这么多个作业后退出（0 为不限）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出本次执行的统计（与 --once 同用）")

    def handle(self, *args: Any, **options: Any) -> None:
        queue.load_handlers()
        if options["once"]:
            drained = queue.run_due()
            counts = {"done": drained.done, "retrying": drained.retrying, "failed": drained.failed}
            if options["json"]:
                self.stdout.write(json.dumps(counts))
            else:
                self.stdout.write(f"完成 {drained.done} 个作业，待重试 {drained.retrying}，失败 {drained.failed}")
            return
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True  # finish the job in hand, then leave

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        poll = max(float(getattr(settings, "RECTIFY_WORKER_POLL_SECONDS", 2)), 0.1)
        worker, ran, pruned_at = queue.worker_id(), 0, 0.0
        self.stdout.write(f"后台作业执行者 {worker} 已启动")
        self.stdout.flush()
        while not stopping:
            close_old_connections()
            try:
                job = queue.claim(worker=worker)
            except DatabaseError as exc:
                # A database that is busy (SQLite's write lock) or restarting: try again, never stop.
                self.stderr.write(f"暂时无法读取作业队列（{exc}），稍后重试")
                close_old_connections()
                time.sleep(poll)
                continue
            if job is None:
                if time.monotonic() - pruned_at > 3600:
                    queue.prune()
                    pruned_at = time.monotonic()
                time.sleep(poll)
                continue
            job = queue.run(job)
            self.stdout.write(f"作业 {job.pk}（{job.name}）：{job.get_status_display()}")
            self.stdout.flush()
            ran += 1
            if options["max_jobs"] and ran >= options["max_jobs"]:
                break
