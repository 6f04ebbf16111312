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
from . import serializers
from .openapi import openapi_document
from .throttling import throttled

RECORD_RELATIONS = ("category", "problem_type", "result")


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _bad_request(errors):
    # A filter silently dropped would hand a script the unfiltered data with a 200: refuse.
    return _json({"error": "请求参数有误", "invalid_parameters": errors}, status=400)


def _paging(request):
    """(page, per_page, errors), read by the same rules as the disclosure search's."""
    query, errors = parse_query({name: request.GET.get(name) for name in ("page", "per_page")})
    return query.page, query.per_page, errors


@require_safe
@throttled
def disclosures(request):
    query, errors = parse_query(request.GET)
    if errors:
        return _bad_request(errors)
    results = engines.search(query)
    by_id = Disclosure.objects.select_related(*RECORD_RELATIONS).in_bulk(results.ids)
    return _json(
        {
            "total": results.total,
            "page": query.page,
            "per_page": query.per_page,
            "results": [serializers.disclosure(by_id[pk]) for pk in results.ids if pk in by_id],
            "facets": serializers.facets(results),
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
    page_number, per_page, errors = _paging(request)
    region = request.GET.get("region", "").strip()
    if region and not (region.isdigit() and len(region) == 6):
        errors["region"] = "应为6位行政区划代码"
    if errors:
        return _bad_request(errors)
    today = timezone.localdate()
    items = public_merchants()
    if query := request.GET.get("q", "").strip()[:60]:
        items = matching(items, query)
    if region:
        items = items.in_region(region)
    items = items.select_related("region__parent__parent", "district").prefetch_related(
        "pledges__pledge_type", "codes"
    )
    page = Paginator(items, per_page).get_page(page_number)
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
    page_number, per_page, errors = _paging(request)
    if errors:
        return _bad_request(errors)
    records = (
        Disclosure.objects.public()
        .filter(credit_code=code)
        .select_related(*RECORD_RELATIONS)
        .order_by("-complained_on", "-pk")
    )
    page = Paginator(records, per_page).get_page(page_number)
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
