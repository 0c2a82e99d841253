"""Run locks: one process at a time for a named run (`rectify remind`), whichever server starts it.

On PostgreSQL a session advisory lock: the server releases it when the holder's connection ends, so a
killed run never leaves it behind. Elsewhere (SQLite, one machine) a lease row in `jobs_runlock`,
taken in a write transaction and given back at the end; a holder that died loses it when it expires.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator

from django.db import connection, transaction
from django.utils import timezone

from rectify.jobs.models import RunLock
from rectify.jobs.queue import worker_id


class Busy(Exception):
    """Another process (or this one, further up) holds the lock."""


# Names held by this process: PostgreSQL's advisory locks stack within one session, a run lock must not.
_held: set[str] = set()


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"rectify:{name}".encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def exclusive(name: str, *, lease: dt.timedelta = dt.timedelta(hours=2)) -> Iterator[None]:
    """Hold the lock `name` for the block, or raise Busy at once if another process holds it."""
    if name in _held:
        raise Busy(name)
    _held.add(name)
    try:
        with _database_lock(name, lease):
            yield
    finally:
        _held.discard(name)


@contextlib.contextmanager
def _database_lock(name: str, lease: dt.timedelta) -> Iterator[None]:
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                raise Busy(name)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    holder = f"{worker_id()}:{id(object())}"
    now = timezone.now()
    with transaction.atomic():
        current = RunLock.objects.select_for_update().filter(name=name).first()
        if current is not None and current.expires_at > now:
            raise Busy(name)
        RunLock.objects.update_or_create(name=name, defaults={"holder": holder, "expires_at": now + lease})
    try:
        yield
    finally:
        RunLock.objects.filter(name=name, holder=holder).delete()
