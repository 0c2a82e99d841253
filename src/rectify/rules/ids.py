"""Numbers typed into a query string or a form (ids, versions): what parses, and what is refused."""

from __future__ import annotations

# The largest id a database key column holds (PostgreSQL bigint, SQLite integer).
MAX_ID = 2**63 - 1


def parse_id(text: str | None, *, maximum: int = MAX_ID) -> int | None:
    """A whole number of ASCII digits from 0 to `maximum`, or None (superscripts, other scripts' digits,
    signs, blanks, numbers too large for the database)."""
    value = (text or "").strip()
    if not value or len(value) > 19 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= maximum else None
