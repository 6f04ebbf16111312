from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("站内搜索")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
