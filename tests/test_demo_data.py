"""`manage.py load_demo` builds a complete site and can run twice without duplicating."""

import datetime
from io import StringIO

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F
from django.test import TestCase
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page

from demo.content import disclosures as demo_words
from demo.disclosure_rows import HEADERS
from disclosures.importing.columns import COLUMN_LIST
from disclosures.models import Disclosure, ImportBatch
from disclosures.scrubbing import ID_18_RE, MOBILE_RE
from editorial.models import AlertPage, CampaignPage, CasePage, NewsPage, ReportPage
from merchants.models import BusinessDistrict, Merchant, PublicStatus
from search.site_search import search_site


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Class-level data lives in a transaction that is rolled back after the class.
        first, second = StringIO(), StringIO()
        call_command("load_demo", stdout=first)
        cls.pages_after_first_run = Page.objects.count()
        cls.images_after_first_run = Image.objects.count()
        cls.merchants_after_first_run = Merchant.objects.count()
        cls.disclosures_after_first_run = dict(
            Disclosure.objects.values_list("complaint_number", "updated_at")
        )
        call_command("load_demo", stdout=second)
        cls.first_output, cls.second_output = first.getvalue(), second.getvalue()

    def test_the_demo_has_every_kind_of_content(self):
        self.assertGreaterEqual(AlertPage.objects.live().count(), 12)
        self.assertGreaterEqual(CasePage.objects.live().count(), 8)
        self.assertGreaterEqual(NewsPage.objects.live().count(), 6)
        self.assertTrue(CampaignPage.objects.live().exists())
        self.assertTrue(ReportPage.objects.live().filter(document__isnull=False).exists())
        self.assertTrue(Image.objects.exists())

    def test_running_twice_does_not_duplicate(self):
        self.assertEqual(Page.objects.count(), self.pages_after_first_run)
        self.assertEqual(Image.objects.count(), self.images_after_first_run)

    def test_admin_user_is_printed_not_hard_coded(self):
        user = get_user_model().objects.get(username="admin")
        self.assertTrue(user.is_superuser)
        password_line = next(
            line for line in self.first_output.splitlines() if "admin" in line and "密码" in line
        )
        password = password_line.rsplit(None, 1)[-1]
        self.assertTrue(user.check_password(password))
        # A second run keeps the password and does not print it again.
        self.assertNotIn(password, self.second_output)

    def test_demo_editor_and_reviewer_are_in_their_groups(self):
        users = get_user_model().objects
        self.assertTrue(users.get(username="bianji").groups.filter(name="编辑").exists())
        self.assertTrue(users.get(username="shenhe").groups.filter(name="审核").exists())

    def test_every_demo_page_renders(self):
        for page in Page.objects.live().exclude(depth=1).specific():
            with self.subTest(url=page.url):
                self.assertEqual(self.client.get(page.url).status_code, 200)

    def test_every_demo_page_has_the_accessible_structure(self):
        """WCAG basics a template change could break: alt text, one h1, landmarks, labels."""
        for page in Page.objects.live().exclude(depth=1).specific():
            with self.subTest(url=page.url):
                soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
                self.assertEqual(soup.html["lang"], "zh-CN")
                self.assertEqual(len(soup.find_all("h1")), 1)
                for landmark in ("header", "nav", "main", "footer"):
                    self.assertIsNotNone(soup.find(landmark), landmark)
                skip_link = soup.find("a", class_="skip-link")
                self.assertEqual(skip_link["href"], "#" + soup.find("main")["id"])
                self.assertTrue(all(img.has_attr("alt") for img in soup.find_all("img")))
                for field in soup.find_all("input", attrs={"type": ["search", "text"]}):
                    labelled = field.get("aria-label") or soup.find(
                        "label", attrs={"for": field.get("id")}
                    )
                    self.assertTrue(labelled, field)

    def test_demo_content_is_found_by_chinese_search(self):
        for term in ["退货", "预付卡", "跑路", "双11", "直播带货", "12315"]:
            with self.subTest(term=term):
                self.assertGreater(search_site(term).total, 0)

    def test_the_demo_has_hundreds_of_merchants_in_every_status(self):
        self.assertGreaterEqual(self.merchants_after_first_run, 300)
        self.assertEqual(Merchant.objects.count(), self.merchants_after_first_run)
        for status in PublicStatus.values:
            with self.subTest(status=status):
                self.assertGreater(Merchant.objects.with_status(status).count(), 0)
        self.assertGreater(Merchant.objects.expiring_within().count(), 0)
        # Spread across Hunan's cities, with some in districts, streets and markets.
        cities = set(Merchant.objects.values_list("region__parent_id", flat=True))
        self.assertGreaterEqual(len(cities), 10)
        self.assertGreaterEqual(
            BusinessDistrict.objects.filter(merchants__isnull=False).distinct().count(), 5
        )
        removed = Merchant.objects.with_status(PublicStatus.REMOVED).first()
        self.assertTrue(removed.status_reason and removed.status_changed_on)
        self.assertIn("承诺商家:", self.first_output)

    # --- disclosed complaints ----------------------------------------------------------------

    def test_the_demo_has_three_years_of_disclosed_complaints(self):
        total = Disclosure.objects.count()
        self.assertEqual(total, demo_words.DEMO_COUNT)
        self.assertGreater(Disclosure.objects.public().count(), total * 0.9)
        today = timezone.localdate()
        oldest = Disclosure.objects.order_by("complained_on").first().complained_on
        self.assertLess(oldest, today - datetime.timedelta(days=2 * 365 + 300))
        self.assertLessEqual(Disclosure.objects.latest("complained_on").complained_on, today)
        self.assertFalse(Disclosure.objects.filter(closed_on__gt=today).exists())
        self.assertFalse(Disclosure.objects.filter(disclosed_on__lt=F("closed_on")).exists())
        # Across Hunan's cities, every category family, weighted towards 调解成功.
        self.assertGreaterEqual(Disclosure.objects.values("city_code").distinct().count(), 10)
        self.assertGreaterEqual(Disclosure.objects.values("category").distinct().count(), 15)
        results = dict(
            Disclosure.objects.values_list("result__name").annotate(n=Count("id")).order_by()
        )
        self.assertEqual(max(results, key=results.get), "调解成功")
        self.assertGreater(results["调解成功"], total / 2)
        self.assertGreater(Disclosure.objects.filter(summary__contains="退货").count(), 300)
        # Imported through the real importer, as one recorded batch.
        batch = ImportBatch.objects.order_by("started_at").first()
        self.assertEqual(batch.status, ImportBatch.Status.IMPORTED)
        self.assertEqual(batch.created, total)
        self.assertEqual(batch.file_name, demo_words.DEMO_FILE_NAME)
        self.assertIn("投诉公示:", self.first_output)

    def test_many_demo_disclosures_name_the_demo_merchants(self):
        linked = Disclosure.objects.filter(merchant__isnull=False).select_related("merchant")
        self.assertGreater(linked.count(), Disclosure.objects.count() * 0.4)
        for record in linked[:200]:
            self.assertEqual(record.credit_code, record.merchant.credit_code)
            self.assertEqual(record.respondent_name, record.merchant.registered_name)
        with_records = Merchant.objects.filter(disclosures__isnull=False).distinct().count()
        self.assertGreater(with_records, Merchant.objects.count() / 2)
        # Every record that carries a merchant's credit code is linked to that merchant.
        codes = Merchant.objects.values_list("credit_code", flat=True)
        self.assertFalse(Disclosure.objects.filter(credit_code__in=codes, merchant=None).exists())

    def test_demo_disclosures_show_no_personal_data(self):
        masked = ImportBatch.objects.order_by("started_at").first().masked
        self.assertGreater(masked.get("mobile", 0), 50)
        self.assertGreater(masked.get("name", 0), 50)
        self.assertTrue(Disclosure.objects.filter(summary__regex=r"1[3-9]\d\*{4}\d{4}").exists())
        for summary, request in Disclosure.objects.values_list("summary", "consumer_request"):
            for text in (summary, request):
                self.assertIsNone(MOBILE_RE.search(text), text)
                self.assertIsNone(ID_18_RE.search(text), text)

    def test_a_second_load_adds_no_disclosures(self):
        after_second = dict(Disclosure.objects.values_list("complaint_number", "updated_at"))
        # Same numbers, none written again (the importer found every row unchanged).
        self.assertEqual(after_second, self.disclosures_after_first_run)
        second = ImportBatch.objects.order_by("started_at").last()
        self.assertEqual((second.created, second.updated), (0, 0))
        self.assertEqual(second.unchanged, demo_words.DEMO_COUNT)

    def test_demo_rows_use_the_import_headers(self):
        self.assertEqual(HEADERS, [column.label for column in COLUMN_LIST])

    def test_disclosure_pages_show_the_demo_records(self):
        merchant = (
            Merchant.objects.publicly_listed()
            .annotate(n=Count("disclosures"))
            .filter(n__gt=0)
            .order_by("-n")
            .first()
        )
        for url in [
            "/disclosures/?q=退货",
            "/disclosures/stats/",
            f"/disclosures/merchants/{merchant.credit_code}/",
            f"/m/{merchant.current_code.code}/",
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
        response = self.client.get(f"/disclosures/merchants/{merchant.credit_code}/")
        self.assertContains(response, merchant.registered_name)
