"""The scan page of 一企一码: what a consumer at the counter sees, served from the cache."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from common.dates import chinese_date
from merchants import scan_counter
from merchants.models import Merchant, MerchantCode, ScanCount

from .merchant_factories import make_district, make_expired_merchant, make_merchant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def fresh_cache_and_counts(settings):
    # Counts are flushed only when a test asks, so no query sneaks into a counted block.
    settings.MERCHANT_SCAN_FLUSH_SECONDS = 3600
    cache.clear()
    scan_counter.reset()
    yield
    cache.clear()
    scan_counter.reset()


def scan_url(merchant):
    return reverse("merchants:scan", args=[merchant.current_code.code])


def page(client, merchant):
    response = client.get(scan_url(merchant))
    return response, response.content.decode()


# --- the status banner -----------------------------------------------------------------


def test_in_force_merchant_shows_a_green_banner_with_the_end_of_the_pledge(client):
    merchant = make_merchant()
    response, html = page(client, merchant)
    assert response.status_code == 200
    assert 'class="status status--ok"' in html
    assert "放心消费承诺单位 · 承诺有效" in html
    ends_on = merchant.pledges.get().ends_on
    assert f"承诺有效期至{chinese_date(ends_on)}" in html
    # The banner comes before everything else on the page.
    assert html.index("status--ok") < html.index("<h1>") < html.index("商家承诺")
    assert "<h1>长沙市岳麓区麓谷优选超市有限公司</h1>" in html
    assert "门店：麓谷优选超市(麓谷店)" in html


def test_expired_merchant_shows_a_red_banner_with_the_end_date(client):
    merchant = make_expired_merchant()
    response, html = page(client, merchant)
    assert response.status_code == 200
    assert 'class="status status--alert"' in html
    assert "承诺已过期" in html
    ended = TODAY - datetime.timedelta(days=35)
    assert f"承诺已于{chinese_date(ended)}到期，目前不是有效的承诺商家。" in html
    assert "不在有效期内" in html  # the pledge itself is marked too


@pytest.mark.parametrize(
    ("registry_status", "headline", "verb"),
    [
        (Merchant.RegistryStatus.SUSPENDED, "承诺已暂停，请谨慎消费", "暂停"),
        (Merchant.RegistryStatus.REMOVED, "已摘牌，不再是放心消费承诺单位", "摘牌"),
    ],
)
def test_suspended_and_removed_merchants_show_red_with_date_and_reason(
    client, registry_status, headline, verb
):
    merchant = make_merchant(registry_status=registry_status)
    response, html = page(client, merchant)
    assert response.status_code == 200
    assert 'class="status status--alert"' in html
    assert headline in html
    changed = chinese_date(TODAY - datetime.timedelta(days=3))
    assert f"{changed}起{verb}。原因：经核查存在拒不履行无理由退货承诺的情形" in html


def test_pending_merchant_shows_an_amber_banner(client):
    merchant = make_merchant(registry_status=Merchant.RegistryStatus.PENDING)
    response, html = page(client, merchant)
    assert response.status_code == 200
    assert 'class="status status--wait"' in html
    assert "承诺尚未生效" in html


# --- what else the page says -----------------------------------------------------------


def test_page_shows_pledges_place_flags_and_how_to_complain(client):
    district = make_district("麓谷商圈", region="430104")
    merchant = make_merchant(district=district, is_odr=True, has_service_station=False)
    response, html = page(client, merchant)
    assert "在本店购买的商品，自购买之日起7天内，商品完好即可无理由退货。" in html
    assert "适用商品：服装、鞋帽、家居用品(食品、贴身衣物除外)" in html
    assert "湖南省长沙市岳麓区" in html
    assert "湖南省长沙市岳麓区麓谷大道627号" in html
    assert reverse("merchants:district", args=[district.pk]) in html
    assert "是：可通过在线纠纷解决（ODR）与商家先行和解" in html
    assert "<dt>维权服务站</dt><dd>无</dd>" in html
    assert "暂无公示投诉" in html
    assert 'href="tel:12315"' in html
    assert 'href="https://www.12315.cn/"' in html
    assert '<html lang="zh-CN">' in html
    assert "portal.css" not in html and "<script" not in html
    assert response["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    assert "Cookie" in response["Vary"]


def test_contact_person_and_phone_never_appear(client):
    merchant = make_merchant(contact_person="王建国", contact_phone="13807311234")
    _response, html = page(client, merchant)
    assert "王建国" not in html
    assert "13807311234" not in html


def test_genuine_check_names_the_public_address(client, settings):
    settings.PORTAL_BASE_URL = "https://fxxf.amr.hunan.gov.cn"
    merchant = make_merchant()
    _response, html = page(client, merchant)
    assert "如何辨别真伪" in html
    assert "https://fxxf.amr.hunan.gov.cn/" in html
    assert f"https://fxxf.amr.hunan.gov.cn/m/{merchant.current_code.code}/" in html


def test_large_text_cookie_enlarges_the_page(client, settings):
    merchant = make_merchant()
    client.cookies[settings.PORTAL_TEXT_SIZE_COOKIE] = "large"
    _response, html = page(client, merchant)
    assert '<html lang="zh-CN" class="large-text">' in html
    assert "标准字号" in html


# --- codes: unknown, lower case, retired -----------------------------------------------


def test_unknown_code_is_404_with_a_merchant_search_box(client):
    response = client.get(reverse("merchants:scan", args=["XXXX4444"]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "未查到该商家" in html
    assert f'action="{reverse("merchants:directory")}"' in html
    assert 'name="q"' in html


def test_lower_case_code_redirects_to_the_canonical_address(client):
    merchant = make_merchant()
    code = merchant.current_code.code
    response = client.get(f"/m/{code.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == f"/m/{code}/"


def test_retired_code_warns_instead_of_showing_the_merchant(client):
    merchant = make_merchant()
    old = merchant.current_code
    client.get(scan_url(merchant))  # cached before it is retired
    new = old.retire("海报被仿冒,已更换新码")

    response = client.get(reverse("merchants:scan", args=[old.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "此二维码已停用" in html
    assert f"该二维码已于{chinese_date(TODAY)}停用" in html
    assert "停用原因：海报被仿冒,已更换新码" in html
    assert "12315" in html
    assert 'name="q"' in html
    assert "麓谷优选超市" not in html

    response = client.get(reverse("merchants:scan", args=[new.code]))
    assert response.status_code == 200
    assert "长沙市岳麓区麓谷优选超市有限公司" in response.content.decode()


# --- counting scans --------------------------------------------------------------------


def test_scans_are_counted_per_merchant_per_day_and_nothing_else_is_kept(client):
    merchant = make_merchant()
    other = make_merchant(registered_name="长沙市芙蓉区湘味餐馆", shop_name="", region="430102")
    first = client.get(scan_url(merchant))
    client.get(scan_url(merchant))  # a cache hit counts too
    client.get(scan_url(other))
    client.get(reverse("merchants:scan", args=["XXXX4444"]))  # unknown: not a scan
    assert ScanCount.objects.count() == 0  # nothing written per request

    assert scan_counter.flush() == 3
    counts = {(row.merchant_id, row.day): row.count for row in ScanCount.objects.all()}
    assert counts == {(merchant.pk, TODAY): 2, (other.pk, TODAY): 1}
    assert not first.cookies  # no cookie, so nothing ties a scan to a person

    client.get(scan_url(merchant))
    scan_counter.flush()
    assert ScanCount.objects.get(merchant=merchant, day=TODAY).count == 3


def test_retired_code_scans_are_not_counted(client):
    merchant = make_merchant()
    old = merchant.current_code
    old.retire("海报被仿冒")
    client.get(reverse("merchants:scan", args=[old.code]))
    assert scan_counter.flush() == 0


# --- the cache -------------------------------------------------------------------------


def test_a_cache_hit_makes_no_database_query(client, django_assert_num_queries):
    merchant = make_merchant()
    url = scan_url(merchant)
    client.get(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert "承诺有效" in response.content.decode()
    assert scan_counter.pending() == {(merchant.pk, TODAY): 2}


def test_editing_the_merchant_shows_up_at_once(client):
    merchant = make_merchant()
    assert "status--ok" in page(client, merchant)[1]
    merchant.registry_status = Merchant.RegistryStatus.REMOVED
    merchant.status_reason = "多次被投诉拒不退货,经核查属实"
    merchant.save()
    html = page(client, merchant)[1]
    assert "status--alert" in html
    assert "原因：多次被投诉拒不退货,经核查属实" in html


def test_editing_a_pledge_shows_up_at_once(client):
    merchant = make_merchant()
    page(client, merchant)
    pledge = merchant.pledges.get()
    pledge.ends_on = TODAY + datetime.timedelta(days=100)
    pledge.return_scope = "全部服装"
    pledge.save()
    html = page(client, merchant)[1]
    assert f"承诺有效期至{chinese_date(pledge.ends_on)}" in html
    assert "适用商品：全部服装" in html


def test_deleting_a_merchant_drops_its_page(client):
    merchant = make_merchant()
    url = scan_url(merchant)
    client.get(url)
    Merchant.objects.filter(pk=merchant.pk).delete()
    assert client.get(url).status_code == 404
    assert MerchantCode.objects.filter(merchant__isnull=True).exists()  # never reused


def test_an_import_that_removes_a_merchant_turns_its_cached_page_red(client):
    from merchants.importing import import_merchants

    merchant = make_merchant()
    assert "status--ok" in page(client, merchant)[1]
    pledge = merchant.pledges.get()
    rows = [
        "统一社会信用代码,经营者名称,门店名称,行政区划代码,经营地址,承诺类型,退货期限(天),"
        "退货范围,承诺开始日期,承诺结束日期,状态",
        f"{merchant.credit_code},{merchant.registered_name},{merchant.shop_name},430104,"
        f"{merchant.address},线下无理由退货承诺,7,{pledge.return_scope},"
        f"{pledge.starts_on.isoformat()},{pledge.ends_on.isoformat()},摘牌",
    ]
    report = import_merchants("\n".join(rows).encode("utf-8"))
    assert not report.refused, report.errors
    html = page(client, merchant)[1]
    assert "status--alert" in html and "已摘牌" in html
