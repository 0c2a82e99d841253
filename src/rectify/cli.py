"""The `rectify` console script: `rectify parse` runs without Django; everything else is a management command."""

from __future__ import annotations

import os
import sys

COMMANDS = [
    ("demo [--no-server]", "创建演示数据并启动本地网站，打印登录账号"),
    ("stats [--json]", "各巡视巡察的整改任务统计（按状态、逾期、线索、制度）"),
    ("audit verify", "校验审计日志哈希链是否完整"),
    ("parse FILE|- [--json]", "解析整改进展情况通报（.txt/.docx/.html）"),
    ("import-notice FILE [--unit ORG] [--dry-run]", "导入整改进展情况通报，生成问题和任务"),
    ("report ID --kind notice|internal|leader --format docx|html|txt -o FILE", "生成整改报告或通报"),
    ("import-ledger FILE --inspection ID [--dry-run] [--json] [--skip-bad-rows]", "导入 Excel 整改台账"),
    ("export-ledger ID -o FILE", "导出 Excel 整改台账"),
    ("remind [--date YYYY-MM-DD] [--json]", "发送到期提醒和逾期预警"),
    ("backup -o FILE / restore FILE", "备份与恢复"),
    ("token create USERNAME --name N --scope read|write --days 90 / token revoke ID", "个人接口令牌"),
    ("migrate, createsuperuser, check --deploy, runserver …", "Django 自带命令"),
]


HYPHENATED = {"import-notice", "import-ledger", "export-ledger"}


def print_help() -> None:
    print("rectify — 整改台账\n\n用法：rectify COMMAND [选项]\n")
    width = max(len(c) for c, _ in COMMANDS)
    for command, text in COMMANDS:
        print(f"  {command.ljust(width)}  {text}")
    print("\n环境变量：RECTIFY_HOME（数据目录）、DATABASE_URL、SECRET_KEY、ALLOWED_HOSTS、DEBUG，详见 .env.example")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"help", "-h", "--help"}:
        print_help()
        return 0
    if args[0] == "parse":
        from rectify.notice.command import main as parse_main

        return parse_main(args[1:])
    if args[0] in HYPHENATED:
        args[0] = args[0].replace("-", "_")
    if args[0] == "demo":
        # Demo accounts keep their printed password while the demo server runs.
        os.environ.setdefault("RECTIFY_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["rectify", *args])
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
