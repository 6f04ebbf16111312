"""Counting a client's requests in a fixed window, for the open-data API's throttle and the CSV
export's limit.

The client is known only by a salted hash of its address, kept for one window in the cache and
never written anywhere else: enough to stop a scraper, nothing that identifies a citizen. The
address is the one ``common.client_address`` finds behind the trusted proxies (TRUSTED_PROXIES),
so visitors behind the TLS proxy are counted one by one and a forged X-Forwarded-For changes
nothing.
"""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

from .client_address import client_address, parse_address

# One IPv6 host holds a whole /64 (a phone on a mobile network gets one of its own) and can
# draw a fresh address from it for every request: it is counted as one client.
IPV6_CLIENT_PREFIX = 64


def client_bucket(request):
    """The client's address, or its /64 network for IPv6, as text."""
    text = client_address(request)
    address = parse_address(text)
    if address is not None and address.version == 6:
        network = ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False)
        return str(network)
    return text


def client_key(request):
    bucket = client_bucket(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{bucket}".encode()).hexdigest()[:24]


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
