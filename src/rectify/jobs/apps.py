from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """The shared cache's table (Django's DatabaseCache) is created by `rectify migrate` itself, so a
    deployment needs no extra step; an existing table is left as it is."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c.get("BACKEND", "").endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


class JobsConfig(AppConfig):
    name = "rectify.jobs"
    label = "jobs"
    verbose_name = _("后台作业")

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="rectify.jobs.create_cache_table")
