from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    """The complaint red/black list (红黑榜): its rules as data and the computation of entries."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lists"
    verbose_name = _("红黑榜")

    def ready(self):
        # The scan page's 红黑榜 section (a Wagtail hook) and the cache drops that keep it true.
        from . import scan_section

        scan_section.connect()
