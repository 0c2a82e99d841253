"""`rectify audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.audit.services import verify


class Command(BaseCommand):
    help = "校验审计日志的哈希链（rectify audit verify）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if options["json"]:
            self.stdout.write(json.dumps(
                {"ok": result.ok, "checked": result.checked, "bad_event": result.bad_id, "reason": result.reason},
                ensure_ascii=False,
            ))
        if not result.ok:
            raise CommandError(f"审计日志校验失败：第一个异常事件 #{result.bad_id}（{result.reason}）")
        if not options["json"]:
            self.stdout.write(f"审计日志完整：已校验 {result.checked} 条事件")
