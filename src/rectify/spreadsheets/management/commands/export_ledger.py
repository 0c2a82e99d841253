"""`rectify export-ledger INSPECTION_ID -o FILE.xlsx`: export an inspection's plan as the standard ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.errors import RectifyError
from rectify.inspections.models import Inspection
from rectify.organizations.services import system_actor
from rectify.spreadsheets.services import export_ledger


class Command(BaseCommand):
    help = "导出一次巡视巡察的 Excel 整改台账"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inspection", type=int, help="巡视巡察编号")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--per-aspect", action="store_true", help="每个方面一个工作表")

    def handle(self, *args: Any, **options: Any) -> None:
        inspection = Inspection.objects.select_related("target").filter(pk=options["inspection"]).first()
        if inspection is None:
            raise CommandError(f"未找到编号为 {options['inspection']} 的巡视巡察")
        try:
            data = export_ledger(system_actor(), inspection, per_aspect=options["per_aspect"])
        except RectifyError as error:
            raise CommandError(error.message) from error
        path = Path(options["output"])
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"无法写入文件 {path}：{error.strerror or error}") from error
        count = inspection.tasks.count()
        self.stdout.write(f"已导出「{inspection.title}」的整改台账：{count} 项整改任务 → {path}")
