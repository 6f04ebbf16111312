"""Anonymous rate limiting for the open-data API: ``settings.API_RATE_LIMIT`` requests per
``API_RATE_WINDOW`` seconds from each client, counted by ``common.rate_limit``.
"""

from dataclasses import dataclass

from django.conf import settings
from ninja.throttling import BaseThrottle

from common.rate_limit import count_request

SCOPE = "api"


@dataclass(frozen=True)
class Allowance:
    """What is left of a client's requests in the current window, told in every answer."""

    limit: int
    remaining: int
    retry_after: int  # seconds until the window ends


class ClientThrottle(BaseThrottle):
    """A fixed window per client. One instance serves every request at once, so what a request
    learns is kept on the request (``request.api_allowance``), never on the throttle."""

    def allow_request(self, request):
        limit = settings.API_RATE_LIMIT
        count, retry_after = count_request(request, SCOPE, settings.API_RATE_WINDOW)
        request.api_allowance = Allowance(limit, max(limit - count, 0), retry_after)
        return count <= limit


def allowance(request):
    """The request's Allowance, or None if no throttle counted it (the document, the docs)."""
    return getattr(request, "api_allowance", None)
