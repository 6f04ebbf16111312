"""A merchant's QR code as PNG and SVG, and the printable poster that carries it.

A retired code is never drawn again (404): it was retired because it must leave the wall.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _

from common.dates import chinese_date
from home.models import PortalSettings

from .. import codes, qr
from ..models import MerchantCode, PublicStatus
from ..presentation import pledge_text, status_banner

CACHE_SECONDS = 24 * 60 * 60
POSTER_SIZES = ("a4", "a5")


def _live_code(code):
    """The unretired MerchantCode for ``code`` (any letter case) or 404."""
    code = codes.normalize(code)
    found = None
    if codes.looks_valid(code):  # else never a code, and PostgreSQL refuses a NUL byte
        live = MerchantCode.objects.filter(retired_at__isnull=True, merchant__isnull=False)
        found = live.select_related("merchant").filter(code=code).first()
    if found is None:
        raise Http404(_("没有这个公示码，或它已停用"))
    return found


def _etag(code, kind):
    # The image depends on nothing but the code, the public address and how it is drawn.
    source = f"{code}|{settings.PORTAL_BASE_URL}|{qr.RENDER_VERSION}|{kind}"
    return quote_etag(hashlib.sha256(source.encode()).hexdigest()[:32])


def _cacheable(response, etag):
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _image(request, code, kind, content_type, draw):
    merchant_code = _live_code(code)
    etag = _etag(merchant_code.code, kind)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _cacheable(not_modified, etag)
    body = draw(qr.scan_url(merchant_code.code))
    return _cacheable(HttpResponse(body, content_type=content_type), etag)


def qr_png(request, code):
    return _image(request, code, "png", "image/png", qr.qr_png_bytes)


def qr_svg(request, code):
    return _image(request, code, "svg", "image/svg+xml", qr.qr_svg)


def _portal_settings(request):
    try:
        return PortalSettings.for_request(request)
    except PortalSettings.DoesNotExist:
        # No Wagtail site matches (a bare install): the defaults still name 12315.
        return PortalSettings()


def poster_title(pledges):
    """无理由退货承诺店 when returns are all it promises, else 放心消费承诺单位."""
    if pledges and all(pledge.pledge_type.is_return_pledge for pledge in pledges):
        return _("无理由退货承诺店")
    return _("放心消费承诺单位")


def poster(request, code):
    """The A4 (or ``?size=a5``) poster, or a notice why this merchant may not print one."""
    merchant_code = _live_code(code)
    merchant = merchant_code.merchant
    today = timezone.localdate()
    portal = _portal_settings(request)
    size = request.GET.get("size", "a4").lower()
    size = size if size in POSTER_SIZES else "a4"
    context = {
        "merchant": merchant,
        "code": merchant_code.code,
        "portal": portal,
        "size": size,
        # The host the QR code opens, which the scan page's 如何辨别真伪 box names too.
        "official_domain": urlsplit(settings.PORTAL_BASE_URL).netloc,
    }
    if merchant.public_status(today) != PublicStatus.IN_FORCE:
        # 409 Conflict: the code exists, but the merchant's current state rules out a poster.
        context["banner"] = status_banner(merchant, today)
        return render(request, "merchants/poster_refused.html", context, status=409)
    url = qr.scan_url(merchant_code.code)
    valid_until = merchant.valid_until(today)
    pledges = [p for p in merchant.pledges.select_related("pledge_type") if p.is_in_force(today)]
    context.update(
        {
            "title": poster_title(pledges),
            "pledges": [pledge_text(pledge, today) for pledge in pledges],
            "qr_svg": qr.qr_svg(url, title=url),
            "scan_url": url,
            "valid_until": (
                _("承诺有效期至%(date)s") % {"date": chinese_date(valid_until)}
                if valid_until
                else _("承诺长期有效")
            ),
        }
    )
    return render(request, "merchants/poster.html", context)
