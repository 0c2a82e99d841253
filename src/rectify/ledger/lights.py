"""The traffic light and "overdue" of `rectify.rules.lights` as database conditions on Task.

Each condition compares stored columns with `rules.lights.bounds(today)`, the same bounds the Python
light (`Task.light()`) uses, so a filter and a page never disagree.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When

from rectify.rules import lights
from rectify.rules.lights import Light, LightBounds, LightRules

__all__ = ["light_case", "light_q", "light_rules", "overdue_q", "red_q", "silent_q", "yellow_q"]

_OPEN = ~Q(status="closed")


def light_rules() -> LightRules:
    """The deployment's thresholds (RECTIFY_YELLOW_DAYS, RECTIFY_SILENT_DAYS, RECTIFY_RED_RETURNS)."""
    return LightRules.from_mapping(settings.RECTIFY_RULES)


def _bounds(today: dt.date) -> LightBounds:
    return lights.bounds(today, light_rules())


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """逾期: deadline before today and not closed; `prefix` reaches tasks through a relation ("task__")."""
    b = _bounds(today)
    return Q(**{f"{prefix}deadline__lt": b.overdue_before}) & ~Q(**{f"{prefix}status": "closed"})


def silent_q(today: dt.date) -> Q:
    """未报送: the last progress (or the creation, without any) on a day `silent_days` or more before today."""
    before = _bounds(today).silent_before
    return Q(last_progress_at__lt=before) | Q(last_progress_at__isnull=True, created_at__lt=before)


def red_q(today: dt.date) -> Q:
    """红灯（逾期）: overdue, or returned `red_returns` times, and not closed."""
    b = _bounds(today)
    return _OPEN & (Q(deadline__lt=b.overdue_before) | Q(returned_count__gte=b.red_returns))


def yellow_q(today: dt.date) -> Q:
    """黄灯（预警）: open, not red, due within `yellow_days` or silent."""
    b = _bounds(today)
    return _OPEN & ~red_q(today) & (Q(deadline__lte=b.near_until) | silent_q(today))


def light_q(light: str, today: dt.date) -> Q:
    """Tasks of one light."""
    if light == Light.RED:
        return red_q(today)
    if light == Light.YELLOW:
        return yellow_q(today)
    if light == Light.GREEN:
        return ~(red_q(today) | yellow_q(today))
    raise ValueError(f"unknown light: {light!r}")


def light_case(today: dt.date) -> Case:
    """The light as a column ("red" | "yellow" | "green"), e.g. for `.annotate(light=...)` or ordering."""
    return Case(
        When(red_q(today), then=Value(Light.RED.value)),
        When(yellow_q(today), then=Value(Light.YELLOW.value)),
        default=Value(Light.GREEN.value),
        output_field=CharField(),
    )
