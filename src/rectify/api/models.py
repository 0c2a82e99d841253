"""Personal API tokens (接口令牌) for systems that call the REST API."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rectify import clock


class ApiToken(models.Model):
    """A bearer token: only its SHA-256 is stored; the secret is shown once, when it is created."""

    class Scope(models.TextChoices):
        READ = "read", _("只读")
        WRITE = "write", _("读写")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=64)
    prefix = models.CharField(_("前缀"), max_length=16, help_text=_("用于辨认令牌，不足以登录"))
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    scope = models.CharField(_("权限范围"), max_length=8, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="%(app_label)s_%(class)s_scope_valid", condition=Q(scope__in=["read", "write"])),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_hash_is_sha256", condition=Q(token_hash__regex=r"^[0-9a-f]{64}$")
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_expires_after_created", condition=Q(expires_at__gt=F("created_at"))
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_name_not_blank", condition=~Q(name="")
            ),
            # One live token per name and user, so a name says which system holds it.
            models.UniqueConstraint(
                fields=["user", "name"], condition=Q(revoked_at__isnull=True),
                name="%(app_label)s_%(class)s_unique_live_name",
            ),
        ]
        indexes = [
            # The token page: a user's tokens, newest first.
            models.Index(fields=["user", "-created_at"], name="apitoken_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at <= (now or clock.now())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
