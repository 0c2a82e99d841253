"""`rectify stats [--json]`: the weekly figures of every inspection."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rectify.inspections.models import Inspection
from rectify.ledger.models import Task
from rectify.ledger.selectors import inspection_stats


class Command(BaseCommand):
    help = "各巡视巡察的整改任务统计：按状态、逾期、线索、制度"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = inspection_stats(Inspection.objects.select_related("target"))
        if options["json"]:
            self.stdout.write(json.dumps({"inspections": rows}, ensure_ascii=False, indent=2))
            return
        labels = dict(Task.Status.choices)
        if not rows:
            self.stdout.write("还没有巡视巡察记录。")
        for row in rows:
            tasks = row["tasks"]
            self.stdout.write(f"#{row['id']} {row['title']}（{row['unit']}）")
            parts = [f"{labels[s]} {tasks[s]}" for s in Task.Status.values if tasks[s]]
            self.stdout.write(f"  整改任务 {tasks['total']} 项：" + "，".join(parts) + f"；逾期 {tasks['overdue']} 项")
            self.stdout.write(f"  问题线索：未办结 {row['leads']['open']} 件，已办结 {row['leads']['concluded']} 件")
            self.stdout.write(f"  建章立制 {row['rules']['total']} 项（新建 {row['rules']['created']}，修订 {row['rules']['revised']}，废止 {row['rules']['abolished']}）")
