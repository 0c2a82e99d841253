"""`rectify import-ledger FILE --inspection ID`: import an Excel ledger (整改台账) into an inspection's plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from rectify.errors import RectifyError
from rectify.inspections.models import Inspection
from rectify.organizations.models import User
from rectify.organizations.services import system_actor
from rectify.spreadsheets.model import LedgerFileError
from rectify.spreadsheets.services import LedgerImportResult, describe_error, import_ledger

EXIT_BAD_ROWS = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = "导入 Excel 整改台账到一次巡视巡察的整改方案（有错误行时默认不导入任何数据）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="台账文件（.xlsx、.xls、.xlsb、.ods 或 .csv）")
        parser.add_argument("--inspection", type=int, required=True, help="巡视巡察编号")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--skip-bad-rows", action="store_true", help="跳过有错误的行，导入其余各行")
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME",
            help="以该账号导入（如整改办账号：台账中的「整改进展」按日期和部门一并导入）",
        )

    @no_translations  # the output (and --json's reasons) is Chinese, whatever language is active
    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        inspection = Inspection.objects.select_related("target").filter(pk=options["inspection"]).first()
        if inspection is None:
            raise CommandError(f"未找到编号为 {options['inspection']} 的巡视巡察", returncode=EXIT_BAD_ROWS)
        try:
            data = path.read_bytes()
        except OSError as error:
            self.fail(options, f"无法读取文件 {path}：{error.strerror or error}", EXIT_UNREADABLE)
        actor = system_actor()
        if options.get("as_user"):
            found = User.objects.filter(username=options["as_user"], is_active=True).first()
            if found is None:
                self.fail(options, f"未找到账号 {options['as_user']}", EXIT_BAD_ROWS)
            actor = found
        try:
            result = import_ledger(
                actor, inspection, data=data, filename=path.name,
                dry_run=options["dry_run"], skip_bad_rows=options["skip_bad_rows"],
            )
        except LedgerFileError as error:
            self.fail(options, f"无法读取台账 {path.name}：{error}", EXIT_UNREADABLE)
        except RectifyError as error:
            self.fail(options, error.message, EXIT_BAD_ROWS)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            self.summary(inspection, result)
        if result.errors and not result.committed:
            raise CommandError(
                f"台账有 {len(result.errors)} 处错误，未导入任何数据"
                + ("" if options["skip_bad_rows"] or options["dry_run"] else "（可加 --skip-bad-rows 跳过错误行）"),
                returncode=EXIT_BAD_ROWS,
            )

    def fail(self, options: dict[str, Any], message: str, code: int) -> NoReturn:
        if options["json"]:
            self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
        raise CommandError(message, returncode=code)

    def summary(self, inspection: Inspection, result: LedgerImportResult) -> None:
        created = result.created
        counts = (
            f"整改任务 {created['tasks']} 项，新建方面 {created['aspects']} 个、问题 {created['findings']} 个"
            f"（沿用已有问题 {result.reused_findings} 次），整改进展 {created['progress']} 条"
        )
        if result.dry_run:
            self.stdout.write(f"试导入（未写入数据库）「{inspection.title}」：可导入{counts}。")
        elif result.committed:
            self.stdout.write(f"已导入「{inspection.title}」：{counts}。")
        else:
            self.stdout.write(f"未导入「{inspection.title}」：读到 {len(result.parse.tasks)} 项整改任务。")
        for warning in result.warnings:
            self.stdout.write(f"注意：{warning}")
            if "整改进展" in warning:
                self.stdout.write("注意：命令行导入「整改进展」请加 --as 整改办账号（按台账中的日期和部门导入）")
        if result.errors:
            left = "已跳过" if result.committed else "有错误"
            self.stdout.write(f"以下 {len(result.errors)} 处{left}：")
            for error in result.errors:
                self.stdout.write(f"  {describe_error(error)}")
