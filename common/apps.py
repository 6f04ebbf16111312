from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The ground floor: what every app uses and that knows no app (see README, Layout)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "common"
    verbose_name = _("公共基础")
