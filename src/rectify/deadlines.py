"""The deployment's deadline clock: rules.calendar with the settings' RECTIFY_RULES and RECTIFY_CALENDAR_FILE."""

from __future__ import annotations

import os
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from rectify.rules.calendar import DEFAULT_CALENDAR, DeadlineClock, DeadlineRules, WorkCalendar


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> WorkCalendar:
    # `mtime` is part of the key: a corrected file is read again without a restart.
    try:
        return WorkCalendar.from_json(path)
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ImproperlyConfigured(f"RECTIFY_CALENDAR_FILE {path}: {exc}") from exc


def work_calendar() -> WorkCalendar:
    """The package's working-day calendar plus the holiday notices typed into RECTIFY_CALENDAR_FILE."""
    path = getattr(settings, "RECTIFY_CALENDAR_FILE", "")
    if not path:
        return DEFAULT_CALENDAR
    try:
        mtime = os.stat(path).st_mtime
    except OSError as exc:
        raise ImproperlyConfigured(f"RECTIFY_CALENDAR_FILE {path}: {exc.strerror}") from exc
    return _load(path, mtime)


def deadline_clock() -> DeadlineClock:
    """整改方案 15 个工作日、整改情况报告 2 个月、问题线索 3 个月 (or what the deployment configured)."""
    return DeadlineClock(calendar=work_calendar(), rules=DeadlineRules.from_mapping(getattr(settings, "RECTIFY_RULES", {})))
