"""The 简/繁 switch: a reader in Hong Kong or abroad reads every public page in 繁體, chosen once
with a plain link and kept in a cookie; what programs read (feeds, the API, CSV) stays simplified,
and the scan page's cache never hands one script's page to the other's reader."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from merchants import page_cache

from .disclosure_factories import make_disclosure
from .merchant_factories import make_merchant
from .pages import build_sections, make_alert

pytestmark = pytest.mark.django_db

SUMMARY = "消费者反映在该店办理的预付卡无法使用,商家拒绝退货退款。"


@pytest.fixture
def traditional(client, settings):
    client.cookies[settings.PORTAL_SCRIPT_COOKIE] = "hant"
    return client


def html_lang(text):
    return re.search(r"<html[^>]*\blang=\"([^\"]+)\"", text).group(1)


def switch(text):
    return re.search(r"<!--script-switch-->(.*?)<!--/script-switch-->", text, re.S).group(1)


def visible_text(text):
    """What a reader sees: tags, scripts, styles and comments removed."""
    text = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->", "", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_phrases_opencc_splits_wrongly_are_converted_as_meant():
    from portal.script_conversion import to_traditional

    assert to_traditional("请保留发票和合同") == "請保留發票和合同"
    assert to_traditional("海报被仿冒，已停用并换发新码") == "海報被仿冒，已停用並換發新碼"
    assert to_traditional("理发店、美容美发") == "理髮店、美容美髮"


def test_the_switch_is_a_plain_link_that_keeps_the_choice_in_a_cookie(client, settings):
    home = client.get("/").content.decode()
    link = switch(home)
    assert ">繁體</a>" in link and 'lang="zh-Hant"' in link
    href = re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")
    assert href == f"{reverse('set_script')}?to=hant&next=/"

    response = client.get(reverse("set_script"), {"to": "hant", "next": "/disclosures/?q=退货"})
    assert response.status_code == 302
    assert response["Location"] == "/disclosures/?q=%E9%80%80%E8%B4%A7"  # 退货
    cookie = response.cookies[settings.PORTAL_SCRIPT_COOKIE]
    assert cookie.value == "hant" and cookie["max-age"] == 365 * 24 * 60 * 60

    # Back to 简体, and never off to another site.
    response = client.get(reverse("set_script"), {"to": "hans", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies[settings.PORTAL_SCRIPT_COOKIE].value == "hans"


def test_a_page_in_traditional_characters_says_so_and_offers_the_way_back(client, traditional):
    sections = build_sections()
    make_alert(
        sections["alerts"],
        "关于预付式消费的消费提示",
        "办理预付卡前请查看商家的营业执照,保留发票和合同。",
    )
    # The header's switch names the page it was clicked on.
    text = traditional.get("/alerts/").content.decode()
    response = traditional.get(
        [m for m in re.findall(r'href="(/alerts/[^"]+/)"', text) if m != "/alerts/"][0]
    )
    text = response.content.decode()

    assert html_lang(text) == "zh-Hant"
    assert response["Content-Language"] == "zh-Hant"
    assert "Cookie" in response["Vary"]
    seen = visible_text(text)
    assert "關於預付式消費的消費提示" in seen
    assert "辦理預付卡前請查看商家的營業執照,保留發票和合同。" in seen
    assert "消费" not in seen and "发票" not in seen
    assert "<title>關於預付式消費的消費提示" in text
    # The switch now leads back to 简体, from this page.
    link = switch(text)
    assert ">简体</a>" in link and 'lang="zh-Hans"' in link
    assert f"?to=hans&amp;next={response.request['PATH_INFO']}" in link
    # Addresses are not text: the stylesheet and the feeds' links are as rendered.
    assert 'href="/feeds/alerts.xml"' in text and "/static/css/portal.css" in text

    # The same page for a reader who did not switch.
    traditional.cookies.pop("fx_script")
    plain = traditional.get(response.request["PATH_INFO"]).content.decode()
    assert html_lang(plain) == "zh-CN"
    assert "关于预付式消费的消费提示" in visible_text(plain)


def test_a_query_typed_in_traditional_is_kept_as_typed_and_finds_simplified_records(
    client, traditional
):
    record = make_disclosure(summary=SUMMARY, category="健身服务")
    make_disclosure(summary="消费者反映购买的手机屏幕有坏点,要求更换。", category="通讯器材")

    for reader in (client, traditional):
        text = reader.get(reverse("disclosures:search"), {"q": "退貨"}).content.decode()
        # The search box shows what the reader typed.
        assert re.search(r'<input[^>]*name="q"[^>]*value="退貨"', text)
        assert record.complaint_number in text
        assert "屏幕有坏点" not in text and "屏幕有壞點" not in text

    text = traditional.get(reverse("disclosures:search"), {"q": "退货"}).content.decode()
    assert re.search(r'<input[^>]*name="q"[^>]*value="退货"', text)
    assert "商家拒絕退貨退款" in visible_text(text)
    # Labels are text; values and addresses are what the server reads, as they were.
    assert '<option value="relevance">按相關度</option>' in text
    assert 'href="?q=%E9%80%80%E8%B4%A7&amp;category=' in text


def test_feeds_api_and_downloads_stay_simplified(client, traditional):
    sections = build_sections()
    make_alert(sections["alerts"], "关于预付式消费的消费提示", "办理预付卡前请查看营业执照。")
    make_disclosure(summary=SUMMARY, category="健身服务")

    feed = traditional.get(reverse("feed_alerts")).content.decode()
    assert "关于预付式消费的消费提示" in feed and "關於" not in feed

    api = traditional.get("/api/v1/disclosures/", {"q": "退货"})
    assert api.status_code == 200 and "Cookie" not in api.get("Vary", "")
    assert SUMMARY in api.content.decode()

    export = traditional.get(reverse("disclosures:export"), {"q": "退货"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert SUMMARY in body.decode("utf-8-sig") and "拒絕" not in body.decode("utf-8-sig")


def test_the_scan_page_cache_serves_each_reader_their_own_script(client, traditional, settings):
    merchant = make_merchant()
    url = reverse("merchants:scan", args=[merchant.current_code.code])

    first = traditional.get(url)
    text = first.content.decode()
    assert html_lang(text) == "zh-Hant"
    assert "長沙市嶽麓區麓谷優選超市有限公司" in text
    assert "Cookie" in first["Vary"]
    assert f"next={url}" in switch(text) and ">简体</a>" in switch(text)
    # The scan page's own cache keeps the simplified page, whoever asked first.
    merchant_id, body = page_cache.get(merchant.current_code.code, timezone.localdate(), False)
    assert "长沙市岳麓区麓谷优选超市有限公司" in body.decode()

    traditional.cookies.pop(settings.PORTAL_SCRIPT_COOKIE)
    plain = traditional.get(url).content.decode()
    assert html_lang(plain) == "zh-CN" and "长沙市岳麓区麓谷优选超市有限公司" in plain
    assert ">繁體</a>" in switch(plain) and f"next={url}" in switch(plain)

    traditional.cookies[settings.PORTAL_SCRIPT_COOKIE] = "hant"
    again = traditional.get(url).content.decode()
    assert again == text


def test_the_admin_is_never_converted(admin_client, settings):
    admin_client.cookies[settings.PORTAL_SCRIPT_COOKIE] = "hant"
    response = admin_client.get(reverse("wagtailadmin_home"))
    text = response.content.decode()
    assert '<html lang="zh-hans"' in text and response["Content-Language"] == "zh-hans"
