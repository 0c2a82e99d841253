"""render_text(notice) → the text of a 整改进展情况通报 in the style of published notices.

The text reads back: parse(render_text(n)) gives n's header fields, findings tree (labels,
titles, text, measures) and figures again, for any notice the parser itself produces and for
notices built in the same shape (see `tests/notice/test_render.py`).
"""

from __future__ import annotations

import re
from datetime import date

from rectify.notice.headings import AR_DOT, AR_PAREN, CIRCLED, CN_PAREN, make_label
from rectify.notice.model import Contact, Figure, Node, Notice
from rectify.notice.numerals import int_to_chinese
from rectify.notice.sections.figures import extract_figures
from rectify.notice.sections.header import read_header

# Labels for nodes that have none, by depth: （一） / 1. / （1） / ①.
_LADDER = (CN_PAREN, AR_DOT, AR_PAREN, CIRCLED)


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def title_of(notice: Notice) -> str:
    """The notice's own title when it still names the same inspection; else one composed from the fields."""
    if notice.title:
        header = read_header(notice.title, "")
        if (
            header.unit == notice.unit
            and header.kind == notice.kind
            and header.term == notice.term
            and header.round == notice.round
            and (header.inspector == notice.inspector or notice.group)
        ):
            return notice.title
    round_text = f"第{int_to_chinese(notice.round)}轮" if notice.round else ""
    term = notice.term if (notice.inspector or notice.round) and notice.term else ""
    return f"{notice.unit}关于{term}{notice.inspector or ''}{round_text}{notice.kind}整改进展情况的通报"


def _title_lines(title: str) -> list[str]:
    cut = title.find("关于")
    if cut > 0:
        return [title[:cut], title[cut:]]
    return [title]


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


def _date_text(value: date, *, with_year: bool = True) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if with_year else f"{value.month}月{value.day}日"


def opening_sentence(notice: Notice, *, unit_short: str | None = None) -> str:
    """The first paragraph: who inspected whom, when, when the feedback came, why this is published."""
    kind = notice.kind or "巡视"
    inspector = notice.inspector or ""
    unit = unit_short or short_unit(notice.unit, notice.inspector) or "本单位"
    group = notice.group or f"{kind}组"
    if notice.type and notice.type.endswith("回头看"):
        how = f"{kind}“回头看”"
    else:
        how = notice.type or kind
    parts = [f"根据{inspector}统一部署，" if inspector else "根据统一部署，"]
    if notice.onsite_start and notice.onsite_end:
        start, end = notice.onsite_start, notice.onsite_end
        short = end.year == start.year and end > start  # 2020年10月18日至12月25日
        parts.append(f"{_date_text(start)}至{_date_text(end, with_year=not short)}，")
    elif notice.onsite_start:
        parts.append(f"{_date_text(notice.onsite_start)}起，")
    parts.append(f"{inspector}{group}对{unit}开展了{how}。")
    if notice.feedback_date:
        # Always with its year: "1月1日" after an on-site period reads back ambiguously.
        parts.append(f"{_date_text(notice.feedback_date)}，")
    parts.append(f"{inspector}{kind}组向{unit}反馈了{kind}意见。")
    parts.append(f"按照{kind}工作有关要求，现将{kind}整改进展情况予以公布。")
    return "".join(parts)


def node_lines(nodes: list[Node], depth: int = 0, out: list[str] | None = None) -> list[str]:
    """The findings as lines: a heading line (label, title, then its text and first measure), then
    the other measures, then the children. A node without a label gets one by its depth."""
    out = [] if out is None else out
    style = _LADDER[min(depth, len(_LADDER) - 1)]
    for position, node in enumerate(nodes, start=1):
        label = node.label or make_label(style, position)
        head = f"{label}{node.title}"
        measures = list(node.measures)
        if node.text:
            head += f"。{node.text}"
            if measures and not node.text.endswith(("：", ":")):
                # The introduction and the first measure share a paragraph, as written.
                head += measures.pop(0)
        out.append(head)
        out.extend(measures)
        node_lines(node.children, depth + 1, out)
    return out


def _same(a: list[Figure], b: list[Figure]) -> bool:
    return [f.to_dict() for f in a] == [f.to_dict() for f in b]


def _split_figures(figures: list[Figure], inside: list[Figure]) -> tuple[list[Figure], list[Figure]]:
    """Figures stated before and after the findings section (those inside it render with it)."""
    if not inside:
        return figures, []
    width = len(inside)
    for start in range(len(figures) - width + 1):
        if _same(figures[start:start + width], inside):
            return figures[:start], figures[start + width:]
    return figures, []


def _figure_paragraph(lead: str, figures: list[Figure]) -> str:
    return lead + "，".join(f.text for f in figures) + "。"


def contact_paragraph(kind: str, contact: Contact) -> str:
    """The invitation to the public and the feedback channel (联系方式): phone, postal address,
    postcode, e-mail, each as the notice names it."""
    parts = []
    if contact.phone:
        parts.append("联系电话：" + "、".join(contact.phone))
    if contact.address:
        parts.append("通信地址：" + contact.address)
    if contact.postcode:
        parts.append("邮政编码：" + contact.postcode)
    if contact.email:
        parts.append("电子邮箱：" + "、".join(contact.email))
    line = f"欢迎广大干部群众对{kind or '巡视'}整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    return line + ("；".join(parts) + "。" if parts else "")


def render_text(notice: Notice) -> str:
    """The notice as text: title, opening, basic situation with figures, findings, next steps,
    contact, unit and date."""
    kind = notice.kind
    lines: list[str] = _title_lines(title_of(notice))
    lines.append("")
    lines.append(opening_sentence(notice))

    findings = node_lines(notice.findings)
    before, after = _split_figures(notice.figures, extract_figures(findings))

    lines.append("一、整改工作基本情况")
    lead = f"{notice.unit or '本单位'}坚持把{kind}整改作为重大政治任务，以坚决的态度抓好整改落实。"
    lines.append(_figure_paragraph(lead + "经过集中整改，", before) if before else lead)
    inspector = notice.inspector or ""
    lines.append(f"二、{inspector}{kind}组反馈意见整改落实情况")
    lines.extend(findings)
    lines.append("三、下一步工作打算")
    steps = f"下一步，将坚持目标不变、标准不降、力度不减，持续巩固深化{kind}整改成果，坚决防止问题反弹。"
    lines.append(_figure_paragraph(steps + "截至目前，", after) if after else steps)
    lines.append(contact_paragraph(kind, notice.contact))
    lines.append("")
    if notice.unit:
        lines.append(notice.unit)
    if notice.published:
        lines.append(_day(notice.published))
    return "\n".join(lines) + "\n"
