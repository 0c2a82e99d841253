"""Plan versions and their reviews (方案审核), and the evaluation after the concentrated period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rectify import clock


class PlanVersion(models.Model):
    """One submission of the rectification plan (整改方案); a plan sent back is submitted again as N+1."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", pgettext_lazy("plan status", "审核通过")

    inspection = models.ForeignKey(
        "inspections.Inspection", verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="plan_versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    task_count = models.PositiveIntegerField(_("任务数"), default=0)
    note = models.TextField(_("报送说明"), blank=True)
    # The first responsible person's sign-off (签字背书): their own login, never a name typed by the office.
    signed_by = models.CharField(_("第一责任人签字"), max_length=128, blank=True)
    signed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签字人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), default=clock.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("整改方案版本")
        verbose_name_plural = _("整改方案版本")
        ordering = ["inspection", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(name="%(app_label)s_%(class)s_number_positive", condition=Q(number__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} 第{self.number}版"


class PlanReview(models.Model):
    """A party's review of the plan or of a report: grade 好/中/差, comments, possibly sent back (退回/回炉)."""

    class Subject(models.TextChoices):
        PLAN = "plan", _("整改方案")
        REPORT = "report", _("整改情况报告")
        LEADER_REPORT = "leader_report", _("主要负责人组织落实情况报告")

    class Party(models.TextChoices):
        DISCIPLINE = "discipline", _("纪委监委")
        ORGANIZATION = "organization", _("组织部")
        OFFICE = "office", _("巡视办/巡察办")
        GROUP = "group", _("巡视组/巡察组")

    class Grade(models.TextChoices):
        GOOD = "good", _("好")
        FAIR = "fair", _("中")
        POOR = "poor", _("差")

    inspection = models.ForeignKey(
        "inspections.Inspection", verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="plan_reviews"
    )
    subject = models.CharField(_("审核对象"), max_length=16, choices=Subject.choices, default=Subject.PLAN)
    plan_version = models.ForeignKey(
        PlanVersion, verbose_name=_("方案版本"), null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    party = models.CharField(_("审核方"), max_length=16, choices=Party.choices)
    grade = models.CharField(_("评价"), max_length=8, choices=Grade.choices)
    comments = models.TextField(_("审核意见"), blank=True)
    sent_back = models.BooleanField(_("退回重报"), default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("审核时间"), default=clock.now)

    class Meta:
        verbose_name = _("方案报告审核")
        verbose_name_plural = _("方案报告审核")
        ordering = ["inspection", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_plan_has_version",
                condition=~Q(subject="plan") | Q(plan_version__isnull=False),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_sent_back_has_comments", condition=Q(sent_back=False) | ~Q(comments=""),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_grade_valid", condition=Q(grade__in=["good", "fair", "poor"]),
            ),
            # Each party reviews a plan version once.
            models.UniqueConstraint(
                fields=["plan_version", "party"], condition=Q(subject="plan"),
                name="%(app_label)s_%(class)s_one_per_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.get_grade_display()}"


class ReviewParty(models.Model):
    """An organization whose accounts review plans as one party (e.g. the 组织部); without one, the
    discipline inspection group reviews as 纪委监委 and the inspection office as 巡视办/巡察办."""

    organization = models.OneToOneField(
        "organizations.Organization", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="review_party"
    )
    party = models.CharField(_("审核方"), max_length=16, choices=PlanReview.Party.choices)

    class Meta:
        verbose_name = _("审核方登记")
        verbose_name_plural = _("审核方登记")

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_party_display()}"


class Evaluation(models.Model):
    """The score sheet after the concentrated rectification period (集中整改期满评估)."""

    class Grade(models.TextChoices):
        GOOD = "good", _("好")
        FAIRLY_GOOD = "fairly_good", _("较好")
        FAIR = "fair", _("一般")
        POOR = "poor", _("差")

    inspection = models.ForeignKey(
        "inspections.Inspection", verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("评估日期"))
    sections = models.JSONField(_("评分表"), default=list)
    deductions = models.JSONField(_("扣分项"), default=list)
    notes = models.JSONField(_("说明"), default=list)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=16, choices=Grade.choices)
    needs_second_round = models.BooleanField(_("需二次整改"), default=False)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评估人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("整改评估")
        verbose_name_plural = _("整改评估")
        ordering = ["inspection", "-evaluated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_total_range", condition=Q(total__gte=0) & Q(total__lte=100)
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_second_round_when_low",
                condition=Q(needs_second_round=False, grade__in=["good", "fairly_good"])
                | Q(needs_second_round=True, grade__in=["fair", "poor"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} {self.total}（{self.get_grade_display()}）"


class SecondRound(models.Model):
    """二次整改: an inspection whose evaluation was 一般 or 差 goes into a second round."""

    inspection = models.OneToOneField(
        "inspections.Inspection", verbose_name=_("巡视巡察"), on_delete=models.CASCADE, related_name="second_round"
    )
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("评估"), on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("启动日期"))
    # The round's own clock: its report is due like the first round's, counted from the start.
    due_on = models.DateField(_("二次整改完成时限"), null=True, blank=True)
    # The round's tasks: the unfinished ones, planned again by the rectification office.
    tasks = models.ManyToManyField("ledger.Task", verbose_name=_("二次整改任务"), blank=True, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("二次整改")
        verbose_name_plural = _("二次整改")

    def __str__(self) -> str:
        return f"{self.inspection} 二次整改"
