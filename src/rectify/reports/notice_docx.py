"""The public 整改进展情况通报 as a GB/T 9704 .docx, from a `rectify.notice.Notice`.

Pure Python, no Django: the web view, the API and `rectify report --format docx` all call
`render_notice_docx`.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from rectify.notice import Notice
from rectify.notice.model import Contact, Node
from rectify.notice.numerals import int_to_chinese
from rectify.reports.gbt9704 import (
    OfficialDocument,
    chinese_date,
    chinese_date_range,
    heading_label,
)

# Findings sit under a 一、 section, so an aspect is a （一） heading, a problem 1., a sub-problem （1）.
_FIRST_FINDINGS_LEVEL = 2
_LAST_LEVEL = 4

_LABEL_PUNCTUATION = str.maketrans({"(": "（", ")": "）", "．": "."})
_BEIJING = ZoneInfo("Asia/Shanghai")
_END_PUNCTUATION = "。；！？…”）"


def short_unit(unit: str, inspector: str | None) -> str:
    """How the notice's own sentences name the unit: 中共山东省委统战部 → 省委统战部.

    The party prefix goes; with an inspector such as 省委/市委/盟委 the place name before the
    matching level (山东省 → 省) goes too, as the published notices write it.
    """
    name = re.sub(r"^(中国共产党|中共)", "", unit.strip())
    if inspector and len(inspector) == 2 and inspector.endswith("委"):
        level = inspector[0]
        index = name.find(level)
        if 0 < index <= 6 and index < len(name) - 1:
            name = name[index:]
    return name or unit.strip()


def notice_title(notice: Notice) -> str:
    """The title, broken after the unit's name when it starts with it (a trapezoid, as 公文 do)."""
    title = notice.title.strip()
    if not title:
        round_text = f"第{int_to_chinese(notice.round)}轮" if notice.round else ""
        title = f"{notice.unit}关于{notice.term or ''}{notice.inspector or ''}{round_text}{notice.kind}整改进展情况的通报"
    if "\n" not in title and notice.unit and title.startswith(notice.unit) and len(title) > len(notice.unit):
        title = f"{notice.unit}\n{title[len(notice.unit) :]}"
    return title


def opening_sentence(notice: Notice, *, unit_short: str | None = None) -> str:
    """The first paragraph: who inspected whom, when, when the feedback came, why this is published."""
    kind = notice.kind or "巡视"
    inspector = notice.inspector or ""
    unit = unit_short or short_unit(notice.unit, notice.inspector)
    group = notice.group or f"{kind}组"
    how = notice.type or kind
    parts = [f"根据{inspector}统一部署，" if inspector else "根据统一部署，"]
    if notice.onsite_start and notice.onsite_end:
        parts.append(f"{chinese_date_range(notice.onsite_start, notice.onsite_end)}，")
    elif notice.onsite_start:
        parts.append(f"{chinese_date(notice.onsite_start)}起，")
    parts.append(f"{inspector}{group}对{unit}开展了{how}。")
    if notice.feedback_date:
        previous = notice.onsite_end or notice.onsite_start
        same_year = previous is not None and previous.year == notice.feedback_date.year
        parts.append(f"{chinese_date(notice.feedback_date, with_year=not same_year)}，")
    parts.append(f"{inspector}{kind}组向{unit}反馈了{kind}意见。")
    parts.append(f"按照{kind}工作有关要求，现将{kind}整改进展情况予以公布。")
    return "".join(parts)


def _sentence(text: str) -> str:
    text = text.strip().rstrip("，,；;、")
    return text if not text or text.endswith(tuple(_END_PUNCTUATION)) else f"{text}。"


def _node_texts(nodes: list[Node]) -> list[str]:
    texts: list[str] = []
    for node in nodes:
        texts.extend([node.title, node.text, *node.measures])
        texts.extend(_node_texts(node.children))
    return texts


def figures_paragraph(notice: Notice, elsewhere: list[str]) -> str:
    """The figures that no other part of the notice states, as one sentence for 整改工作基本情况."""
    written = "\n".join([*elsewhere, *_node_texts(notice.findings)])
    clauses = [f.text.strip().rstrip("。；;，,") for f in notice.figures if f.text.strip()]
    missing = [c for c in clauses if c not in written]
    return f"截至目前，{'，'.join(missing)}。" if missing else ""


def contact_paragraph(kind: str, contact: Contact) -> str:
    """The invitation to the public and the feedback channel (联系方式)."""
    channels = []
    if contact.phone:
        channels.append(f"联系电话：{'、'.join(contact.phone)}")
    if contact.address:
        channels.append(f"通信地址：{contact.address}")
    if contact.postcode:
        channels.append(f"邮政编码：{contact.postcode}")
    if contact.email:
        channels.append(f"电子邮箱：{'、'.join(contact.email)}")
    text = f"欢迎广大干部群众对{kind}整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    if channels:
        text += f"{'；'.join(channels)}。"
    return text


def _label(node: Node, level: int, position: int) -> str:
    label = node.label.strip().translate(_LABEL_PUNCTUATION)
    if not label:
        return heading_label(level, position)
    if re.fullmatch(r"[一二三四五六七八九十百]+", label):
        return f"{label}、"
    if re.fullmatch(r"\d+", label):
        return f"{label}."
    return label


def _findings(document: OfficialDocument, nodes: list[Node], depth: int) -> None:
    level = min(_FIRST_FINDINGS_LEVEL + depth, _LAST_LEVEL)
    for position, node in enumerate(nodes, start=1):
        # The node's own text runs on after its title ("1.强化党的政治建设。驻…"), as published
        # notices write it; a parser reads title and text apart at the first 。.
        # The introduction and the first measure share that paragraph too, unless the text ends
        # with a colon (the measures then read as a list under it).
        title = f"{_label(node, level, position)}{node.title.strip()}"
        text_lines = [line.strip() for line in node.text.split("\n") if line.strip()]
        measures = [m for m in node.measures if m.strip()]
        if text_lines and measures and not text_lines[-1].endswith(("：", ":")):
            text_lines[-1] += measures.pop(0).strip()
        document.heading(level, title, run_in=text_lines[0] if text_lines else "")
        for line in text_lines[1:]:
            document.paragraph(line)
        for measure in measures:
            document.paragraph(measure)
        _findings(document, node.children, depth + 1)


def render_notice_docx(
    notice: Notice,
    *,
    body_before: list[str] | None = None,
    next_steps: list[str] | None = None,
    unit_short: str | None = None,
) -> bytes:
    """The 整改进展情况通报 as .docx bytes (GB/T 9704-2012).

    `body_before` are the paragraphs of 整改工作基本情况 (the figures no other part states are
    added as one sentence); `next_steps` the paragraphs of 今后整改工作打算; `unit_short` overrides
    how the sentences name the unit (default: `short_unit`). The signature is dated
    `notice.published`, else today in Beijing: callers with a clock of their own set `published`.
    """
    kind = notice.kind or "巡视"
    document = OfficialDocument()
    document.title(notice_title(notice))
    document.paragraph(opening_sentence(notice, unit_short=unit_short))

    sections: list[tuple[str, list[str] | list[Node]]] = []
    basics = [p for p in (body_before or []) if p.strip()]
    steps = [p for p in (next_steps or []) if p.strip()]
    figures = figures_paragraph(notice, basics + steps)
    if basics or figures:
        sections.append(("整改工作基本情况", basics + ([figures] if figures else [])))
    if notice.findings:
        sections.append((f"{notice.inspector or ''}{kind}组反馈意见整改落实情况", notice.findings))
    if steps:
        sections.append(("今后整改工作打算", steps))

    for number, (heading, content) in enumerate(sections, start=1):
        document.heading(1, f"{heading_label(1, number)}{heading}")
        if content and isinstance(content[0], Node):
            _findings(document, content, 0)  # type: ignore[arg-type]
        else:
            for text in content:
                document.paragraph(_sentence(text))  # type: ignore[arg-type]

    document.paragraph(contact_paragraph(kind, notice.contact))
    document.signature(notice.unit, notice.published or datetime.now(_BEIJING).date())
    return document.to_bytes()
