"""`rectify demo [--no-server]`: create the demo data and serve the web app on 127.0.0.1:8000."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from rectify.demo.builder import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "创建演示数据（可重复运行，不会重复创建）并启动本地网站"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-server", action="store_true", help="只创建数据，不启动网站")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="网站地址和端口（默认 127.0.0.1:8000）")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        summary = build_demo()
        from django.conf import settings

        self.stdout.write(("已创建演示数据" if summary.created else "演示数据已存在，未作改动") + f"（数据目录：{settings.RECTIFY_HOME}）")
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for role, username, org in summary.logins:
            self.stdout.write(f"  {username:<16} {role:<8} {org}")
        if options["no_server"]:
            return
        self.stdout.write(f"\n网址：http://{options['addrport']}/   按 Ctrl+C 停止\n")
        call_command("runserver", options["addrport"], use_reloader=False)
