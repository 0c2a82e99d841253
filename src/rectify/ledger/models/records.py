"""What the rectification produced beside tasks: rules (建章立制), leads (问题线索), outcomes."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rectify import clock
from rectify.deadlines import deadline_clock
from rectify.inspections.models import Inspection
from rectify.organizations.models import Organization
from rectify.rules import lights


class RuleChange(models.Model):
    """A rule created, revised or abolished (制度立改废) because of the rectification."""

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        REVISE = "revise", _("修订")
        ABOLISH = "abolish", _("废止")

    inspection = models.ForeignKey(Inspection, verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="rule_changes")
    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey("ledger.Task", verbose_name=_("整改任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="rule_changes")
    action = models.CharField(_("类别"), max_length=8, choices=Action.choices, default=Action.CREATE)
    title = models.CharField(_("制度名称"), max_length=255)
    document_no = models.CharField(_("文号"), max_length=64, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    text = models.TextField(_("制度正文"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("建章立制")
        verbose_name_plural = _("建章立制")
        ordering = ["inspection", "id"]
        indexes = [models.Index(fields=["unit", "action"], name="rulechange_unit_idx")]

    def __str__(self) -> str:
        return self.title


class Lead(models.Model):
    """A transferred lead (问题线索) or petition (信访件), answered within 3 months (art. 29)."""

    class Kind(models.TextChoices):
        CLUE = "clue", _("问题线索")
        PETITION = "petition", _("信访件")

    class Status(models.TextChoices):
        OPEN = "open", _("待办理")
        IN_PROGRESS = "in_progress", _("办理中")
        CONCLUDED = "concluded", _("已办结")

    inspection = models.ForeignKey(Inspection, verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="leads")
    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.CLUE)
    reference = models.CharField(_("编号"), max_length=64, blank=True)
    summary = models.TextField(_("内容摘要"))
    received_on = models.DateField(_("移交日期"))
    handler_org = models.ForeignKey(Organization, verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    exempt = models.BooleanField(_("不予公开"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_concluded_has_date",
                condition=~Q(status="concluded") | Q(concluded_on__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["unit", "status", "received_on"], name="lead_unit_status_idx")]

    def __str__(self) -> str:
        return self.summary[:60]

    @property
    def reply_due(self) -> dt.date:
        """The reply is due on the deployment's deadline clock (3 months after the lead was received)."""
        return deadline_clock().lead_reply_due(self.received_on).date

    def is_overdue(self, today: dt.date | None = None) -> bool:
        done = self.status == self.Status.CONCLUDED
        return lights.is_past_due(self.reply_due, done=done, today=today or clock.today())


class Outcome(models.Model):
    """A quantified result (问责 N 人, 追缴资金 N 万元, 压减经费 N%)."""

    class Kind(models.TextChoices):
        ACCOUNTABILITY = "accountability", _("问责处理")
        FUNDS_RECOVERED = "funds_recovered", _("追缴资金")
        COST_CUT = "cost_cut", _("压减经费")
        DISCIPLINE = "discipline", _("党纪政务处分")
        OTHER = "other", _("其他")

    inspection = models.ForeignKey(Inspection, verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="outcomes")
    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey("ledger.Task", verbose_name=_("整改任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    what = models.CharField(_("事项"), max_length=200)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    value_unit = models.CharField(_("单位"), max_length=16)
    recorded_on = models.DateField(_("记录日期"))
    exempt = models.BooleanField(_("不予公开"), default=False)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("整改成效")
        verbose_name_plural = _("整改成效")
        ordering = ["inspection", "id"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_value_nonnegative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.what}{self.value}{self.value_unit}"
