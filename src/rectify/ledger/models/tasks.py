"""Tasks (整改任务) and what happens to them: progress, evidence, closure reviews, look-backs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify import clock
from rectify.inspections.models import Finding, Inspection
from rectify.organizations.models import Organization
from rectify.rules import lights
from rectify.rules.lights import LightRules


class Task(models.Model):
    """A rectification measure with its owner, department, deadline and life-cycle status."""

    class Category(models.TextChoices):
        IMMEDIATE = "immediate", _("立行立改")
        DEADLINE = "deadline", _("限期整改")
        LONG_TERM = "long_term", _("长期整改")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        SUBMITTED = "submitted", _("待审核")
        REVIEWED = "reviewed", _("待审批")
        RETURNED = "returned", _("已退回")
        CLOSED = "closed", _("已销号")
        REOPENED = "reopened", _("已重启")
        PHASED_RESULT = "phased_result", _("阶段性成效")
        RECHECK = "recheck", _("复核中")

    class Light(models.TextChoices):
        RED = "red", _("红灯（逾期）")
        YELLOW = "yellow", _("黄灯（预警）")
        GREEN = "green", _("绿灯")

    inspection = models.ForeignKey(Inspection, verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="tasks")
    finding = models.ForeignKey(Finding, verbose_name=_("反馈问题"), on_delete=models.PROTECT, related_name="tasks")
    # Denormalized from inspection.target: every scoped list filters on it.
    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="unit_tasks")
    number = models.CharField(_("编号"), max_length=32, blank=True)
    title = models.TextField(_("整改措施"))
    category = models.CharField(_("整改类型"), max_length=16, choices=Category.choices, default=Category.DEADLINE)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    # The plan's deadline before the first extension or change: kept and shown (原定时限).
    original_deadline = models.DateField(_("原定完成时限"), null=True, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任领导"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="led_tasks",
    )
    leader_name = models.CharField(_("责任领导姓名"), max_length=128, blank=True)
    lead_org = models.ForeignKey(
        Organization, verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks"
    )
    co_orgs = models.ManyToManyField(Organization, verbose_name=_("配合单位"), blank=True, related_name="co_tasks")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="handled_tasks",
    )
    status = models.CharField(_("整改状态"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    returned_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    last_progress_at = models.DateTimeField(_("最近报送"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("申请销号时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=0)
    exempt = models.BooleanField(_("不予公开"), default=False)
    exempt_reason = models.CharField(_("不予公开理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        ordering = ["inspection", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_deadline_unless_long_term",
                condition=Q(category="long_term") | Q(category="immediate") | Q(deadline__isnull=False),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_long_term_not_closed",
                condition=~Q(category="long_term") | ~Q(status__in=["submitted", "reviewed", "closed"]),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_closed_has_time",
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_status_valid",
                condition=Q(status__in=["not_started", "in_progress", "submitted", "reviewed", "returned",
                                        "closed", "reopened", "phased_result", "recheck"]),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_exempt_has_reason", condition=Q(exempt=False) | ~Q(exempt_reason="")
            ),
        ]
        indexes = [
            # Ledger page: one inspection's tasks in plan order.
            models.Index(fields=["inspection", "position"], name="task_ledger_idx"),
            # Dashboards and filters: a unit's tasks by status and deadline.
            models.Index(fields=["unit", "status", "deadline"], name="task_unit_status_idx"),
            # "My tasks" of a department, sorted by urgency.
            models.Index(fields=["lead_org", "status", "deadline"], name="task_lead_org_idx"),
            # Reminders: open tasks by deadline across all units.
            models.Index(fields=["deadline", "status"], name="task_deadline_idx"),
            # Leader's filter and hand-over.
            models.Index(fields=["leader", "status"], name="task_leader_idx"),
        ]

    def __str__(self) -> str:
        return self.title[:60]

    @property
    def display_number(self) -> str:
        """The number the plan gives the task (its own 序号), else its place in the plan: never a database id."""
        return self.number or str(self.position + 1)

    OPEN_STATUSES = ("not_started", "in_progress", "submitted", "reviewed", "returned", "reopened", "phased_result",
                     "recheck")

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """逾期: deadline passed and not closed (derived, never stored; see rules.lights)."""
        return lights.is_past_due(self.deadline, done=not self.is_open, today=today or clock.today())

    def days_overdue(self, today: dt.date | None = None) -> int:
        """Days past the deadline ("逾期 12 天"), 0 when not overdue."""
        return lights.days_overdue(self.deadline, done=not self.is_open, today=today or clock.today())

    def last_activity_day(self) -> dt.date | None:
        """The Asia/Shanghai day of the last progress report, or of the creation without any."""
        last = self.last_progress_at or self.created_at
        return lights.local_day(last) if last is not None else None

    def light(self, today: dt.date | None = None) -> str:
        """The traffic light (红黄绿灯) of rules.lights, with the deployment's thresholds."""
        return self.Light(lights.light(
            closed=not self.is_open, deadline=self.deadline, returned_count=self.returned_count,
            last_activity=self.last_activity_day(), today=today or clock.today(),
            rules=LightRules.from_mapping(settings.RECTIFY_RULES),
        ).value)


class Progress(models.Model):
    """A dated progress report (整改进展) or a long-term task's phased result (阶段性成效)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("整改进展")
        PHASED_RESULT = "phased_result", _("阶段性成效")

    task = models.ForeignKey(Task, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="progress")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.PROGRESS)
    text = models.TextField(_("进展内容"))
    reported_on = models.DateField(_("报送日期"))
    organization = models.ForeignKey(
        Organization, verbose_name=_("报送单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["task", "-reported_on", "-id"]
        indexes = [models.Index(fields=["task", "-created_at"], name="progress_task_idx")]

    def __str__(self) -> str:
        return self.text[:60]


def evidence_path(instance: Evidence, filename: str) -> str:
    # Random names: the user's file name is kept only in `original_name`.
    import secrets

    return f"evidence/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Evidence(models.Model):
    """A supporting file (佐证材料) with its SHA-256."""

    task = models.ForeignKey(Task, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="evidence")
    progress = models.ForeignKey(
        Progress, verbose_name=_("整改进展"), null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(_("文件类型"), max_length=128)
    is_meeting_notice = models.BooleanField(_("仅为会议通知"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_sha256_len", condition=Q(sha256__regex=r"^[0-9a-f]{64}$")),
        ]

    def __str__(self) -> str:
        return self.original_name


class ClosureReview(models.Model):
    """A step of the closure chain (销号): the office's review or the leader's approval."""

    class Stage(models.TextChoices):
        OFFICE = "office", _("整改办审核")
        LEADER = "leader", _("领导审批")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("同意")
        RETURN = "return", _("退回")

    task = models.ForeignKey(Task, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("环节"), max_length=8, choices=Stage.choices)
    decision = models.CharField(_("意见"), max_length=8, choices=Decision.choices)
    reason = models.TextField(_("理由"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("时间"), default=clock.now)

    class Meta:
        verbose_name = _("销号审核")
        verbose_name_plural = _("销号审核")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_return_has_reason", condition=~Q(decision="return") | ~Q(reason="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.get_decision_display()}"


class Comment(models.Model):
    """A comment on a task, or a supervisor's flag that the rectification is not real (整改不实)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("意见")
        FLAG = "flag", _("整改不实")

    task = models.ForeignKey(Task, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("内容"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作者"), null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("时间"), default=clock.now)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class LookBackSample(models.Model):
    """One draw of closed tasks for look-backs (回头看抽查): its checks are recorded against it, and it is
    finished when the last of them is."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("巡视巡察"), on_delete=models.CASCADE,
                                   related_name="look_back_samples")
    method = models.CharField(_("方式"), max_length=16, default="look_back")
    percent = models.DecimalField(_("抽查比例"), max_digits=5, decimal_places=2)
    categories = models.JSONField(_("全部核查的整改类型"), default=list, blank=True)
    seed = models.BigIntegerField(_("随机种子"), null=True, blank=True)
    scheduled_on = models.DateField(_("计划日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽查人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("抽查时间"), default=clock.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回头看抽查")
        verbose_name_plural = _("回头看抽查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.inspection} {self.created_at:%Y-%m-%d}"


class LookBack(models.Model):
    """A look-back (回头看) or reverse check (反向核查) of a closed task."""

    class Method(models.TextChoices):
        LOOK_BACK = "look_back", _("回头看")
        REVERSE_CHECK = "reverse_check", _("反向核查")

    class Result(models.TextChoices):
        PENDING = "pending", _("待核查")
        PASSED = "passed", _("通过")
        FAILED = "failed", _("问题反弹")

    task = models.ForeignKey(Task, verbose_name=_("整改任务"), on_delete=models.CASCADE, related_name="look_backs")
    sample = models.ForeignKey(LookBackSample, verbose_name=_("抽查批次"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="checks")
    method = models.CharField(_("方式"), max_length=16, choices=Method.choices, default=Method.LOOK_BACK)
    scheduled_on = models.DateField(_("计划日期"))
    checked_on = models.DateField(_("核查日期"), null=True, blank=True)
    asked = models.CharField(_("核查对象"), max_length=200, blank=True)
    answer = models.TextField(_("核查情况"), blank=True)
    result = models.CharField(_("结果"), max_length=8, choices=Result.choices, default=Result.PENDING)
    reason = models.TextField(_("理由"), blank=True)
    checker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核查人"), null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["-scheduled_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_failed_has_reason", condition=~Q(result="failed") | ~Q(reason="")
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_checked_has_date", condition=Q(result="pending") | Q(checked_on__isnull=False)
            ),
        ]
        indexes = [models.Index(fields=["result", "scheduled_on"], name="lookback_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.task_id}"


class Handover(models.Model):
    """整改责任交接: a leader's or handler's open tasks moved to a successor, signed by hash."""

    class Role(models.TextChoices):
        LEADER = "leader", _("责任领导")
        HANDLER = "handler", _("经办人")

    unit = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="handovers")
    role = models.CharField(_("交接类别"), max_length=8, choices=Role.choices)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("移交人"), on_delete=models.PROTECT, related_name="handovers_out")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="handovers_in")
    tasks = models.ManyToManyField(Task, verbose_name=_("交接任务"), related_name="handovers")
    note = models.TextField(_("交接说明"), blank=True)
    signature = models.CharField(_("签名摘要"), max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("交接时间"), default=clock.now)

    class Meta:
        verbose_name = _("责任交接")
        verbose_name_plural = _("责任交接")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_distinct_users", condition=~Q(from_user=models.F("to_user"))),
        ]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user}"
