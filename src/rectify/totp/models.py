"""A user's authenticator app (TOTP, RFC 6238): the shared secret and its replay and failure guards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TotpDevice(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(_("密钥"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"))
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    # The time step of the last accepted code: a code is accepted once, never replayed.
    last_step = models.BigIntegerField(_("最近使用的时间步"), default=0)
    failures = models.PositiveIntegerField(_("连续错误次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("两步验证设备")
        verbose_name_plural = _("两步验证设备")

    def __str__(self) -> str:
        state = _("已启用") if self.confirmed_at else _("待确认")
        return f"{self.user} · {state}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
