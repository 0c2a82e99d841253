"""Where things are in a notice: page chrome, the title, the opening sentence, the top-level
sections (一、二、三、), the findings section, the contact lines, and the document's own date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rectify.notice.contact import CONTACT_KEYS, FOOTER_JUNK, is_contact_line
from rectify.notice.dates import find_dates, iso_date, standalone_date
from rectify.notice.errors import NoticeError
from rectify.notice.headings import CN_COMMA, Label, match_label
from rectify.rules.messages import Message, gettext_noop

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20)) + b"\x7f"
_SPACES = " \t\u3000\xa0\u2002\u2003\u200b\ufeff"
_GAP_CHARS_RE = re.compile("[ \t\u3000\xa0]")
_CJK_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff“”（）《》，、])[ \t\u3000\xa0]+(?=[\u4e00-\u9fff“”（）《》])")

CHROME_RE = re.compile(
    # The look-ahead names every alternative's first character: the engine skips to them.
    r"(?=[首当您>分打【关字\[大扫二责编审来浏阅上下返收纠信索文发成公主点作朗播标名题])(?:"
    r"^(?:首页|当前位置|您当前的位置|您的位置|当前位置)|>>|>\s*\S+\s*>|分享到|^分享$|打印本页|【打印|打印正文|【关闭|"
    r"关闭窗口|字号[:：]|【字号|字体[:：]|[【\[]\s*大\s*中\s*小|^\s*大\s+中\s+小\s*$|扫一扫|二维码|责编|责任编辑|"
    r"^编辑[:：]|^审核[:：]|^来源[:：]|浏览次数|阅读次数|上一篇|下一篇|返回顶部|^\s*收藏\s*$|【字体|"
    r"^\s*(?:打印|关闭|分享|收藏|纠错)(?:\s+(?:打印|关闭|分享|收藏|纠错))*\s*$|"
    # Government information-disclosure pages: the metadata table before the text.
    r"^(?:信息索引号|索引号|文件名称|发布机构|发文机关|发文字号|文号|成文日期|发文日期|发布日期|发布时间|"
    r"公开方式|公开范围|公开时限|主题分类|主题词|点击量|浏览量|作者|文件名称|标题|名称|题名)\s*[:：]|^(?:朗读|播放|语音播报|分享到)"
    r")"
)
_TITLE_RE = re.compile(r"(?:通报|公告|情况|报告)\s*[)）]?\s*$")
_KIND_RE = re.compile(r"巡视|巡察")
_WRITTEN_RE = re.compile(r"成文日期|发文日期|印发日期")
_POSTING_RE = re.compile(r"发布|来源|时间|日期|\d{1,2}:\d{2}")
_SIGNATURE_DATE_RE = re.compile(r"^(?P<unit>[^，,。；;:：]{2,40}?)\s+(?P<date>\S.*日)\s*$")

# Section titles: what the findings section calls itself, and what the others call themselves.
_FINDINGS_TITLE_RE = re.compile(r"反馈|逐条|逐项|具体问题|问题整改|整改落实情况|整改进展情况|落实情况|整改情况|问题的整改")
_OTHER_TITLE_RE = re.compile(r"基本情况|总体情况|主要做法|组织领导|下一步|今后|打算|长效|后续|巩固|深化|持续|思想认识|工作开展")
_ASPECT_TITLE_RE = re.compile(r"方面|关于|针对|聚焦")
_TITLE_BREAK_RE = re.compile(r"[。，,:：;；>|]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_FEEDBACK_WORDS_RE = re.compile(r"反馈|问题")
_ASPECT_WORDS_RE = re.compile(r"问题|方面")
_STOP_PREFIXES = ("下一步", "今后", "接下来", "下步", "欢迎", "如有意见")
# Five digits in a row; written \d\d{4} so that a search skips straight to the digits.
_LONG_NUMBER_RE = re.compile(r"\d\d{4}")
# The sentence that invites feedback: it starts with 欢迎 or 如有意见, or asks 请及时向我们反映.
_WELCOME_STARTS = ("欢迎", "如有意见")
_WELCOME_WORDS = "请及时向我们反映"


@dataclass(slots=True)
class Line:
    """A non-empty line of the document, stripped, with its 1-based line number and the heading
    label it starts with (most lines are read for their label, so it is found when the line is)."""

    number: int
    text: str
    chrome: bool = False
    label: Label | None = None


@dataclass
class Section:
    """A top-level section (一、…): its heading line and the index range of its body lines."""

    label: str
    title: str
    head: int
    start: int
    end: int


@dataclass
class Layout:
    lines: list[Line]  # the document's lines, page chrome left out
    raw: list[Line] = field(default_factory=list)  # every non-empty line
    title: str = ""
    title_end: int = -1  # index of the title's last line
    opening: int | None = None  # index of the opening sentence's line
    end: int = 0  # index after the document's last line (its date), footer after it
    published: date | None = None
    posted: date | None = None
    signature: str | None = None
    sections: list[Section] = field(default_factory=list)
    findings: tuple[int, int] | None = None  # index range of the findings lines
    aspects_as_sections: bool = False
    contact_lines: list[int] = field(default_factory=list)


def _has_control(text: str) -> bool:
    """Whether `_CONTROL_RE` finds something in the text, about six times cheaper than its scan.

    The control characters are all Latin-1: encoding to Latin-1 while dropping every other
    character leaves few bytes (digits, ASCII punctuation, line breaks), and deleting the control
    bytes from those tells whether there are any.
    """
    if "\ufffd" in text:
        return True
    latin1 = text.encode("latin-1", "ignore")
    return len(latin1.translate(None, _CONTROL_BYTES)) != len(latin1)


def split_lines(text: str) -> list[Line]:
    """Non-empty lines, stripped of spaces and page chrome; control bytes are refused by line."""
    bad = _CONTROL_RE.search(text) if _has_control(text) else None
    if bad:
        number = text.count("\n", 0, bad.start()) + 1
        raise NoticeError(Message(gettext_noop("含有无法识别的控制字符或乱码，文件可能不是文本")), line=number)
    lines: list[Line] = []
    append = lines.append
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip(_SPACES)
        if not stripped:
            continue
        if len(stripped) >= 80:  # paragraphs: neither gaps to close nor page chrome
            append(Line(number, stripped, False, match_label(stripped)))
            continue
        if _GAP_CHARS_RE.search(stripped):
            stripped = _CJK_GAP_RE.sub("", stripped)
        chrome = len(stripped) < 60 and bool(CHROME_RE.search(stripped) or FOOTER_JUNK.search(stripped))
        append(Line(number, stripped, chrome, match_label(stripped)))
    return lines


_META_TITLE_RE = re.compile(r"^(?:文件名称|标题|名称|题名|文章标题)\s*[:：]\s*")
# What only an opening sentence says: the group went to the unit (巡视组对…开展了巡视), the
# feedback was given (反馈了…意见), the group arrived (进驻); "根据…部署" is the usual start.
_OPENING_SIGNS_RE = re.compile(
    r"(?:巡视|巡察)组.{0,60}?对.{1,80}?(?:开展|进行|实施)了?.{0,10}?(?:巡视|巡察)"
    r"|反馈了?.{0,12}?意见|进驻"
)
_BASIS_RE = re.compile(r"^(?:根据|按照|依据|遵照).{0,30}?(?:部署|安排)")
_SENTENCE_END = "。；;！!？?：:"
HEADER_WINDOW = 60  # lines of the document in which the title and the opening are looked for


def is_opening(text: str) -> bool:
    """Whether a line reads as the opening sentence of a notice, by what it says."""
    if len(text) < 20 or not _KIND_RE.search(text):
        return False
    if _TITLE_RE.search(text) and "。" not in text and "，" not in text and "," not in text:
        return False  # a title line: "…关于…巡视整改进展情况的通报"
    return bool(_OPENING_SIGNS_RE.search(text) or _BASIS_RE.match(text))


def _find_opening(lines: list[Line]) -> int | None:
    """The first line of the document's head that reads as the opening sentence, wherever it stands
    (after page chrome, a repeated title, or with no title at all)."""
    for index in range(min(len(lines), HEADER_WINDOW)):
        line = lines[index]
        if line.label is not None:
            continue
        text = line.text
        if (
            text[-1:] not in _SENTENCE_END
            and index + 1 < len(lines)
            and lines[index + 1].label is None
            and len(text) >= 20
            and ("，" in text or "," in text)  # a sentence under way, not a date or metadata line
            and not _is_title(text)
        ):
            text += lines[index + 1].text  # a sentence broken by a hard line break
        if is_opening(text):
            return index
    return None


def _is_title(text: str) -> bool:
    return (
        len(text) <= 90
        and bool(_TITLE_RE.search(text))
        and bool(_KIND_RE.search(text) or "整改" in text)
        and not text.startswith(("根据", "按照"))
        and "。" not in text
    )


def _find_title(lines: list[Line], before: int | None) -> tuple[str, int]:
    """The title: the first title-like line before the opening (a heading label rules a line out);
    a title broken over lines ("中共…党组" / "关于…的通报") is joined."""
    limit = min(len(lines), 40 if before is None else before)
    chosen = -1
    for index in range(limit):
        line = lines[index]
        if line.label is None and _is_title(line.text):
            chosen = index
            break
    if chosen < 0:
        return "", -1
    title = lines[chosen].text
    first = chosen
    while first > 0:
        previous = lines[first - 1].text
        if (
            len(previous) > 40
            or _TITLE_BREAK_RE.search(previous)
            or "关于" in title[:2] and "关于" in previous
            or not _CJK_RE.search(previous)
            or lines[first - 1].label is not None
        ):
            break
        if title.startswith("关于") or ("关于" in previous and "关于" not in title):
            title = previous + title
            first -= 1
            if not title.startswith("关于"):
                break
            continue
        break
    return _CJK_GAP_RE.sub("", title).replace(" ", ""), chosen


def _metadata_title(raw: list[Line], stop_number: int) -> str:
    """A title stated in the page's metadata lines: "文件名称：中共…的通报" (perhaps broken
    over two lines)."""
    for position, line in enumerate(raw):
        if line.number >= stop_number:
            break
        match = _META_TITLE_RE.match(line.text)
        if not match:
            continue
        rest = line.text[match.end():].strip()
        for following in raw[position + 1:position + 3]:
            if _is_title(rest) or following.number >= stop_number:
                break
            rest += following.text
        if _is_title(rest):
            return rest
    return ""


def opening_text(layout: Layout) -> str:
    """The opening sentence with the lines that continue it: a line broken before its sentence
    ends (a hard break in a copied PDF), and up to two more unlabelled paragraphs that still speak
    of the inspection (the feedback sentence may stand on its own line)."""
    if layout.opening is None:
        return ""
    lines = layout.lines
    parts = [lines[layout.opening].text]
    paragraphs = 0
    for index in range(layout.opening + 1, min(len(lines), layout.opening + 12)):
        line = lines[index]
        if line.label is not None or len(line.text) > 400:
            break
        if parts[-1][-1:] not in _SENTENCE_END:
            parts.append(line.text)
            continue
        if paragraphs == 2 or not _OPENING_SIGNS_RE.search(line.text):
            break
        parts.append(line.text)
        paragraphs += 1
    return "".join(parts)


def _document_end(layout: Layout) -> None:
    lines = layout.lines
    lower = (layout.opening if layout.opening is not None else layout.title_end) + 1
    layout.end = len(lines)
    for index in range(len(lines) - 1, max(lower, len(lines) - 40) - 1, -1):
        text = lines[index].text
        if not text.endswith("日"):
            continue
        value = standalone_date(text)
        unit = None
        if value is None:
            signed = _SIGNATURE_DATE_RE.match(text)
            if signed:
                value = standalone_date(signed["date"])
                unit = signed["unit"] if value else None
        if value is None:
            continue
        layout.published = value
        layout.end = index + 1
        if unit:
            layout.signature = unit
        elif index > lower:
            candidate = lines[index - 1].text
            if len(candidate) <= 40 and not re.search(r"[。，,:：;；]", candidate):
                layout.signature = candidate
        return


def _posting_date(layout: Layout) -> date | None:
    if layout.opening is not None:
        stop_number = layout.lines[layout.opening].number
    else:
        stop_number = layout.lines[min(len(layout.lines), 12) - 1].number if layout.lines else 0
    first: date | None = None
    for line in layout.raw:
        if line.number >= stop_number:
            break
        text = line.text
        if line.text == layout.title or len(text) > 80 or "索引号" in text:
            continue
        value = iso_date(text)
        if value is None:
            found = [d for d in find_dates(text) if d.value and d.has_year]
            if found and (_POSTING_RE.search(text) or len(text) < 40):
                value = found[0].value
        if value is None:
            continue
        if _WRITTEN_RE.search(text):
            return value  # the document's own date (成文日期) outranks the posting date
        first = first or value
    return first


def _sections(layout: Layout) -> list[Section]:
    lines = layout.lines
    start = (layout.opening if layout.opening is not None else layout.title_end) + 1
    heads: list[tuple[int, str, str]] = []
    expected = 1
    for index in range(start, layout.end):
        label = lines[index].label
        if label and label.style == CN_COMMA and label.number == expected:
            heads.append((index, label.label, label.rest))
            expected += 1
    sections = []
    for position, (index, number, title) in enumerate(heads):
        end = heads[position + 1][0] if position + 1 < len(heads) else layout.end
        sections.append(Section(label=number, title=title, head=index, start=index + 1, end=end))
    return sections


def _children_score(layout: Layout, section: Section) -> tuple[int, int]:
    score = 0
    headings = 0
    for index in range(section.start, section.end):
        label = layout.lines[index].label
        if label is None:
            continue
        headings += 1
        if _ASPECT_TITLE_RE.search(label.rest[:40]):
            score += 2
        if "问题" in label.rest[:60]:
            score += 1
    return score, headings


def _choose_findings(layout: Layout) -> None:
    best: tuple[int, Section] | None = None
    aspect_sections = []
    for position, section in enumerate(layout.sections):
        score, headings = _children_score(layout, section)
        title = section.title[:40]
        if _FINDINGS_TITLE_RE.search(title):
            score += 6
        if _OTHER_TITLE_RE.search(title) and not _FEEDBACK_WORDS_RE.search(title):
            score -= 6
        if position == len(layout.sections) - 1 and len(layout.sections) > 2:
            score -= 2
        if _ASPECT_TITLE_RE.search(title) and _ASPECT_WORDS_RE.search(title):
            aspect_sections.append(section)
        if headings == 0:
            score -= 4
        if best is None or score > best[0]:
            best = (score, section)
    if len(aspect_sections) >= 2:
        layout.aspects_as_sections = True
        layout.findings = (aspect_sections[0].head, aspect_sections[-1].end)
    elif best is not None and best[0] > 0:
        layout.findings = (best[1].start, best[1].end)
    elif not layout.sections:
        start = (layout.opening if layout.opening is not None else layout.title_end) + 1
        layout.findings = (start, layout.end)
    if layout.findings:
        start, end = layout.findings
        for index in range(start, end):
            text = layout.lines[index].text
            if index > start and (text.startswith(_STOP_PREFIXES) or "请及时向我们反映" in text):
                end = index
                break
            if ("@" in text or _LONG_NUMBER_RE.search(text)) and is_contact_line(text):
                end = index
                break
        layout.findings = (start, end)


def _is_welcome(text: str) -> bool:
    """Whether the line invites feedback (plain string tests: this runs over every line after the findings)."""
    return text.startswith(_WELCOME_STARTS) or _WELCOME_WORDS in text


def _contact_lines(layout: Layout) -> list[int]:
    lines = layout.lines
    start = layout.findings[1] if layout.findings else (layout.opening or 0) + 1
    welcome = next((i for i in range(start, layout.end) if _is_welcome(lines[i].text)), None)
    chosen = []
    for index in range(welcome if welcome is not None else start, layout.end):
        text = lines[index].text
        # A contact line names a channel and is no website footer; without the welcome sentence,
        # it must also hold an e-mail address or a long number (the cheapest test first).
        if welcome is None and "@" not in text and not _LONG_NUMBER_RE.search(text):
            continue
        if CONTACT_KEYS.search(text) and not FOOTER_JUNK.search(text):
            chosen.append(index)
    return chosen


def lay_out(text: str) -> Layout:
    """Find the parts of a notice in its text."""
    raw = split_lines(text)
    layout = Layout(lines=[line for line in raw if not line.chrome], raw=raw)
    if not layout.lines:
        raise NoticeError(Message(gettext_noop("文件为空")))
    layout.opening = _find_opening(layout.lines)
    layout.title, layout.title_end = _find_title(layout.lines, layout.opening)
    stop = layout.lines[layout.opening].number if layout.opening is not None else layout.lines[-1].number + 1
    stated = _metadata_title(raw, stop)
    if stated and (not layout.title or len(stated) > len(layout.title) and stated.endswith(layout.title)):
        layout.title = stated  # the title line, if any, was only the end of the stated title
    if layout.title_end < 0 and layout.opening is None:
        head = layout.lines[0]
        if not any(_KIND_RE.search(line.text) for line in layout.lines[:80]):
            raise NoticeError(
                Message(gettext_noop("找不到巡视或巡察整改通报的标题或开头，文件可能不是整改进展情况通报")), line=head.number
            )
    _document_end(layout)
    layout.posted = _posting_date(layout)
    layout.sections = _sections(layout)
    _choose_findings(layout)
    layout.contact_lines = _contact_lines(layout)
    return layout
