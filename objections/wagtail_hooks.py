"""Objections plug into the record page (its section), the roles, and the admin (the desk)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from disclosures.record_sections import RECORD_SECTIONS_HOOK
from home.roles import ROLE_PERMISSIONS_HOOK

from . import roles
from .desk import urls as desk_urls
from .sections import record_section

hooks.register(RECORD_SECTIONS_HOOK, record_section)
hooks.register(ROLE_PERMISSIONS_HOOK, roles.role_permissions)


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [path("objections/", include(desk_urls, namespace="objections_desk"))]


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.may_view(request.user)


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return DeskMenuItem(
        _("异议与回应"), reverse("objections_desk:index"), icon_name="warning", order=310
    )
