"""The public directory of pledge merchants and the page of each business district."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common import regions
from common.query_params import QueryParams, page_number

from ..filters import region_choices
from ..models import MAX_QUERY_LENGTH, BusinessDistrict, Merchant, PledgeType, PublicStatus

PAGE_SIZE = 20

# What a reader can filter on; pending merchants are never public, so never a choice.
STATUS_FILTERS = [
    PublicStatus.IN_FORCE,
    PublicStatus.EXPIRED,
    PublicStatus.SUSPENDED,
    PublicStatus.REMOVED,
]
BADGE_TONES = {
    PublicStatus.IN_FORCE: "ok",
    PublicStatus.EXPIRED: "alert",
    PublicStatus.SUSPENDED: "alert",
    PublicStatus.REMOVED: "alert",
    PublicStatus.PENDING: "wait",
}


def _rows(merchants, today):
    """What each listed merchant shows: its status badge, code link and pledge types."""
    rows = []
    for merchant in merchants:
        status = merchant.public_status(today)
        region, address = merchant.region.full_name, merchant.address
        rows.append(
            {
                "merchant": merchant,
                "status": status,
                "status_label": PublicStatus(status).label
                if status != PublicStatus.PENDING
                else _("承诺尚未生效"),
                "tone": BADGE_TONES[status],
                "code": merchant.current_code,
                # Most addresses already begin with the region; say it once.
                "place": address if address.startswith(region) else f"{region} {address}",
                "pledge_types": list(
                    dict.fromkeys(pledge.pledge_type.name for pledge in merchant.pledges.all())
                ),
            }
        )
    return rows


def _page(request, merchants):
    merchants = merchants.select_related("region__parent__parent", "district").prefetch_related(
        "pledges__pledge_type", "codes"
    )
    paginator = Paginator(merchants, PAGE_SIZE)
    page_obj = paginator.get_page(page_number(request.GET.get("page")))
    return page_obj, _rows(page_obj.object_list, timezone.localdate())


def directory(request):
    # Every filter is picked from a list the page shows: a value not on it filters nothing,
    # and the list shows 全部.
    params = QueryParams(request.GET)
    query = params.text("q", MAX_QUERY_LENGTH)
    regions_list = region_choices()
    region = params.choice("region", {code for code, _label in regions_list})
    districts = BusinessDistrict.objects.order_by("region_id", "name")
    if region:
        districts = districts.filter(region__code__startswith=regions.code_prefix(region))
    districts = list(districts)
    district = params.choice("district", {str(d.pk) for d in districts})
    pledge_types = list(PledgeType.objects.all())
    pledge_type = params.choice("pledge_type", {str(p.pk) for p in pledge_types})
    status = params.choice("status", {str(status) for status in STATUS_FILTERS})

    merchants = Merchant.objects.public()
    if query:
        merchants = merchants.matching(query)
    if region:
        merchants = merchants.in_region(region)
    if district:
        merchants = merchants.filter(district_id=int(district))
    if pledge_type:
        merchants = merchants.with_pledge_type(int(pledge_type))
    if status:
        merchants = merchants.with_status(status)
    page_obj, rows = _page(request, merchants)

    context = {
        "query": query,
        "regions": regions_list,
        "region": region,
        "districts": districts,
        "district": district,
        "pledge_types": pledge_types,
        "status_choices": [(s.value, s.label) for s in STATUS_FILTERS],
        "filtered": bool(query or region or district or pledge_type or status),
        "page_obj": page_obj,
        "rows": rows,
    }
    return render(request, "merchants/directory.html", context)


def district(request, pk):
    places = BusinessDistrict.objects.select_related("region__parent__parent")
    place = get_object_or_404(places, pk=pk)
    page_obj, rows = _page(request, Merchant.objects.public().filter(district=place))
    context = {"district": place, "page_obj": page_obj, "rows": rows}
    return render(request, "merchants/district.html", context)
