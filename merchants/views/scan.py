"""The scan page of 一企一码: what a consumer reads at the counter after scanning the poster.

The hot path is a cache hit: the whole rendered page comes from the cache by code, local date
and text size, the scan is counted in memory, and no database query runs at all.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from common.dates import chinese_date
from home.models import PortalSettings

from .. import codes, page_cache, qr, scan_counter
from ..models import Merchant, MerchantCode
from ..presentation import pledge_text, status_banner
from ..scan_sections import render_sections

# Short: a merchant can be suspended at any moment and the poster keeps pointing here.
MAX_AGE = 60


def _finish(response):
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    # The large-text cookie changes the page.
    patch_vary_headers(response, ["Cookie"])
    return response


def _common_context(request, code, large_text):
    portal = PortalSettings.for_request(request)
    return {
        "code": code,
        "portal": portal,
        # The 如何辨别真伪 box: the address every genuine page starts with, and this page's, the
        # very one its poster's QR code holds (both PORTAL_BASE_URL; home.W003 warns when the
        # site settings' official domain names another).
        "origin": settings.PORTAL_BASE_URL,
        "page_url": qr.scan_url(code),
        "large_text": large_text,
        "today": chinese_date(timezone.localdate()),
    }


def _unknown(request, code, large_text):
    context = _common_context(request, code, large_text)
    body = render_to_string("merchants/code_unknown.html", context)
    return HttpResponse(body, status=404)


def _retired(request, merchant_code, large_text):
    context = _common_context(request, merchant_code.code, large_text)
    context["retired_on"] = chinese_date(timezone.localdate(merchant_code.retired_at))
    context["retired_reason"] = merchant_code.retired_reason
    return _finish(HttpResponse(render_to_string("merchants/code_retired.html", context)))


def _render_page(request, merchant_code, large_text, today):
    merchant = (
        Merchant.objects.select_related("region__parent__parent", "district", "category")
        .prefetch_related("pledges__pledge_type")
        .get(pk=merchant_code.merchant_id)
    )
    context = _common_context(request, merchant_code.code, large_text)
    context.update(
        {
            "merchant": merchant,
            "banner": status_banner(merchant, today),
            "pledges": [pledge_text(pledge, today) for pledge in merchant.pledges.all()],
            "region_name": merchant.region.full_name,
            "sections": render_sections(merchant, today),
        }
    )
    return merchant, render_to_string("merchants/scan_page.html", context).encode()


@require_safe
def scan_page(request, code):
    canonical = codes.normalize(code)
    large_text = request.COOKIES.get(settings.PORTAL_TEXT_SIZE_COOKIE) == "large"
    if not codes.looks_valid(canonical):
        # Never a code (a NUL byte, which PostgreSQL refuses, or any other character outside
        # the alphabet): unknown without asking the database.
        return _unknown(request, code, large_text)
    if canonical != code:
        return HttpResponsePermanentRedirect(reverse("merchants:scan", args=[canonical]))

    today = timezone.localdate()
    body = cached_page(request, code, today)
    if body is not None:
        return page_response(body)
    merchant_code = MerchantCode.objects.filter(code=code).first()
    if merchant_code is None or merchant_code.merchant_id is None:
        return _unknown(request, code, large_text)
    if merchant_code.is_retired:
        return _retired(request, merchant_code, large_text)
    merchant, body = _render_page(request, merchant_code, large_text, today)
    page_cache.put(code, today, large_text, merchant.pk, body)
    _count(request, merchant.pk, today)
    return page_response(body)


def cached_page(request, code, today):
    """The body of a canonical code's page from the cache, counted as a scan; None on a miss.

    Also what ``CachedScanPageMiddleware`` answers with before the rest of the middleware."""
    large_text = request.COOKIES.get(settings.PORTAL_TEXT_SIZE_COOKIE) == "large"
    cached = page_cache.get(code, today, large_text)
    if cached is None:
        return None
    merchant_id, body = cached
    _count(request, merchant_id, today)
    return body


def page_response(body):
    return _finish(HttpResponse(body))


def _count(request, merchant_id, today):
    if request.method == "GET":
        scan_counter.record(merchant_id, today)
