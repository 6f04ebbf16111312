"""The public list addresses beside the page tree: a list's CSV and JSON, the index of every
list as JSON, and a merchant's listings across periods."""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from common import credit_code as credit_codes
from common.downloads import attachment
from merchants.models import Merchant

from .. import exports, public
from ..models import ListIndexPage

# Published lists change a few times a quarter: a short public cache is plenty.
MAX_AGE = 300


def _published(slug):
    return get_object_or_404(public.published(), slug=slug)


def _cached(response):
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_safe
def list_csv(request, slug):
    page = _published(slug)
    response = HttpResponse(exports.csv_text(page), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(*exports.file_name(page, "csv"))
    return _cached(response)


@require_safe
def list_json(request, slug):
    page = _published(slug)
    body = json.dumps(exports.json_data(page), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _cached(response)


@require_safe
def lists_json(request):
    pages = public.published().order_by("-period", "region_code", "kind", "pk")
    data = {"lists": [exports.list_summary(page) for page in pages]}
    return _cached(JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1}))


@require_safe
def merchant_history(request, credit_code):
    """Every published listing of one business, across periods, current and archived."""
    try:
        code = credit_codes.validate(credit_code)
    except credit_codes.CreditCodeError as error:
        raise Http404(str(error)) from error
    entries = public.merchant_listings(code)
    if not entries:
        raise Http404("never listed")
    for entry in entries:
        entry.page.is_current = public.is_current(entry.page)
        entry.page.period_label = public.period_label(entry.page.period)
    index = ListIndexPage.objects.live().first()
    merchant = (
        Merchant.objects.publicly_listed()
        .filter(credit_code=code)
        .prefetch_related("codes")
        .first()
    )
    context = {
        "credit_code": code,
        "name": entries[0].name,
        "entries": entries,
        "merchant_code": merchant.current_code if merchant else None,
        "index_url": index.url if index else None,
    }
    return render(request, "lists/merchant_history.html", context)
