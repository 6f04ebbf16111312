"""Admin for complaint disclosure: the 投诉公示 menu (records, reference data, batches, import)."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from home.roles import ROLE_PERMISSIONS_HOOK
from merchants.scan_sections import SCAN_SECTIONS_HOOK
from search.result_groups import SITE_SEARCH_GROUPS_HOOK

from . import roles, site_search
from .merchant_record import merchant_record
from .models import Disclosure, ImportBatch
from .views import admin_import
from .viewsets import DisclosureGroup, NoAddPermissionPolicy, ViewOnlyPermissionPolicy

register_permission_policy(Disclosure, NoAddPermissionPolicy(Disclosure))
register_permission_policy(ImportBatch, ViewOnlyPermissionPolicy(ImportBatch))
register_snippet(DisclosureGroup)
hooks.register(SITE_SEARCH_GROUPS_HOOK, site_search.complaint_group)
hooks.register(ROLE_PERMISSIONS_HOOK, roles.role_permissions)


@hooks.register("register_admin_urls")
def register_disclosure_import_url():
    return [path("disclosures/import/", admin_import.index, name="disclosures_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perms(admin_import.PERMISSIONS)


@hooks.register("register_disclosures_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("导入投诉公示"), reverse("disclosures_import"), icon_name="upload", order=10
    )


@hooks.register(SCAN_SECTIONS_HOOK)
def complaint_record_section(merchant, today):
    """The scan page's 投诉公示: the merchant's totals and latest public records."""
    context = {"merchant": merchant, "disclosures": merchant_record(merchant.credit_code, today)}
    return render_to_string("disclosures/includes/scan_section.html", context)
