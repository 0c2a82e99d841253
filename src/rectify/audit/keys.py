"""The audit chain's key: HMAC-SHA256 with a secret kept outside the database (RECTIFY_AUDIT_KEY_FILE).

Someone who can write the database but not read this file cannot re-hash a rewritten chain. Without
RECTIFY_AUDIT_KEY_FILE the key is generated once into RECTIFY_HOME/audit_key (mode 0600), as the secret
key is; every app server of one deployment must read the same file.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings

MIN_KEY_CHARS = 32


class AuditKeyError(RuntimeError):
    """The configured audit key file is missing or too short."""


def key_path() -> Path:
    configured = getattr(settings, "RECTIFY_AUDIT_KEY_FILE", "")
    return Path(configured).expanduser() if configured else Path(settings.RECTIFY_HOME) / "audit_key"


def _create(path: Path) -> None:
    """Write a new random key, atomically: a second process starting at the same time reads the same key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(partial, path)  # fails if another process got there first: then its key is used
        except FileExistsError:
            pass
    finally:
        partial.unlink(missing_ok=True)


@functools.cache
def _mac(path: str) -> hmac.HMAC:
    file = Path(path)
    if not file.exists():
        if getattr(settings, "RECTIFY_AUDIT_KEY_FILE", ""):
            # A configured key that is not there is a mistake to report, not a reason for a new chain key.
            raise AuditKeyError(f"audit key file {file} does not exist (RECTIFY_AUDIT_KEY_FILE)")
        _create(file)
    key = file.read_text(encoding="utf-8").strip()
    if len(key) < MIN_KEY_CHARS:
        raise AuditKeyError(f"audit key file {file} holds fewer than {MIN_KEY_CHARS} characters")
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def seal(text: bytes) -> str:
    """The keyed hash (HMAC-SHA256, hex) of an event's canonical bytes."""
    mac = _mac(str(key_path())).copy()
    mac.update(text)
    return mac.hexdigest()


def sealer() -> hmac.HMAC:
    """The keyed MAC to `copy()` per event when sealing many at once."""
    return _mac(str(key_path()))
