"""Chinese text takes full-width marks (，。：；（）！？“”) on every page and in every message.

The demo site (``load_demo``) is rendered page type by page type, as a reader reaches it: every
page of the page tree, the pages their links lead to (a few of each kind: merchants, districts,
records, filters, pages 2 …), and what no link leads to (unknown and retired codes, empty
searches, 404, the API's errors, the CSV export). A half-width mark touching Chinese fails the
test with the address and the words around it. The sources are checked too: every Chinese
string a reader or an editor may see (translations, form and import errors, API messages,
command output, field names and help texts, demo content), and the text of every template.
"""

import csv
import io
import json
import re
from collections import Counter
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

from disclosures.models import Disclosure
from merchants.models import BusinessDistrict, Merchant, PublicStatus

from .punctuation import half_width_marks, readable_text, source_findings

# The apps whose sources users read (tests and migrations are not among them), and the
# project's translations of Wagtail's admin.
APPS = [
    "common",
    "search",
    "home",
    "editorial",
    "merchants",
    "disclosures",
    "complaints",
    "objections",
    "lists",
    "portal",
    "demo",
    "locale",
]
# Addresses a crawl must not follow: files, images, the admin, actions.
NOT_PAGES = re.compile(
    r"^/(admin|documents|static|media|text-size|script)/|\.(png|svg|pdf|xlsx|jpg)$"
)
# How many pages of one kind the crawl reads (one merchant's scan page is like another's).
PER_KIND = 3
MAX_PAGES = 400


def page_kind(url):
    """Pages that differ only in an id, a code or a parameter value are one kind."""
    parts = urlsplit(url)
    path = re.sub(r"/[^/]*\d[^/]*(?=/|$)", "/#", parts.path)
    return path, tuple(sorted({name for name, _value in parse_qsl(parts.query)}))


def json_text(value):
    if isinstance(value, dict):
        return "\n".join(json_text(item) for item in value.values())
    if isinstance(value, list):
        return "\n".join(json_text(item) for item in value)
    return value if isinstance(value, str) else ""


def response_text(response):
    """What a reader reads in a response: the page's words, a feed's items, JSON or CSV cells."""
    kind = response.get("Content-Type", "")
    content = b"".join(response) if response.streaming else response.content
    body = content.decode(response.charset or "utf-8")
    if "json" in kind:
        return json_text(json.loads(body))
    if "csv" in kind:
        return "\n".join(cell for row in csv.reader(io.StringIO(body)) for cell in row)
    if "xml" in kind:
        # A feed item's description is HTML written as text inside the XML.
        return readable_text(readable_text(body))
    return readable_text(body)


class RenderedPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        # A code retired because a copied poster was found: its scan page warns the reader.
        merchant = Merchant.objects.with_status(PublicStatus.IN_FORCE).first()
        cls.retired_code = merchant.current_code.code
        merchant.current_code.retire("二维码被冒用于其他门店，已换发新码")

    def setUp(self):
        self.offences = []
        self.read = set()

    def read_page(self, url, expect=(200,)):
        response = self.client.get(url)
        self.assertIn(response.status_code, expect, url)
        self.read.add(url)
        for snippet in half_width_marks(response_text(response)):
            self.offences.append(f"{url}  …{snippet}…")
        return response

    def assert_full_width(self):
        self.assertFalse(
            self.offences,
            "半角标点夹在中文里（应为，。：；（）！？“”）：\n" + "\n".join(self.offences),
        )

    def crawl(self, start_urls):
        """Read every page of ``start_urls``, then follow the site's own links, a few of a kind."""
        queue, seen_kinds, start = list(start_urls), Counter(), set(start_urls)
        while queue and len(self.read) < MAX_PAGES:
            url = queue.pop(0)
            kind = page_kind(url)
            if url in self.read or (seen_kinds[kind] >= PER_KIND and url not in start):
                continue
            seen_kinds[kind] += 1
            response = self.read_page(url, expect=(200, 301, 302))
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for link in re.findall(r'href="([^"#]+)', response.content.decode()):
                link = link.replace("&amp;", "&")
                if (
                    link.startswith("/")
                    and not link.startswith("//")
                    and not NOT_PAGES.search(urlsplit(link).path)
                ):
                    queue.append(link)

    def test_every_page_of_the_site_a_reader_can_reach(self):
        pages = [page.url for page in Page.objects.live().exclude(depth=1).specific()]
        self.crawl(
            [
                *pages,
                reverse("merchants:directory"),
                reverse("disclosures:search"),
                reverse("disclosures:stats"),
                reverse("search"),
            ]
        )
        # Beyond the page tree: merchants, districts, records, filters, pages 2, feeds …
        self.assertGreater(len(self.read), len(pages) + 20, sorted(self.read))
        self.assert_full_width()

    def test_merchant_pages_in_every_state(self):
        for status in PublicStatus.values:
            with self.subTest(status=status):
                merchant = Merchant.objects.with_status(status).filter(codes__isnull=False).first()
                code = merchant.current_code.code
                self.read_page(reverse("merchants:scan", args=[code]))
                # A merchant without a pledge in force gets a page saying why, not a poster.
                self.read_page(reverse("merchants:poster", args=[code]), expect=(200, 409))
        self.read_page(reverse("merchants:scan", args=[self.retired_code]), expect=(200, 410))
        self.read_page(reverse("merchants:scan", args=["ZZZZZZZZ"]), expect=(404,))
        for district in BusinessDistrict.objects.all():
            self.read_page(reverse("merchants:district", args=[district.pk]))
        directory = reverse("merchants:directory")
        self.read_page(f"{directory}?q=超市")
        self.read_page(f"{directory}?q=没有这样的店名")
        self.read_page(f"{directory}?status=suspended")
        self.read_page(f"{directory}?region=430100&page=2")
        self.assert_full_width()

    def test_disclosure_search_records_and_statistics(self):
        search = reverse("disclosures:search")
        category = Disclosure.objects.values_list("category_id", flat=True).first()
        merchant = (
            Merchant.objects.annotate(records=Count("disclosures")).order_by("-records").first()
        )
        for url in [
            f"{search}?q=退货",
            f"{search}?q=退货&category={category}&sort=relevance",
            f"{search}?region=430100&from=2025-01-01&to=2026-06-30&page=2",
            f"{search}?q=没有这样的投诉内容",
            reverse("disclosures:stats"),
            f"{reverse('disclosures:stats')}?region=430100",
            reverse("disclosures:merchant", args=[merchant.credit_code]),
            f"{reverse('disclosures:export')}?q=退货",
        ]:
            self.read_page(url)
        # Each record's own page, where the site has one.
        record = Disclosure.objects.public().first()
        try:
            self.read_page(reverse("disclosures:record", args=[record.complaint_number]))
        except NoReverseMatch:
            pass
        self.assert_full_width()

    def test_site_search_with_results_and_without(self):
        merchant = Merchant.objects.public().first()
        record = Disclosure.objects.public().first()
        self.read_page(f"{reverse('search')}?q=退货")
        self.read_page(f"{reverse('search')}?q=预付卡")
        # Pages, merchants and complaints in one answer; a credit code or a complaint number.
        self.read_page(f"{reverse('search')}?q=超市")
        self.read_page(f"{reverse('search')}?q={merchant.credit_code}")
        self.read_page(f"{reverse('search')}?q={record.complaint_number}")
        self.read_page(f"{reverse('search')}?q=没有这样的内容")
        self.read_page(reverse("search"))
        self.assert_full_width()

    def test_error_pages_feeds_and_the_open_data_api(self):
        self.read_page("/no-such-page/", expect=(404,))
        self.read_page(reverse("feed_alerts"))
        self.read_page(reverse("feed_cases"))
        api = "/api/v1/"
        merchant = Merchant.objects.public().first()
        for url, status in [
            (f"{api}disclosures/?q=退货&per_page=5", 200),
            (f"{api}merchants/?q=超市", 200),
            (f"{api}merchants/{merchant.credit_code}/", 200),
            (f"{api}merchants/{merchant.credit_code}/disclosures/", 200),
            # What a wrong request is told, in Chinese.
            (f"{api}disclosures/?from=2026-13-01", 400),
            (f"{api}disclosures/?page=abc&per_page=0", 400),
            (f"{api}merchants/913000000000000000/", 404),
            (f"{api}no-such-thing/", 404),
            (f"{api}openapi.json", 200),
            (f"{api}docs", 200),
        ]:
            self.read_page(url, expect=(status,))
        self.assert_full_width()

    def test_the_projects_own_admin_pages(self):
        """The import, QR export and code pages the bureau's staff read."""
        admin = get_user_model().objects.get(username="admin")
        self.client.force_login(admin)
        merchant = Merchant.objects.with_status(PublicStatus.IN_FORCE).last()
        for name, args in [
            ("merchants_import", []),
            ("merchants_qr_export", []),
            ("merchants_retire_code", [merchant.pk]),
            ("disclosures_import", []),
        ]:
            response = self.read_main(reverse(name, args=args))
            self.assertEqual(response.status_code, 200)
        self.assert_full_width()

    def read_main(self, url):
        """An admin page's own part: Wagtail's menus around it are Wagtail's words."""
        response = self.client.get(url)
        self.read.add(url)
        html = response.content.decode()
        main = html[html.find("<main") : html.rfind("</main>")]
        for snippet in half_width_marks(readable_text(main)):
            self.offences.append(f"{url}  …{snippet}…")
        return response


class SourceStringsTests(TestCase):
    """Every Chinese string of the project's sources and the text of its templates."""

    def test_messages_labels_and_demo_text_use_full_width_marks(self):
        findings = source_findings(Path(settings.BASE_DIR), APPS)
        self.assertFalse(
            findings,
            "半角标点夹在中文里（应为，。：；（）！？“”）：\n"
            + "\n".join(f"{found}  …{half_width_marks(found.text)[0]}…" for found in findings),
        )


class RuleTests(TestCase):
    """What counts as a half-width mark in Chinese, and what is left alone."""

    def test_marks_touching_chinese_are_found(self):
        for text in [
            "七日无理由退货,预付卡",
            "请保存好购物凭证.",
            "地址:长沙市岳麓区",
            "订阅消费提示(RSS)",
            "罚没金额(元)",
            "(12315)热线",
            "换用两三个字,如“优选”",
            '认准"蓝帽子"标志',
            "真的吗?",
            "承诺已暂停;请谨慎消费",
        ]:
            with self.subTest(text=text):
                self.assertTrue(half_width_marks(text))

    def test_numbers_addresses_files_and_english_are_left_alone(self):
        for text in [
            "投诉量 1,092 件，占比 11.8%",
            "调解成功率 3.5 个百分点",
            "IT培训机构",
            "请访问 https://www.12315.cn/ 投诉",
            "下载投诉公示.csv文件",
            "Wagtail CMS: 页面",
            "服务时间 8:30—17:30",
            "订阅消费提示（RSS）。",
        ]:
            with self.subTest(text=text):
                self.assertEqual(half_width_marks(text), [])

    def test_code_samples_on_a_page_are_not_prose(self):
        html = "<p>例如：</p><pre>curl '/api/v1/disclosures/?q=退货,预付卡'</pre><code>退货;</code>"
        self.assertEqual(half_width_marks(readable_text(html)), [])
        self.assertTrue(half_width_marks(readable_text('<img alt="盾牌,对勾">')))
