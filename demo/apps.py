from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content and ``manage.py load_demo``; the product never imports this app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = _("演示数据")
