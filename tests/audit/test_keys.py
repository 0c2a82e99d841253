"""The chain's key lives in a file outside the database: generated once (0600) or configured."""

from __future__ import annotations

import pytest

from rectify.audit import keys


def test_key_is_generated_once_readable_by_the_owner_only(settings, tmp_path):
    settings.RECTIFY_HOME = tmp_path
    settings.RECTIFY_AUDIT_KEY_FILE = ""
    first = keys.seal(b"event")
    path = tmp_path / "audit_key"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert len(path.read_text().strip()) == 64
    assert keys.seal(b"event") == first


def test_configured_key_file_is_used(settings, tmp_path):
    path = tmp_path / "shared_key"
    path.write_text("0123456789abcdef" * 4)
    settings.RECTIFY_AUDIT_KEY_FILE = str(path)
    other = tmp_path / "other_key"
    other.write_text("fedcba9876543210" * 4)
    sealed = keys.seal(b"event")
    settings.RECTIFY_AUDIT_KEY_FILE = str(other)
    assert keys.seal(b"event") != sealed


def test_configured_key_file_that_is_missing_is_an_error(settings, tmp_path):
    settings.RECTIFY_AUDIT_KEY_FILE = str(tmp_path / "missing")
    with pytest.raises(keys.AuditKeyError, match="does not exist"):
        keys.seal(b"event")
    assert not (tmp_path / "missing").exists()


def test_short_key_is_refused(settings, tmp_path):
    path = tmp_path / "short"
    path.write_text("abc")
    settings.RECTIFY_AUDIT_KEY_FILE = str(path)
    with pytest.raises(keys.AuditKeyError, match="fewer than"):
        keys.seal(b"event")
