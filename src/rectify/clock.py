"""The system's clock. Services read time here so that demos and simulations can move it."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(moment: dt.datetime | dt.date) -> Iterator[None]:
    """Run a block as if it were `moment` (a date means 10:00 Beijing time that day)."""
    global _frozen
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(10, 0), tzinfo=timezone.get_default_timezone())
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
