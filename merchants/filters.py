"""Admin filters for the registry: region at any level, district, status, pledge type, expiry."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from common import regions

from .models import EXPIRING_SOON_DAYS, BusinessDistrict, Merchant, PledgeType, PublicStatus, Region


def region_choices():
    """Cities and their counties, indented, so one select covers every level."""
    choices = []
    for region in Region.objects.filter(level__in=[regions.CITY, regions.COUNTY]).order_by("code"):
        label = region.name if region.level == regions.CITY else f"\u3000{region.name}"
        choices.append((region.code, label))
    return choices


class MerchantFilterSet(WagtailFilterSet):
    region = django_filters.ChoiceFilter(
        label=_("行政区划"), choices=region_choices, method="filter_region"
    )
    district = django_filters.ModelChoiceFilter(
        label=_("商圈/街区/市场"), queryset=BusinessDistrict.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=PublicStatus.choices, method="filter_status"
    )
    pledge_type = django_filters.ModelChoiceFilter(
        label=_("承诺类型"), queryset=PledgeType.objects.all(), method="filter_pledge_type"
    )
    expiring = django_filters.BooleanFilter(
        label=_("%(days)s天内到期") % {"days": EXPIRING_SOON_DAYS},
        method="filter_expiring",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Merchant
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value) if value else queryset

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset

    def filter_pledge_type(self, queryset, name, value):
        return queryset.with_pledge_type(value) if value else queryset

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        soon = queryset.expiring_within(EXPIRING_SOON_DAYS)
        return soon if value else queryset.exclude(pk__in=soon.values("pk"))
