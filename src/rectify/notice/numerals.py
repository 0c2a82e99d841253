"""Chinese and Arabic numerals and width folding for the notice parser: the rules live in
`rectify.rules.text`; the names stay importable from here."""

from rectify.rules.text import (
    CHINESE_NUMERAL_CHARS,
    CN_NUMBER,
    DIGITS,
    MULTIPLIERS,
    SECTIONS,
    chinese_to_int,
    fold_digits,
    fold_width,
    int_to_chinese,
    to_int,
    to_number,
)

__all__ = [
    "CHINESE_NUMERAL_CHARS",
    "CN_NUMBER",
    "DIGITS",
    "MULTIPLIERS",
    "SECTIONS",
    "chinese_to_int",
    "fold_digits",
    "fold_width",
    "int_to_chinese",
    "to_int",
    "to_number",
]
