"""Marking the rules' messages for translation without importing Django (the rules stay pure Python).

A rule returns its message in Chinese and, beside it, the message before its values were filled in
(`template`) and those values (`params`). Pages translate the template and fill in the same values;
`gettext_noop` only returns its argument, and Django's makemessages collects the templates by its name.
"""

from __future__ import annotations

from collections.abc import Mapping

Params = tuple[tuple[str, object], ...]


def gettext_noop(message: str) -> str:
    """The message itself: a marker for the translation catalogue."""
    return message


def fill(template: str, params: Mapping[str, object] | None = None) -> tuple[str, Params]:
    """The Chinese message and the values as a hashable tuple, for a frozen dataclass."""
    values = dict(params or {})
    return (template % values if values else template), tuple(values.items())
