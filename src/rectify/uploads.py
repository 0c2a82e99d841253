"""Uploaded files held between an import's preview and its confirmation (never served, swept after a day)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.RECTIFY_HOME) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def hold(request: HttpRequest, data: bytes, name: str, purpose: str) -> str:
    """Keep the file for this session and return the token the confirmation form carries."""
    folder = _folder()
    now = time.time()
    for old in folder.iterdir():
        if now - old.stat().st_mtime > MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / token).write_bytes(data)
    held = request.session.get("held_uploads", {})
    held[token] = {"name": name, "purpose": purpose}
    request.session["held_uploads"] = held
    return token


def take(request: HttpRequest, token: str, purpose: str) -> tuple[bytes, str] | None:
    """The held file for `token` if this session uploaded it for `purpose`; it is released."""
    held = request.session.get("held_uploads", {})
    entry = held.get(token)
    path = _folder() / token
    if entry is None or entry.get("purpose") != purpose or not token.isalnum() or not path.exists():
        return None
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    del held[token]
    request.session["held_uploads"] = held
    return data, entry["name"]

