"""The scan page of a merchant on a list shown now: 红榜 or 黑榜, period, rank and a link to the
list and its rule; gone when the list is unpublished or its display period is over, although
the scan page is cached whole."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from merchants import page_cache
from tests.list_factories import entry, make_list
from tests.merchant_factories import make_merchant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SHOP = "长沙市岳麓区麓谷优选超市有限公司"
GARAGE = "长沙市芙蓉区福满汽车维修有限公司"


def scan(client, merchant):
    response = client.get(reverse("merchants:scan", args=[merchant.current_code.code]))
    assert response.status_code == 200
    return response.content.decode()


def cached(merchant):
    return page_cache.get(merchant.current_code.code, timezone.localdate(), False) is not None


def test_a_black_listed_merchant_shows_the_listing_with_links(client):
    merchant = make_merchant(registered_name=GARAGE, shop_name="福满汽修", region="430102")
    page = make_list("black", entries=[entry(GARAGE, merchant.credit_code, rank=2)])
    html = scan(client, merchant)
    assert "红黑榜" in html
    assert "列入长沙市2026年第三季度消费投诉黑榜，第2名" in html
    assert f'href="{page.url}#m-{merchant.credit_code}"' in html
    assert f'href="{page.url}#list-rule"' in html and "上榜规则（第1版）" in html
    assert "4／11（36.4％）" in html


def test_a_red_listed_merchant_shows_the_red_list(client):
    merchant = make_merchant(registered_name=SHOP)
    make_list("red", entries=[entry(SHOP, merchant.credit_code, complaints=0, mediation_total=0)])
    html = scan(client, merchant)
    assert "列入长沙市2026年第三季度消费投诉红榜，第1名" in html
    assert "无进入调解的投诉" in html


def test_an_unlisted_merchant_has_no_section(client):
    listed = make_merchant(registered_name=GARAGE, region="430102")
    other = make_merchant(registered_name=SHOP)
    make_list("black", entries=[entry(GARAGE, listed.credit_code)])
    assert "红黑榜" not in scan(client, other)


def test_publishing_shows_and_unpublishing_removes_the_listing_at_once(client):
    merchant = make_merchant(registered_name=GARAGE, region="430102")
    page = make_list("black", entries=[entry(GARAGE, merchant.credit_code)], live=False)
    assert "消费投诉黑榜" not in scan(client, merchant)
    assert cached(merchant)
    page.get_latest_revision().publish()
    assert not cached(merchant)
    assert "消费投诉黑榜，第1名" in scan(client, merchant)
    page.refresh_from_db()
    page.unpublish()
    assert not cached(merchant)
    assert "消费投诉黑榜" not in scan(client, merchant)


def test_a_merchant_dropped_from_a_republished_list_loses_the_listing(client):
    kept = make_merchant(registered_name=SHOP)
    dropped = make_merchant(registered_name=GARAGE, region="430102")
    page = make_list(
        "black",
        entries=[entry(GARAGE, dropped.credit_code), entry(SHOP, kept.credit_code, rank=2)],
    )
    assert "消费投诉黑榜，第1名" in scan(client, dropped)
    page.entries = [e for e in page.entries.all() if e.credit_code == kept.credit_code]
    page.save_revision().publish()
    assert "消费投诉黑榜" not in scan(client, dropped)
    assert "消费投诉黑榜" in scan(client, kept)


def test_the_listing_shows_through_its_last_day_only(client, monkeypatch):
    merchant = make_merchant(registered_name=GARAGE, region="430102")
    make_list("black", listed_until=TODAY, entries=[entry(GARAGE, merchant.credit_code)])
    assert "消费投诉黑榜，第1名" in scan(client, merchant)
    # The next morning: the page cached yesterday is not served (the key holds the date).
    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert "消费投诉黑榜" not in scan(client, merchant)


def test_an_archived_list_is_not_on_the_scan_page(client):
    merchant = make_merchant(registered_name=GARAGE, region="430102")
    yesterday = TODAY - datetime.timedelta(days=1)
    make_list("black", "2026-Q2", yesterday, [entry(GARAGE, merchant.credit_code)])
    assert "红黑榜" not in scan(client, merchant)
