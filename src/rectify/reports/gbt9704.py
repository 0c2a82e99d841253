"""Official documents (公文) as .docx, laid out to GB/T 9704-2012 (党政机关公文格式).

Pure python-docx, no Django. `OfficialDocument` is a small builder reused by every generated
document: the public notice (整改进展情况通报), internal reports with tables, dispatch sheets and
supervision orders (督办通知书 …).

What the standard asks and where it is done here:
- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: `_setup_section`.
- 22 lines of 28 characters in the text block: a line grid whose pitch is computed from the text
  block (`LINE_PITCH`) with exact line spacing on every paragraph, and 三号 text condensed to the
  28-character pitch (`CONDENSE`), so Word, WPS and LibreOffice lay out the same lines.
- Title 2号 方正小标宋简体 centred; body 3号 仿宋_GB2312; headings 一、黑体 / （一）楷体_GB2312 /
  1. 仿宋_GB2312 bold / （1）仿宋_GB2312.
- Page numbers "— 1 —" in 4号 宋体, odd pages right and even pages left, one character in.

Fonts are written on each run (ascii, hAnsi, eastAsia, cs) and on Normal/docDefaults, because Word
and WPS choose the East Asian font from `w:eastAsia` and ignore a name set only on `w:ascii`.
"""

from __future__ import annotations

import copy
import functools
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Self
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK, WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from rectify.notice.numerals import int_to_chinese
from rectify.rules.wording import full_width

# Fonts named by the standard. The names are the ones Chinese government machines have installed;
# `fonts/fonts.conf` maps them onto free fonts for previews on Linux.
FONT_TITLE = "方正小标宋简体"
FONT_FANGSONG = "仿宋_GB2312"
FONT_HEITI = "黑体"
FONT_KAITI = "楷体_GB2312"
FONT_SONGTI = "宋体"

# Chinese point sizes (字号) in half-points, the unit of w:sz.
SIZE_2 = 44  # 二号 22 pt: title
SIZE_3 = 32  # 三号 16 pt: body and headings
SIZE_4 = 28  # 四号 14 pt: page numbers, tables
SIZE_SMALL_4 = 24  # 小四 12 pt: wide tables

TWIPS_PER_MM = 1440 / 25.4


def _mm(value: float) -> int:
    """Millimetres to whole twips, the unit Word stores page geometry in."""
    return round(value * TWIPS_PER_MM)


PAGE_WIDTH = _mm(210)  # 11906
PAGE_HEIGHT = _mm(297)  # 16838
MARGIN_TOP = _mm(37)  # 2098
MARGIN_BOTTOM = _mm(35)  # 1984
MARGIN_LEFT = _mm(28)  # 1587
MARGIN_RIGHT = _mm(26)  # 1474
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
# A heading with run-in text up to this many lines moves to the next page whole rather than split:
# with the headings above it kept with it, a page still keeps more than half its lines.
RUN_IN_KEPT_WHOLE_LINES = 4

# Word lays out floor(TEXT_HEIGHT / linePitch) lines: the largest pitch that still fits 22 lines.
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579 twips = 28.95 pt
# charSpace is the grid's character pitch minus the Normal font size, in 1/4096 pt; rounded down
# so that 28 characters fit (rounding up would leave 27).
CHAR_SPACE = (TEXT_WIDTH * 4096 // 20 - SIZE_3 // 2 * 4096 * CHARS_PER_LINE) // CHARS_PER_LINE  # -842
CHAR_PITCH = TEXT_WIDTH / CHARS_PER_LINE  # twips per grid character, ≈ 315.9
# The 28-character pitch is given by condensing each 三号 character (w:spacing, in twentieths of a
# point), not by a character grid: Word's "lines and characters" grid shows 28 a line, but
# LibreOffice reads the same grid as cells a glyph fills two of, and shows 14. Condensed runs on a
# line grid give 28 in Word, WPS and LibreOffice alike. Rounded down so that 28 still fit.
CONDENSE = math.floor(CHAR_PITCH - SIZE_3 // 2 * 20)  # -5 = -0.25 pt: a 15.75 pt pitch

# 一字线上距版心下边缘 7 mm: the footer line is one 14 pt line whose dash sits about mid-height,
# so its bottom edge is 7 mm + half a line below the text block's bottom edge.
FOOTER_DISTANCE = MARGIN_BOTTOM - _mm(7) - SIZE_4 * 10 // 2
HEADER_DISTANCE = _mm(15)

# XML 1.0 forbids C0 controls except tab/newline/return, lone surrogates, U+FFFE and U+FFFF; lxml
# refuses them, so they are dropped rather than letting hostile text abort the export.
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEWLINES = re.compile(r"\r\n?")


def clean_text(text: object) -> str:
    """Text that is safe to put into a .docx: XML-illegal characters removed, newlines as \\n, and
    Chinese punctuation full-width (`wording.full_width`), whatever document it comes from."""
    raw = "" if text is None else str(text)
    return full_width(_XML_ILLEGAL.sub("", _NEWLINES.sub("\n", raw)))


def chinese_date(value: date, *, with_year: bool = True) -> str:
    """A date in the form official documents use: 2021年8月26日 (Arabic digits, no zero padding)."""
    day = f"{value.month}月{value.day}日"
    return f"{value.year}年{day}" if with_year else day


def cell_text(value: object) -> str:
    """How a table shows a value: dates in Chinese form, Decimal without exponent, None empty."""
    if isinstance(value, date):
        return chinese_date(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return clean_text(value).strip()


def chinese_date_range(start: date, end: date) -> str:
    """2020年10月18日至12月25日: the end drops its year when it falls in the start's year."""
    return f"{chinese_date(start)}至{chinese_date(end, with_year=start.year != end.year)}"


def heading_label(level: int, number: int) -> str:
    """The numbering ladder of 公文 headings: 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{int_to_chinese(number)}、"
    if level == 2:
        return f"（{int_to_chinese(number)}）"
    if level == 3:
        return f"{number}."
    return f"（{number}）"


def text_width_in_chars(text: str) -> float:
    """Width in grid characters: CJK, full-width and ambiguous (“”—) count 1, the rest ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


TITLE_CHARS_PER_LINE = int(TEXT_WIDTH / (SIZE_2 * 10))  # 20 characters of 22 pt
# Good places to turn a title line: before these words (GB/T 9704: 回行时要做到词意完整).
_TITLE_BREAK_BEFORE = ("关于", "巡视", "巡察", "整改", "集中", "进展", "情况", "工作", "第")


def balance_title_lines(line: str, max_chars: float = TITLE_CHARS_PER_LINE) -> list[str]:
    """Split a title line that is too long into lines of similar length, breaking before words.

    Lines are kept as even as possible with the upper one not longer (a trapezoid), and a break
    falls before a word such as 巡视/整改/情况 when one is near the middle.
    """
    if text_width_in_chars(line) <= max_chars:
        return [line]
    count = -(-text_width_in_chars(line) // max_chars)
    target = text_width_in_chars(line) / count
    best: tuple[float, int] | None = None
    for index in range(1, len(line)):
        head = text_width_in_chars(line[:index])
        if head > max_chars:
            break
        if line[index - 1].isdigit() and line[index].isdigit():
            continue
        score = abs(head - target) + (0.5 if head > target else 0.0)
        if not line.startswith(_TITLE_BREAK_BEFORE, index):
            score += 6  # mid-word: only when no word boundary is anywhere near
        if best is None or score < best[0]:
            best = (score, index)
    split = best[1] if best else len(line) // 2
    return [line[:split], *balance_title_lines(line[split:], max_chars)]


_HEADING_FONTS: dict[int, tuple[str, bool]] = {
    1: (FONT_HEITI, False),
    2: (FONT_KAITI, False),
    3: (FONT_FANGSONG, True),
    4: (FONT_FANGSONG, False),
}


def _rpr(font: str, half_points: int, *, bold: bool | None = None) -> BaseOxmlElement:
    """A w:rPr naming the font for every script, so Word, WPS and LibreOffice agree.

    `bold` None leaves boldness to the style; False switches a bold style's boldness off. Text of
    the body's size (三号) is condensed to the 28-characters-a-line pitch (`CONDENSE`).
    """
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    rpr.append(fonts)
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            element = OxmlElement(tag)
            if not bold:
                element.set(qn("w:val"), "0")
            rpr.append(element)
    if half_points == SIZE_3:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE))
        rpr.append(spacing)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(half_points))
        rpr.append(size)
    return rpr


@functools.cache
def _rpr_template(font: str, half_points: int, bold: bool | None) -> BaseOxmlElement:
    return _rpr(font, half_points, bold=bold)


def _add_run(
    paragraph: Paragraph, text: str, font: str, half_points: int, *, bold: bool | None = None
) -> None:
    r = paragraph._p.add_r()
    r.append(copy.deepcopy(_rpr_template(font, half_points, bold)))
    if "\t" in text or "\n" in text:
        Run(r, paragraph).text = text  # python-docx turns \t and \n into w:tab and w:br
    elif text:
        # One w:t for the whole text: the run.text setter appends character by character.
        t = OxmlElement("w:t")
        t.text = text
        if " " in text:
            t.set(qn("xml:space"), "preserve")  # keep leading, trailing and repeated spaces
        r.append(t)


def _set_indent(paragraph: Paragraph, *, first_line_chars: float = 0, left: int = 0, right: int = 0) -> None:
    """Indents; a first-line indent is given in characters (w:firstLineChars) and in twips as fallback."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    if first_line_chars:
        ind.set(qn("w:firstLine"), str(round(first_line_chars * CHAR_PITCH)))
        ind.set(qn("w:firstLineChars"), str(round(first_line_chars * 100)))
    if left:
        ind.set(qn("w:left"), str(left))
    if right:
        ind.set(qn("w:right"), str(right))


_PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _switch_off(ppr: CT_PPr, tag: str) -> None:
    """Write <tag w:val="0"/> at its schema position in a w:pPr."""
    element = ppr.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        ppr.insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])
    element.set(qn("w:val"), "0")


def _off_grid(ppr: CT_PPr) -> None:
    """Take a paragraph (or style) off the document grid: the title, footers, table cells."""
    _switch_off(ppr, "w:snapToGrid")


def _exact_lines(paragraph_format: object, *, line: int = LINE_PITCH) -> None:
    fmt = paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY  # type: ignore[attr-defined]
    fmt.line_spacing = Twips(line)  # type: ignore[attr-defined]
    fmt.space_before = Twips(0)  # type: ignore[attr-defined]
    fmt.space_after = Twips(0)  # type: ignore[attr-defined]


_SENTENCE_END = ("。", "：", ":", "！", "？", "；")
_CELL_MARGINS = 216  # Word's default left + right cell margins, in twips


def _table_properties(width: int) -> BaseOxmlElement:
    """w:tblPr: fixed layout, centred, the full text width, single ½ pt borders everywhere."""
    properties = OxmlElement("w:tblPr")
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(width))
    tbl_w.set(qn("w:type"), "dxa")
    properties.append(tbl_w)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    properties.append(jc)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "000000")
        borders.append(border)
    properties.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    return properties


@functools.cache
def _cell_template(width: int, half_points: int, centred: bool, header: bool) -> BaseOxmlElement:
    """One w:tc with its properties, paragraph and run, ready to be copied and given text."""
    tc = OxmlElement("w:tc")
    tc_pr = OxmlElement("w:tcPr")
    tc_w = OxmlElement("w:tcW")
    tc_w.set(qn("w:w"), str(width))
    tc_w.set(qn("w:type"), "dxa")
    tc_pr.append(tc_w)
    v_align = OxmlElement("w:vAlign")
    v_align.set(qn("w:val"), "center")
    tc_pr.append(v_align)
    tc.append(tc_pr)
    paragraph = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    # Tables leave the character grid: 14 pt text on a 16 pt grid would be spaced out.
    _off_grid(paragraph._p.get_or_add_pPr())
    _exact_lines(paragraph.paragraph_format, line=round(half_points * 10 * 1.3))
    paragraph.paragraph_format.alignment = (
        WD_PARAGRAPH_ALIGNMENT.CENTER if centred else WD_PARAGRAPH_ALIGNMENT.JUSTIFY
    )
    _add_run(paragraph, "", FONT_HEITI if header else FONT_FANGSONG, half_points)
    tc.append(paragraph._p)
    return tc


_W_NS = nsmap["w"]
_W_DECLARATION = f' xmlns:w="{_W_NS}"'
_ROW_START = {True: "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>", False: "<w:tr>"}  # header repeats
_RUN_PIECES = re.compile(r"(\n|\t)")


@functools.cache
def _cell_markup(width: int, half_points: int, centred: bool, header: bool) -> tuple[str, str]:
    """`_cell_template` as XML text split where a cell's run takes its text: (before, after)."""
    markup = etree.tostring(_cell_template(width, half_points, centred, header), encoding="unicode")
    markup = markup.replace(_W_DECLARATION, "")
    end = markup.rindex("</w:r>")  # the run holds its w:rPr, so it is never written <w:r/>
    return markup[:end], markup[end:]


def _run_markup(text: str) -> str:
    """A run's content as python-docx writes `run.text`: w:t pieces, \n as w:br, \t as w:tab."""
    pieces = []
    for piece in _RUN_PIECES.split(text):
        if piece == "\n":
            pieces.append("<w:br/>")
        elif piece == "\t":
            pieces.append("<w:tab/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            pieces.append(f"<w:t{space}>{xml_escape(piece)}</w:t>")
    return "".join(pieces)


def _table_rows(rows: Iterable[list[str]], cells: list[tuple[str, str]], *, header: bool) -> str:
    """Table rows as WordprocessingML text, from per-column cell markup (one parse for the table)."""
    out = []
    start = _ROW_START[header]
    for texts in rows:
        out.append(start)
        for text, (before, after) in zip(texts, cells, strict=True):
            out.append(before)
            if text:
                out.append(_run_markup(text))
            out.append(after)
        out.append("</w:tr>")
    return "".join(out)


class OfficialDocument:
    """Builds one 公文-style .docx: call the methods in reading order, then `to_bytes()`."""

    def __init__(self) -> None:
        self._doc: DocxDocument = Document()
        self._body = self._doc.element.body
        # python-docx's template ends with an empty paragraph; a 公文 starts with its title.
        for paragraph in list(self._doc.paragraphs):
            self._body.remove(paragraph._p)
        self._text_width = TEXT_WIDTH
        self._setup_styles()
        self._setup_section()
        self._setup_footers()
        self._setup_properties()

    @property
    def document(self) -> DocxDocument:
        """The python-docx document, for callers that need something the builder lacks."""
        return self._doc

    # --- set-up -------------------------------------------------------------------------------

    def _setup_styles(self) -> None:
        styles = self._doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault"))
        for child in list(rpr_default):
            rpr_default.remove(child)
        rpr = _rpr(FONT_FANGSONG, SIZE_3)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        rpr_default.append(rpr)
        ppr_default = defaults.find(qn("w:pPrDefault"))
        if ppr_default is not None:
            defaults.remove(ppr_default)

        normal = styles["Normal"]
        self._reset_style(normal, FONT_FANGSONG, SIZE_3)
        normal.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.JUSTIFY
        normal.paragraph_format.widow_control = False  # keeps every page at exactly 22 lines
        # No extra gap between Chinese and Latin/digits ("2021年8月", not "2021 年 8 月").
        _switch_off(normal.element.get_or_add_pPr(), "w:autoSpaceDE")
        _switch_off(normal.element.get_or_add_pPr(), "w:autoSpaceDN")

        for level, (font, bold) in _HEADING_FONTS.items():
            style = styles[f"Heading {level}"]
            self._reset_style(style, font, SIZE_3, bold=bold)
            # A heading never ends a page: it stays with the paragraph below it and is not split.
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.keep_together = True
            style.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.JUSTIFY
            style.element.get_or_add_pPr().get_or_add_outlineLvl().val = level - 1

        title = styles["Title"]
        self._reset_style(title, FONT_TITLE, SIZE_2)
        title.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        title.paragraph_format.keep_with_next = True
        # Exact spacing already fixes each title line to one grid line in Word; off the grid,
        # LibreOffice does the same instead of giving a 22 pt line two grid lines, and the
        # title's characters keep their natural width rather than the body's 28-per-line pitch.
        _off_grid(title.element.get_or_add_pPr())

    def _setup_properties(self) -> None:
        """File properties of our own, not the template's ("python-docx", 2013): the title and the
        issuing unit (author) are filled in by `title` and `signature`, or by `properties`."""
        now = datetime.now(UTC).replace(microsecond=0)
        core = self._doc.core_properties
        core.author = core.last_modified_by = ""
        core.title = core.subject = core.keywords = core.comments = core.category = ""
        core.revision = 1
        core.created = core.modified = now
        core.language = "zh-CN"

    def properties(self, *, title: str | None = None, author: str | None = None,
                   created: datetime | None = None) -> Self:
        """Set the file's title, author (the unit) and creation time, as Word shows them."""
        core = self._doc.core_properties
        if title is not None:
            core.title = clean_text(title).replace("\n", "")[:255]
        if author is not None:
            core.author = core.last_modified_by = clean_text(author).strip()[:255]
        if created is not None:
            core.created = core.modified = created
        return self

    @staticmethod
    def _reset_style(style: ParagraphStyle, font: str, half_points: int, *, bold: bool = False) -> None:
        """Replace the template's look (theme fonts, colours, spacing, borders) with ours."""
        element = style.element
        for tag in ("w:pPr", "w:rPr"):
            old = element.find(qn(tag))
            if old is not None:
                element.remove(old)
        # An explicit bold off: 黑体/楷体 headings stay regular whatever the style is based on.
        element.append(_rpr(font, half_points, bold=bold))
        _exact_lines(style.paragraph_format)

    def _setup_section(self) -> None:
        section = self._doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Twips(PAGE_WIDTH)
        section.page_height = Twips(PAGE_HEIGHT)
        section.top_margin = Twips(MARGIN_TOP)
        section.bottom_margin = Twips(MARGIN_BOTTOM)
        section.left_margin = Twips(MARGIN_LEFT)
        section.right_margin = Twips(MARGIN_RIGHT)
        section.header_distance = Twips(HEADER_DISTANCE)
        section.footer_distance = Twips(FOOTER_DISTANCE)
        section.gutter = Twips(0)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        if grid.get(qn("w:charSpace")) is not None:
            del grid.attrib[qn("w:charSpace")]

    def _setup_footers(self) -> None:
        self._doc.settings.odd_and_even_pages_header_footer = True
        section = self._doc.sections[0]
        # 单页码居右空一字，双页码居左空一字.
        self._page_number(section.footer.paragraphs[0], odd=True)
        self._page_number(section.even_page_footer.paragraphs[0], odd=False)

    @staticmethod
    def _page_number(paragraph: Paragraph, *, odd: bool) -> None:
        for run in list(paragraph.runs):
            paragraph._p.remove(run._r)
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT if odd else WD_PARAGRAPH_ALIGNMENT.LEFT
        _exact_lines(fmt, line=SIZE_4 * 10)
        one_char = SIZE_4 * 10  # 一字 of the 14 pt page number
        if odd:
            _set_indent(paragraph, right=one_char)
        else:
            _set_indent(paragraph, left=one_char)
        _off_grid(paragraph._p.get_or_add_pPr())
        _add_run(paragraph, "— ", FONT_SONGTI, SIZE_4)
        for kind, text in (
            ("begin", None),
            ("instr", " PAGE "),
            ("separate", None),
            ("result", "1"),
            ("end", None),
        ):
            run = paragraph.add_run()
            run._r.append(_rpr(FONT_SONGTI, SIZE_4))
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            elif kind == "result":
                run._r.append(OxmlElement("w:t"))
                run._r[-1].text = text
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
        _add_run(paragraph, " —", FONT_SONGTI, SIZE_4)

    # --- content ------------------------------------------------------------------------------

    def _paragraph(self, style_id: str | None = None) -> Paragraph:
        paragraph = self._doc.add_paragraph()
        if style_id:
            # By id, not by name: python-docx's name lookup scans every style on each call.
            paragraph._p.style = style_id
        return paragraph

    def title(self, text: str) -> Self:
        """The title (标题): 2号 方正小标宋简体, centred; each line of `text` is a line of the title."""
        lines = [
            part
            for line in clean_text(text).split("\n")
            if line.strip()
            for part in balance_title_lines(line.strip())
        ]
        paragraph = self._paragraph("Title")
        paragraph.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        _add_run(paragraph, "\n".join(lines), FONT_TITLE, SIZE_2)
        if not self._doc.core_properties.title:
            self.properties(title="".join(lines))
        self.blank_line()  # 主送机关或正文编排于标题下空一行
        return self

    def subtitle(self, text: str) -> Self:
        """A line under the title, e.g. the date in brackets: 3号 楷体_GB2312, centred."""
        paragraph = self._paragraph()
        paragraph.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        _add_run(paragraph, clean_text(text).strip(), FONT_KAITI, SIZE_3)
        return self

    def addressee(self, text: str) -> Self:
        """The addressee (主送机关): flush left, ending with a full-width colon."""
        name = clean_text(text).strip().rstrip(":：")
        paragraph = self._paragraph()
        paragraph.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.LEFT
        _add_run(paragraph, f"{name}：", FONT_FANGSONG, SIZE_3)
        return self

    def heading(self, level: int, text: str, run_in: str = "", *, text_follows: bool = True) -> Self:
        """A heading of the 一、/（一）/1./（1） ladder; `text` carries its own label.

        `run_in` is body text that continues on the heading's line, as 公文 often write a
        （一） or 1. heading: "1.强化党的政治建设。" in the heading font, then 仿宋 text.
        `text_follows` is False when the next thing on the page is another heading, not body text.
        """
        if level not in _HEADING_FONTS:
            raise ValueError(f"heading level must be 1 to 4, not {level}")
        font, bold = _HEADING_FONTS[level]
        paragraph = self._paragraph(f"Heading{level}")
        _set_indent(paragraph, first_line_chars=2)
        head = clean_text(text).replace("\n", " ").strip()
        body = clean_text(run_in).replace("\n", " ").strip()
        if body and not head.endswith(_SENTENCE_END):
            head += "。"
        _add_run(paragraph, head, font, SIZE_3, bold=bold)
        if body:
            _add_run(paragraph, body, FONT_FANGSONG, SIZE_3, bold=False)
            # A short heading with its own text is kept whole and with the body text below it. A
            # long one may break across pages but never leaves one line of it alone at the foot
            # or head of a page, so its heading line never ends a page; kept whole or kept with
            # the next paragraph, LibreOffice would move all of it and leave the page half empty.
            # Nor is it kept with a heading that follows: a list of such headings (a report's
            # findings, each with its count) would chain into one block longer than a page.
            lines = math.ceil((2 + text_width_in_chars(head + body)) / CHARS_PER_LINE)
            whole = lines <= RUN_IN_KEPT_WHOLE_LINES
            paragraph.paragraph_format.keep_together = whole
            paragraph.paragraph_format.widow_control = not whole
            paragraph.paragraph_format.keep_with_next = whole and text_follows
        return self

    def paragraph(self, text: str) -> Self:
        """Body text: 3号 仿宋_GB2312, justified, first line indented two characters.

        Each line of `text` becomes its own paragraph; blank lines are dropped.
        """
        for line in clean_text(text).split("\n"):
            line = line.strip()
            if not line:
                continue
            paragraph = self._paragraph()
            _set_indent(paragraph, first_line_chars=2)
            _add_run(paragraph, line, FONT_FANGSONG, SIZE_3)
        return self

    def blank_line(self) -> Self:
        """One empty line of the grid (空一行)."""
        self._paragraph()
        return self

    def page_break(self) -> Self:
        paragraph = self._paragraph()
        paragraph.add_run().add_break(WD_BREAK.PAGE)
        return self

    def table(
        self,
        headers: Sequence[object],
        rows: Iterable[Sequence[object]],
        widths: Sequence[float] | None = None,
    ) -> Self:
        """A bordered table across the text width; the header row repeats on every page.

        `widths` are relative column weights ([1, 4, 2]); text is 4号 仿宋_GB2312 (header 黑体),
        or 小四 when the table has more than five columns. Columns whose cells all fit on one
        line (序号, dates, names) are centred; the others are justified.
        """
        columns = len(headers)
        if columns == 0:
            raise ValueError("a table needs at least one column")
        weights = list(widths) if widths else [1.0] * columns
        if len(weights) != columns or any(w <= 0 for w in weights):
            raise ValueError("widths must give one positive weight per column")
        total = sum(weights)
        twips = [int(self._text_width * w / total) for w in weights]
        half_points = SIZE_4 if columns <= 5 else SIZE_SMALL_4
        # A ledger repeats its problems, leaders, departments and dates row after row: each
        # distinct value is cleaned once per table.
        texts: dict[str, str] = {}

        def text_of(value: object) -> str:
            if not isinstance(value, str):
                return cell_text(value)
            if value not in texts:
                texts[value] = cell_text(value)
            return texts[value]

        body_rows = [
            [text_of(v) for v in list(row)[:columns]] + [""] * (columns - len(row)) for row in rows
        ]
        fits = [
            all(text_width_in_chars(row[i]) * half_points * 10 <= width - _CELL_MARGINS for row in body_rows)
            for i, width in enumerate(twips)
        ]

        # Written as XML text from per-column cell markup and parsed once: python-docx's cell and
        # paragraph properties cost ~1 ms per cell, and even copying one lxml template per cell
        # was most of the time of a ledger of hundreds of rows.
        properties = etree.tostring(_table_properties(sum(twips)), encoding="unicode").replace(_W_DECLARATION, "")
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
        header_cells = [_cell_markup(w, half_points, True, True) for w in twips]
        body_cells = [_cell_markup(w, half_points, c, False) for w, c in zip(twips, fits, strict=True)]
        markup = "".join((
            f"<w:tbl{_W_DECLARATION}>", properties, f"<w:tblGrid>{grid}</w:tblGrid>",
            _table_rows([[cell_text(h) for h in headers]], header_cells, header=True),
            _table_rows(body_rows, body_cells, header=False), "</w:tbl>",
        ))
        self._body.find(qn("w:sectPr")).addprevious(parse_xml(markup))
        return self

    def attachment_note(self, titles: Sequence[str]) -> Self:
        """附件说明 under the body, before the signature (GB/T 9704 7.3.5.1): 附件：1.整改任务台账."""
        for number, title in enumerate(titles, start=1):
            paragraph = self._paragraph()
            if number == 1:
                _set_indent(paragraph, first_line_chars=2)
            else:
                _set_indent(paragraph, left=round(5 * CHAR_PITCH))
            prefix = "附件：" if number == 1 else ""
            _add_run(paragraph, f"{prefix}{number if len(titles) > 1 else ''}{'.' if len(titles) > 1 else ''}{title}",
                     FONT_FANGSONG, SIZE_3)
        return self

    def appendix(
        self, label: str, title: str, headers: Sequence[object], rows: Iterable[Sequence[object]],
        widths: Sequence[float] | None = None,
    ) -> Self:
        """An attachment (附件) on landscape pages of its own: "附件1" in 黑体 flush left, its title
        centred, then the table across the wider text block. Page numbers run on."""
        section = self._doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Twips(PAGE_HEIGHT), Twips(PAGE_WIDTH)
        # The portrait margins turned with the page: the binding edge stays on the left.
        section.top_margin, section.bottom_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
        section.left_margin, section.right_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
        head = self._paragraph()
        head.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.LEFT
        _add_run(head, clean_text(label).strip(), FONT_HEITI, SIZE_3)
        heading = self._paragraph("Title")
        heading.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
        _add_run(heading, clean_text(title).strip(), FONT_TITLE, SIZE_2)
        self._text_width = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        try:
            self.table(headers, rows, widths)
        finally:
            self._text_width = TEXT_WIDTH
        return self

    def signature(self, unit: str, signed: date | None) -> Self:
        """The issuing unit (发文机关署名) and date (成文日期) under the body, GB/T 9704 7.3.5.2.

        One blank line, then the unit right-indented two characters; the date below it starts two
        characters right of the unit's first character. A date longer than that moves the unit
        right so the date keeps its two-character right indent.
        """
        name = clean_text(unit).strip()
        if name and not self._doc.core_properties.author:
            self.properties(author=name)
        when = chinese_date(signed) if signed else ""
        unit_chars = text_width_in_chars(name)
        date_chars = text_width_in_chars(when)
        date_right = unit_chars - date_chars  # date starts 2 chars right of the unit's start
        unit_right = 2.0
        if date_right < 2:
            date_right = 2.0
            unit_right = 2 + date_chars + 2 - unit_chars
        self.blank_line()
        for text, right in ((name, unit_right), (when, date_right)):
            if not text:
                continue
            paragraph = self._paragraph()
            paragraph.paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
            paragraph.paragraph_format.keep_with_next = True
            _set_indent(paragraph, right=round(max(right, 0) * CHAR_PITCH))
            _add_run(paragraph, text, FONT_FANGSONG, SIZE_3)
        return self

    # --- output -------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._doc.save(buffer)
        return buffer.getvalue()
