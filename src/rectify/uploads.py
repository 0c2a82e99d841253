"""Uploaded files held between an import's preview and its confirmation (never served, swept after a day).

They are kept in the database, not on one server's disk, so the confirmation may reach any app server.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

MAX_AGE_SECONDS = 24 * 3600


def hold(request: HttpRequest, data: bytes, name: str, purpose: str, *, rows: int = 0) -> str:
    """Keep the file (of `rows` data rows, as its preview read them) for this user and return the token
    the confirmation form carries."""
    from rectify.jobs.models import HeldUpload

    HeldUpload.objects.filter(created_at__lt=timezone.now() - dt.timedelta(seconds=MAX_AGE_SECONDS)).delete()
    token = secrets.token_hex(16)
    HeldUpload.objects.create(token=token, user_id=request.user.pk, purpose=purpose, name=name[:255], data=data,
                              rows=rows)
    return token


def hand_over(request: HttpRequest, token: str, purpose: str, *, to: str, more_rows_than: int) -> int | None:
    """Give the held file for `token` over to a background job (its purpose becomes `to`) when it has
    more rows than `more_rows_than`, and return its id; None for a small file (confirmed in the
    request through `take`) or one already taken. One statement: a second confirmation finds nothing."""
    from rectify.jobs.models import HeldUpload

    if not token or not token.isalnum():
        return None
    fresh = timezone.now() - dt.timedelta(seconds=MAX_AGE_SECONDS)
    held = HeldUpload.objects.filter(token=token, user_id=request.user.pk, purpose=purpose, rows__gt=more_rows_than,
                                     created_at__gte=fresh)
    pk = held.values_list("pk", flat=True).first()
    if pk is None or held.filter(pk=pk).update(purpose=to) != 1:
        return None
    return pk


def take(request: HttpRequest, token: str, purpose: str) -> tuple[bytes, str] | None:
    """The held file for `token` if this user uploaded it for `purpose`; it is released, so a second
    confirmation of the same file (a double click, another server) finds nothing."""
    from rectify.jobs.models import HeldUpload

    if not token or not token.isalnum():
        return None
    with transaction.atomic():
        held = HeldUpload.objects.filter(token=token, user_id=request.user.pk, purpose=purpose).first()
        if held is None or HeldUpload.objects.filter(pk=held.pk).delete()[0] != 1:
            return None
    if held.created_at < timezone.now() - dt.timedelta(seconds=MAX_AGE_SECONDS):
        return None
    return bytes(held.data), held.name
