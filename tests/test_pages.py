"""Every page type: where it may be created, that editors can create it, and that it renders."""

import datetime
from xml.etree import ElementTree

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from editorial.models import (
    AlertIndexPage,
    AlertPage,
    Audience,
    CampaignPage,
    CaseIndexPage,
    CasePage,
    NewsIndexPage,
    NewsPage,
    ReportIndexPage,
    ReportPage,
    SeasonEvent,
)
from home.models import HomePage, StandardPage

from .pages import (
    build_sections,
    home_page,
    make_alert,
    make_case,
    paragraph,
    preview_post_data,
    publish,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_sections_live_under_the_home_page(self):
        self.assertAllowedParentPageTypes(AlertIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(AlertIndexPage, {AlertPage})
        self.assertAllowedSubpageTypes(CaseIndexPage, {CasePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedSubpageTypes(ReportIndexPage, {ReportPage})
        self.assertCanCreateAt(HomePage, CampaignPage)
        self.assertCanNotCreateAt(HomePage, AlertPage)
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))  # only one home


class EditorCreatesPagesTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.sections = build_sections()

    def test_editor_creates_an_alert_with_every_shared_block(self):
        document = Document.objects.create(
            title="双11消费提示全文", file=ContentFile("全文".encode(), name="tip.txt")
        )
        Audience.objects.create(name="网购消费者")
        event = SeasonEvent.objects.create(name="双11")
        body = streamfield(
            [
                ("paragraph", rich_text("<p>网购商品七日无理由退货,但定制商品除外。</p>")),
                (
                    "key_figures",
                    {
                        "heading": "2024年湖南放心消费",
                        "figures": streamfield(
                            [("item", {"value": "5.64", "unit": "万家", "label": "承诺单位"})]
                        ),
                    },
                ),
                ("document", {"document": document.pk, "title": "", "description": ""}),
                (
                    "faq",
                    {
                        "heading": "常见问题",
                        "items": streamfield(
                            [
                                (
                                    "item",
                                    {
                                        "question": "直播间买的商品能退吗?",
                                        "answer": rich_text("<p>可以,适用七日无理由退货。</p>"),
                                    },
                                )
                            ]
                        ),
                    },
                ),
            ]
        )
        self.assertCanCreate(
            self.sections["alerts"],
            AlertPage,
            nested_form_data(
                {
                    "title": "双11网购消费提示",
                    "slug": "shuang11",
                    "date": "2026-11-01",
                    "intro": "理性消费,保留凭证。",
                    "alert_kind": "warning",
                    "season_event": event.pk,
                    "body": body,
                }
            ),
        )
        page = AlertPage.objects.get(slug="shuang11")
        self.assertTrue(page.live)
        html = self.client.get(page.url).content.decode()
        self.assertIn("定制商品除外", html)
        self.assertIn("直播间买的商品能退吗", html)
        self.assertIn("5.64", html)
        self.assertIn(document.url, html)

    def test_editor_creates_a_typical_case(self):
        self.assertCanCreate(
            self.sections["cases"],
            CasePage,
            nested_form_data(
                {
                    "title": "某美容院预付卡跑路案",
                    "slug": "beauty-prepaid",
                    "date": "2026-03-10",
                    "intro": "美容院收取预付款后停业。",
                    "case_type": make_case(self.sections["cases"], "参照", "参照").case_type_id,
                    "merchant_name": "株洲市某美容有限公司",
                    "region": "株洲市天元区",
                    "facts": rich_text("<p>当事人收取预付款后停业。</p>"),
                    "legal_basis": rich_text("<p>《中华人民共和国消费者权益保护法》</p>"),
                    "outcome": "责令退款并罚款",
                    "fine_amount": "30000",
                    "refund_amount": "86500.50",
                    "body": streamfield([]),
                }
            ),
        )
        html = self.client.get(CasePage.objects.get(slug="beauty-prepaid").url).content.decode()
        self.assertIn("株洲市某美容有限公司", html)
        self.assertIn("86,500.50", html)


class EveryPageTypeRendersTests(WagtailPageTestCase):
    def setUp(self):
        self.home = home_page()
        self.sections = build_sections(self.home)
        self.alert = make_alert(self.sections["alerts"], "春节消费提示", "年货选购要看清标签。")
        self.case = make_case(self.sections["cases"], "某教培机构退费纠纷案", "培训机构拒不退费。")
        self.news = publish(
            self.sections["news"],
            NewsPage(
                title="全省放心消费行动推进会召开",
                intro="推进会部署下一阶段工作。",
                date=datetime.date(2026, 4, 2),
                body=paragraph("<p>会议要求扩大线下无理由退货承诺覆盖面。</p>"),
            ),
        )
        document = Document.objects.create(
            title="2025年消费维权报告", file=ContentFile(b"%PDF-1.4 report", name="report.pdf")
        )
        self.report = publish(
            self.sections["reports"],
            ReportPage(
                title="2025年湖南省消费者权益保护状况报告",
                intro="报告全面反映全年消费维权状况。",
                date=datetime.date(2026, 3, 14),
                year=2025,
                document=document,
            ),
        )
        self.campaign = publish(
            self.home,
            CampaignPage(
                title="2026年3·15国际消费者权益日",
                slug="315-2026",
                intro="共筑满意消费 共享美好生活",
                year=2026,
                theme="共筑满意消费 共享美好生活",
                date=datetime.date(2026, 3, 15),
                body=paragraph("<h2>活动安排</h2><p>全省同步开展咨询服务。</p>"),
            ),
        )
        self.about = publish(
            self.home,
            StandardPage(title="关于本站", body=paragraph("<p>本站由市场监管局主办。</p>")),
        )

    def test_every_page_type_renders_and_previews(self):
        pages = [self.home, self.alert, self.case, self.news, self.report, self.campaign]
        pages += [self.about, *self.sections.values()]
        admin = self.create_superuser("zhanzhang")
        for page in pages:
            with self.subTest(page=page.title):
                self.assertPageIsRenderable(page)
                self.client.force_login(admin)
                data = preview_post_data(self, page)
                self.assertPageIsPreviewable(page, post_data=data, user=admin)

    def test_article_page_shows_content_in_chinese_with_breadcrumbs_and_og_tags(self):
        response = self.client.get(self.alert.url)
        html = response.content.decode()
        self.assertIn('lang="zh-CN"', html)
        self.assertIn("年货选购要看清标签", html)
        self.assertIn("2026年11月1日", html)
        self.assertIn('property="og:title" content="春节消费提示"', html)
        self.assertIn('property="og:url" content="http://127.0.0.1:8000/alerts/', html)
        self.assertIn('aria-label="面包屑"', html)
        self.assertIn(self.sections["alerts"].url, html)

    def test_report_page_offers_the_document(self):
        html = self.client.get(self.report.url).content.decode()
        self.assertIn(self.report.document.url, html)

    def test_campaign_page_links_that_years_cases_and_reports(self):
        html = self.client.get(self.campaign.url).content.decode()
        self.assertIn(self.case.url, html)
        self.assertIn(self.report.url, html)

    def test_home_page_brings_the_newest_alerts_and_cases_forward(self):
        html = self.client.get("/").content.decode()
        self.assertIn("春节消费提示", html)
        self.assertIn("某教培机构退费纠纷案", html)
        self.assertIn("12315", html)
        self.assertIn('name="q"', html)

    def test_index_pages_paginate_newest_first(self):
        for day in range(1, 13):
            make_alert(
                self.sections["alerts"],
                f"第{day}期消费提示",
                "提示内容",
                date=datetime.date(2026, 10, day),
            )
        first = self.client.get(self.sections["alerts"].url).content.decode()
        self.assertLess(first.index("春节消费提示"), first.index("第12期消费提示"))
        self.assertNotIn("第1期消费提示", first)
        second = self.client.get(self.sections["alerts"].url, {"page": 2}).content.decode()
        self.assertIn("第1期消费提示", second)
        self.assertEqual(
            self.client.get(self.sections["alerts"].url, {"page": "x"}).status_code, 200
        )

    def test_alert_index_filters_by_kind(self):
        make_alert(
            self.sections["alerts"], "直播带货消费警示", "警惕虚假宣传", alert_kind="warning"
        )
        html = self.client.get(self.sections["alerts"].url, {"kind": "warning"}).content.decode()
        self.assertIn("直播带货消费警示", html)
        self.assertNotIn("春节消费提示", html)


class HomeWithoutContentTests(WagtailPageTestCase):
    def test_fresh_home_page_renders_with_no_sections(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("12315", response.content.decode())


class FeedsTests(WagtailPageTestCase):
    def setUp(self):
        self.sections = build_sections()
        make_alert(self.sections["alerts"], "618消费提示", "理性参与促销。")
        make_case(self.sections["cases"], "某超市价格欺诈案", "虚构原价。")

    def feed_titles(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("rss+xml", response["Content-Type"])
        root = ElementTree.fromstring(response.content)
        self.assertEqual(root.find("channel/language").text, "zh-cn")
        return [item.find("title").text for item in root.iter("item")], root

    def test_alert_feed(self):
        titles, root = self.feed_titles("/feeds/alerts.xml")
        self.assertEqual(titles, ["618消费提示"])
        link = root.find("channel/item/link").text
        self.assertTrue(link.startswith("http://") and "/alerts/" in link, link)

    def test_case_feed(self):
        titles, _root = self.feed_titles("/feeds/cases.xml")
        self.assertEqual(titles, ["某超市价格欺诈案"])


class FooterTests(WagtailPageTestCase):
    def test_plain_pages_are_linked_from_every_footer(self):
        about = publish(
            home_page(), StandardPage(title="隐私声明", body=paragraph("<p>不公开个人信息。</p>"))
        )
        html = self.client.get("/").content.decode()
        footer = html[html.index("<footer") :]
        self.assertIn(f'href="{about.url}"', footer)
