"""The site search's 承诺商家 group: what the header's search box finds in the directory."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from search.result_groups import Badge, ResultGroup, ResultItem

from .models import MAX_QUERY_LENGTH, Merchant

# The directory's rows: the same status badge, code and place as its list shows.
from .views.directory import _rows as directory_rows

# First: a name or a credit code typed in the header is most often a merchant looked for.
ORDER = 10


def _item(row):
    merchant = row["merchant"]
    code = row["code"]
    # The scan page is the merchant's public page; without a code, the directory entry.
    if code:
        url = reverse("merchants:scan", args=[code.code])
    else:
        url = reverse("merchants:directory") + "?" + urlencode({"q": merchant.credit_code})
    details = []
    if merchant.shop_name and merchant.shop_name != merchant.registered_name:
        details.append(_("门店：%(shop)s") % {"shop": merchant.shop_name})
    details.extend(row["pledge_types"])
    return ResultItem(
        title=merchant.registered_name,
        url=url,
        badges=[Badge(row["status_label"], row["tone"])],
        details=details,
        snippet=row["place"],
    )


def merchant_group(text, limit):
    """Public merchants whose name, shop name or credit code match, as the directory lists
    them (the same order, so its first page starts with these)."""
    text = text[:MAX_QUERY_LENGTH].strip()
    merchants = Merchant.objects.public().matching(text)
    count = merchants.count()
    first = merchants.select_related("region__parent__parent").prefetch_related(
        "pledges__pledge_type", "codes"
    )[:limit]
    rows = directory_rows(first, timezone.localdate()) if count else []
    return ResultGroup(
        key="merchants",
        title=_("承诺商家"),
        unit=_("家"),
        count=count,
        items=[_item(row) for row in rows],
        more_url=reverse("merchants:directory") + "?" + urlencode({"q": text}),
        more_label=_("在承诺商家名录中查看全部 %(count)d 家") % {"count": count},
        order=ORDER,
    )
