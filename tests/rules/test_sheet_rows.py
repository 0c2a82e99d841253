"""How tall a worksheet row is for its wrapped text (`rules.sheet_rows`)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from rectify.rules.sheet_rows import MIN_ROW_POINTS, row_points, text_lines


def summed_lines(text: str, width: float) -> int:
    """The count as every exported workbook's heights were first computed: a float sum per character."""
    per_line = max(int((width - 1) / 1.8), 1)
    return sum(max(math.ceil(sum(1.0 if ord(c) > 0x2E7F else 0.55 for c in part) / per_line), 1)
               for part in text.split("\n"))


def test_chinese_text_wraps_at_the_columns_width_in_characters() -> None:
    assert text_lines("整改" * 10, 42) == 1  # 20 characters fit a 42-wide column (22 a line)
    assert text_lines("整改" * 12, 42) == 2
    assert text_lines("第一行\n第二行\n\n第四行", 42) == 4  # explicit breaks and an empty line each count


def test_latin_letters_and_digits_take_about_half_a_chinese_character() -> None:
    assert text_lines("a" * 39, 42) == 1  # 39 × 0.55 = 21.45 of the 22 Chinese characters a line holds
    assert text_lines("a" * 41, 42) == 2
    assert text_lines("整改" * 11 + "a", 42) == 2


def test_a_row_is_never_lower_than_one_line_and_its_padding() -> None:
    assert row_points(text_lines("", 42)) == MIN_ROW_POINTS


@given(st.text(alphabet="中文整改措施abc123 ，。()（）-\n", max_size=200),
       st.sampled_from([6, 7, 10, 11, 12, 13, 14, 15, 16, 30, 36, 42, 90]))
def test_exported_rows_keep_the_heights_they_always_had(text: str, width: int) -> None:
    assert text_lines(text, width) == summed_lines(text, width)
