"""The scan pages in Redis, as production keeps them: through one long-lived client and the
public interfaces of Django's cache settings and redis-py, with the same hits and invalidations
as through Django's cache, and a Redis that is down costing a query, never an error."""

import socket
import uuid

import pytest
from django.utils import timezone
from redis import Redis

from merchants import page_cache, scan_counter
from merchants.models import Merchant

from .merchant_factories import make_merchant

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/4"
TODAY = timezone.localdate()


def redis_cache(location, prefix):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.fixture
def redis_pages(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"fangxin-test-{uuid.uuid4().hex}"
    settings.MERCHANT_SCAN_FLUSH_SECONDS = 3600
    settings.CACHES = redis_cache(REDIS_URL, prefix)
    yield Redis.from_url(REDIS_URL), prefix
    client = Redis.from_url(REDIS_URL)
    for name in client.scan_iter(match=f"{prefix}:*"):
        client.delete(name)


def scan_url(merchant):
    return f"/m/{merchant.current_code.code}/"


def test_a_page_is_kept_in_redis_and_a_hit_makes_no_query(
    client, redis_pages, django_assert_num_queries
):
    redis, prefix = redis_pages
    assert isinstance(page_cache.pages(), page_cache.RedisPages)
    assert page_cache.pages() is page_cache.pages()  # one client per process
    merchant = make_merchant()
    code = merchant.current_code.code
    first = client.get(f"/m/{code}/")
    assert redis.exists(f"{prefix}:{page_cache.key(code, TODAY, False)}")
    with django_assert_num_queries(0):
        second = client.get(f"/m/{code}/")
    assert second.status_code == 200
    assert second.content == first.content
    assert scan_counter.pending() == {(merchant.pk, TODAY): 2}


def test_editing_the_merchant_drops_its_page_from_redis(client, redis_pages):
    merchant = make_merchant()
    assert "status--ok" in client.get(scan_url(merchant)).content.decode()
    merchant.registry_status = Merchant.RegistryStatus.REMOVED
    merchant.status_reason = "多次被投诉拒不退货,经核查属实"
    merchant.save()
    assert "status--alert" in client.get(scan_url(merchant)).content.decode()


def test_a_redis_that_is_down_is_a_miss_and_the_page_is_still_served(client, settings, caplog):
    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{port}/0", "fangxin-down")
    merchant = make_merchant()
    response = client.get(scan_url(merchant))
    assert response.status_code == 200
    assert "承诺有效" in response.content.decode()
    assert "Scan page cache unreachable" in caplog.text


def test_a_server_moved_to_another_public_address_does_not_serve_the_old_address(
    client, redis_pages, settings
):
    settings.PORTAL_BASE_URL = "http://192.168.1.20:8000"
    merchant = make_merchant()
    assert "192.168.1.20:8000" in client.get(scan_url(merchant)).content.decode()

    # The same shared Redis, a server restarted on the bureau's real address.
    settings.PORTAL_BASE_URL = "https://fxxf.amr.hunan.gov.cn"
    page = client.get(scan_url(merchant)).content.decode()
    assert "fxxf.amr.hunan.gov.cn" in page
    assert "192.168.1.20" not in page


def test_a_forked_worker_opens_its_own_connection_and_still_serves_the_page(
    client, redis_pages, monkeypatch
):
    # One connection per process, not a pool: a worker forked from a process that already
    # had one must not share its socket.
    merchant = make_merchant()
    first = client.get(scan_url(merchant))
    parent_pages = page_cache.pages()
    monkeypatch.setattr(page_cache.os, "getpid", lambda: -1)
    child_pages = page_cache.pages()
    assert child_pages is not parent_pages
    assert child_pages.client.connection is not parent_pages.client.connection
    assert client.get(scan_url(merchant)).content == first.content
