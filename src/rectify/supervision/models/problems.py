"""Common problems across units (共性问题), kept up to date by a background job: the distinct finding
titles, the component each belongs to, the findings under them, and a summary per component."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProblemAnalysis(models.Model):
    """The province-wide analysis at one similarity threshold: how far it has read the findings."""

    threshold = models.DecimalField(_("相似度阈值"), max_digits=3, decimal_places=2, unique=True)
    # Findings with a larger id are not analysed yet (findings are only ever added or deleted in bulk;
    # a full run reads every finding again).
    last_finding_id = models.BigIntegerField(_("已分析到的问题编号"), default=0)
    findings = models.PositiveIntegerField(_("已分析的问题数"), default=0)
    computed_at = models.DateTimeField(_("分析时间"), null=True, blank=True)
    requested_at = models.DateTimeField(_("请求时间"), default=timezone.now)

    class Meta:
        verbose_name = _("共性问题分析")
        verbose_name_plural = _("共性问题分析")
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_threshold_range",
                                   condition=Q(threshold__gt=0) & Q(threshold__lte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.threshold}"


class ProblemTitle(models.Model):
    """One distinct (normalized) finding title and the component of similar titles it belongs to."""

    analysis = models.ForeignKey(ProblemAnalysis, verbose_name=_("分析"), on_delete=models.CASCADE,
                                 related_name="titles")
    digest = models.CharField(_("标题摘要"), max_length=64)
    title = models.CharField(_("标题"), max_length=500)
    # The smallest title id of the component (union-find root, stored flat).
    root = models.BigIntegerField(_("归并到"), default=0)

    class Meta:
        verbose_name = _("共性问题标题")
        verbose_name_plural = _("共性问题标题")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "digest"], name="%(app_label)s_%(class)s_once"),
        ]

    def __str__(self) -> str:
        return self.title


class ProblemMember(models.Model):
    """A finding under a distinct title (its unit is the inspection's target)."""

    analysis = models.ForeignKey(ProblemAnalysis, verbose_name=_("分析"), on_delete=models.CASCADE, related_name="+")
    finding = models.ForeignKey("inspections.Finding", verbose_name=_("问题"), on_delete=models.CASCADE,
                                related_name="+")
    title = models.ForeignKey(ProblemTitle, verbose_name=_("标题"), on_delete=models.CASCADE, related_name="members")
    unit_id = models.BigIntegerField(_("单位"))

    class Meta:
        verbose_name = _("共性问题成员")
        verbose_name_plural = _("共性问题成员")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "finding"], name="%(app_label)s_%(class)s_once"),
        ]

    def __str__(self) -> str:
        return f"{self.finding_id} → {self.title_id}"


class ProblemCluster(models.Model):
    """The summary of one component spanning at least two units, as the page shows it."""

    analysis = models.ForeignKey(ProblemAnalysis, verbose_name=_("分析"), on_delete=models.CASCADE,
                                 related_name="clusters")
    root = models.BigIntegerField(_("归并到"))
    title = models.CharField(_("标题"), max_length=500)
    finding_count = models.PositiveIntegerField(_("问题数"))
    unit_count = models.PositiveIntegerField(_("单位数"))
    # {unit id: findings}, and a few findings of each unit: [finding id, title, unit id] (the download);
    # `examples` is their first ones taking each unit in turn (the page).
    unit_counts = models.JSONField(_("各单位问题数"), default=dict)
    samples = models.JSONField(_("示例"), default=list)
    examples = models.JSONField(_("页面示例"), default=list)

    class Meta:
        verbose_name = _("共性问题")
        verbose_name_plural = _("共性问题")
        indexes = [
            # The page: the analysis' clusters, most units first.
            models.Index(fields=["analysis", "-unit_count", "-finding_count"], name="problem_cluster_page_idx"),
        ]

    def __str__(self) -> str:
        return self.title
