from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "rectify.reports"
    label = "reports"
    verbose_name = _("报告与通报")

    def ready(self) -> None:
        # The ledger's dashboards flag a 整改情况报告 past its due date: whether it is published is ours to say.
        from rectify.ledger.report_status import register_published_reports
        from rectify.reports.selectors import internal_reports_published

        register_published_reports(internal_reports_published)
