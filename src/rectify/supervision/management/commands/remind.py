"""`rectify remind [--date YYYY-MM-DD] [--json]`: deliver the warnings due on a date, once each."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.audit.services import checkpoint
from rectify.supervision.services.reminders import RemindBusy, run_reminders


class Command(BaseCommand):
    help = "发送到期提醒和逾期预警（每天运行一次；同一提醒只发一次），并重试到期的 Webhook"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出本次发送的提醒")
        parser.add_argument("--no-email", action="store_true", help="只写入站内通知，不发邮件")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"「--date」无法识别：{options['date']}（应为 YYYY-MM-DD）") from exc
        try:
            result = run_reminders(day, email=not options["no_email"])
        except RemindBusy:
            # Not a failure: the run that holds the lock sends what is due.
            self.stderr.write("另一次提醒正在运行（可能在另一台服务器上），本次未发送任何提醒")
            return
        # A checkpoint of every audit chain's head, printed daily so an operator can keep it outside the database.
        head = checkpoint()
        if options["json"]:
            self.stdout.write(json.dumps({**result.as_dict(), "audit_head": str(head)}, ensure_ascii=False, indent=2))
            return
        counts = result.counts()
        labels = {"due_20": "到期提醒", "due_10": "临期预警", "overdue": "逾期警示", "silent": "进展提醒",
                  "lead_overdue": "线索超期", "report_overdue": "报告超期"}
        summary = "，".join(f"{labels.get(k, k)} {n} 条" for k, n in sorted(counts.items())) or "无新提醒"
        hooks = result.webhooks
        self.stdout.write(
            f"{result.day.isoformat()}：{summary}；Webhook 送达 {hooks.delivered}、待重试 {hooks.retrying}、失败 {hooks.failed}\n"
            f"审计链头 {head}（请另行保存，可用 rectify audit verify --head {head} 核对）"
        )
