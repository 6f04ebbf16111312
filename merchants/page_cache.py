"""The rendered scan page in Django's cache (Redis in production), so a scan costs no query.

One entry per code, local date and text size: the date is in the key because a pledge ends at
midnight without anyone saving anything, and the page must turn red that day.
"""

import logging
import threading

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Short enough that whatever a signal cannot see (a region renamed) shows up soon.
TIMEOUT = 10 * 60
TEXT_SIZES = ("normal", "large")


def key(code, day, large_text):
    return f"merchants:scan:{code}:{day.isoformat()}:{'large' if large_text else 'normal'}"


class _RedisReader:
    """Reads through one long-lived Redis client.

    Django's RedisCache builds a new redis.Redis object on every call; its constructor costs
    about as much as the round trip itself, i.e. half of a cache hit. Keys and serialisation
    stay Django's, so entries written by ``cache.set`` read back the same.
    """

    def __init__(self, backend):
        self.backend = backend
        self.client = backend._cache.get_client(write=False)
        self.loads = backend._cache._serializer.loads

    def get(self, name):
        value = self.client.get(self.backend.make_and_validate_key(name))
        return None if value is None else self.loads(value)


_reader = None
_reader_lock = threading.Lock()


def _read(name):
    global _reader
    if _reader is None:
        with _reader_lock:
            backend = caches["default"]
            try:
                _reader = _RedisReader(backend) if isinstance(backend, RedisCache) else False
            except AttributeError:  # another Django's private layout: the plain path
                _reader = False
    return _reader.get(name) if _reader else cache.get(name)


def get(code, day, large_text):
    """(merchant id, body bytes) or None. A cache that is down is a miss, never an error."""
    try:
        return _read(key(code, day, large_text))
    except RedisError:
        logger.warning("Scan page cache unreachable; rendering from the database")
        return None


def put(code, day, large_text, merchant_id, body):
    try:
        cache.set(key(code, day, large_text), (merchant_id, body), TIMEOUT)
    except RedisError:
        logger.warning("Scan page cache unreachable; page not cached")


def invalidate_codes(codes):
    day = timezone.localdate()
    keys = [key(code, day, size == "large") for code in codes for size in TEXT_SIZES]
    if keys:
        try:
            cache.delete_many(keys)
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
