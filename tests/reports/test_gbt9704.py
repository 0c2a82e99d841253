"""OfficialDocument against GB/T 9704-2012, read back from the .docx a user would open."""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date

import pytest
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from rectify.reports.gbt9704 import (
    OfficialDocument,
    balance_title_lines,
    chinese_date,
    chinese_date_range,
    text_width_in_chars,
)

from .conftest import open_docx

ONE_TWIP = Twips(1)


def sample_document() -> bytes:
    doc = OfficialDocument()
    doc.title("中共山东省委统战部\n关于十一届省委第八轮巡视整改进展情况的通报")
    doc.addressee("各处室、各直属单位")
    doc.heading(1, "一、整改工作基本情况")
    doc.paragraph("根据省委统一部署，省委第十四巡视组对省委统战部开展了常规巡视。")
    doc.heading(2, "（一）关于贯彻落实重大决策部署方面")
    doc.heading(3, "1.关于“学习贯彻不够深入”的问题")
    doc.paragraph("一是着力强化思想政治引领。二是健全完善工作机制。")
    doc.signature("中共山东省委统战部", date(2021, 8, 26))
    return doc.to_bytes()


def run_fonts(run_element: etree._Element) -> dict[str, str | None]:
    fonts = run_element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts is not None, "run without w:rFonts"
    return {attr: fonts.get(qn(f"w:{attr}")) for attr in ("ascii", "hAnsi", "eastAsia")}


def text_paragraphs(document) -> list[Paragraph]:  # noqa: ANN001
    return [p for p in document.paragraphs if p.text.strip()]


def test_page_is_a4_portrait():
    section = open_docx(sample_document()).sections[0]
    assert abs(section.page_width - Mm(210)) < ONE_TWIP
    assert abs(section.page_height - Mm(297)) < ONE_TWIP


@pytest.mark.parametrize(
    ("side", "mm"), [("top_margin", 37), ("bottom_margin", 35), ("left_margin", 28), ("right_margin", 26)]
)
def test_margins_follow_the_standard(side: str, mm: int):
    section = open_docx(sample_document()).sections[0]
    assert abs(getattr(section, side) - Mm(mm)) < ONE_TWIP


def test_document_grid_gives_22_lines_of_28_characters():
    document = open_docx(sample_document())
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    # A line grid only: LibreOffice reads a character grid as cells a glyph fills two of (14 a line).
    assert grid.get(qn("w:type")) == "lines"
    line_pitch = int(grid.get(qn("w:linePitch")))

    text_height = Length(section.page_height - section.top_margin - section.bottom_margin).twips
    text_width_pt = Length(section.page_width - section.left_margin - section.right_margin).pt
    # floor(text height / line pitch) lines; 三号 characters condensed to a pitch that fits 28.
    normal = document.styles["Normal"].element
    condense = int(normal.find(f"{qn('w:rPr')}/{qn('w:spacing')}").get(qn("w:val")))
    pitch = document.styles["Normal"].font.size.pt + condense / 20
    assert math.floor(text_height / line_pitch) == 22
    assert math.floor(text_width_pt / pitch) == 28
    body = [p for p in document.paragraphs if p.runs and p.runs[0].font.size == document.styles["Normal"].font.size]
    assert body and all(
        int(p.runs[0]._r.find(f"{qn('w:rPr')}/{qn('w:spacing')}").get(qn("w:val"))) == condense for p in body
    )


def test_body_lines_have_fixed_spacing_of_one_grid_line():
    document = open_docx(sample_document())
    line_pitch = int(document.sections[0]._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")))
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.line_spacing == Twips(line_pitch)
    assert normal.line_spacing.pt == pytest.approx(28.95, abs=0.05)


def test_title_is_2hao_xiaobiaosong_centred_on_its_lines():
    document = open_docx(sample_document())
    title = document.paragraphs[0]
    assert title.alignment == WD_PARAGRAPH_ALIGNMENT.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert run_fonts(title.runs[0]._r)["eastAsia"] == "方正小标宋简体"
    assert title.text.split("\n") == ["中共山东省委统战部", "关于十一届省委第八轮", "巡视整改进展情况的通报"]


def test_body_is_3hao_fangsong_indented_two_characters_and_justified():
    document = open_docx(sample_document())
    body = next(p for p in document.paragraphs if p.text.startswith("根据省委统一部署"))
    assert body.runs[0].font.size == Pt(16)
    assert run_fonts(body.runs[0]._r)["eastAsia"] == "仿宋_GB2312"
    ind = body._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert body.paragraph_format.first_line_indent.pt == pytest.approx(2 * 442.2 / 28, abs=0.2)
    assert document.styles["Normal"].paragraph_format.alignment == WD_PARAGRAPH_ALIGNMENT.JUSTIFY


def test_every_run_names_its_font_for_east_asian_text():
    document = open_docx(sample_document())
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    assert runs
    for run in runs:
        fonts = run_fonts(run._r)
        assert fonts["eastAsia"], run.text
        assert fonts["ascii"] == fonts["hAnsi"] == fonts["eastAsia"], run.text


def test_normal_style_and_doc_defaults_carry_fangsong_for_east_asian_text():
    document = open_docx(sample_document())
    normal_fonts = document.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert normal_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.styles["Normal"].font.size == Pt(16)
    defaults = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    assert defaults.get(qn("w:eastAsia")) == "仿宋_GB2312"
    # A theme font would win over the explicit name in Word.
    assert defaults.get(qn("w:eastAsiaTheme")) is None


@pytest.mark.parametrize(
    ("prefix", "font", "bold"),
    [("一、", "黑体", False), ("（一）", "楷体_GB2312", False), ("1.", "仿宋_GB2312", True)],
)
def test_heading_levels_use_the_standard_fonts(prefix: str, font: str, bold: bool):
    document = open_docx(sample_document())
    heading = next(p for p in document.paragraphs if p.text.startswith(prefix))
    run = heading.runs[0]
    assert run_fonts(run._r)["eastAsia"] == font
    assert run.font.size == Pt(16)
    assert bool(run.font.bold) is bold
    assert heading.paragraph_format.keep_with_next or heading.style.paragraph_format.keep_with_next


def test_page_numbers_on_odd_and_even_pages_sit_on_the_outer_side():
    document = open_docx(sample_document())
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer, section.even_page_footer
    assert not odd.is_linked_to_previous and not even.is_linked_to_previous
    for footer, alignment in ((odd, WD_PARAGRAPH_ALIGNMENT.RIGHT), (even, WD_PARAGRAPH_ALIGNMENT.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        assert paragraph.text == "— 1 —"
        instructions = [t.text.strip() for t in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        kinds = [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        for run in paragraph.runs:
            assert run_fonts(run._r)["eastAsia"] == "宋体"
            assert run.font.size == Pt(14)


def test_page_number_sits_about_7mm_below_the_text_block():
    section = open_docx(sample_document()).sections[0]
    # Footer line of 14 pt whose dash is at mid-height, bottom edge at the footer distance.
    dash_from_bottom = section.footer_distance + Pt(7)
    assert Length(section.bottom_margin - dash_from_bottom).mm == pytest.approx(7, abs=0.5)


def test_signature_is_right_aligned_with_the_date_two_characters_in_from_the_unit():
    document = open_docx(sample_document())
    unit, when = text_paragraphs(document)[-2:]
    assert (unit.text, when.text) == ("中共山东省委统战部", "2021年8月26日")
    assert unit.alignment == when.alignment == WD_PARAGRAPH_ALIGNMENT.RIGHT
    pitch = Twips(8845 / 28)

    def start_from_right(paragraph: Paragraph) -> float:
        return paragraph.paragraph_format.right_indent + text_width_in_chars(paragraph.text) * pitch

    assert unit.paragraph_format.right_indent == pytest.approx(2 * pitch, abs=ONE_TWIP)
    assert start_from_right(unit) - start_from_right(when) == pytest.approx(2 * pitch, abs=ONE_TWIP)


def test_addressee_ends_with_a_full_width_colon_flush_left():
    document = open_docx(sample_document())
    addressee = next(p for p in document.paragraphs if p.text.startswith("各处室"))
    assert addressee.text == "各处室、各直属单位："
    assert addressee.paragraph_format.first_line_indent is None


def test_table_repeats_its_header_row_and_has_borders():
    doc = OfficialDocument()
    doc.table(
        ["序号", "整改任务", "完成时限"],
        [[i, f"整改任务{i}", date(2021, 6, 30)] for i in range(1, 60)],
        widths=[1, 5, 2],
    )
    document = open_docx(doc.to_bytes())
    table = document.tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert not any(
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows[1:]
    )
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.tag.split("}")[1] for child in borders} >= {
        "top",
        "left",
        "bottom",
        "right",
        "insideH",
        "insideV",
    }
    assert all(child.get(qn("w:val")) == "single" for child in borders)
    assert [c.text for c in header.cells] == ["序号", "整改任务", "完成时限"]
    assert table.rows[1].cells[2].text == "2021年6月30日"
    body_run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert body_run.font.size in (Pt(14), Pt(12))
    assert run_fonts(body_run._r)["eastAsia"] == "仿宋_GB2312"
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert sum(widths) == pytest.approx(8845, abs=3)  # the text width, 156 mm
    assert widths[1] == pytest.approx(5 * widths[0], abs=6)


def test_wide_tables_use_xiaosi():
    doc = OfficialDocument()
    doc.table([f"列{i}" for i in range(8)], [[str(i) for i in range(8)]])
    cell_run = open_docx(doc.to_bytes()).tables[0].rows[1].cells[0].paragraphs[0].runs[0]
    assert cell_run.font.size == Pt(12)


def test_table_rejects_widths_that_do_not_match_the_columns():
    with pytest.raises(ValueError):
        OfficialDocument().table(["a", "b"], [], widths=[1])


def test_page_break_starts_a_new_page():
    doc = OfficialDocument()
    doc.paragraph("第一页")
    doc.page_break()
    doc.paragraph("第二页")
    body = open_docx(doc.to_bytes()).element.body
    breaks = [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1


def test_hostile_text_gives_a_valid_file_with_the_text_kept_literally():
    doc = OfficialDocument()
    hostile = "<script>alert('x')</script> & </w:t><w:t>\x00\x01\x08\x0b\x0c\x1f\ud800\ufffe\uffff尾"
    doc.title(hostile)
    doc.heading(1, hostile)
    doc.paragraph(hostile)
    doc.table([hostile], [[hostile]])
    doc.signature(hostile, date(2021, 8, 26))
    data = doc.to_bytes()

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        etree.fromstring(archive.read("word/document.xml"))  # well-formed XML
    document = open_docx(data)
    expected = "<script>alert('x')</script> & </w:t><w:t>尾"
    texts = [p.text for p in document.paragraphs]
    assert expected in texts
    assert document.tables[0].rows[1].cells[0].text == expected
    assert not any(ch in "".join(texts) for ch in "\x00\x01\x08\x0b\x0c\x1f\ufffe\uffff")


def test_a_one_megabyte_paragraph_survives_intact():
    big = ("整改" * 50 + "\x07") * 10_500  # a little over 1 MB of UTF-8, with a control char per chunk
    doc = OfficialDocument()
    doc.paragraph(big)
    paragraph = max(open_docx(doc.to_bytes()).paragraphs, key=lambda p: len(p.text))
    assert paragraph.text == big.replace("\x07", "")


def test_paragraph_lines_become_separate_indented_paragraphs():
    doc = OfficialDocument()
    doc.paragraph("第一段。\r\n\r\n第二段。\r第三段。")
    texts = [p.text for p in text_paragraphs(open_docx(doc.to_bytes()))]
    assert texts == ["第一段。", "第二段。", "第三段。"]


def test_heading_level_outside_the_ladder_is_refused():
    with pytest.raises(ValueError):
        OfficialDocument().heading(5, "标题")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2021, 8, 26), "2021年8月26日"),
        (date(2021, 1, 5), "2021年1月5日"),
        (date(2020, 12, 31), "2020年12月31日"),
    ],
)
def test_chinese_date_has_no_zero_padding(value: date, expected: str):
    assert chinese_date(value) == expected


def test_date_range_drops_the_second_year_only_within_one_year():
    assert chinese_date_range(date(2020, 10, 18), date(2020, 12, 25)) == "2020年10月18日至12月25日"
    assert chinese_date_range(date(2020, 12, 1), date(2021, 1, 15)) == "2020年12月1日至2021年1月15日"


def test_long_title_lines_are_split_at_a_word_and_fit_the_line():
    lines = balance_title_lines("中共政协全国委员会机关党组关于十九届中央第六轮巡视整改进展情况的通报")
    assert "".join(lines) == "中共政协全国委员会机关党组关于十九届中央第六轮巡视整改进展情况的通报"
    assert all(text_width_in_chars(line) <= 20 for line in lines)  # 156 mm / 22 pt
    assert lines[1].startswith(("第", "巡视", "关于"))


def test_short_columns_are_centred_and_long_text_reads_from_the_left():
    doc = OfficialDocument()
    doc.table(
        ["序号", "整改措施"],
        [[1, "严格落实“第一议题”制度，修订理论学习中心组学习规则，建立学习台账。" * 2]],
        widths=[1, 6],
    )
    row = open_docx(doc.to_bytes()).tables[0].rows[1]
    assert row.cells[0].paragraphs[0].alignment == WD_PARAGRAPH_ALIGNMENT.CENTER
    assert row.cells[1].paragraphs[0].alignment == WD_PARAGRAPH_ALIGNMENT.JUSTIFY


def test_file_properties_name_the_document_and_its_unit():
    from datetime import UTC, datetime

    from rectify.reports.gbt9704 import OfficialDocument

    before = datetime.now(UTC).replace(microsecond=0)
    data = OfficialDocument().title("中共测试单位党组\n关于整改情况的通报").paragraph("正文。").signature(
        "中共测试单位党组", None).to_bytes()
    core = open_docx(data).core_properties
    assert core.title == "中共测试单位党组关于整改情况的通报"
    assert core.author == core.last_modified_by == "中共测试单位党组"
    assert core.created >= before and core.created.year >= 2024
    assert "python-docx" not in f"{core.author}{core.comments}{core.last_modified_by}"


def test_headings_with_run_in_text_are_kept_with_their_body_but_never_chained():
    document = OfficialDocument()
    document.heading(3, "1.关于短问题", run_in="3项整改任务均正在推进。", text_follows=True)
    document.heading(3, "2.关于后面是标题的问题", run_in="1项整改任务正在推进。", text_follows=False)
    document.heading(3, "3.关于长问题", run_in="一是" + "推动整改落实" * 40, text_follows=True)
    document.heading(2, "（二）关于另一方面的问题")
    short, before_heading, long, plain = open_docx(document.to_bytes()).paragraphs
    assert short.paragraph_format.keep_with_next and short.paragraph_format.keep_together
    assert before_heading.paragraph_format.keep_with_next is False  # a list of items is no chain
    # A long one may break across pages, never leaving one line alone; it is not moved wholesale.
    assert long.paragraph_format.widow_control and not long.paragraph_format.keep_with_next
    assert not long.paragraph_format.keep_together
    style = plain.style.paragraph_format
    assert plain.paragraph_format.keep_with_next is None and style.keep_with_next and style.keep_together
