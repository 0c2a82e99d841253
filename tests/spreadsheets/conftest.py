"""Helpers for the ledger tests: real workbooks built in memory, shaped as officials make them."""

from __future__ import annotations

import io
from typing import Any


def save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
