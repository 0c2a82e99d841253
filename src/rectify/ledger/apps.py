from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "rectify.ledger"
    label = "ledger"
    verbose_name = _("整改台账")

    def ready(self) -> None:
        from rectify.inspections.selectors import register_stats
        from rectify.ledger.selectors import inspection_stats

        # The inspection list (a lower app's page) shows the ledger's figures.
        register_stats(inspection_stats)
