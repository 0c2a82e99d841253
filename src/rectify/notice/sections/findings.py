"""The findings tree: the section that reports rectification per feedback finding (反馈问题).

Headings nest by the order their label styles first appear, so a document that starts at （一）,
numbers problems 1–12 straight across aspects, or puts （22） directly under （四） nests the way a
reader sees it. Paragraphs under a heading become its measures; 一是…二是… runs are split, and
the words introducing them ("整改进展情况：") become the node's text.
"""

from __future__ import annotations

from collections.abc import Iterable

from rectify.notice.headings import Label, match_label, split_measures, split_title
from rectify.notice.model import Node


class TreeBuilder:
    """Feeds lines of the findings section one by one and keeps the open path of headings."""

    def __init__(self) -> None:
        self.roots: list[Node] = []
        self._stack: list[tuple[int, Node]] = []
        self._ranks: dict[int, int] = {}

    def heading(self, style: int, label: str, rest: str) -> Node:
        rank = self._ranks.setdefault(style, len(self._ranks))
        stack = self._stack
        while stack and stack[-1][0] >= rank:
            stack.pop()
        title, remainder = split_title(rest)
        node = Node(label, title)
        if remainder:
            self._body(node, remainder)
        elif title:
            # "关于…问题：一是…二是…" has no full stop before its measures.
            lead, measures = split_measures(title)
            if measures and lead:
                node.title = lead.rstrip("：:；;，, ")
                node.measures.extend(measures)
        (stack[-1][1].children if stack else self.roots).append(node)
        stack.append((rank, node))
        return node

    def paragraph(self, text: str) -> None:
        if not self._stack:
            return  # the section's own lead-in, before its first finding
        self._body(self._stack[-1][1], text)

    @staticmethod
    def _body(node: Node, text: str) -> None:
        """A paragraph of a finding: an introduction (→ text) or measures.

        The words before a 一是…二是… run, or a paragraph ending with a colon, introduce the
        measures when none came yet; everything else is a measure.
        """
        lead, measures = split_measures(text)
        if lead:
            introduces = not node.measures and (bool(measures) or lead.endswith(("：", ":")))
            if introduces:
                node.text += lead
            else:
                node.measures.append(lead)
        node.measures.extend(measures)

    def line(self, text: str) -> None:
        self.feed(text, match_label(text))

    def feed(self, text: str, label: Label | None) -> None:
        """Feed one line whose heading label (or None) is already known."""
        if label is None:
            if self._stack:  # else the section's own lead-in, before its first finding
                self._body(self._stack[-1][1], text)
        else:
            self.heading(label.style, label.label, label.rest)


def build_findings(lines: Iterable[str]) -> list[Node]:
    """The findings tree of the lines of a findings section (its own heading excluded)."""
    builder = TreeBuilder()
    for text in lines:
        builder.line(text)
    return builder.roots
