"""`rectify restore FILE`: check an archive's hashes, then restore it into an empty deployment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.backup.services import BackupError, manifest_digest, read_manifest, restore_backup


class Command(BaseCommand):
    help = "从备份文件恢复数据库和佐证材料（先校验清单哈希；目标部署须为空，除非 --force）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="rectify backup 生成的 .tar.gz 文件")
        parser.add_argument("--force", action="store_true", help="目标部署已有数据时仍然覆盖")
        parser.add_argument("--check", action="store_true", help="只校验备份文件，不恢复")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["file"]).expanduser()
        try:
            if options["check"]:
                manifest = read_manifest(archive)
                self._report({"ok": True, "checked_only": True, "manifest_sha256": manifest_digest(manifest)},
                             f"备份文件完整：{len(manifest['members'])} 个成员的 SHA-256 均与清单一致\n"
                             f"  清单 SHA-256：{manifest_digest(manifest)}", options)
                return
            result = restore_backup(archive, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        summary = {
            "ok": result.ok, "files": result.files, "rows": sum(manifest["counts"].values()),
            "counts_match": result.counts_match,
            "mismatched": {table: list(pair) for table, pair in result.mismatched.items()},
            "audit_ok": result.audit_ok, "audit_checked": result.audit_checked,
            "manifest_sha256": manifest_digest(manifest),
        }
        text = (
            f"恢复完成：{summary['rows']} 行数据，{result.files} 个佐证材料文件\n"
            f"  清单 SHA-256：{summary['manifest_sha256']}\n"
            f"  审计日志：已校验 {result.audit_checked} 条事件"
            + ("，完整" if result.audit_ok else f"，异常（{result.audit_reason}）")
            + "\n  如本版本有新的数据库迁移，请接着运行 rectify migrate"
        )
        self._report(summary, text, options)
        if not result.counts_match:
            raise CommandError("恢复后的行数与备份清单不符：" + "；".join(
                f"{table} 应为 {expected} 实为 {actual}" for table, (expected, actual) in list(result.mismatched.items())[:5]
            ))
        if not result.audit_ok:
            raise CommandError(f"恢复后审计日志校验失败：{result.audit_reason}"
                               "（在另一部署上恢复时，须使用原部署的审计密钥文件，见 RECTIFY_AUDIT_KEY_FILE）")

    def _report(self, summary: dict[str, Any], text: str, options: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(summary, ensure_ascii=False) if options["json"] else text)
