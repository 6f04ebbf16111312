"""The open-data JSON API /api/v1/: disclosures with facets, merchants and their records."""

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from merchants import credit_code as credit_codes
from merchants.views.directory import matching, public_merchants

from .. import engines
from ..merchant_record import merchant_record
from ..models import Disclosure
from ..params import parse_query
from ..search_query import DEFAULT_PER_PAGE, MAX_PER_PAGE
from . import serializers
from .openapi import openapi_document
from .throttling import throttled

RECORD_RELATIONS = ("category", "problem_type", "result")


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _page_number(request):
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def _per_page(request):
    try:
        return min(max(int(request.GET.get("per_page", DEFAULT_PER_PAGE)), 1), MAX_PER_PAGE)
    except ValueError:
        return DEFAULT_PER_PAGE


@require_safe
@throttled
def disclosures(request):
    query, errors = parse_query(request.GET)
    results = engines.search(query)
    by_id = Disclosure.objects.select_related(*RECORD_RELATIONS).in_bulk(results.ids)
    return _json(
        {
            "total": results.total,
            "page": query.page,
            "per_page": query.per_page,
            "results": [serializers.disclosure(by_id[pk]) for pk in results.ids if pk in by_id],
            "facets": serializers.facets(results),
            "ignored_parameters": errors,
        }
    )


def _public_merchant(code):
    try:
        code = credit_codes.validate(code)
    except credit_codes.CreditCodeError as error:
        raise Http404(str(error)) from error
    merchants = public_merchants().select_related("region__parent__parent", "district")
    merchant = merchants.prefetch_related("pledges__pledge_type", "codes").filter(credit_code=code)
    found = merchant.first()
    if found is None:
        raise Http404("unknown merchant")
    return found


@require_safe
@throttled
def merchants(request):
    today = timezone.localdate()
    items = public_merchants()
    if query := request.GET.get("q", "").strip()[:60]:
        items = matching(items, query)
    if region := request.GET.get("region", "").strip():
        items = items.in_region(region) if region.isdigit() and len(region) == 6 else items.none()
    items = items.select_related("region__parent__parent", "district").prefetch_related(
        "pledges__pledge_type", "codes"
    )
    page = Paginator(items, _per_page(request)).get_page(_page_number(request))
    return _json(
        {
            "total": page.paginator.count,
            "page": page.number,
            "per_page": page.paginator.per_page,
            "results": [serializers.merchant(item, today) for item in page.object_list],
        }
    )


@require_safe
@throttled
def merchant_detail(request, credit_code):
    try:
        merchant = _public_merchant(credit_code)
    except Http404 as error:
        return _json({"error": str(error)}, status=404)
    data = serializers.merchant(merchant, timezone.localdate())
    data["disclosures"] = serializers.record_totals(merchant_record(merchant.credit_code, latest=0))
    return _json(data)


@require_safe
@throttled
def merchant_disclosures(request, credit_code):
    try:
        code = credit_codes.validate(credit_code)
    except credit_codes.CreditCodeError as error:
        return _json({"error": str(error)}, status=404)
    records = (
        Disclosure.objects.public()
        .filter(credit_code=code)
        .select_related(*RECORD_RELATIONS)
        .order_by("-complained_on", "-pk")
    )
    page = Paginator(records, _per_page(request)).get_page(_page_number(request))
    return _json(
        {
            "credit_code": code,
            "totals": serializers.record_totals(merchant_record(code, latest=0)),
            "total": page.paginator.count,
            "page": page.number,
            "per_page": page.paginator.per_page,
            "results": [serializers.disclosure(record) for record in page.object_list],
        }
    )


@require_safe
def openapi(request):
    return _json(openapi_document(request.build_absolute_uri("/api/v1/")))
