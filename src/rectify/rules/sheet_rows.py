"""How tall a worksheet row must be for its wrapped text: Excel, WPS and LibreOffice do not grow a
row to its text when a file is opened, so every generated workbook writes each row's height.

For 10 pt 宋体 text. Column widths are counted in widths of "0" of the default font; a Chinese
character at 10 pt takes about 1.8 of them (rounded so a line never holds more than a cell shows).
"""

from __future__ import annotations

import math

LINE_POINTS = 13.5
ROW_PADDING = 4
MIN_ROW_POINTS = 20
WIDTH_PER_CJK = 1.8


def text_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` wide (explicit line breaks kept)."""
    per_line = max(int((width - 1) / WIDTH_PER_CJK), 1)
    lines = 0
    for part in str(text).split("\n"):
        units = sum(1.0 if ord(char) > 0x2E7F else 0.55 for char in part)
        lines += max(math.ceil(units / per_line), 1)
    return lines


def row_points(lines: int) -> float:
    """The height in points of a row of `lines` wrapped lines."""
    return max(MIN_ROW_POINTS, lines * LINE_POINTS + ROW_PADDING)
