from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "rectify.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        # The ledger announces each step of a task; supervision tells the people who act next.
        from rectify.ledger.announce import listen
        from rectify.ledger.panels import register_task_panel
        from rectify.organizations.navigation import register_count
        from rectify.supervision import checks  # noqa: F401  (registers the calendar file check)
        from rectify.supervision.selectors import unread_count
        from rectify.supervision.services.transitions import tell_next
        from rectify.supervision.templatetags.supervision import formalism_panel

        listen(tell_next)
        register_count("supervision:inbox", unread_count)
        register_task_panel("formalism", formalism_panel)
