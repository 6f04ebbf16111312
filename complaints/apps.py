from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints made through the portal (扫码投诉), and the desk where units handle them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("投诉受理")
    # Mounted on the open-data API (/api/v1/complaints) by disclosures.api, which imports no app.
    api_routers = {"": "complaints.api.router"}

    def ready(self):
        # Each connects itself on import: the settlement link (receivers), the statistics
        # hook (figures_section) and the disclosure of a closed complaint (publishing_receivers).
        from . import figures_section, publishing_receivers, receivers  # noqa: F401
