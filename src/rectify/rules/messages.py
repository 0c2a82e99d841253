"""Messages the rules return for people to read, translatable without importing Django.

A rule returns a `Message`: the Chinese text, usable wherever a str is (JSON, the command line,
comparisons, logs), that also keeps the message before its values were filled in (`template`) and
those values. A page renders it in the reader's language with `rectify.language.localize`, which
looks the template up with gettext and fills in the same values. `gettext_noop` only returns its
argument; Django's makemessages collects the templates by that name.

    Message(gettext_noop("反馈后%(n)d个工作日"), n=15)  == "反馈后15个工作日"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Message", "Params", "gettext_noop"]

Params = tuple[tuple[str, object], ...]


def gettext_noop(message: str) -> str:
    """The message itself: a marker for the translation catalogue."""
    return message


class Message(str):
    """A Chinese message that keeps its template and values, so a page can show it translated.

    Values may be Messages themselves (a label inside a sentence); they are translated too.
    """

    template: str
    params: Params

    def __new__(cls, template: str, /, **values: Any) -> Message:
        message = super().__new__(cls, template % values if values else template)
        message.template = template
        message.params = tuple(values.items())
        return message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.params))

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.params)

    def render(self, gettext: Callable[[str], str]) -> str:
        """The message through `gettext` (e.g. Django's), values that are Messages included."""
        values = {k: v.render(gettext) if isinstance(v, Message) else v for k, v in self.params}
        translated = gettext(self.template)
        return translated % values if values else translated


def _rebuild(template: str, params: Params) -> Message:
    return Message(template, **dict(params))
