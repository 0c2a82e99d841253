"""parse(text) → Notice: the whole of a 整改进展情况通报 read into the JSON contract."""

from __future__ import annotations

from rectify.notice.contact import parse_contact
from rectify.notice.errors import NoticeError
from rectify.notice.model import Notice
from rectify.notice.normalize import normalize
from rectify.notice.sections.figures import extract_figures
from rectify.notice.sections.findings import TreeBuilder
from rectify.notice.sections.header import read_header
from rectify.notice.sections.layout import lay_out, opening_text
from rectify.rules.messages import Message, gettext_noop


def parse(text: str) -> Notice:
    """Read a published notice's text (as `read_file` returns it) into a Notice.

    Lenient by design: a truncated or unusual notice gives the fields it has. Raises NoticeError
    only when the text is empty, binary, or plainly not an inspection rectification notice.
    """
    if not isinstance(text, str):
        raise NoticeError(Message(gettext_noop("输入不是文本")))
    text = normalize(text)
    layout = lay_out(text)
    lines = layout.lines
    opening = opening_text(layout)
    header = read_header(layout.title, opening, layout.signature)

    notice = Notice(
        title=layout.title,
        unit=header.unit,
        inspector=header.inspector,
        kind=header.kind,
        term=header.term,
        round=header.round,
        group=header.group,
        type=header.type,
        onsite_start=header.onsite_start,
        onsite_end=header.onsite_end,
        feedback_date=header.feedback_date,
        published=layout.published or layout.posted,
    )

    if layout.findings:
        start, end = layout.findings
        builder = TreeBuilder()
        for line in lines[start:end]:
            builder.feed(line.text, line.label)
        notice.findings = builder.roots

    body_start = (layout.opening if layout.opening is not None else layout.title_end) + 1
    contact = set(layout.contact_lines)
    notice.figures = extract_figures(
        lines[index].text for index in range(body_start, layout.end) if index not in contact
    )
    notice.contact = parse_contact(lines[index].text for index in layout.contact_lines)
    return notice
