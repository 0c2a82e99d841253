"""Inspections (巡视/巡察) and the feedback findings tree (反馈问题)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rectify import clock
from rectify.deadlines import deadline_clock
from rectify.organizations.models import Organization


class Inspection(models.Model):
    """One round of 巡视/巡察 at one target unit, and its feedback."""

    class Kind(models.TextChoices):
        XUNSHI = "巡视", _("巡视")
        XUNCHA = "巡察", _("巡察")

    class Type(models.TextChoices):
        REGULAR = "常规", _("常规")
        SPECIAL = "专项", _("专项")
        MOBILE = "机动", _("机动")
        ELEVATED = "提级", _("提级")
        LOOK_BACK = "回头看", _("回头看")

    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.XUNSHI)
    inspector = models.CharField(_("派出机关"), max_length=32, blank=True)
    term = models.CharField(_("届次"), max_length=16, blank=True)
    round = models.PositiveSmallIntegerField(_("轮次"), null=True, blank=True)
    group = models.CharField(_("巡视巡察组"), max_length=64, blank=True)
    type = models.CharField(_("巡视巡察类型"), max_length=8, choices=Type.choices, default=Type.REGULAR)
    target = models.ForeignKey(
        Organization, verbose_name=_("被巡视巡察单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    office = models.ForeignKey(
        Organization,
        verbose_name=_("巡视巡察机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections_run",
    )
    onsite_start = models.DateField(_("进驻开始"), null=True, blank=True)
    onsite_end = models.DateField(_("进驻结束"), null=True, blank=True)
    feedback_date = models.DateField(_("反馈日期"), null=True, blank=True)
    published = models.DateField(_("通报日期"), null=True, blank=True)
    source_hash = models.CharField(_("来源文件哈希"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("巡视巡察")
        verbose_name_plural = _("巡视巡察")
        ordering = ["-feedback_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_onsite_order",
                condition=Q(onsite_start__isnull=True) | Q(onsite_end__isnull=True) | Q(onsite_end__gte=models.F("onsite_start")),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_feedback_after_onsite",
                condition=Q(onsite_start__isnull=True) | Q(feedback_date__isnull=True) | Q(feedback_date__gte=models.F("onsite_start")),
            ),
            models.UniqueConstraint(
                fields=["target", "source_hash"],
                condition=~Q(source_hash=""),
                name="%(app_label)s_%(class)s_unique_source",
            ),
        ]
        indexes = [
            # Inspection office overview: inspections per unit, newest first.
            models.Index(fields=["target", "-feedback_date"], name="inspection_target_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def report_due(self) -> dt.date | None:
        """整改情况报告 due date: the deployment's deadline clock (N months after feedback, 巡视工作条例 art. 27)."""
        if self.feedback_date is None:
            return None
        return deadline_clock().report_due(self.feedback_date).date

    @property
    def year(self) -> int | None:
        day = self.feedback_date or self.onsite_end or self.onsite_start
        return day.year if day else None


class Finding(models.Model):
    """A node of the feedback tree: aspect (方面) → problem (问题) → sub-problem."""

    class Level(models.IntegerChoices):
        ASPECT = 1, pgettext_lazy("finding level", "方面")
        PROBLEM = 2, pgettext_lazy("finding level", "问题")
        SUB_PROBLEM = 3, pgettext_lazy("finding level", "具体问题")

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("反馈问题")
        RECOMMENDATION = "recommendation", _("整改建议")
        IMMEDIATE = "immediate", _("即知即改")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="findings"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级问题"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, default=Level.PROBLEM)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.PROBLEM)
    label = models.CharField(_("序号"), max_length=16, blank=True)
    title = models.TextField(_("标题"))
    text = models.TextField(_("内容"), blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    exempt = models.BooleanField(_("不予公开"), default=False)
    exempt_reason = models.CharField(_("不予公开理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("反馈问题")
        verbose_name_plural = _("反馈问题")
        ordering = ["inspection", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_level_range", condition=Q(level__gte=1) & Q(level__lte=3)
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_exempt_has_reason",
                condition=Q(exempt=False) | ~Q(exempt_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["inspection", "position"], name="finding_order_idx")]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"
