"""Wagtail admin viewsets for the registry: listing columns, filters, export and extra buttons."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from common.dates import chinese_date
from common.spreadsheet_safety import FormulaSafeExportMixin
from common.viewsets import NamedReferenceViewSet

from .filters import MerchantFilterSet
from .forms import MerchantAdminForm
from .models import BusinessCategory, BusinessDistrict, Merchant, MerchantCode, PledgeType, Region


def merchant_queryset():
    """Everything one listing row or export line needs, in a fixed number of queries."""
    return Merchant.objects.select_related(
        "region__parent__parent", "category", "district"
    ).prefetch_related(
        Prefetch("pledges", to_attr=None),
        "pledges__pledge_type",
        Prefetch("codes", queryset=MerchantCode.objects.filter(retired_at__isnull=True)),
    )


def status_label(merchant):
    return merchant.public_status().label


def pledge_types(merchant):
    return "、".join(pledge.pledge_type.name for pledge in merchant.pledges.all())


def valid_until(merchant):
    until = merchant.valid_until()
    if until:
        return chinese_date(until)
    return _("长期") if status_label(merchant) == _("承诺有效") else ""


def current_code(merchant):
    code = merchant.current_code
    return code.code if code else ""


# Admin-only export: unlike every public view, it includes the private contact columns.
EXPORT_COLUMNS = {
    "credit_code": (_("统一社会信用代码"), lambda m: m.credit_code),
    "registered_name": (_("经营者名称"), lambda m: m.registered_name),
    "shop_name": (_("门店名称"), lambda m: m.shop_name),
    "region_code": (_("行政区划代码"), lambda m: m.region_id),
    "region_name": (_("行政区划"), lambda m: m.region.full_name),
    "address": (_("经营地址"), lambda m: m.address),
    "category": (_("行业类别"), lambda m: m.category.name if m.category else ""),
    "district": (_("所属商圈"), lambda m: m.district.name if m.district else ""),
    "pledge_types": (_("承诺类型"), pledge_types),
    "status": (_("状态"), status_label),
    "valid_until": (_("承诺有效期至"), valid_until),
    "status_reason": (_("暂停或摘牌原因"), lambda m: m.status_reason),
    "code": (_("公示码"), current_code),
    "is_odr": (_("ODR企业"), lambda m: _("是") if m.is_odr else _("否")),
    "contact_person": (_("联系人"), lambda m: m.contact_person),
    "contact_phone": (_("联系电话"), lambda m: m.contact_phone),
}


class MerchantIndexView(FormulaSafeExportMixin, IndexView):
    """Names and addresses are typed by merchants and clerks: the export keeps them text."""

    def get_base_queryset(self):
        return merchant_queryset()

    def to_row_dict(self, item):
        return {field: EXPORT_COLUMNS[field][1](item) for field in self.list_export}

    def stream_csv(self, queryset):
        # A byte-order mark first, or Excel on a Chinese Windows desktop shows mojibake.
        yield "\ufeff"
        yield from super().stream_csv(queryset)


class MerchantEditView(EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        code = self.object.current_code
        if code:
            buttons += [
                Button(
                    _("查看扫码页"),
                    url=reverse("merchants:scan", args=[code.code]),
                    icon_name="view",
                    priority=30,
                    attrs={"target": "_blank", "rel": "noopener"},
                ),
                Button(
                    _("打印二维码海报"),
                    url=reverse("merchants:poster", args=[code.code]),
                    icon_name="doc-full",
                    priority=31,
                    attrs={"target": "_blank", "rel": "noopener"},
                ),
                Button(
                    _("停用公示码并换发新码"),
                    url=reverse("merchants_retire_code", args=[self.object.pk]),
                    icon_name="warning",
                    priority=40,
                ),
            ]
        return buttons


class MerchantViewSet(SnippetViewSet):
    model = Merchant
    icon = "group"
    menu_label = _("承诺商家")
    menu_order = 200
    add_to_admin_menu = True
    index_view_class = MerchantIndexView
    edit_view_class = MerchantEditView
    # The model's panels, in a form that keeps 编辑 from suspending or removing a merchant.
    edit_handler = ObjectList(Merchant.panels, base_form_class=MerchantAdminForm)
    filterset_class = MerchantFilterSet
    list_display = [
        "registered_name",
        "shop_name",
        Column("region", label=_("行政区划"), accessor=lambda m: m.region.full_name),
        Column("pledge_types", label=_("承诺类型"), accessor=pledge_types),
        Column("status", label=_("状态"), accessor=status_label),
        Column("valid_until", label=_("有效期至"), accessor=valid_until),
        Column("code", label=_("公示码"), accessor=current_code),
    ]
    list_per_page = 50
    search_fields = ["registered_name", "shop_name", "credit_code", "address"]
    search_backend_name = None  # plain database look-ups: exact credit codes and name fragments
    list_export = list(EXPORT_COLUMNS)
    export_headings = {field: label for field, (label, _getter) in EXPORT_COLUMNS.items()}
    export_filename = "fangxin-merchants"
    copy_view_enabled = False


class BusinessDistrictViewSet(SnippetViewSet):
    model = BusinessDistrict
    icon = "site"
    list_display = ["name", "kind", "region", "is_pledge_unit"]
    list_filter = ["kind", "is_pledge_unit"]
    search_fields = ["name", "address"]
    search_backend_name = None


class PledgeTypeViewSet(NamedReferenceViewSet):
    model = PledgeType
    icon = "tick-inverse"
    list_display = ["name", "is_return_pledge", "sort_order"]


class BusinessCategoryViewSet(NamedReferenceViewSet):
    model = BusinessCategory
    icon = "tag"


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "globe"
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    search_backend_name = None
    list_per_page = 100


class MerchantReferenceGroup(SnippetViewSetGroup):
    menu_label = _("商家分类与区划")
    menu_icon = "folder-inverse"
    menu_order = 210
    items = (
        BusinessDistrictViewSet,
        PledgeTypeViewSet,
        BusinessCategoryViewSet,
        RegionViewSet,
    )
