"""Deadline extension requests (延期申请): the department asks, the office reviews, the leader decides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rectify import clock
from rectify.ledger.models.tasks import Task


class Extension(models.Model):
    """A department's request for a new deadline with its reason; the original deadline stays on record."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待整改办审核")
        REVIEWED = "reviewed", _("待领导审批")
        APPROVED = "approved", _("已同意延期")
        REFUSED = "refused", _("未同意延期")

    task = models.ForeignKey(Task, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="extensions")
    original_deadline = models.DateField(_("原完成时限"), null=True, blank=True)
    requested_deadline = models.DateField(_("申请延期至"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=clock.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["task", "-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_reason_not_empty", condition=~Q(reason="")),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_status_valid",
                condition=Q(status__in=["pending", "reviewed", "approved", "refused"]),
            ),
            # One open request per task at a time.
            models.UniqueConstraint(
                fields=["task"], condition=Q(status__in=["pending", "reviewed"]),
                name="%(app_label)s_%(class)s_one_open_per_task",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.requested_deadline:%Y-%m-%d}"
