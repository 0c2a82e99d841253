"""Excel 台账 (rectification ledger) import and export. Never imports Django.

`read_ledger` turns an .xlsx/.xls/.csv ledger in whatever shape a unit keeps it into tasks and
row errors; `write_ledger` and `blank_template` produce the standard ledger workbook.
"""

from rectify.spreadsheets.deadlines import Deadline, DeadlineError, parse_deadline
from rectify.spreadsheets.headers import FIELD_SYNONYMS, match_header
from rectify.spreadsheets.model import (
    CATEGORIES,
    CATEGORY_DEADLINE,
    CATEGORY_IMMEDIATE,
    CATEGORY_LONG_TERM,
    FIELD_LABELS,
    ColumnMap,
    ExportRow,
    LedgerFileError,
    LedgerParse,
    LedgerRow,
    ReadLimits,
    RowError,
    SheetInfo,
)
from rectify.spreadsheets.reader import read_ledger
from rectify.spreadsheets.writer import blank_template, write_ledger

__all__ = [
    "CATEGORIES",
    "CATEGORY_DEADLINE",
    "CATEGORY_IMMEDIATE",
    "CATEGORY_LONG_TERM",
    "FIELD_LABELS",
    "FIELD_SYNONYMS",
    "ColumnMap",
    "Deadline",
    "DeadlineError",
    "ExportRow",
    "LedgerFileError",
    "LedgerParse",
    "LedgerRow",
    "ReadLimits",
    "RowError",
    "SheetInfo",
    "blank_template",
    "match_header",
    "parse_deadline",
    "read_ledger",
    "write_ledger",
]
