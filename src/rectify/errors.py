"""Domain errors. Messages are for users (Chinese, translatable); names are for code."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class RectifyError(Exception):
    """Base of every error a user may see; `message` is already translated."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(RectifyError):
    """The task's life cycle does not allow this step from its current status."""

    code = "invalid_transition"


class StaleWrite(RectifyError):
    """Someone else saved the record since it was read (version mismatch)."""

    code = "stale_version"


class ValidationFailed(RectifyError):
    """Input that breaks a rule; `field` names the field."""

    code = "invalid"


class NotVisible(RectifyError, Http404):
    """Out of the actor's scope: a 404 (Django's own handling), so existence stays hidden."""

    code = "not_found"


class Forbidden(RectifyError, PermissionDenied):
    """In scope but the role does not allow the operation: a 403 (Django's own handling)."""

    code = "forbidden"
