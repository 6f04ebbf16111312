"""Rate limits count people: the client behind the trusted proxies, never a header it forged."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from common.client_address import client_address
from home.checks import check_trusted_proxies

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"  # the TLS proxy in front of the portal
API = "api:disclosures"


def via_proxy(client, url, forwarded, proxy=PROXY):
    """A request the proxy passes on: it appends the address it saw to X-Forwarded-For."""
    return client.get(reverse(url), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)


def address_of(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_forged_left_most_hops_from_one_visitor_are_counted_in_one_bucket(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    statuses = [
        via_proxy(client, API, f"198.18.{attempt}.{attempt}, 223.104.3.21").status_code
        for attempt in range(100)
    ]
    assert statuses == [200] * 60 + [429] * 40
    # Another phone behind the same proxy is not held back by the first one's requests.
    assert via_proxy(client, API, "198.18.0.1, 120.229.7.9").status_code == 200


def test_two_visitors_behind_the_same_proxy_are_counted_apart(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.API_RATE_LIMIT = 3
    remaining = [via_proxy(client, API, "223.104.3.21")["X-RateLimit-Remaining"] for _ in "一二三"]
    assert remaining == ["2", "1", "0"]
    assert via_proxy(client, API, "223.104.3.21").status_code == 429
    other = via_proxy(client, API, "120.229.7.9")
    assert other.status_code == 200
    assert other["X-RateLimit-Remaining"] == "2"


def test_x_forwarded_for_from_an_address_that_is_not_a_trusted_proxy_is_ignored(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.API_RATE_LIMIT = 2
    url = reverse(API)
    assert via_proxy(client, API, "198.51.100.20").status_code == 200
    # The same visitor, connecting directly, claims to be someone else: still one visitor.
    direct = client.get(url, REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert direct.status_code == 200
    refused = client.get(url, REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="192.0.2.100")
    assert refused.status_code == 429


def test_csv_exports_are_counted_per_visitor_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.DISCLOSURE_EXPORT_RATE_LIMIT = 2
    export = "disclosures:export"
    for proxy in ("10.0.0.5", "10.0.0.6"):  # two proxies of the trusted network, one visitor
        assert via_proxy(client, export, "223.104.3.21", proxy=proxy).status_code == 200
    refused = via_proxy(client, export, "1.1.1.1, 223.104.3.21")
    assert refused.status_code == 429
    assert "导出过于频繁" in refused.content.decode()
    assert via_proxy(client, export, "120.229.7.9").status_code == 200


def test_with_no_trusted_proxy_the_connecting_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of("10.0.0.5", "223.104.3.21") == "10.0.0.5"
    assert address_of("223.104.3.21") == "223.104.3.21"


def test_the_walk_passes_every_trusted_proxy_in_a_cidr_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "172.16.0.0/12"]
    # CDN edge 172.16.4.4 → internal balancer 10.8.0.2 → the portal.
    assert address_of("10.8.0.2", "9.9.9.9, 223.104.3.21, 172.16.4.4") == "223.104.3.21"
    # Every hop trusted: the left-most one is the best that is known.
    assert address_of("10.8.0.2", "10.1.1.1, 172.16.4.4") == "10.1.1.1"
    # No header at all: the request came from the proxy itself (a health check).
    assert address_of("10.8.0.2") == "10.8.0.2"


def test_a_malformed_hop_ends_the_walk_at_the_last_good_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address_of("10.0.0.5", "223.104.3.21, 未知, 10.0.0.6") == "10.0.0.6"
    assert address_of("10.0.0.5", "223.104.3.21, 10.0.0.6:51234") == "223.104.3.21"
    assert address_of("10.0.0.5", "") == "10.0.0.5"


def test_ipv6_proxies_and_clients(settings):
    settings.TRUSTED_PROXIES = ["fd00::/8", "2001:db8:ffff::10"]
    assert address_of("fd00::1", "2409:8a4c:1:2::7") == "2409:8a4c:1:2::7"
    assert address_of("2001:db8:ffff::10", "[2409:8a4c:1:2::7]:443") == "2409:8a4c:1:2::7"
    assert address_of("2001:db8:ffff::11", "2409:8a4c:1:2::7") == "2001:db8:ffff::11"
    # An IPv4 visitor seen through a dual-stack socket is the same visitor as over IPv4.
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert address_of("::ffff:10.0.0.5", "223.104.3.21") == "223.104.3.21"


def test_one_ipv6_host_is_one_visitor_whatever_address_of_its_network_it_uses(client, settings):
    settings.TRUSTED_PROXIES = ["fd00::/8"]
    settings.API_RATE_LIMIT = 2
    for host in ("2409:8a4c:1:2::7", "2409:8a4c:1:2:a1b2:c3d4:e5f6:1"):
        assert via_proxy(client, API, host, proxy="fd00::1").status_code == 200
    assert via_proxy(client, API, "2409:8a4c:1:2::99", proxy="fd00::1").status_code == 429
    assert via_proxy(client, API, "2409:8a4c:1:3::7", proxy="fd00::1").status_code == 200


def test_a_malformed_trusted_proxy_is_a_system_check_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "10.0.0.0/33", "代理服务器"]
    errors = check_trusted_proxies(None)
    assert [error.id for error in errors] == ["home.E002", "home.E002"]
    assert "“10.0.0.0/33”不是 IP 地址或网段" in errors[0].msg
    settings.TRUSTED_PROXIES = ["10.0.0.5", "fd00::/8"]
    assert check_trusted_proxies(None) == []
