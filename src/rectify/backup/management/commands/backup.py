"""`rectify backup -o FILE`: the database and the evidence files in one checked archive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.backup.services import BackupError, create_backup, manifest_digest


class Command(BaseCommand):
    help = "备份数据库和佐证材料到一个 .tar.gz 文件（含 SHA-256 清单）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="备份文件路径，如 rectify-2026-01-31.tar.gz")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出清单摘要")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]).expanduser()
        if output.is_dir():
            raise CommandError(f"{output} 是目录，请给出备份文件名")
        if not output.parent.is_dir():
            raise CommandError(f"目录不存在：{output.parent}")
        try:
            manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        digest = manifest_digest(manifest)
        rows = sum(manifest["counts"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        if options["json"]:
            self.stdout.write(json.dumps({
                "file": str(output), "engine": manifest["engine"], "rows": rows, "files": files,
                "audit": manifest["audit"], "manifest_sha256": digest,
            }, ensure_ascii=False))
            return
        self.stdout.write(
            f"备份完成：{output}\n"
            f"  数据库 {manifest['engine']}，{len(manifest['counts'])} 张表共 {rows} 行；佐证材料 {files} 个文件\n"
            f"  审计链头 {manifest['audit']['last_id']}:{manifest['audit']['last_hash']}"
            "（请另行保存，可用 rectify audit verify --head 核对）\n"
            f"  清单 SHA-256：{digest}（请与备份文件分开记录，恢复时可核对）"
        )
