"""Admin for the pledge registry: merchants, reference data, import and bulk QR export."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import admin_import, admin_qr_export


@hooks.register("register_admin_urls")
def register_merchant_tool_urls():
    return [
        path("merchants/import/", admin_import.index, name="merchants_import"),
        path("merchants/qr-export/", admin_qr_export.index, name="merchants_qr_export"),
    ]


class MerchantToolMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("merchants.add_merchant")


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
