"""Anonymous rate limiting for the open-data API: a fixed window per client in the cache.

The client is known only by a salted hash of its address, kept for one window in the cache and
never written anywhere else: enough to stop a scraper, nothing that identifies a citizen.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

DEFAULT_RATE = 60  # requests per window
DEFAULT_WINDOW = 60  # seconds


def client_key(request):
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    trusted = getattr(settings, "API_TRUST_X_FORWARDED_FOR", False)
    address = forwarded.split(",")[0].strip() if trusted and forwarded else ""
    address = address or request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]
    return digest


def count_request(request, scope, window):
    """(requests from this client in the current window of ``scope``, seconds left in it).

    A fixed window counted in the cache (Redis in production, shared by every process).
    """
    now = int(time.time())
    key = f"{scope}:throttle:{client_key(request)}:{now // window}"
    cache.add(key, 0, window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 1)
        count = 1
    return count, window - now % window


def throttled(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        rate = getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE)
        window = getattr(settings, "API_RATE_WINDOW", DEFAULT_WINDOW)
        count, retry = count_request(request, "api", window)
        remaining = max(rate - count, 0)
        if count > rate:
            response = JsonResponse(
                {"error": "请求过于频繁,请稍后再试", "retry_after": retry}, status=429
            )
            response["Retry-After"] = str(retry)
        else:
            response = view(request, *args, **kwargs)
        response["X-RateLimit-Limit"] = str(rate)
        response["X-RateLimit-Remaining"] = str(remaining)
        return response

    return wrapper
