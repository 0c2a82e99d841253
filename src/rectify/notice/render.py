"""render_text(notice) → the text of a 整改进展情况通报 in the style of published notices.

The text reads back: parse(render_text(n)) gives n's header fields, findings tree (labels,
titles, text, measures) and figures again, for any notice the parser itself produces and for
notices built in the same shape (see `tests/notice/test_render.py`).
"""

from __future__ import annotations

from datetime import date

from rectify.notice.headings import AR_DOT, AR_PAREN, CIRCLED, CN_PAREN, make_label
from rectify.notice.model import Figure, Node, Notice
from rectify.notice.numerals import int_to_chinese
from rectify.notice.sections.figures import extract_figures
from rectify.notice.sections.header import read_header

# Labels for nodes that have none, by depth: （一） / 1. / （1） / ①.
_LADDER = (CN_PAREN, AR_DOT, AR_PAREN, CIRCLED)


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _title(notice: Notice) -> str:
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


def _opening(notice: Notice) -> str:
    inspector = notice.inspector or ""
    kind = notice.kind
    if notice.type and notice.type.endswith("回头看"):
        action = f"{kind}“回头看”"
    else:
        action = notice.type or kind
    period = ""
    if notice.onsite_start and notice.onsite_end:
        period = f"{_day(notice.onsite_start)}至{_day(notice.onsite_end)}，"
    elif notice.onsite_start:
        period = f"{_day(notice.onsite_start)}起，"
    team = f"{inspector}{notice.group}" if notice.group else f"{inspector}{kind}组"
    parts = [f"根据{inspector}统一部署，{period}{team}对{notice.unit or '本单位'}开展了{action}。"]
    if notice.feedback_date:
        parts.append(f"{_day(notice.feedback_date)}，{inspector}{kind}组向{notice.unit or '本单位'}反馈了{kind}意见。")
    parts.append(f"按照{kind}工作有关要求，现将{kind}整改进展情况予以公布。")
    return "".join(parts)


def _node_lines(nodes: list[Node], depth: int, out: list[str]) -> None:
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
        _node_lines(node.children, depth + 1, out)


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


def _contact_line(notice: Notice) -> str:
    contact = notice.contact
    parts = []
    if contact.phone:
        parts.append("联系电话：" + "、".join(contact.phone))
    if contact.address:
        parts.append("通信地址：" + contact.address)
    if contact.postcode:
        parts.append("邮政编码：" + contact.postcode)
    if contact.email:
        parts.append("电子邮箱：" + "、".join(contact.email))
    line = f"欢迎广大干部群众对{notice.kind}整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    return line + ("；".join(parts) + "。" if parts else "")


def render_text(notice: Notice) -> str:
    """The notice as text: title, opening, basic situation with figures, findings, next steps,
    contact, unit and date."""
    kind = notice.kind
    lines: list[str] = _title_lines(_title(notice))
    lines.append("")
    lines.append(_opening(notice))

    findings: list[str] = []
    _node_lines(notice.findings, 0, findings)
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
    lines.append(_contact_line(notice))
    lines.append("")
    if notice.unit:
        lines.append(notice.unit)
    if notice.published:
        lines.append(_day(notice.published))
    return "\n".join(lines) + "\n"
