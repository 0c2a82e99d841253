from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "rectify.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        # Logins happen in Django and django-axes, not in a service: their signals are the only hook.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from rectify.audit import access

        user_logged_in.connect(access.record_login, dispatch_uid="rectify.audit.login")
        user_login_failed.connect(access.record_login_failed, dispatch_uid="rectify.audit.login_failed")
        user_locked_out.connect(access.record_lockout, dispatch_uid="rectify.audit.lockout")
