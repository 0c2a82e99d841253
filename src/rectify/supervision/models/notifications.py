"""Warnings and reminders (提醒、预警) for people, and their delivery by e-mail and webhook."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rectify import clock
from rectify.organizations.models import Organization


def default_max_attempts() -> int:
    return int(getattr(settings, "RECTIFY_WEBHOOK_MAX_ATTEMPTS", 8))


class Notification(models.Model):
    """One message to one person; `dedupe_key` makes the same warning impossible to create twice."""

    class Kind(models.TextChoices):
        DUE_20 = "due_20", _("到期提醒（20天）")
        DUE_10 = "due_10", _("临期预警（10天）")
        OVERDUE = "overdue", _("逾期警示")
        SILENT = "silent", _("长期未报送进展")
        LEAD_OVERDUE = "lead_overdue", _("问题线索超期未办结")
        REPORT_OVERDUE = "report_overdue", _("整改情况报告超期未报送")
        ORDER = "order", _("督办文书")
        REVIEW = "review", _("方案报告审核意见")
        TASK = "task", _("任务办理")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        Organization, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        "ledger.Task", verbose_name=_("整改任务"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    lead = models.ForeignKey(
        "ledger.Lead", verbose_name=_("问题线索"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    inspection = models.ForeignKey(
        "inspections.Inspection", verbose_name=_("巡视巡察"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    due_on = models.DateField(_("时限"), null=True, blank=True)
    # The warning (kind + object + threshold or date bucket) shared by all its recipients …
    warning_key = models.CharField(_("预警标识"), max_length=160)
    # … and the warning for this recipient: unique, so a rerun creates nothing.
    dedupe_key = models.CharField(_("去重标识"), max_length=180, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_kind_valid",
                condition=Q(kind__in=["due_20", "due_10", "overdue", "silent", "lead_overdue", "report_overdue",
                                      "order", "review", "task"]),
            ),
        ]
        indexes = [
            # Inbox page and the unread badge in the navigation.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            # suggest_next_order: a task's warnings by kind.
            models.Index(fields=["task", "kind"], name="notification_task_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class WebhookEndpoint(models.Model):
    """A unit's receiver of notifications (e.g. the intranet messenger's robot), signed with HMAC-SHA256."""

    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="webhooks")
    name = models.CharField(_("名称"), max_length=64, blank=True)
    url = models.URLField(_("地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=128)
    active = models.BooleanField(_("启用"), default=True)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=default_max_attempts)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("Webhook 接收地址")
        verbose_name_plural = _("Webhook 接收地址")
        ordering = ["unit", "id"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_attempts_positive", condition=Q(max_attempts__gte=1)),
        ]

    def __str__(self) -> str:
        return self.name or self.url

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from rectify.supervision.notify import url_refusal

        refusal = url_refusal(self.url)
        if refusal:
            raise ValidationError({"url": refusal})


class WebhookDelivery(models.Model):
    """One notification to one endpoint: attempts with exponential back-off, each logged."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("发送失败")

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("接收地址"), on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_try_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    log = models.TextField(_("发送记录"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Webhook 发送")
        verbose_name_plural = _("Webhook 发送")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "endpoint"], name="%(app_label)s_%(class)s_once"),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_pending_has_next_try",
                condition=~Q(status="pending") | Q(next_try_at__isnull=False),
            ),
        ]
        indexes = [
            # `rectify remind`: deliveries due for a (re)try.
            models.Index(fields=["status", "next_try_at"], name="webhook_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} · {self.get_status_display()}"
