from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = _("站点首页与公共设置")

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
        from .roles import ensure_roles
        from .site_address import sync_default_site

        post_migrate.connect(sync_default_site, sender=self, dispatch_uid="home_sync_default_site")
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="home_ensure_roles")
