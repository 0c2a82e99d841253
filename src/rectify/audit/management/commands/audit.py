"""`rectify audit verify [--head ID:HASH]`: check the audit log's keyed hash chain."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.audit.keys import AuditKeyError
from rectify.audit.services import Head, current_head, verify


class Command(BaseCommand):
    help = "校验审计日志的密钥哈希链（rectify audit verify [--head 编号:哈希]）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "head"])
        parser.add_argument("--head", help="另行保存的审计链头（编号:哈希，见 rectify remind / rectify backup 的输出）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            head = current_head()
            self.stdout.write(json.dumps({"head": str(head)}) if options["json"] else f"审计链头 {head}")
            return
        anchor = None
        if options["head"]:
            try:
                anchor = Head.parse(options["head"])
            except ValueError:
                raise CommandError(f"「--head」无法识别：{options['head']}（应为 编号:64 位十六进制哈希）") from None
        try:
            result = verify(head=anchor)
        except AuditKeyError as error:
            raise CommandError(f"审计密钥不可用：{error}") from None
        if options["json"]:
            self.stdout.write(json.dumps(
                {"ok": result.ok, "checked": result.checked, "bad_event": result.bad_id, "reason": result.reason,
                 "head": str(current_head())},
                ensure_ascii=False,
            ))
        if not result.ok:
            raise CommandError(f"审计日志校验失败：第一个异常事件 #{result.bad_id}（{result.reason}）")
        if not options["json"]:
            reached = f"，已到达保存的链头 #{anchor.id}" if anchor else ""
            self.stdout.write(f"审计日志完整：已校验 {result.checked} 条事件{reached}；当前链头 {current_head()}")
