"""The `rectify` console script: `rectify parse` runs without Django; everything else is a management command.

`rectify help` is generated from the commands' own argument parsers, so it lists every option a command
accepts; command names are written with dashes (`import-notice`), and the underscore form still works.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import unicodedata
from collections.abc import Iterator

WIDTH = 80
# The order `rectify help` lists Rectify's commands in; commands not named here follow alphabetically.
ORDER = [
    "demo", "bootstrap", "check-deployment", "stats", "parse", "import-notice", "import-ledger",
    "export-ledger", "report", "remind", "worker", "audit", "backup", "restore", "token",
]
# Options every Django command has; `rectify help COMMAND` still shows them.
DJANGO_OPTIONS = {"help", "version", "verbosity", "settings", "pythonpath", "traceback", "no_color",
                  "force_color", "skip_checks"}
CLOSING = set("，。、；：？！）」』》")
DOCS = "docs/deployment.md、docs/operations.md（随源代码发布）"


def version() -> str:
    """Rectify's own version, from the installed package's metadata."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("rectify")
    except PackageNotFoundError:
        from rectify import __version__

        return __version__


def columns(text: str) -> int:
    """Terminal columns `text` takes: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> Iterator[str]:
    """Words to wrap between: a run of non-CJK characters up to a space, or one CJK character."""
    word = ""
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if ch == " " or wide:
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
    if word:
        yield word


def wrap(text: str, *, indent: str = "", width: int = WIDTH) -> list[str]:
    """Lines of at most `width` columns (CJK-aware), each starting with `indent`."""
    lines: list[str] = []
    line: list[str] = []

    def used(tokens: list[str]) -> int:
        return columns(indent) + sum(columns(t) for t in tokens)

    for token in _tokens(text):
        if line and used(line) + columns(token) > width:
            carried: list[str] = []
            # Closing punctuation never starts a line: the word before it moves down with it.
            if token in CLOSING and len(line) > 1 and line[-1] != " ":
                carried = [line.pop()]
            lines.append((indent + "".join(line)).rstrip())
            line = carried
            if token == " ":
                continue
        line.append(token)
    if "".join(line).strip():
        lines.append((indent + "".join(line)).rstrip())
    return lines


def _option(action: argparse.Action) -> str:
    metavar = str(action.metavar) if isinstance(action.metavar, str) else action.dest.upper()
    name = action.option_strings[-1] if action.option_strings else metavar
    if action.option_strings and action.nargs != 0:
        if action.choices:
            name += " " + "|".join(str(c) for c in action.choices)
        else:
            name += " " + metavar
    elif not action.option_strings and action.choices:
        name = "|".join(str(c) for c in action.choices)
    return name if action.required or not action.option_strings else f"[{name}]"


def usages(name: str, parser: argparse.ArgumentParser) -> list[str]:
    """One usage line per form of a command (one per sub-command), with every option it accepts."""
    parts: list[str] = []
    forms: list[str] = []
    for action in parser._actions:
        if action.dest in DJANGO_OPTIONS or action.help == argparse.SUPPRESS:
            continue
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                forms.extend(usages(f"{name} {sub}", subparser))
            continue
        parts.append(_option(action))
    if forms:
        return [f"{form} {' '.join(parts)}".rstrip() for form in forms]
    return [" ".join([name, *parts])]


def dashed(name: str) -> str:
    return name.replace("_", "-")


def rectify_commands() -> dict[str, str]:
    """Rectify's own management commands, dashed name → module name."""
    from django.core.management import get_commands

    return {dashed(name): name for name, app in get_commands().items() if app.startswith("rectify.")}


def _parsers() -> Iterator[tuple[str, argparse.ArgumentParser, str]]:
    from django.core.management import get_commands, load_command_class

    from rectify.notice.command import _parser as parse_parser

    commands = get_commands()
    names = {**rectify_commands(), "parse": ""}
    ordered = [n for n in ORDER if n in names] + sorted(n for n in names if n not in ORDER)
    for name in ordered:
        if name == "parse":
            parser = parse_parser()
            yield name, parser, parser.description or ""
            continue
        command = load_command_class(commands[names[name]], names[name])
        yield name, command.create_parser("rectify", names[name]), str(command.help)


def help_text() -> str:
    """`rectify help`: every Rectify command with all its options, wrapped at 80 columns."""
    from django.conf import settings

    out = [f"rectify {version()} — 整改台账", "", "用法：rectify 命令 [选项]    rectify help 命令：该命令的完整说明", ""]
    for name, parser, text in _parsers():
        for usage in usages(name, parser):
            out.extend(wrap(usage, indent="  ") if columns(usage) + 2 <= WIDTH else _wrap_usage(usage))
        out.extend(wrap(text, indent="      "))
    out.append("")
    out.extend(wrap("Django 自带命令同样可用：migrate、collectstatic、createsuperuser、check --deploy、"
                    "changepassword、shell、dbshell 等（rectify help 命令 查看其选项）。"))
    out.append("")
    env_file = settings.RECTIFY_ENV_FILE
    out.extend(wrap(f"设置从环境变量读取，并读取环境文件 {env_file or '/etc/rectify/env（本机没有）'}"
                    "（或 RECTIFY_ENV_FILE 指定的文件），进程自身的环境变量优先。"
                    f"数据目录：{settings.RECTIFY_HOME}。"))
    out.extend(wrap(f"部署、环境变量一览与日常运维见 {DOCS}。"))
    return "\n".join(out)


def _wrap_usage(usage: str) -> list[str]:
    """A long usage line broken between options, continuation lines indented under the command."""
    head, *options = usage.split(" [")
    lines = ["  " + head]
    for option in options:
        piece = " [" + option
        if columns(lines[-1]) + columns(piece) > WIDTH:
            lines.append("      " + piece.lstrip())
        else:
            lines[-1] += piece
    return lines


def unknown_command(name: str) -> str:
    """The answer to a command that does not exist, suggesting the nearest dashed names."""
    from django.core.management import get_commands

    known = [*rectify_commands(), "parse", "help"]
    others = [n for n, app in get_commands().items() if not app.startswith("rectify.")]
    close = difflib.get_close_matches(dashed(name), known, n=3, cutoff=0.6) or difflib.get_close_matches(
        name, others, n=3, cutoff=0.6)
    message = f"未知命令：{name}。"
    if close:
        message += f"您要找的是不是：{'、'.join(close)}？"
    return message + "运行 rectify help 查看全部命令。"


def command_help(name: str) -> int:
    """`rectify help COMMAND`: the command's own argparse help, under its dashed name."""
    from django.core.management import get_commands, load_command_class

    commands = get_commands()
    module = rectify_commands().get(name, name)
    if module not in commands:
        print(unknown_command(name), file=sys.stderr)
        return 1
    command = load_command_class(commands[module], module)
    command.print_help("rectify", dashed(module) if commands[module].startswith("rectify.") else module)
    return 0


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in {"--version", "-V", "version"}:
        print(f"rectify {version()}")
        return 0
    if args and args[0] == "parse":
        from rectify.notice.command import main as parse_main

        return parse_main(args[1:])
    if args and args[0] == "demo":
        # Demo accounts keep their printed password while the demo server runs.
        os.environ.setdefault("RECTIFY_DEMO", "1")
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup()
    except ImproperlyConfigured as error:
        print(f"rectify：配置有误。{error}", file=sys.stderr)
        return 2
    if not args or args[0] in {"help", "-h", "--help"}:
        if len(args) > 1 and args[1] != "parse":
            return command_help(args[1])
        if len(args) > 1:
            from rectify.notice.command import _parser as parse_parser

            parse_parser().print_help()
            return 0
        else:
            print(help_text())
            return 0
    from django.core.management import execute_from_command_line, get_commands

    commands = rectify_commands()
    name = commands.get(args[0], args[0])
    if name not in get_commands():
        print(unknown_command(args[0]), file=sys.stderr)
        return 1
    args[0] = name
    missing = "" if {"-h", "--help"} & set(args) else missing_database(name)
    if missing:
        print(missing, file=sys.stderr)
        return 2
    try:
        execute_from_command_line(["rectify", *args])
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    if name == "migrate":
        _record_engine()
    return 0


# Commands that work on a deployment's existing data: on SQLite they never create the database file.
DATA_COMMANDS = {"remind", "stats", "audit", "import_notice", "import_ledger", "export_ledger", "report", "token",
                 "backup", "bootstrap", "worker"}


def missing_database(name: str) -> str:
    """Why `name` must not run: a data command on SQLite whose database was never created ("" if it may run)."""
    from pathlib import Path

    from django.db import connection

    if name not in DATA_COMMANDS or connection.vendor != "sqlite" or connection.is_in_memory_db():
        return ""
    path = connection.settings_dict["NAME"]
    if Path(path).exists():
        return ""
    return (f"rectify：数据库 {path} 不存在，未创建空数据库。新部署请先运行 rectify migrate；"
            "若本部署使用 PostgreSQL，请检查 /etc/rectify/env（或 RECTIFY_ENV_FILE 指定的文件）中的 DATABASE_URL，"
            "并以能读取该文件的服务用户运行。")


def _record_engine() -> None:
    """After a migrate on PostgreSQL, mark the data folder so no later command falls back to SQLite."""
    from django.conf import settings
    from django.db import connection

    from rectify.environment import record_engine

    if connection.vendor == "postgresql":
        record_engine(settings.RECTIFY_HOME, connection.vendor)


if __name__ == "__main__":
    sys.exit(main())
