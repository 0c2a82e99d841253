"""The deployment's deadline clock: rules.calendar with the settings' RECTIFY_RULES."""

from __future__ import annotations

from django.conf import settings

from rectify.supervision.rules.calendar import DeadlineClock, DeadlineRules


def deadline_clock() -> DeadlineClock:
    """整改方案 15 个工作日、整改情况报告 2 个月、问题线索 3 个月 (or what the deployment configured)."""
    return DeadlineClock(rules=DeadlineRules.from_mapping(getattr(settings, "RECTIFY_RULES", {})))
