"""Errors of the notice reader and parser."""

from __future__ import annotations


class NoticeError(ValueError):
    """The input cannot be read as a 整改进展情况通报; the message (Chinese) says why and where."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"第 {line} 行：{message}" if line is not None else message)
