from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "rectify.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        from rectify.ledger.panels import register_task_panel
        from rectify.organizations.navigation import register_count
        from rectify.supervision.selectors import unread_count
        from rectify.supervision.templatetags.supervision import formalism_panel

        register_count("supervision:inbox", unread_count)
        register_task_panel("formalism", formalism_panel)
