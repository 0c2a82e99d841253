"""`rectify check`: the holiday file named in RECTIFY_CALENDAR_FILE must be readable."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.compatibility)
def calendar_file(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from rectify.deadlines import work_calendar

    try:
        work_calendar()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="README: Working-day calendar", id="rectify.E010")]
    return []
