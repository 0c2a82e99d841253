"""Task counts per unit kept beside the tasks, so the all-units overview never aggregates every task."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rectify.organizations.models import Organization


class UnitTally(models.Model):
    """How many of a unit's tasks are in each status, split by overdue and by traffic light as judged on `as_of`."""

    unit = models.ForeignKey(Organization, verbose_name=_("被巡视单位"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("整改状态"), max_length=16)
    overdue = models.BooleanField(_("逾期"))
    light = models.CharField(_("红黄绿灯"), max_length=8, default="green")
    count = models.PositiveIntegerField(_("任务数"))
    as_of = models.DateField(_("统计日期"))

    class Meta:
        verbose_name = _("单位任务统计")
        verbose_name_plural = _("单位任务统计")
        constraints = [
            models.UniqueConstraint(fields=["unit", "status", "overdue", "light"], name="ledger_unittally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.status} {self.overdue} {self.light}: {self.count}"


class UnitWeekTally(models.Model):
    """How many of a unit's tasks were created and closed in each week (Monday), for the overview's trend."""

    unit = models.ForeignKey(Organization, verbose_name=_("被巡视单位"), on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("周"))
    created = models.PositiveIntegerField(_("新增任务"), default=0)
    closed = models.PositiveIntegerField(_("销号任务"), default=0)

    class Meta:
        verbose_name = _("单位每周任务统计")
        verbose_name_plural = _("单位每周任务统计")
        constraints = [models.UniqueConstraint(fields=["unit", "week"], name="ledger_unitweektally_unique")]
        indexes = [
            # Overview trend: the last weeks of every unit in reach.
            models.Index(fields=["week", "unit"], name="ledger_unitweek_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.week}: +{self.created} −{self.closed}"
