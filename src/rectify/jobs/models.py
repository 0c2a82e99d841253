"""State the app servers share through the database: background jobs, run locks, uploads awaiting
confirmation. Nothing here lives in one server's memory or on one server's disk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of work for `rectify worker`: claimed by one worker at a time under a lease, retried
    with back-off when it fails or when its worker dies (the lease runs out)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("执行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    name = models.CharField(_("作业类型"), max_length=64)
    payload = models.JSONField(_("参数"), default=dict, blank=True)
    # At most one queued job per key (one webhook sweep, one analysis waiting), however many are asked for.
    key = models.CharField(_("去重标识"), max_length=160, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=5)
    run_after = models.DateTimeField(_("最早执行时间"), default=timezone.now)
    locked_by = models.CharField(_("执行者"), max_length=128, blank=True)
    locked_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.CharField(_("进度说明"), max_length=200, blank=True)
    # Counted progress where the work has items (rows of an import): shown as "done / total".
    done_count = models.PositiveIntegerField(_("已处理"), default=0)
    total_count = models.PositiveIntegerField(_("总数"), default=0)
    result = models.JSONField(_("结果"), null=True, blank=True)
    # A file the job made for its user to download (a report's PDF), kept with the job until it is pruned.
    output = models.BinaryField(_("生成的文件"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台作业")
        verbose_name_plural = _("后台作业")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_status_valid",
                condition=Q(status__in=["queued", "running", "done", "failed"]),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_running_has_lease",
                condition=~Q(status="running") | Q(locked_until__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(status="queued") & ~Q(key=""), name="%(app_label)s_%(class)s_key_once",
            ),
        ]
        indexes = [
            # The worker's claim: queued jobs that are due, and running jobs whose lease ran out.
            models.Index(fields=["status", "run_after"], name="job_due_idx"),
            # A page showing the progress of the run it asked for (by key).
            models.Index(fields=["key", "status"], name="job_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class RunLock(models.Model):
    """A named lease that one process holds at a time (e.g. `rectify remind`) where the database has no
    advisory locks (SQLite); on PostgreSQL the lock is an advisory lock and this table stays empty."""

    name = models.CharField(_("名称"), max_length=64, primary_key=True)
    holder = models.CharField(_("持有者"), max_length=128)
    expires_at = models.DateTimeField(_("到期时间"))

    class Meta:
        verbose_name = _("运行锁")
        verbose_name_plural = _("运行锁")

    def __str__(self) -> str:
        return self.name


class HeldUpload(models.Model):
    """A file uploaded for an import's preview, kept until its confirmation (whichever server gets it)."""

    token = models.CharField(_("凭据"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.CASCADE,
                             related_name="+")
    purpose = models.CharField(_("用途"), max_length=32)
    name = models.CharField(_("文件名"), max_length=255)
    data = models.BinaryField(_("内容"))
    # Data rows the preview read: the confirmation decides from it whether to import in the background.
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("待确认的上传文件")
        verbose_name_plural = _("待确认的上传文件")
        indexes = [
            # The sweep of files never confirmed.
            models.Index(fields=["created_at"], name="held_upload_age_idx"),
        ]

    def __str__(self) -> str:
        return self.name
