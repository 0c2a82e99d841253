"""`rectify report INSPECTION_ID --kind notice|internal|leader --format docx|pdf|html|txt -o FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.errors import RectifyError
from rectify.inspections.models import Inspection
from rectify.organizations.services import system_actor
from rectify.reports.models import Report
from rectify.reports.pdf import PdfUnavailable
from rectify.reports.rendering import FORMATS, render
from rectify.reports.selectors import require_report
from rectify.reports.services import build_draft, draft_as_content, pdf_message


class Command(BaseCommand):
    help = "根据台账最新数据生成整改进展情况通报或整改报告（docx/pdf/html/txt）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inspection_id", help="巡视巡察编号")
        parser.add_argument("--kind", choices=Report.Kind.values, default=Report.Kind.NOTICE, help="报告类别")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="docx", help="输出格式")
        parser.add_argument("-o", "--output", required=True, help="输出文件，- 表示标准输出（仅 txt/html）")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = str(options["inspection_id"]).strip()
        inspection = (
            Inspection.objects.select_related("target").filter(pk=int(raw)).first() if raw.isdigit() else None
        )
        if inspection is None:
            raise CommandError(f"找不到编号为 {raw} 的巡视巡察")
        actor = system_actor()
        kind, fmt = options["kind"], options["fmt"]
        try:
            # Written from the ledger as it is now; the office's saved draft is left untouched.
            require_report(actor, Report(inspection=inspection, kind=kind), "view")
            content = draft_as_content(build_draft(inspection, kind), kind)
            data = render(content, fmt)
        except RectifyError as exc:
            raise CommandError(exc.message) from exc
        except PdfUnavailable as exc:
            raise CommandError(pdf_message(exc)) from exc
        output = options["output"]
        if output == "-":
            if fmt in ("docx", "pdf"):
                raise CommandError(f"{fmt} 格式不能输出到标准输出，请用 -o 指定文件")
            self.stdout.write(data.decode())
            return
        path = Path(output)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from exc
        self.stdout.write(f"已生成 {path}（{len(data)} 字节）")
