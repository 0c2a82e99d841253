"""Weekly dispatch meetings (一周一调度) and the supervision orders (五书) sent to departments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rectify import clock
from rectify.organizations.models import Organization


class Dispatch(models.Model):
    """A unit's dispatch meeting for one week (调度会): the sheet it looked at and what it decided."""

    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="dispatches")
    week_of = models.DateField(_("调度周（周一）"))
    held_on = models.DateField(_("调度日期"))
    note = models.TextField(_("调度情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("调度")
        verbose_name_plural = _("调度")
        ordering = ["-week_of", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week_of"], name="%(app_label)s_%(class)s_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.week_of:%Y-%m-%d}"


class DispatchDecision(models.Model):
    """A decision of the dispatch meeting on a task: what, who is responsible, by when."""

    dispatch = models.ForeignKey(Dispatch, verbose_name=_("调度"), on_delete=models.CASCADE, related_name="decisions")
    task = models.ForeignKey(
        "ledger.Task", verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="dispatch_decisions"
    )
    text = models.TextField(_("调度意见"))
    responsible = models.CharField(_("责任人"), max_length=128)
    due_on = models.DateField(_("完成时限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("调度意见")
        verbose_name_plural = _("调度意见")
        ordering = ["dispatch", "id"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_text_not_empty", condition=~Q(text="")),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Order(models.Model):
    """A supervision document (五书) to a department about a task or its tasks, tracked to its reply."""

    class Kind(models.TextChoices):
        SUPERVISE = "supervise", _("督办通知书")
        GUIDANCE = "guidance", _("阶段督查指导书")
        REMINDER = "reminder", _("提醒书")
        WARNING = "warning", _("告诫书")
        ACCOUNTABILITY = "accountability", _("问责书")

    class Status(models.TextChoices):
        ISSUED = "issued", _("待回复")
        REPLIED = "replied", _("已回复")
        CLOSED = "closed", _("已办结")

    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(_("文书类别"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("文号"), max_length=64, blank=True)
    task = models.ForeignKey(
        "ledger.Task", verbose_name=_("整改任务"), null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    department = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="orders_received"
    )
    addressee = models.CharField(_("主送"), max_length=128)
    body = models.TextField(_("正文"))
    issuer = models.CharField(_("发文单位"), max_length=128)
    issued_on = models.DateField(_("印发日期"))
    reply_due = models.DateField(_("回复时限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.ISSUED)
    reply_text = models.TextField(_("回复内容"), blank=True)
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("督办文书")
        verbose_name_plural = _("督办文书")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_task_or_department",
                condition=Q(task__isnull=False) | Q(department__isnull=False),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_reply_after_issue", condition=Q(reply_due__gte=models.F("issued_on"))
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_replied_has_text",
                condition=Q(status="issued") | (Q(replied_on__isnull=False) & ~Q(reply_text="")),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_kind_valid",
                condition=Q(kind__in=["supervise", "guidance", "reminder", "warning", "accountability"]),
            ),
        ]
        indexes = [
            # Orders page of a unit, by status.
            models.Index(fields=["unit", "status", "-issued_on"], name="order_unit_idx"),
            # suggest_next_order: a task's orders, newest first.
            models.Index(fields=["task", "-issued_on"], name="order_task_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or self.pk}"
