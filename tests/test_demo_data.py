"""`manage.py load_demo` builds a complete site and can run twice without duplicating."""

import csv
import datetime
import re
from collections import Counter
from io import StringIO

from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F
from django.test import TestCase
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.images.models import Image
from wagtail.models import Page

from demo.content import disclosures as demo_words
from demo.content import trades
from demo.content.reference import PORTAL_SETTINGS
from demo.disclosure_rows import HEADERS
from disclosures.importing.columns import COLUMN_LIST
from disclosures.models import Disclosure, ImportBatch
from disclosures.personal_names import SURNAMES
from disclosures.scrubbing import scrub
from editorial.models import AlertPage, CampaignPage, CasePage, NewsPage, ReportPage
from home.models import PortalSettings
from merchants.importing import import_merchants
from merchants.importing.columns import COLUMN_LIST as MERCHANT_COLUMNS
from merchants.models import BusinessDistrict, Merchant, Pledge, PublicStatus
from search.site_search import search_site

from .merchant_factories import credit_code

# Every table the demo writes to, and those a careless re-run would touch (revisions, logs).
DEMO_APPS = [
    "auth",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "home",
    "editorial",
    "merchants",
    "disclosures",
    "search",
]
# What a record is, apart from its row's identity and bookkeeping.
RECORD_FIELDS = [
    field.attname
    for field in Disclosure._meta.concrete_fields
    if field.attname not in {"id", "batch_id", "created_at", "updated_at"}
]
# A realistic-looking person: 王先生, 李女士 (the scrubber leaves them, a demo must not show them);
# a room of a home address; a run of digits as long as a phone number.
PERSON_RE = re.compile(f"[{''.join(sorted(SURNAMES))}](?:先生|女士|小姐)")
ROOM_RE = re.compile(r"[0-9０-９]+室")
LONG_NUMBER_RE = re.compile(r"[0-9]{7,}")
TAG_RE = re.compile(r"<[^>]+>")


def demo_rows():
    """{model label: {pk: row}} of every demo table, each row with all its stored values."""
    rows = {}
    for label in DEMO_APPS:
        for model in apps.get_app_config(label).get_models():
            key = model._meta.pk.attname
            rows[model._meta.label] = {
                row[key]: row for row in model._base_manager.order_by("pk").values()
            }
    return rows


def records():
    """{complaint number: the record's values, without its id and bookkeeping}."""
    return {row["complaint_number"]: row for row in Disclosure.objects.values(*RECORD_FIELDS)}


def texts_in(value):
    """The strings of a StreamField's stored JSON, HTML tags removed."""
    if isinstance(value, str):
        yield TAG_RE.sub("", value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "id":  # a block's uuid
                yield from texts_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_in(item)


def demo_texts():
    """(where, text) of every text the demo writes that anyone reads, staff included."""
    for page in Page.objects.exclude(depth=1).specific():
        for field in page._meta.concrete_fields:
            if isinstance(field, StreamField):
                stream = getattr(page, field.name)
                for text in texts_in(list(stream.raw_data) if stream is not None else []):
                    yield page.url_path, text
            elif field.name not in {"path", "url_path", "slug", "draft_title"}:
                value = field.value_from_object(page)
                if isinstance(value, str):
                    yield page.url_path, value
    merchant_fields = [
        "registered_name",
        "shop_name",
        "address",
        "online_shop",
        "contact_person",
        "contact_phone",
        "status_reason",
    ]
    for row in Merchant.objects.values("credit_code", *merchant_fields):
        for name in merchant_fields:
            yield row["credit_code"], row[name]
    for row in Pledge.objects.values("content", "return_scope", "return_conditions"):
        yield from (("pledge", text) for text in row.values())
    for row in BusinessDistrict.objects.values("name", "address", "description"):
        yield from (("district", text) for text in row.values())
    record_fields = ["respondent_name", "respondent_address", "summary", "consumer_request"]
    for row in Disclosure.objects.values("complaint_number", *record_fields):
        for name in record_fields:
            yield row["complaint_number"], row[name]


def merchant_import_file(code):
    """A one-merchant file of the merchant import format, from its own column examples."""
    labels = [column.label for column in MERCHANT_COLUMNS]
    values = [column.example for column in MERCHANT_COLUMNS]
    values[labels.index("统一社会信用代码")] = code
    text = StringIO()
    csv.writer(text).writerows([labels, values])
    return text.getvalue().encode("utf-8")


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Class-level data lives in a transaction that is rolled back after the class.
        first, second = StringIO(), StringIO()
        call_command("load_demo", stdout=first)
        cls.pages_after_first_run = Page.objects.count()
        cls.images_after_first_run = Image.objects.count()
        cls.merchants_after_first_run = Merchant.objects.count()
        cls.rows_after_first_run = demo_rows()
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
        self.assertIn("承诺商家", self.first_output)

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
        self.assertIn("投诉公示", self.first_output)

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

    # --- a second run ------------------------------------------------------------------------

    def test_a_second_run_changes_no_row(self):
        after_second = demo_rows()
        for table, rows in self.rows_after_first_run.items():
            with self.subTest(table=table):
                self.assertEqual(after_second[table].keys(), rows.keys())
                changed = [pk for pk, row in rows.items() if after_second[table][pk] != row]
                self.assertEqual(changed, [])
        # Nothing was missing, so nothing was imported: not even an empty batch.
        self.assertEqual(ImportBatch.objects.count(), 1)
        self.assertIn("本次新增 0 条", self.second_output)

    def test_a_merchant_imported_between_runs_changes_no_demo_complaint(self):
        before = records()
        gone = sorted(before)[::600]  # a few records deleted: the next run makes them again
        Disclosure.objects.filter(complaint_number__in=gone).delete()
        untouched = dict(Disclosure.objects.values_list("complaint_number", "updated_at"))
        code = credit_code("430104", serial=90017)
        report = import_merchants(merchant_import_file(code))
        self.assertFalse(report.refused)
        self.assertTrue(Merchant.objects.filter(credit_code=code).exists())

        out = StringIO()
        call_command("load_demo", stdout=out)

        self.assertIn(f"本次新增 {len(gone)} 条", out.getvalue())
        after = dict(Disclosure.objects.values_list("complaint_number", "updated_at"))
        self.assertEqual({number: after[number] for number in untouched}, untouched)
        # The records made again are what they were: each depends on its number alone.
        self.assertEqual(records(), before)

    def test_an_edited_page_and_setting_are_kept(self):
        editor = get_user_model().objects.get(username="bianji")
        alert = AlertPage.objects.live().order_by("pk").first()
        alert.title = "节日消费提示（编辑修改）"
        alert.save_revision(user=editor).publish()
        revisions = alert.revisions.count()
        portal_settings = PortalSettings.objects.get()
        name = next(name for name, value in PORTAL_SETTINGS.items() if isinstance(value, str))
        setattr(portal_settings, name, "编辑改过的内容")
        portal_settings.save()

        call_command("load_demo", stdout=StringIO())

        alert.refresh_from_db()
        self.assertEqual(alert.title, "节日消费提示（编辑修改）")
        self.assertEqual(alert.revisions.count(), revisions)
        self.assertEqual(getattr(PortalSettings.objects.get(), name), "编辑改过的内容")

    # --- coherent, anonymous records ---------------------------------------------------------

    def test_every_demo_complaint_fits_the_trade_of_the_business_it_names(self):
        checked = Counter()
        for record in Disclosure.objects.select_related(
            "merchant__category", "category", "problem_type"
        ):
            if record.merchant:
                trade = trades.trade_of_shop(record.merchant.shop_name)
                self.assertEqual(record.merchant.category.name, trade.merchant_category)
            else:
                trade = trades.trade_of_respondent(record.respondent_name)
            self.assertIsNotNone(trade, record.respondent_name)
            self.assertEqual(record.category.name, trade.complaint_category, record.summary)
            fitting = [
                complaint
                for complaint in trade.complaints
                if complaint.text in record.summary
                and complaint.problem == record.problem_type.name
                and complaint.request == record.consumer_request
            ]
            self.assertTrue(fitting, f"{trade.name}：{record.summary}")
            checked[trade.name] += 1
        self.assertGreaterEqual(len(checked), 25)
        # Restaurants get food-safety complaints, gyms prepaid-card ones, clothes shops returns.
        restaurants = Disclosure.objects.filter(merchant__shop_name__contains="湘菜馆")
        self.assertTrue(restaurants.filter(problem_type__name="安全").exists())
        self.assertFalse(restaurants.exclude(category__name="餐饮住宿").exists())
        gyms = Disclosure.objects.filter(merchant__shop_name__contains="健身中心")
        self.assertTrue(gyms.filter(summary__contains="预付卡").exists())
        self.assertFalse(gyms.exclude(category__name="健身服务").exists())
        clothes = Disclosure.objects.filter(merchant__shop_name__contains="服饰")
        self.assertTrue(clothes.filter(consumer_request="要求退货退款").exists())

    def test_no_demo_text_looks_like_personal_data(self):
        seen = 0
        for where, text in demo_texts():
            if not text:
                continue
            seen += 1
            # The site's own scrubber finds nothing to mask: no name after 消费者 or 本人, no
            # phone, ID, card, QQ, WeChat or plate number.
            self.assertEqual(scrub(text).text, text, where)
            self.assertIsNone(PERSON_RE.search(text), (where, text))
            self.assertIsNone(ROOM_RE.search(text), (where, text))
            self.assertIsNone(LONG_NUMBER_RE.search(text), (where, text))
        self.assertGreater(seen, 10_000)
        # Consumers appear as published records show them: 消费者, 投诉人, 王某.
        self.assertTrue(Disclosure.objects.filter(summary__regex="消费者.某").exists())
        self.assertFalse(Merchant.objects.exclude(contact_phone="").exists())

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
