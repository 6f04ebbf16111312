from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosures"
    verbose_name = _("消费投诉信息公示")

    def ready(self):
        from . import signals  # noqa: F401  (connects the merchant link handler)
