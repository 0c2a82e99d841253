"""`rectify import-notice FILE [--unit ORG] [--dry-run]`: import a 整改进展情况通报 as an inspection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.errors import RectifyError
from rectify.ledger.notice_import import NoticeImportResult, import_notice
from rectify.organizations.models import Organization
from rectify.organizations.services import system_actor


class Command(BaseCommand):
    help = "导入整改进展情况通报（.txt/.docx/.html），生成巡视巡察、问题、任务、制度和成效"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="通报文件")
        parser.add_argument("--unit", help="被巡视巡察单位的编号或全称；不填时按通报中的单位名称查找或新建")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        unit = self.find_unit(options["unit"]) if options["unit"] else None
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror or error}") from error
        try:
            result = import_notice(system_actor(), unit, data=data, filename=path.name, dry_run=options["dry_run"])
        except RectifyError as error:
            raise CommandError(error.message) from error
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            self.summary(result)

    def find_unit(self, value: str) -> Organization:
        value = value.strip()
        units = Organization.objects.filter(kind=Organization.Kind.UNIT)
        unit = units.filter(pk=int(value)).first() if value.isdigit() else units.filter(name=value).first()
        if unit is None:
            raise CommandError(f"未找到单位：{value}（请填写单位编号或全称）")
        return unit

    def summary(self, result: NoticeImportResult) -> None:
        """What the import created, and the figures the notice states of itself beside them."""
        out = self.stdout.write
        prefix = "试导入（未写入数据库）：" if result.dry_run else ""
        if result.unit_created:
            out(f"{prefix}未找到单位「{result.unit.name}」，已新建该单位。")
        if not result.created:
            out(f"该通报已导入过：巡视巡察 #{result.inspection.pk}「{result.inspection.title}」，未重复导入。")
        elif result.dry_run:
            out(f"{prefix}可导入「{result.inspection.title}」（{result.unit.name}）。")
        else:
            out(f"已导入巡视巡察 #{result.inspection.pk}「{result.inspection.title}」（{result.unit.name}）。")
        levels = result.findings_per_level
        out(f"  反馈问题：方面 {levels[0]} 个，问题 {levels[1]} 个，具体问题 {levels[2]} 个")
        out(f"  整改任务 {result.tasks} 项，建章立制 {result.rule_changes} 项，整改成效 {result.outcomes} 项")
        if result.created and (result.closed or result.phased):
            out(f"  按通报发布时的状态：已完成 {result.closed} 项，取得阶段性成效 {result.phased} 项")
        stated = [f"{label} {result.stated[key]} {unit}" for key, label, unit in STATED_LABELS if key in result.stated]
        if stated:
            out(f"  通报自述：{'，'.join(stated)}")


STATED_LABELS = (
    ("aspects", "方面", "个"), ("problems", "问题", "个"), ("tasks", "整改任务", "项"),
    ("closed", "已完成", "项"), ("long_term", "长期整改", "项"),
)
