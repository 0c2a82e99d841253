"""`rectify audit verify [--head ID:HASH]`: check every audit chain; `rectify audit head`: the heads to keep."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.audit.keys import AuditKeyError
from rectify.audit.models import SYSTEM_CHAIN
from rectify.audit.services import ChainHead, Head, chain_heads, checkpoint, verify


def _chain_name(chain: int | None) -> str:
    if chain is None:
        return "原单一审计链"
    return "系统链" if chain == SYSTEM_CHAIN else f"单位 {chain} 的审计链"


def _kept_head(value: str) -> Head:
    """`--head` as given: `ID:HASH`, or a file (or `-`, standard input) holding what `rectify audit head` printed."""
    text = value
    if value == "-":
        text = sys.stdin.read()
    elif not value.strip()[:1].isdigit() and Path(value).is_file():
        text = Path(value).read_text(encoding="utf-8")
    try:
        return Head.parse(text)
    except ValueError:
        raise CommandError(f"「--head」无法识别：{value}（应为 编号:64 位十六进制哈希，或 rectify audit head 的输出）") from None


class Command(BaseCommand):
    help = "校验审计日志的各条密钥哈希链（rectify audit verify [--head 编号:哈希]），或存证并列出各链链头（rectify audit head）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "head"])
        parser.add_argument("--head", help="另行保存的审计链头（编号:哈希，见 rectify audit head / rectify remind / "
                                           "rectify backup 的输出；也可给出保存 rectify audit head 输出的文件）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--chains", action="store_true", help="head：另列出每条审计链的链头")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            self._head(options["json"], options["chains"])
            return
        anchor = _kept_head(options["head"]) if options["head"] else None
        try:
            result = verify(head=anchor)
        except AuditKeyError as error:
            raise CommandError(f"审计密钥不可用：{error}") from None
        if options["json"]:
            self.stdout.write(json.dumps(
                {"ok": result.ok, "checked": result.checked, "chains": result.chains, "bad_event": result.bad_id,
                 "chain": result.chain, "seq": result.seq, "reason": result.reason},
                ensure_ascii=False,
            ))
        if not result.ok:
            event = f"事件 #{result.bad_id}" if result.bad_id is not None else "缺失的事件"
            place = f"{_chain_name(result.chain)}第 {result.seq} 条，" if result.seq is not None else ""
            raise CommandError(f"审计日志校验失败：第一个异常事件：{place}{event}（{result.reason}）")
        if not options["json"]:
            reached = f"，已到达保存的链头 #{anchor.id}" if anchor else ""
            self.stdout.write(f"审计日志完整：已校验 {result.chains} 条审计链共 {result.checked} 条事件{reached}")

    def _head(self, as_json: bool, every_chain: bool) -> None:
        """Seal every chain's head into a checkpoint and print the one head to keep: a line whatever the number
        of chains (the checkpoint holds each chain's head, so verify still names a broken chain); each chain's
        head too with `--chains`."""
        kept = checkpoint()
        heads: list[ChainHead] = chain_heads()
        events = sum(head.count for head in heads)
        if as_json:
            printed: dict[str, Any] = {"head": str(kept), "chain_count": len(heads), "events": events}
            if every_chain:
                printed["chains"] = {str(head.chain): {"count": head.count, "head": str(head.last)} for head in heads}
            self.stdout.write(json.dumps(printed))
            return
        for head in heads if every_chain else ():
            self.stdout.write(f"{_chain_name(head.chain)}：{head.count} 条，链头 {head.last}")
        self.stdout.write(f"审计链头 {kept}（合并 {len(heads)} 条审计链共 {events} 条事件的链头；请另行保存，"
                          f"可用 rectify audit verify --head {kept} 核对）")
