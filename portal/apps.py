from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The roof: site-wide templates and template tags that may use every app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("门户")
