"""Admin for complaints: the handling desk (投诉受理) and its reference data."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from home.roles import ROLE_PERMISSIONS_HOOK

from . import roles
from .desk import urls as desk_urls
from .desk.viewsets import ComplaintReferenceGroup

register_snippet(ComplaintReferenceGroup)
hooks.register(ROLE_PERMISSIONS_HOOK, roles.role_permissions)


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [path("complaints/", include(desk_urls, namespace="complaints_desk"))]


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.may_handle(request.user)


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return DeskMenuItem(
        _("投诉受理"), reverse("complaints_desk:index"), icon_name="mail", order=300
    )
