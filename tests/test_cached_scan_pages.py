"""A cached scan page answered before most of the middleware: the same page with the same
headers as the view's, counted as a scan, and everything that is not a plain cache hit left to the
whole stack."""

import pytest
from django.test import Client
from django.utils import timezone

from merchants import scan_counter
from merchants.models import Merchant

from .merchant_factories import make_merchant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FAST_PATH = "portal.cached_scan_pages.CachedScanPageMiddleware"


@pytest.fixture(autouse=True)
def counts_kept_in_memory(settings):
    # Not flushed during a test: the scans counted are read back (the cache is emptied and
    # the counts dropped around every test by conftest).
    settings.MERCHANT_SCAN_FLUSH_SECONDS = 3600
    scan_counter.reset()


def answered_early(response):
    # AuthenticationMiddleware, which comes later, gives every request it sees a user.
    return not hasattr(response.wsgi_request, "user")


def scan_url(merchant):
    return f"/m/{merchant.current_code.code}/"


def test_a_cached_page_is_answered_early_with_the_views_page_and_headers(client, settings):
    merchant = make_merchant(shop_name="湘味轩餐饮店（岳麓店）")
    url = scan_url(merchant)
    rendered = client.get(url)
    assert not answered_early(rendered)

    # The first hit takes its headers from the skipped middleware, the next copies them.
    first_hit, next_hit = client.get(url), client.get(url)
    assert answered_early(first_hit) and answered_early(next_hit)

    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_PATH]
    by_the_view = Client().get(url)  # a client loads the middleware at its first request
    assert not answered_early(by_the_view)

    assert "湘味轩餐饮店（岳麓店）" in by_the_view.content.decode()
    for early in (first_hit, next_hit):
        assert early.status_code == by_the_view.status_code == 200
        assert early.content == by_the_view.content
        assert dict(early.headers) == dict(by_the_view.headers)
        assert early["Content-Length"] == str(len(early.content))
        assert early["X-Frame-Options"]
        assert early["Content-Security-Policy"]
    assert scan_counter.pending() == {(merchant.pk, TODAY): 4}


def test_a_head_request_is_answered_but_not_counted(client):
    merchant = make_merchant()
    client.get(scan_url(merchant))
    response = client.head(scan_url(merchant))
    assert answered_early(response)
    assert response.status_code == 200
    assert scan_counter.pending() == {(merchant.pk, TODAY): 1}


def test_the_large_text_page_is_answered_early_to_its_own_readers_only(client, settings):
    merchant = make_merchant()
    client.get(scan_url(merchant))
    client.cookies[settings.PORTAL_TEXT_SIZE_COOKIE] = "large"
    first_large = client.get(scan_url(merchant))
    assert not answered_early(first_large)  # not cached yet in this size
    large = client.get(scan_url(merchant))
    assert answered_early(large)
    assert 'class="large-text"' in large.content.decode()
    del client.cookies[settings.PORTAL_TEXT_SIZE_COOKIE]
    normal = client.get(scan_url(merchant))
    assert answered_early(normal)
    assert 'class="large-text"' not in normal.content.decode()


def test_a_suspension_shows_on_the_next_scan(client):
    merchant = make_merchant()
    client.get(scan_url(merchant))
    merchant.registry_status = Merchant.RegistryStatus.SUSPENDED
    merchant.status_reason = "涉嫌虚假宣传，正在核查"
    merchant.save()
    response = client.get(scan_url(merchant))
    assert not answered_early(response)
    assert "涉嫌虚假宣传，正在核查" in response.content.decode()


def test_a_traditional_reader_goes_through_the_whole_stack_and_reads_traditional(client, settings):
    merchant = make_merchant(shop_name="开福区优选鞋业店")
    client.get(scan_url(merchant))
    client.cookies[settings.PORTAL_SCRIPT_COOKIE] = "hant"
    response = client.get(scan_url(merchant))
    assert not answered_early(response)
    html = response.content.decode()
    assert "開福區優選鞋業店" in html
    assert response["Content-Language"] == "zh-Hant"


@pytest.mark.parametrize(
    "address",
    ["/m/{code}", "/m/{lower}/", "/m/{code}/extra/", "/m/XXXX4444/", "/m/%E4%B8%AD/"],
)
def test_anything_but_a_canonical_cached_code_is_left_to_the_whole_stack(client, address):
    merchant = make_merchant()
    code = merchant.current_code.code
    client.get(scan_url(merchant))
    response = client.get(address.format(code=code, lower=code.lower()))
    assert not answered_early(response)
    assert response.status_code in (301, 404)


def test_a_post_is_refused_by_the_view_as_before(client):
    merchant = make_merchant()
    client.get(scan_url(merchant))
    response = client.post(scan_url(merchant))
    assert response.status_code == 405
    assert scan_counter.pending() == {(merchant.pk, TODAY): 1}


def test_a_host_outside_allowed_hosts_is_refused_on_a_hit_too(client, settings):
    settings.ALLOWED_HOSTS = ["fxxf.amr.hunan.gov.cn"]
    merchant = make_merchant()
    assert client.get(scan_url(merchant), HTTP_HOST="fxxf.amr.hunan.gov.cn").status_code == 200
    response = client.get(scan_url(merchant), HTTP_HOST="evil.example.com")
    assert response.status_code == 400
