"""Organizations (inspection office → inspected units → departments), people and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Organization(models.Model):
    """A node of the organization tree; `path` ("/1/5/23/") makes subtree scoping one index lookup."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("巡视巡察机构")
        UNIT = "unit", _("被巡视巡察单位")
        DEPARTMENT = "department", _("内设部门")

    class Level(models.TextChoices):
        """The administrative level (层级) of a unit or office: what an inspection office filters its units by."""

        CENTRAL = "central", _("中央级")
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡镇级")

    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=255, editable=False, default="")
    address = models.CharField(_("通信地址"), max_length=255, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="%(app_label)s_%(class)s_unique_name_in_parent"),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_department_has_parent",
                condition=~Q(kind="department") | Q(parent__isnull=False),
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_level_known",
                condition=Q(level="") | Q(level__in=["central", "provincial", "municipal", "county", "township"]),
            ),
        ]
        indexes = [
            # Scoping: every visibility query filters on a path prefix.
            models.Index(fields=["path"], name="org_path_idx"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def unit(self) -> Organization:
        """The inspected unit this organization belongs to (itself for a unit)."""
        node = self
        while node.kind == self.Kind.DEPARTMENT and node.parent is not None:
            node = node.parent
        return node


class Role(models.TextChoices):
    INSPECTION_OFFICE = "inspection_office", _("巡视巡察办")
    RECTIFICATION_OFFICE = "rectification_office", _("整改办")
    DEPARTMENT = "department", _("责任单位")
    LEADER = "leader", _("领导")
    SUPERVISOR = "supervisor", _("纪检监督")
    ADMIN = "admin", _("系统管理员")


class Membership(models.Model):
    """A role a user holds at an organization; it reaches the organization's whole subtree."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=64, blank=True)
    is_principal = models.BooleanField(_("主要负责人"), default=False)
    is_handler = models.BooleanField(_("经办人"), default=False)

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="%(app_label)s_%(class)s_unique_role"
            )
        ]
        indexes = [models.Index(fields=["organization", "role"], name="membership_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"
