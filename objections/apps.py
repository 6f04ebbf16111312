from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectionsConfig(AppConfig):
    """A merchant's objection to a disclosed record and its right of reply (异议与回应)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "objections"
    verbose_name = _("异议与回应")
