"""A respondent's complaint record: totals, rates, its page, and the scan page's complaint block."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from disclosures.merchant_record import merchant_record
from disclosures.models import ComplaintCategory, Disclosure, HandlingResult, ProblemType

from .merchant_factories import make_merchant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


_numbers = itertools.count(1)


def disclose(merchant, complained_on, result="调解成功", recovered="0", **overrides):
    fields = {
        "complaint_number": f"1243010420260{next(_numbers):05d}",
        "respondent_name": merchant.registered_name,
        "credit_code": merchant.credit_code,
        "region_id": merchant.region_id,
        "respondent_address": merchant.address,
        "category": ComplaintCategory.objects.get(name="服装鞋帽"),
        "problem_type": ProblemType.objects.get(name="售后服务"),
        "summary": "消费者在该店购买羽绒服,七日内要求无理由退货被拒。",
        "consumer_request": "要求退货退款",
        "complained_on": complained_on,
        "handling_department": "长沙市岳麓区市场监督管理局",
        "result": HandlingResult.objects.get(name=result),
        "closed_on": complained_on + datetime.timedelta(days=20),
        "recovered_amount": Decimal(recovered),
        "disclosed_on": complained_on + datetime.timedelta(days=30),
        "display_until": TODAY + datetime.timedelta(days=200),
        "merchant": merchant,
    }
    fields.update(overrides)
    return Disclosure.objects.create(**fields)


@pytest.fixture
def lugu():
    merchant = make_merchant()
    # Last 12 months: three; the 12 months before: two; one public but older than that.
    disclose(merchant, days_ago(83), recovered="1299.00")
    disclose(merchant, days_ago(161), result="调解不成功")
    disclose(merchant, days_ago(317), result="不予受理")
    disclose(merchant, days_ago(411), recovered="300.50")
    disclose(merchant, days_ago(631), result="终止调解")
    disclose(merchant, days_ago(1053))
    # Never counted: past its display period, withdrawn after an objection, not yet disclosed.
    disclose(merchant, days_ago(905), display_until=days_ago(175))
    disclose(merchant, days_ago(114), objection_state="withdrawn")
    disclose(merchant, days_ago(3))
    return merchant


def test_totals_count_only_public_records(lugu):
    record = merchant_record(lugu.credit_code, TODAY)
    assert record.total == 6
    assert (record.last_12_months, record.previous_12_months) == (3, 2)
    assert record.growth_percent == 50
    assert record.recovered == Decimal("1599.50")


def test_mediation_success_rate_leaves_out_complaints_never_mediated(lugu):
    record = merchant_record(lugu.credit_code, TODAY)
    # Mediated: 3 successes, 1 unsuccessful, 1 terminated; 不予受理 does not count.
    assert (record.mediation_successes, record.mediated) == (3, 5)
    assert record.mediation_success_percent == 60


def test_latest_five_newest_first(lugu):
    record = merchant_record(lugu.credit_code, TODAY)
    assert [d.complained_on for d in record.latest] == [
        days_ago(83),
        days_ago(161),
        days_ago(317),
        days_ago(411),
        days_ago(631),
    ]


def test_a_respondent_without_records_has_empty_totals():
    merchant = make_merchant(registered_name="长沙市天心区南门口药房")
    record = merchant_record(merchant.credit_code, TODAY)
    assert record.total == 0 and record.growth is None and record.mediation_success_rate is None


def test_the_record_page_shows_totals_and_public_records_only(client, lugu, settings):
    response = client.get(reverse("disclosures:merchant", args=[lugu.credit_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "长沙市岳麓区麓谷优选超市有限公司的投诉公示" in html
    assert html.count('class="result disclosure"') == Disclosure.objects.public().count()
    assert "七日内要求无理由退货被拒" in html
    assert "调解成功率" in html
    assert reverse("merchants:scan", args=[lugu.current_code.code]) in html


def test_the_record_page_is_404_for_a_bad_or_unknown_credit_code(client):
    assert client.get("/disclosures/merchants/not-a-code/").status_code == 404
    unknown = "91350100M000100Y43"
    assert client.get(reverse("disclosures:merchant", args=[unknown])).status_code == 404


def test_the_scan_page_shows_totals_and_the_latest_records(client, lugu):
    cache.clear()
    html = client.get(reverse("merchants:scan", args=[lugu.current_code.code])).content.decode()
    assert "暂无公示投诉" not in html
    assert "累计公示投诉" in html
    assert html.count('class="complaints__head"') == 5
    assert "查看全部" in html and reverse("disclosures:merchant", args=[lugu.credit_code]) in html


def test_the_scan_page_says_so_when_nothing_is_disclosed(client):
    cache.clear()
    merchant = make_merchant(registered_name="长沙市开福区湘江家电城有限公司")
    html = client.get(reverse("merchants:scan", args=[merchant.current_code.code])).content.decode()
    assert "暂无公示投诉" in html
