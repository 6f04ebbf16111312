"""The open-data JSON API /api/v1/: disclosures with facets, merchants and their records.

Every answer is JSON, errors included: ``{"error": "<中文说明>", ...}`` with 400 for unreadable
parameters (and ``invalid_parameters``, the reason by name), 404 for an unknown merchant or
address, 405 for anything but GET and HEAD, 429 when throttled and 500 should a bug slip through.
"""

import logging
from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from common import credit_code as credit_codes
from common.query_params import QueryParams
from merchants.views.directory import MAX_QUERY_LENGTH, matching, public_merchants

from .. import engines
from ..merchant_record import merchant_record
from ..models import Disclosure
from ..params import REGION_CODE, parse_query, read_paging
from . import serializers
from .openapi import openapi_document
from .throttling import throttled

logger = logging.getLogger(__name__)

RECORD_RELATIONS = ("category", "problem_type", "result")
SAFE_METHODS = ("GET", "HEAD")


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _error(message, status, **details):
    return _json({"error": message, **details}, status=status)


def _bad_request(errors):
    # A filter silently dropped would hand a script the unfiltered data with a 200: refuse.
    return _error(_("请求参数有误"), 400, invalid_parameters=errors)


def api_view(view):
    """GET and HEAD only, and a JSON answer whatever happens, even a bug (logged as one)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            response = _error(_("开放数据接口只支持GET请求"), 405)
            response["Allow"] = ", ".join(SAFE_METHODS)
            return response
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _error(_("没有找到请求的数据"), 404)
        except Exception:  # a script must get JSON even from a bug; the log keeps the trace
            logger.exception("开放数据接口出错:%s", request.get_full_path())
            return _error(_("服务器内部错误,请稍后再试"), 500)

    return wrapper


def _paging(request):
    """(page, per_page, errors), read by the same rules as the disclosure search's."""
    reader = QueryParams(request.GET)
    page, per_page = read_paging(reader)
    return page, per_page, reader.errors


@api_view
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
        raise Http404(_("没有这家承诺商家"))
    return found


@api_view
@throttled
def merchants(request):
    reader = QueryParams(request.GET)
    page_number, per_page = read_paging(reader)
    region = reader.matching("region", REGION_CODE, _("应为6位行政区划代码"))
    if reader.errors:
        return _bad_request(reader.errors)
    today = timezone.localdate()
    items = public_merchants()
    if query := reader.text("q", MAX_QUERY_LENGTH):
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


@api_view
@throttled
def merchant_detail(request, credit_code):
    try:
        merchant = _public_merchant(credit_code)
    except Http404 as error:
        return _json({"error": str(error)}, status=404)
    data = serializers.merchant(merchant, timezone.localdate())
    data["disclosures"] = serializers.record_totals(merchant_record(merchant.credit_code, latest=0))
    return _json(data)


@api_view
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


@api_view
def openapi(request):
    return _json(openapi_document(request.build_absolute_uri("/api/v1/")))


@api_view
def not_found(request, path=""):
    """Any other address under /api/v1/: a 404 a script can read, not the site's HTML page."""
    return _error(_("没有这个接口,请查阅 /api/v1/openapi.json"), 404)
