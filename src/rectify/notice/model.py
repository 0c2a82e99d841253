"""The Notice (整改进展情况通报) as data: the JSON contract of DESIGN.md.

Pure Python; nothing here imports Django, so the parser and the renderer can be used alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass
class Number:
    """One quantity inside a figure: 38 项 整改任务."""

    value: Decimal | int
    unit: str
    what: str

    def to_dict(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        return {"value": value, "unit": self.unit, "what": self.what}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Number:
        raw = data["value"]
        value = raw if isinstance(raw, int) else Decimal(str(raw))
        return cls(value=value, unit=data["unit"], what=data["what"])


@dataclass
class Figure:
    """A clause of the report that states numbers, kept verbatim."""

    text: str
    numbers: list[Number] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "numbers": [n.to_dict() for n in self.numbers]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        return cls(text=data["text"], numbers=[Number.from_dict(n) for n in data.get("numbers", [])])


@dataclass
class Node:
    """A node of the findings tree: an aspect (方面), a problem, a sub-problem."""

    label: str
    title: str
    text: str = ""
    measures: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "title": self.title,
            "text": self.text,
            "measures": list(self.measures),
            "children": [c.to_dict() for c in self.children],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        return cls(
            label=data.get("label", ""),
            title=data.get("title", ""),
            text=data.get("text", ""),
            measures=list(data.get("measures", [])),
            children=[cls.from_dict(c) for c in data.get("children", [])],
        )


@dataclass
class Contact:
    """The feedback channel a notice names (联系方式)."""

    phone: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    address: str | None = None
    postcode: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "phone": list(self.phone),
            "email": list(self.email),
            "address": self.address,
            "postcode": self.postcode,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Contact:
        return cls(
            phone=list(data.get("phone") or []),
            email=list(data.get("email") or []),
            address=data.get("address"),
            postcode=data.get("postcode"),
        )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class Notice:
    """A 整改进展情况通报: header fields, figures, the findings tree, contact."""

    title: str = ""
    unit: str = ""
    inspector: str | None = None
    kind: str = "巡视"
    term: str | None = None
    round: int | None = None
    group: str | None = None
    type: str | None = None
    onsite_start: date | None = None
    onsite_end: date | None = None
    feedback_date: date | None = None
    published: date | None = None
    figures: list[Figure] = field(default_factory=list)
    findings: list[Node] = field(default_factory=list)
    contact: Contact = field(default_factory=Contact)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of `rectify parse --json`, key for key."""
        return {
            "title": self.title,
            "unit": self.unit,
            "inspector": self.inspector,
            "kind": self.kind,
            "term": self.term,
            "round": self.round,
            "group": self.group,
            "type": self.type,
            "onsite_start": _iso(self.onsite_start),
            "onsite_end": _iso(self.onsite_end),
            "feedback_date": _iso(self.feedback_date),
            "published": _iso(self.published),
            "figures": [f.to_dict() for f in self.figures],
            "findings": [n.to_dict() for n in self.findings],
            "contact": self.contact.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notice:
        return cls(
            title=data.get("title", ""),
            unit=data.get("unit", ""),
            inspector=data.get("inspector"),
            kind=data.get("kind") or "巡视",
            term=data.get("term"),
            round=data.get("round"),
            group=data.get("group"),
            type=data.get("type"),
            onsite_start=_date(data.get("onsite_start")),
            onsite_end=_date(data.get("onsite_end")),
            feedback_date=_date(data.get("feedback_date")),
            published=_date(data.get("published")),
            figures=[Figure.from_dict(f) for f in data.get("figures", [])],
            findings=[Node.from_dict(n) for n in data.get("findings", [])],
            contact=Contact.from_dict(data.get("contact") or {}),
        )

    def levels(self) -> list[int]:
        """Count of findings nodes at each heading level (the seeds' `findings_levels`).

        The level is the rank of the node's label style in the order styles first appear, so a
        sub-problem （22） placed directly under an aspect （四） still counts with the other
        sub-problems; a node without a recognizable label sits one level below its parent.
        When every level uses its own style this is simply the count per depth.
        """
        from rectify.notice.headings import style_of

        ranks: dict[int, int] = {}
        counts: list[int] = []

        def walk(nodes: list[Node], parent_level: int) -> None:
            for node in nodes:
                style = style_of(node.label) if node.label else None
                if style is None:
                    level = parent_level + 1
                else:
                    level = ranks.setdefault(style, len(ranks))
                    level = max(level, parent_level + 1) if parent_level >= level else level
                while len(counts) <= level:
                    counts.append(0)
                counts[level] += 1
                walk(node.children, level)

        walk(self.findings, -1)
        return counts
