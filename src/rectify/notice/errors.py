"""Errors of the notice reader and parser."""

from __future__ import annotations

from rectify.rules.messages import Message, gettext_noop

AT_LINE = gettext_noop("第 %(line)d 行：%(why)s")


class NoticeError(ValueError):
    """The input cannot be read as a 整改进展情况通报; the message (Chinese) says why and where.

    `message` is a `Message`: its text is the Chinese, and a page shows it in the reader's language
    (`rectify.language.localize`), the line number included.
    """

    def __init__(self, message: Message, *, line: int | None = None) -> None:
        self.line = line
        self.message = Message(AT_LINE, line=line, why=message) if line is not None else message
        super().__init__(str(self.message))
