"""Admin for the pledge registry: merchants, reference data, import and bulk QR export."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from home.roles import ROLE_PERMISSIONS_HOOK
from search.result_groups import SITE_SEARCH_GROUPS_HOOK

from . import roles, site_search
from .views import admin_codes, admin_import, admin_qr_export
from .viewsets import MerchantReferenceGroup, MerchantViewSet

register_snippet(MerchantViewSet)
register_snippet(MerchantReferenceGroup)
hooks.register(SITE_SEARCH_GROUPS_HOOK, site_search.merchant_group)
hooks.register(ROLE_PERMISSIONS_HOOK, roles.role_permissions)


@hooks.register("register_admin_urls")
def register_merchant_tool_urls():
    return [
        path("merchants/import/", admin_import.index, name="merchants_import"),
        path("merchants/qr-export/", admin_qr_export.index, name="merchants_qr_export"),
        path(
            "merchants/<int:merchant_id>/retire-code/",
            admin_codes.retire_code,
            name="merchants_retire_code",
        ),
    ]


class MerchantToolMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perms(("merchants.add_merchant", "merchants.change_merchant"))


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return MerchantToolMenuItem(
        _("导入承诺商家"), reverse("merchants_import"), icon_name="upload", order=220
    )


@hooks.register("register_admin_menu_item")
def register_qr_export_menu_item():
    return MerchantToolMenuItem(
        _("批量导出二维码"), reverse("merchants_qr_export"), icon_name="download", order=230
    )


@hooks.register("register_log_actions")
def register_merchant_log_actions(actions):
    @actions.register_action(admin_codes.RETIRE_ACTION)
    class RetireCodeFormatter(LogFormatter):
        label = _("停用公示码")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("停用公示码 %(old)s（%(reason)s），换发新码 %(new)s") % {
                "old": data.get("old", "?"),
                "new": data.get("new", "?"),
                "reason": data.get("reason", ""),
            }
