"""The rendered scan page in the cache the workers share (Redis in production): a scan costs no
query.

One entry per code, local date and text size: the date is in the key because a pledge ends at
midnight without anyone saving anything, and the page must turn red that day.

Where the pages are kept (``pages()``, both through public interfaces only):

- the default cache is Django's ``RedisCache``: in the same Redis, through one long-lived
  redis-py client (``RedisPages``). Django's cache builds a new client object on every call, and
  its constructor costs about as much as the round trip itself, i.e. half of a cache hit. A page
  is stored as its merchant id and its bytes, so a hit is one GET and no unpickling;
- any other cache (local memory in development and tests): through Django's cache API
  (``CachePages``).
"""

import functools
import logging
import os
import re
import threading
import zlib

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Short enough that whatever a signal cannot see (a region renamed) shows up soon.
TIMEOUT = 10 * 60
TEXT_SIZES = ("normal", "large")


@functools.lru_cache(maxsize=4)
def _address_tag(base_url):
    return format(zlib.crc32(base_url.encode()), "08x")


def key(code, day, large_text):
    # The page prints the public address (QR target, 如何辨别真伪): a server restarted on another
    # PORTAL_BASE_URL must not serve pages naming the old one from a shared Redis.
    size = "large" if large_text else "normal"
    address = _address_tag(settings.PORTAL_BASE_URL)
    return f"merchants:scan:{address}:{code}:{day.isoformat()}:{size}"


class CachePages:
    """Pages as ``(merchant id, body)`` in Django's default cache."""

    def get(self, name):
        return cache.get(name)

    def put(self, name, merchant_id, body):
        cache.set(name, (merchant_id, body), TIMEOUT)

    def delete(self, names):
        cache.delete_many(names)


class RedisPages:
    """Pages in the default cache's Redis, as ``b"<merchant id> <body>"``, under its key prefix.

    The first server of ``LOCATION`` is the one Django's ``RedisCache`` writes to; its
    ``OPTIONS`` are connection-pool options, as there.
    """

    # OPTIONS that Django's RedisCache reads itself rather than pass on to the pool.
    DJANGO_OPTIONS = {"serializer", "pool_class", "parser_class"}

    def __init__(self, cache_settings):
        location = cache_settings["LOCATION"]
        servers = re.split("[;,]", location) if isinstance(location, str) else location
        options = {
            name: value
            for name, value in cache_settings.get("OPTIONS", {}).items()
            if name not in self.DJANGO_OPTIONS
        }
        # One connection per process, not a pool: taking a connection from a pool and giving
        # it back was a fifth of a hit. A sync worker serves one request at a time; the threads
        # of a threaded one take turns on it (redis-py locks it for each command).
        self.client = Redis.from_url(servers[0], single_connection_client=True, **options)
        self.prefix = f"{cache_settings.get('KEY_PREFIX', '')}:"

    def get(self, name):
        value = self.client.get(self.prefix + name)
        if value is None:
            return None
        merchant_id, _space, body = value.partition(b" ")
        return int(merchant_id), body

    def put(self, name, merchant_id, body):
        self.client.set(self.prefix + name, b"%d %b" % (merchant_id, body), ex=TIMEOUT)

    def delete(self, names):
        self.client.delete(*[self.prefix + name for name in names])


_pages = None
_pages_pid = None
_pages_lock = threading.Lock()


def pages():
    """Where this process keeps the pages: chosen once per process, from the default cache's
    settings (a process forked from one that had its connection opens its own)."""
    global _pages, _pages_pid
    if _pages is None or _pages_pid != os.getpid():
        with _pages_lock:
            if _pages is None or _pages_pid != os.getpid():
                if isinstance(caches["default"], RedisCache):
                    _pages = RedisPages(settings.CACHES["default"])
                else:
                    _pages = CachePages()
                _pages_pid = os.getpid()
    return _pages


@receiver(setting_changed)
def _cache_settings_changed(setting, **kwargs):
    global _pages
    if setting == "CACHES":
        _pages = None


def get(code, day, large_text):
    """(merchant id, body bytes) or None. A cache that is down is a miss, never an error."""
    try:
        return pages().get(key(code, day, large_text))
    except RedisError:
        logger.warning("Scan page cache unreachable; rendering from the database")
        return None


def put(code, day, large_text, merchant_id, body):
    try:
        pages().put(key(code, day, large_text), merchant_id, body)
    except RedisError:
        logger.warning("Scan page cache unreachable; page not cached")


def invalidate_codes(codes):
    day = timezone.localdate()
    keys = [key(code, day, size == "large") for code in codes for size in TEXT_SIZES]
    if keys:
        try:
            pages().delete(keys)
        except RedisError:
            # Pages cached before the outage expire within TIMEOUT.
            logger.error("Could not drop %d cached scan pages", len(keys))


def invalidate_merchants(merchant_ids, chunk=2000):
    from .models import MerchantCode

    merchant_ids = list(merchant_ids)
    for start in range(0, len(merchant_ids), chunk):
        codes = MerchantCode.objects.filter(merchant_id__in=merchant_ids[start : start + chunk])
        invalidate_codes(list(codes.values_list("code", flat=True)))


def invalidate_merchant(merchant_id):
    invalidate_merchants([merchant_id])


def invalidate_all(chunk=5000):
    """Every page cached today; in chunks, as a province has some 100,000 codes."""
    from .models import MerchantCode

    codes = MerchantCode.objects.filter(merchant__isnull=False).values_list("code", flat=True)
    batch = []
    for code in codes.iterator(chunk_size=chunk):
        batch.append(code)
        if len(batch) == chunk:
            invalidate_codes(batch)
            batch = []
    invalidate_codes(batch)
