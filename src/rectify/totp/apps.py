from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TotpConfig(AppConfig):
    name = "rectify.totp"
    label = "totp"
    verbose_name = _("两步验证")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from rectify.totp.services import start_second_factor

        # Each password login starts a fresh second-factor state for its session (Django's own hook).
        user_logged_in.connect(start_second_factor, dispatch_uid="rectify.totp.start_second_factor")
