"""Read the 完成时限 column with the one deadline grammar (`rectify.rules.deadlines`).

The ledger speaks of categories by their Chinese labels and of errors as `Message`s a preview page
can translate; this module only turns the grammar's answers into those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rectify.rules import deadlines as grammar
from rectify.spreadsheets.model import CATEGORY_DEADLINE, CATEGORY_IMMEDIATE, CATEGORY_LONG_TERM

__all__ = ["Deadline", "DeadlineError", "parse_deadline"]

_CATEGORIES = {
    grammar.IMMEDIATE: CATEGORY_IMMEDIATE,
    grammar.DEADLINE: CATEGORY_DEADLINE,
    grammar.LONG_TERM: CATEGORY_LONG_TERM,
}


@dataclass(frozen=True)
class Deadline:
    """A parsed 完成时限: the date (if any), the 整改类型 it implies, and a progress remark."""

    date: date | None
    category: str
    progress: str | None = None


class DeadlineError(ValueError):
    """The text is not a deadline; the message (Chinese, a `Message`) names the value and the reason."""


def parse_deadline(value: object, *, year: int | None) -> Deadline:
    """Parse one 完成时限 cell; ``year`` is the inspection's year, used when the text leaves it out."""
    try:
        read = grammar.read_deadline(value, year=year)
    except grammar.DeadlineError as error:
        raise DeadlineError(error.message) from None
    return Deadline(read.date, _CATEGORIES[read.category], read.progress)
