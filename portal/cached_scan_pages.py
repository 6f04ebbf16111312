"""A scan page already in the cache, answered before most of the middleware.

A consumer at the counter reads a page that is the same for everyone with the same text size
on the same day: the session, CSRF, authentication, messages and redirects middleware and the
URL resolver have nothing to add to a cached one, yet cost about half of its time. Placed just
after WhiteNoise (so the security headers and the CSP still wrap it), this answers a cache hit
at once; a miss, a 繁體 reader (converted by ``ScriptConversionMiddleware``) and any address
that is not a canonical code go through the whole stack as before.

The headers of the middleware it skips (Content-Language, Vary, Content-Length,
X-Frame-Options) are added to the first page by those very middleware's ``process_response``,
and copied from it onto the next: a page answered here and one answered by the view differ in
nothing (tested).
"""

import functools

from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import timezone

from merchants import codes
from merchants.views.scan import cached_page, page_response

from .script_conversion import TRADITIONAL, reader_script


@functools.cache
def _scan_prefix():
    # Where merchants/urls.py puts the scan page, e.g. "/m/"; known once the URLconf loads.
    return reverse("merchants:scan", args=["X"]).removesuffix("X/")


class CachedScanPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # In the order their responses pass in the whole stack, innermost first.
        self.skipped_responses = [
            XFrameOptionsMiddleware(get_response).process_response,
            CommonMiddleware(get_response).process_response,
            LocaleMiddleware(get_response).process_response,
        ]
        # The headers of a cached scan page are the same for every one (one language, no
        # exemption): learnt from the first page answered here, then copied onto the next.
        self.headers = None

    def __call__(self, request):
        body = self._cached(request)
        if body is None:
            return self.get_response(request)
        if self.headers is not None:
            return HttpResponse(body, headers={**self.headers, "Content-Length": str(len(body))})
        response = page_response(body)
        for process_response in self.skipped_responses:
            response = process_response(request, response)
        self.headers = {name: value for name, value in response.items() if name != "Content-Length"}
        return response

    def _cached(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        path = request.path_info
        prefix = _scan_prefix()
        if not (path.startswith(prefix) and path.endswith("/")):
            return None
        code = path[len(prefix) : -1]
        if not codes.looks_valid(code) or reader_script(request) == TRADITIONAL:
            return None
        # What CommonMiddleware would have refused (a Host outside ALLOWED_HOSTS) is refused.
        request.get_host()
        return cached_page(request, code, timezone.localdate())
