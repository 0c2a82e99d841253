"""`rectify parse FILE|- [--json]`: read a notice and print its outline or its JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from rectify.notice.errors import NoticeError
from rectify.notice.model import Node, Notice
from rectify.notice.parser import parse
from rectify.notice.reader import read_file


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rectify parse",
        description="读取整改进展情况通报（.txt、.docx、.html），输出提纲或 JSON。",
    )
    parser.add_argument("file", metavar="FILE", help="通报文件；用 - 从标准输入读取")
    parser.add_argument("--json", action="store_true", help="按 Notice JSON 约定输出")
    return parser


def _value(value: object) -> str:
    return "—" if value in (None, "", []) else str(value)


def _outline_nodes(nodes: list[Node], depth: int, out: TextIO) -> None:
    for node in nodes:
        count = f"（措施 {len(node.measures)} 条）" if node.measures else ""
        out.write(f"{'  ' * (depth + 1)}{node.label}{node.title}{count}\n")
        _outline_nodes(node.children, depth + 1, out)


def print_outline(notice: Notice, out: TextIO) -> None:
    """A readable Chinese outline of the notice."""
    fields = [
        ("标题", notice.title), ("被巡单位", notice.unit), ("类别", notice.kind),
        ("巡视巡察机关", notice.inspector), ("届次", notice.term), ("轮次", notice.round),
        ("巡视巡察组", notice.group), ("方式", notice.type),
        ("进驻", f"{_value(notice.onsite_start)} 至 {_value(notice.onsite_end)}"),
        ("反馈日期", notice.feedback_date), ("发布日期", notice.published),
    ]
    for name, value in fields:
        out.write(f"{name}：{_value(value)}\n")
    levels = notice.levels()
    out.write(f"\n反馈问题整改情况（各级节点数 {'/'.join(map(str, levels)) if levels else 0}）：\n")
    _outline_nodes(notice.findings, 0, out)
    out.write(f"\n数字成效（{len(notice.figures)} 条）：\n")
    for figure in notice.figures:
        numbers = "；".join(f"{n.what or '?'} {n.to_dict()['value']}{n.unit}" for n in figure.numbers)
        out.write(f"  {figure.text}  [{numbers}]\n")
    contact = notice.contact
    out.write("\n联系方式：\n")
    out.write(f"  电话：{_value('、'.join(contact.phone))}\n")
    out.write(f"  邮箱：{_value('、'.join(contact.email))}\n")
    out.write(f"  地址：{_value(contact.address)}\n")
    out.write(f"  邮编：{_value(contact.postcode)}\n")


def main(argv: list[str]) -> int:
    """Run `rectify parse`; returns the exit code (0 ok, 2 unreadable input or bad arguments)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
            text = read_file(data, "-")
        else:
            text = read_file(args.file)
        notice = parse(text)
    except NoticeError as error:
        sys.stderr.write(f"rectify parse：{args.file}：{error}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(notice.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_outline(notice, sys.stdout)
    return 0
