"""`rectify demo [--no-server]`: create the demo data and serve the web app on 127.0.0.1:8000."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from rectify.demo.builder import DEMO_PASSWORD, build_demo, demo_exists


class MigrationProgress(io.TextIOBase):
    """Turns migrate's "Applying app.name..." lines into one progress line: 正在建立数据库表 12/41."""

    def __init__(self, out: OutputWrapper, total: int) -> None:
        self.out, self.total, self.done = out, total, 0
        self.terminal = out.isatty()

    def write(self, text: str) -> int:
        if "Applying " in text:
            self.done += 1
            line = f"  正在建立数据库表 {self.done}/{self.total}"
            if self.terminal:
                self.out.write("\r" + line, ending="")
                self.out.flush()
            elif self.done % 10 == 0 or self.done == self.total:
                # In a log, a line every ten migrations rather than one rewritten line.
                self.out.write(line)
        return len(text)


class Command(BaseCommand):
    help = "创建演示数据（可重复运行，不会重复创建）并启动本地网站"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-server", action="store_true", help="只创建数据，不启动网站")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="网站地址和端口（默认 127.0.0.1:8000）")

    def handle(self, *args: Any, **options: Any) -> None:
        self._migrate()
        if not demo_exists():
            self.stdout.write("  正在创建演示数据（约半分钟）：")
        summary = build_demo(progress=lambda step: self.stdout.write(f"    {step}"))
        from django.conf import settings

        self.stdout.write(("已创建演示数据" if summary.created else "演示数据已存在，未作改动") + f"（数据目录：{settings.RECTIFY_HOME}）")
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for role, username, org in summary.logins:
            self.stdout.write(f"  {username:<16} {role:<8} {org}")
        if options["no_server"]:
            return
        self.stdout.write(f"\n网址：http://{options['addrport']}/   按 Ctrl+C 停止\n")
        # E-mail, webhooks and the analyses run in the background worker: the demo starts one beside the
        # web server and stops it with the server.
        worker = subprocess.Popen([sys.executable, "-m", "rectify", "worker"], stdout=subprocess.DEVNULL)
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def _migrate(self) -> None:
        """Create or update the tables, showing how far it got when there is work to do."""
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        total = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        if not total:
            call_command("migrate", interactive=False, verbosity=0)
            return
        progress = MigrationProgress(self.stdout, total)
        call_command("migrate", interactive=False, verbosity=1, stdout=progress)
        if progress.terminal:
            self.stdout.write("")
