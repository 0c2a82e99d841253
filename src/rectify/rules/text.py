"""Text as Chinese officials write it, folded to one form: width (full-width digits, letters and
marks), numerals (十四 → 14, 二〇二一 → 2021, ３８ → 38), dates written in Chinese numerals
("二〇二一年六月底" → "2021年6月底") and the item numbers lines start with ("（一）", "1.", "①").
Pure Python; every reader of notices and ledgers calls these.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "貳": 2, "贰": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
    "八": 8, "捌": 8, "九": 9, "玖": 9,
}
MULTIPLIERS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
SECTIONS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(MULTIPLIERS) + "".join(SECTIONS)
CN_NUMBER = f"[{CHINESE_NUMERAL_CHARS}]+"

# Full-width digits, letters and ASCII punctuation fold to half-width; the ideographic space to a space.
_FULL_WIDTH_ALL = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH_ALL[0x3000] = 0x20
_ASCII_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})

_ARABIC = re.compile(r"^\d+(?:\.\d+)?$")


_WIDE_RE = re.compile("[\uff01-\uff5e\u3000]")
_NARROW = {chr(code): chr(narrow) for code, narrow in _FULL_WIDTH_ALL.items()}


def fold_width(text: str) -> str:
    """Full-width ASCII (Ａ１：) to half-width (A1:)."""
    # Chinese text holds a few distinct full-width marks (，：（）) among many ideographs: replacing
    # just those is far cheaper than str.translate, which looks every character up in a dict.
    for wide in set(_WIDE_RE.findall(text)):
        text = text.replace(wide, _NARROW[wide])
    return text


def fold_digits(text: str) -> str:
    """Only full-width digits (０-９) to ASCII; punctuation stays as written."""
    return text.translate(_ASCII_DIGITS)


def chinese_to_int(text: str) -> int:
    """Value of a Chinese numeral: 十四 → 14, 二十 → 20, 一百零五 → 105, 二〇二一 → 2021.

    Raises ValueError when the text is not a Chinese numeral.
    """
    if not text:
        raise ValueError("empty numeral")
    if all(ch in DIGITS for ch in text) and len(text) > 1:
        # Digit by digit, as years are written: 二〇二一.
        return int("".join(str(DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in MULTIPLIERS:
            section += (1 if digit is None else digit) * MULTIPLIERS[ch]
            digit = None
        elif ch in SECTIONS:
            section += digit or 0
            total += section * SECTIONS[ch]
            section = 0
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


def to_int(text: str) -> int:
    """An integer written with Arabic (also full-width) or Chinese digits."""
    text = text.strip()
    if text.isdecimal():
        return int(text)  # int() reads full-width digits too
    return chinese_to_int(text)


def to_number(text: str) -> int | Decimal:
    """A quantity as written: 173 → 173, 120.5 → Decimal('120.5'), 二十三 → 23, 1,200 → 1200."""
    folded = fold_width(text.strip()).replace(",", "")
    if _ARABIC.match(folded):
        if "." not in folded:
            return int(folded)
        try:
            return Decimal(folded)
        except InvalidOperation as error:  # pragma: no cover - guarded by the regex
            raise ValueError(text) from error
    return chinese_to_int(folded)


_CN_SMALL = "零一二三四五六七八九"


def int_to_chinese(value: int) -> str:
    """Counting form for labels and ordinals: 14 → 十四, 23 → 二十三, 105 → 一百零五."""
    if value < 0:
        raise ValueError("negative numeral")
    if value < 10:
        return _CN_SMALL[value]
    if value < 20:
        return "十" + (_CN_SMALL[value % 10] if value % 10 else "")
    if value < 100:
        return _CN_SMALL[value // 10] + "十" + (_CN_SMALL[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        head = _CN_SMALL[value // 100] + "百"
        if not rest:
            return head
        if rest < 10:
            return head + "零" + _CN_SMALL[rest]
        tail = int_to_chinese(rest)
        return head + ("一" + tail if rest < 20 else tail)
    return str(value)


# For ledger cells: of U+FF01..U+FF5E (the full-width forms of ASCII) only digits, letters and the
# marks of numbers and dates are folded, so that Chinese punctuation such as （ ） ， ： stays as the
# author wrote it (`fold_width` folds them all, for the parser's patterns).
_FULL_WIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
    0xFF0E: 0x2E,  # ．
    0xFF0F: 0x2F,  # ／
    0xFF0D: 0x2D,  # －
    0x3000: 0x20,  # ideographic space
    0x00A0: 0x20,  # no-break space
    0x2002: 0x20,
    0x2003: 0x20,
    0x2009: 0x20,
    0x200B: None,  # zero-width space
    0xFEFF: None,  # stray byte-order mark
}

_NEEDS_FOLDING = re.compile("[" + "".join(re.escape(chr(c)) for c in _FULL_WIDTH_ALNUM) + "]")


def half_width(text: str) -> str:
    """Fold full-width digits, letters and spaces to their ASCII forms."""
    return text.translate(_FULL_WIDTH_ALNUM) if _NEEDS_FOLDING.search(text) else text


_CN_YEAR_RE = re.compile("(?<![〇零○一二三四五六七八九])([〇零○一二三四五六七八九]{4})(?=\\s*年)")
_CN_PART_RE = re.compile("(?<![一二三四五六七八九十])([一二三四五六七八九十]{1,3})(?=\\s*[月日号])")


def arabic_dates(text: str) -> str:
    """Dates written in Chinese numerals with Arabic digits: "二〇二一年六月三十日" → "2021年6月30日";
    counts that are no dates ("三个月", "第一季度") stay as written."""
    if not _CN_YEAR_RE.search(text) and not _CN_PART_RE.search(text):
        return text
    text = _CN_YEAR_RE.sub(lambda m: "".join(str(DIGITS[ch]) for ch in m.group(1)), text)
    return _CN_PART_RE.sub(lambda m: str(chinese_to_int(m.group(1))), text)


# Item numbers at the start of a line, as ledgers and plans write them.
_CN_NUMERAL = "一二三四五六七八九十百零〇两"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Leading numbering: "1." "1、" "1）" "（1）" "(1)" "一、" "（一）" "第一，" "①"; never "1.5万元".
_NUMBERING = re.compile(
    rf"""^(?:
        \d{{1,3}}(?:\.\d{{1,3}})*(?:[.、,，](?!\d)|[)）])
      | [(（]\s*(?:\d{{1,3}}|[{_CN_NUMERAL}]{{1,3}})\s*[)）][、.,，]?
      | [{_CN_NUMERAL}]{{1,3}}[、.,，]
      | 第[{_CN_NUMERAL}\d]{{1,3}}[是条项个][、.,，:：]?
      | [{_CIRCLED}][、.,，]?
    )\s*""",
    re.VERBOSE,
)


def strip_numbering(text: str) -> str:
    """Remove one leading item number (``1.`` ``（一）`` ``①``) from a line."""
    return _NUMBERING.sub("", text, count=1)


def numbering_of(text: str) -> str:
    """The item number a line starts with, as written ("（一）", "1.", "一、"), or ""."""
    match = _NUMBERING.match(text)
    return match.group(0).strip() if match else ""


def starts_with_numbering(line: str) -> bool:
    return bool(_NUMBERING.match(line))
