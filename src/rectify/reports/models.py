"""Reports written from the ledger: the public notice (整改进展情况通报), the internal report
(整改情况报告), the leader's report (主要负责人组织落实情况报告), their frozen versions, and the
public's feedback (群众意见) sent through the portal."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify import clock
from rectify.inspections.models import Inspection
from rectify.organizations.models import Organization


class Report(models.Model):
    """One report of an inspection, edited section by section until it is published."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("整改进展情况通报")
        INTERNAL = "internal", _("整改情况报告")
        LEADER = "leader", _("主要负责人组织落实情况报告")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    inspection = models.ForeignKey(Inspection, verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("主送机关"), max_length=100, blank=True)
    signer = models.CharField(_("署名"), max_length=100)
    generated_at = models.DateTimeField(_("生成时间"), default=clock.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        ordering = ["inspection", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind"], name="%(app_label)s_%(class)s_one_per_kind"),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_kind_valid", condition=Q(kind__in=["notice", "internal", "leader"])
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_status_valid", condition=Q(status__in=["draft", "published"])
            ),
        ]
        indexes = [
            # Portal list: published notices, newest first.
            models.Index(fields=["kind", "status"], name="report_portal_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])


class ReportSection(models.Model):
    """A section of a report draft: heading and body text the office edits; tables come from the ledger."""

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("标识"), max_length=32)
    position = models.PositiveIntegerField(_("排序"))
    heading = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True)
    table = models.JSONField(_("表格"), null=True, blank=True)
    edited = models.BooleanField(_("已人工修改"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("报告章节")
        verbose_name_plural = _("报告章节")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="%(app_label)s_%(class)s_unique_key"),
            models.UniqueConstraint(fields=["report", "position"], name="%(app_label)s_%(class)s_unique_position"),
        ]

    def __str__(self) -> str:
        return self.heading or self.key


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of a version's content in canonical JSON (sorted keys, no spaces, UTF-8)."""
    data = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


class FrozenQuerySet(models.QuerySet):
    """Bulk writes would bypass the model's refusal; they are refused here too."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("published report versions are immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("published report versions are immutable")


class ReportVersion(models.Model):
    """A published version (发布版本): frozen content, its SHA-256, who published it and when."""

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    content = models.JSONField(_("内容"))
    text = models.TextField(_("纯文本"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    published_on = models.DateField(_("发布日期"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by_name = models.CharField(_("发布人姓名"), max_length=150)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(name="%(app_label)s_%(class)s_number_positive", condition=Q(number__gte=1)),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_sha256_hex", condition=Q(sha256__regex=r"^[0-9a-f]{64}$")
            ),
        ]
        indexes = [
            # Portal: the newest published version of each notice.
            models.Index(fields=["report", "-number"], name="reportversion_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not kwargs.get("force_insert"):
            raise RuntimeError("published report versions are immutable: create them with force_insert")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("published report versions are immutable")

    def is_intact(self) -> bool:
        """The stored content still hashes to the SHA-256 recorded at publication."""
        return content_hash(self.content) == self.sha256


class Feedback(models.Model):
    """An opinion sent by the public about a published notice (群众意见), for the unit's 整改办."""

    class Status(models.TextChoices):
        NEW = "new", _("待处理")
        HANDLED = "handled", _("已处理")

    MESSAGE_MAX = 2000
    NAME_MAX = 50
    CONTACT_MAX = 100

    report = models.ForeignKey(Report, verbose_name=_("通报"), on_delete=models.PROTECT, related_name="feedback")
    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=NAME_MAX, blank=True)
    contact = models.CharField(_("联系方式"), max_length=CONTACT_MAX, blank=True)
    message = models.TextField(_("意见内容"))
    created_at = models.DateTimeField(_("提交时间"), default=clock.now)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.NEW)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("处理情况"), blank=True)
    # The code given on the receipt, kept only as a password hash: with the number it opens the status.
    lookup_code_hash = models.CharField(_("查询码摘要"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_message_length",
                condition=Q(GreaterThanOrEqual(Length("message"), 1)) & Q(LessThanOrEqual(Length("message"), 2000)),
            ),
            models.CheckConstraint(name="%(app_label)s_%(class)s_status_valid", condition=Q(status__in=["new", "handled"])),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_handled_has_time",
                condition=Q(status="new") | Q(handled_at__isnull=False),
            ),
        ]
        indexes = [
            # Inbox: a unit's feedback, unhandled first, newest first.
            models.Index(fields=["unit", "status", "-created_at"], name="feedback_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number shown to the sender: FK-2026-000123 (year in Beijing time, then the row id)."""
        year = timezone.localtime(self.created_at).year if self.created_at else clock.today().year
        return f"FK-{year}-{self.pk or 0:06d}"

