"""The pages run under a Content-Security-Policy with `script-src 'self'`: an inline event handler in a
template is refused by the browser, so the control it belongs to silently does nothing."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "rectify"
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_carries_an_inline_event_handler():
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("templates/**/*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HANDLER.search(line)
    ]
    assert offenders == []
