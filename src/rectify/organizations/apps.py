from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "rectify.organizations"
    label = "organizations"
    verbose_name = _("组织与人员")
