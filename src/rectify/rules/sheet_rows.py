"""How tall a worksheet row must be for its wrapped text: Excel, WPS and LibreOffice do not grow a
row to its text when a file is opened, so every generated workbook writes each row's height.

For 10 pt 宋体 text. Column widths are counted in widths of "0" of the default font; a Chinese
character at 10 pt takes about 1.8 of them (rounded so a line never holds more than a cell shows).
"""

from __future__ import annotations

import math
import re

LINE_POINTS = 13.5
ROW_PADDING = 4
MIN_ROW_POINTS = 20
WIDTH_PER_CJK = 1.8


# Characters narrower than a Chinese one (Latin, digits, half-width punctuation): 0.55 of its width.
_NARROW = re.compile(r"[\x00-\u2e7f]+")


def text_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` wide (explicit line breaks kept)."""
    per_line = max(int((width - 1) / WIDTH_PER_CJK), 1) * 100  # in hundredths of a Chinese character
    lines = 0
    for part in str(text).split("\n"):
        wide = len(_NARROW.sub("", part))
        units = 100 * wide + 55 * (len(part) - wide)
        if units % per_line == 0 and wide < len(part):
            # Exactly full lines with narrow characters: summed as floats, as heights always were
            # (the rounding may count one line more), so a workbook's rows keep their heights.
            count = math.ceil(sum(1.0 if ord(char) > 0x2E7F else 0.55 for char in part) / (per_line // 100))
        else:
            count = -(-units // per_line)
        lines += max(count, 1)
    return lines


def row_points(lines: int) -> float:
    """The height in points of a row of `lines` wrapped lines."""
    return max(MIN_ROW_POINTS, lines * LINE_POINTS + ROW_PADDING)
