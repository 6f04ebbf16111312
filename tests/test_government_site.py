"""What a government site shows and how it reads: the footer's 网站标识码, 党政机关网站标识, ICP
and 公安备案 numbers and 我为政府网站找错, the HTML site map, share metadata on the scan page and
on articles, an article's source, print button and 上一篇/下一篇, downloads named in Chinese,
and statistics whose figures keep their units and whose charts are not shrunk on a phone."""

import datetime
import html
import re
from urllib.parse import quote, unquote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Site

from disclosures.charts import columns, horizontal_bars
from disclosures.statistics import Bar
from editorial.models import NewsPage
from home.models import PortalSettings

from .disclosure_factories import make_disclosure
from .merchant_factories import make_merchant
from .pages import build_sections, home_page, make_alert, make_case, paragraph, publish

pytestmark = pytest.mark.django_db

CONAC = "https://bszs.conac.cn/sitename?method=show&id=2A5C1E8F0B3D4C6E"
JIUCUO = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4300000049"


def portal_settings(**values):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(portal, name, value)
    portal.save()
    return portal


def text_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def footer(page_html):
    return re.search(r'<footer class="site-footer">.*?</footer>', page_html, re.S).group(0)


def meta(page_html, prop):
    found = re.search(rf'<meta property="{prop}" content="([^"]*)">', page_html)
    return html.unescape(found.group(1)) if found else None


# --- the footer ------------------------------------------------------------------------------


def test_the_footer_shows_the_government_site_marks_and_record_numbers(client):
    portal_settings(
        website_identifier="4300000049",
        show_government_mark=True,
        government_mark_url=CONAC,
        icp_record="湘ICP备19031215号-2",
        public_security_record="湘公网安备 43010402001315号",
        error_report_url=JIUCUO,
    )
    build_sections()
    for url in ("/", "/alerts/", reverse("merchants:directory")):
        part = footer(text_of(client, url))
        assert "网站标识码：4300000049" in part
        mark = re.search(r'<a class="site-footer__mark" href="([^"]+)"[^>]*>\s*<img ([^>]+)>', part)
        assert html.unescape(mark.group(1)) == CONAC
        assert 'alt="党政机关网站标识"' in mark.group(2)
        assert "/static/images/government-site-mark.svg" in mark.group(2)
        assert '<a href="https://beian.miit.gov.cn/" rel="external">湘ICP备19031215号-2</a>' in part
        police = re.search(r'<a class="site-footer__police" href="([^"]+)"[^>]*>(.*?)</a>', part)
        assert police.group(1) == "https://beian.mps.gov.cn/#/query/webSearch?code=43010402001315"
        assert "public-security-emblem.svg" in police.group(2)
        assert police.group(2).endswith("湘公网安备 43010402001315号")
        assert f'<a href="{html.escape(JIUCUO)}" rel="external">我为政府网站找错</a>' in part
        assert f'<a href="{reverse("sitemap_page")}">网站地图</a>' in part
        assert f'<a href="{reverse("api:docs")}">开放数据接口</a>' in part


def test_a_site_not_registered_shows_no_mark_and_no_error_report_link(client):
    portal_settings(
        show_government_mark=False,
        government_mark_url=CONAC,
        error_report_url="",
        website_identifier="",
        public_security_record="",
    )
    part = footer(text_of(client, "/"))
    assert "党政机关网站标识" not in part and "government-site-mark" not in part
    assert "我为政府网站找错" not in part and "网站标识码" not in part
    assert "beian.mps.gov.cn" not in part


# --- the HTML site map -------------------------------------------------------------------------


def test_the_site_map_lists_the_public_pages_and_the_query_services(client):
    sections = build_sections()
    make_alert(sections["alerts"], "春节消费提示", "购买年货请索要发票。")
    make_alert(sections["alerts"], "预付卡消费警示", "办卡前核实经营者资质。")
    about = publish(home_page(), _standard_page("关于本站", "about"))
    draft = _standard_page("尚未发布的页面", "draft-page")
    home_page().add_child(instance=draft)
    draft.unpublish()

    page_html = text_of(client, reverse("sitemap_page"))
    assert '<h1 class="page-header__title">网站地图</h1>' in page_html
    main = page_html[page_html.index('<main id="main"') : page_html.index("</main>")]
    assert f'<a href="{about.url}">关于本站</a>' in main
    alerts = re.search(
        r'<a href="/alerts/">消费提示</a><span class="site-map__note">(.*?)</span>', main
    )
    assert alerts.group(1) == "共 2 篇"
    assert "春节消费提示" not in main  # articles are reached through their section
    assert "尚未发布的页面" not in main
    for name, title in (
        ("merchants:directory", "承诺商家名录"),
        ("disclosures:search", "投诉信息公示"),
        ("disclosures:stats", "投诉公示统计"),
        ("api:docs", "开放数据接口说明"),
    ):
        assert f'<a href="{reverse(name)}">{title}</a>' in main
    # The XML site map for search engines stays where it was.
    assert f'<a href="{reverse("sitemap")}">' in main
    assert client.get(reverse("sitemap")).status_code == 200


def _standard_page(title, slug):
    from home.models import StandardPage

    return StandardPage(
        title=title, slug=slug, body=paragraph("<p>本站由湖南省市场监督管理局主办。</p>")
    )


# --- share metadata ----------------------------------------------------------------------------


def test_the_scan_page_shares_the_merchant_at_the_public_address(client, settings):
    settings.PORTAL_BASE_URL = "https://fxxf.amr.hunan.gov.cn"
    merchant = make_merchant(registered_name="长沙市岳麓区麓谷优选超市有限公司")
    code = merchant.current_code.code
    page_html = client.get(reverse("merchants:scan", args=[code]), HTTP_HOST="localhost").content
    page_html = page_html.decode()
    assert meta(page_html, "og:title") == "长沙市岳麓区麓谷优选超市有限公司"
    assert meta(page_html, "og:url") == f"https://fxxf.amr.hunan.gov.cn/m/{code}/"
    assert meta(page_html, "og:image") == (
        "https://fxxf.amr.hunan.gov.cn/static/images/share-default.png"
    )
    assert meta(page_html, "og:description").startswith("放心消费承诺单位 · 承诺有效：承诺有效期至")


def test_an_article_shares_its_title_summary_and_public_address(client, settings):
    settings.PORTAL_BASE_URL = "https://fxxf.amr.hunan.gov.cn"
    alerts = build_sections()["alerts"]
    alert = make_alert(
        alerts,
        "春节期间年货消费提示",
        "选购年货要认准正规渠道，保存好购物凭证。",
        intro="选购年货要认准正规渠道。",
    )
    page_html = client.get(alert.url, HTTP_HOST="localhost").content.decode()
    assert meta(page_html, "og:type") == "article"
    assert meta(page_html, "og:title") == "春节期间年货消费提示"
    assert meta(page_html, "og:description") == "选购年货要认准正规渠道。"
    assert meta(page_html, "og:url") == f"https://fxxf.amr.hunan.gov.cn{alert.url}"
    assert meta(page_html, "og:image").startswith("https://fxxf.amr.hunan.gov.cn/static/")


# --- article pages -----------------------------------------------------------------------------


def test_an_article_names_its_source_and_prints_with_its_address(client, settings):
    settings.PORTAL_BASE_URL = "https://fxxf.amr.hunan.gov.cn"
    sections = build_sections()
    story = publish(
        sections["news"],
        NewsPage(
            title="省市场监管局召开3·15新闻发布会",
            date=datetime.date(2026, 3, 14),
            intro="通报全省消费维权工作情况。",
            source="国家市场监督管理总局",
            body=paragraph("<p>发布会通报了2025年全省12315受理情况。</p>"),
        ),
    )
    alert = make_alert(sections["alerts"], "夏季消费提示", "注意食品安全。")

    page_html = text_of(client, story.url)
    assert "<span>来源：国家市场监督管理总局</span>" in page_html
    assert '<button type="button" class="article__print" data-print>打印本页</button>' in page_html
    assert '<script src="/static/js/poster.js" defer></script>' in page_html
    url_line = re.search(r'<p class="article__print-url">(.*?)</p>', page_html).group(1)
    assert url_line == f"本文网址：https://fxxf.amr.hunan.gov.cn{story.url}"
    # Every article type has the field, 本站 unless the editor names another source.
    assert "<span>来源：本站</span>" in text_of(client, alert.url)


def test_previous_and_next_stay_in_the_section_in_its_order_and_skip_drafts(client):
    sections = build_sections()
    alerts = sections["alerts"]
    oldest = make_alert(alerts, "元旦消费提示", "理性消费。", date=datetime.date(2026, 1, 1))
    middle = make_alert(alerts, "春节消费提示", "索要发票。", date=datetime.date(2026, 2, 1))
    newest = make_alert(alerts, "3·15消费提示", "依法维权。", date=datetime.date(2026, 3, 1))
    draft = make_alert(alerts, "尚未发布的提示", "草稿。", date=datetime.date(2026, 2, 15))
    draft.unpublish()
    make_case(
        sections["cases"], "某健身房预付卡案", "收取预付款后闭店。", date=datetime.date(2026, 2, 10)
    )

    def pager(page):
        page_html = text_of(client, page.url)
        found = re.search(r'<nav class="article-pager"[^>]*>(.*?)</nav>', page_html, re.S)
        link = r'href="([^"]+)" rel="(prev|next)">.*?<span class="article-pager__title">(.*?)</'
        links = re.findall(link, found.group(1)) if found else []
        return {rel: (href, title) for href, rel, title in links}

    # The section lists newest first: 上一篇 is the newer neighbour, 下一篇 the older one.
    assert pager(middle) == {
        "prev": (newest.url, "3·15消费提示"),
        "next": (oldest.url, "元旦消费提示"),
    }
    assert pager(newest) == {"next": (middle.url, "春节消费提示")}
    assert pager(oldest) == {"prev": (middle.url, "春节消费提示")}
    page_html = text_of(client, middle.url)
    assert "上一篇" in page_html and "下一篇" in page_html


# --- downloads named in Chinese ------------------------------------------------------------------


def test_the_complaint_export_is_saved_under_a_chinese_name(client):
    make_disclosure(summary="商家拒绝七天无理由退货。")
    today = timezone.localdate()
    response = client.get(reverse("disclosures:export"))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    name = f"投诉公示_{today:%Y-%m-%d}.csv"
    assert disposition == (
        f"attachment; filename=\"disclosures-{today:%Y-%m-%d}.csv\"; filename*=UTF-8''{quote(name)}"
    )


def test_a_report_document_is_saved_under_its_chinese_name(client):
    document = get_document_model()(title="《2025年湖南省消费者权益保护状况报告》摘要")
    document.file = ContentFile(
        b"%PDF-1.4\n%demo\n", name="2025年湖南省消费者权益保护状况报告摘要.pdf"
    )
    document.save()
    try:
        response = client.get(document.url)
        assert response.status_code == 200
        saved_as = re.search(r"filename\*=UTF-8''([^;]+)", response["Content-Disposition"]).group(1)
        # The storage may add a suffix when the name is taken; the Chinese name stays.
        assert unquote(saved_as) == document.filename
        assert document.filename.startswith("2025年湖南省消费者权益保护状况报告摘要")
        assert document.filename.endswith(".pdf")
    finally:
        document.file.delete(save=False)


# --- statistics that read on a phone -----------------------------------------------------------


def test_the_month_chart_scrolls_by_keyboard_and_is_drawn_at_its_own_size(client):
    make_disclosure(summary="购买的冰箱制冷效果差，商家拒绝更换。")
    page_html = text_of(client, reverse("disclosures:stats"))
    region = re.search(
        r'<figure class="chart-figure chart-figure--scroll"([^>]*)>\s*<svg ([^>]*)>', page_html
    )
    assert 'tabindex="0"' in region.group(1) and 'role="region"' in region.group(1)
    assert 'aria-label="按月份的图表，可左右滚动"' in region.group(1)
    # Pixel width and height, no viewBox: the 13 px text is never scaled down to fit a phone.
    assert "viewBox" not in region.group(2)
    assert re.search(r'width="\d+" height="\d+"', region.group(2))


def test_the_month_chart_has_axis_values_and_labels_that_do_not_touch():
    bars = [
        Bar(f"2025年{month}月", count, count / 95)
        for month, count in zip(
            range(1, 13), [12, 40, 95, 60, 33, 71, 80, 22, 18, 55, 90, 47], strict=True
        )
    ]
    svg = str(columns(bars, "chart-month-title"))
    values = re.findall(r'<text class="chart__axis"[^>]*>([^<]+)</text>', svg)
    assert values == ["0", "20", "40", "60", "80", "100"]
    ticks = re.findall(r'<text class="chart__tick" x="([\d.]+)"[^>]*>([^<]+)</text>', svg)
    assert [label for _x, label in ticks][:3] == ["2025年1月", "2月", "3月"]
    # "2025年1月" is about 62 px at 13 px: centres at least that far apart leave a gap.
    centres = [float(x) for x, _label in ticks]
    assert min(b - a for a, b in zip(centres, centres[1:], strict=False)) >= 48


def test_the_bar_chart_stretches_its_bars_and_wraps_a_long_label_instead_of_clipping_it():
    long_label = "居民服务、修理和其他服务业中的家政服务与家电维修"
    svg = str(horizontal_bars([Bar("家用电器", 120, 1.0), Bar(long_label, 30, 0.25)], "t"))
    assert 'width="100%"' in svg and "viewBox" not in svg
    assert '<rect class="chart__bar" x="0" y="20" width="100.00%"' in svg
    lines = re.findall(r"<tspan[^>]*>([^<]+)</tspan>", svg)
    assert lines[0] == "家用电器" and "".join(lines[1:]) == long_label and len(lines) == 3


def test_a_figure_and_its_unit_are_one_unbreakable_run(client):
    make_disclosure(summary="培训机构停课后拒不退费。", recovered_amount="123456.70")
    page_html = text_of(client, reverse("disclosures:stats"))
    values = re.findall(r'<dd><span class="figure-value">(.*?)</span></dd>', page_html)
    assert values[0] == "1 件" and values[-1] == "123,456.70 元"


def test_a_document_uploaded_under_an_ascii_name_is_saved_under_its_chinese_title(client):
    document = get_document_model()(title="《2026年上半年湖南省12315投诉举报数据分析报告》")
    document.file = ContentFile(b"%PDF-1.4\n%demo\n", name="report-2026-h1.pdf")
    document.save()
    try:
        response = client.get(document.url)
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        saved_as = re.search(r"filename\*=UTF-8''([^;]+)", disposition).group(1)
        assert unquote(saved_as) == "2026年上半年湖南省12315投诉举报数据分析报告.pdf"
        # Clients that read only the plain name still get the upload's own name.
        assert f'filename="{document.filename}"' in disposition
    finally:
        document.file.delete(save=False)


def test_a_document_titled_in_english_keeps_its_file_name(client):
    document = get_document_model()(title="CCA annual report")
    document.file = ContentFile(b"%PDF-1.4\n%demo\n", name="cca-report.pdf")
    document.save()
    try:
        disposition = client.get(document.url)["Content-Disposition"]
        assert "filename*" not in disposition
        assert document.filename in disposition
    finally:
        document.file.delete(save=False)
