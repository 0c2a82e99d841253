from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    name = "rectify.spreadsheets"
    label = "spreadsheets"
    verbose_name = _("Excel 台账")
