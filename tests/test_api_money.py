"""Money in /api/v1/: a merchant's total recovered and its records' amounts read alike, add up."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from disclosures.models import Disclosure

from .disclosure_factories import make_disclosure, make_hidden_disclosures
from .merchant_factories import credit_code, make_merchant

pytestmark = pytest.mark.django_db

SALON_CODE = credit_code("430103", serial=73201)
YUAN = re.compile(r"^[0-9]+\.[0-9]{2}$")
# Amounts as a bureau's file gives them: whole yuan, one decimal, cents, nothing recovered.
AMOUNTS = ["1280", "58.5", "0.10", "0.20", "0", "2999.99"]


@pytest.fixture
def salon():
    merchant = make_merchant(
        registered_name="长沙市天心区丽人美容美发有限公司",
        shop_name="丽人美发沙龙（黄兴路店）",
        region="430103",
        credit_code=SALON_CODE,
    )
    for amount in AMOUNTS:
        make_disclosure(
            summary="消费者反映，办理预付卡后被变更服务项目。",
            category="美容美发洗浴",
            problem_type="合同",
            region="430103",
            credit_code=SALON_CODE,
            respondent_name=merchant.registered_name,
            recovered_amount=Decimal(amount),
        )
    # Records no one may see: their money is in no total either.
    make_hidden_disclosures(credit_code=SALON_CODE, recovered_amount=Decimal("5000.00"))
    return merchant


def get_json(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content.decode()
    return json.loads(response.content)


def test_a_merchants_total_is_the_sum_of_its_records_written_alike(client, salon):
    summary = get_json(client, reverse("api:merchant", args=[SALON_CODE]))
    listing = get_json(client, reverse("api:merchant_disclosures", args=[SALON_CODE]))
    amounts = [item["recovered_amount"] for item in listing["results"]]

    assert sorted(amounts) == sorted(["1280.00", "58.50", "0.10", "0.20", "0.00", "2999.99"])
    total = summary["disclosures"]["recovered_amount"]
    assert YUAN.match(total)
    assert total == f"{sum(Decimal(amount) for amount in amounts):.2f}" == "4338.79"
    # The records' page carries the same totals as the merchant's own answer.
    assert listing["totals"] == summary["disclosures"]
    # And the search answers the same records with the same amounts.
    search = get_json(client, reverse("api:disclosures"), {"credit_code": SALON_CODE})
    found = {item["complaint_number"]: item["recovered_amount"] for item in search["results"]}
    assert found == {
        item["complaint_number"]: item["recovered_amount"] for item in listing["results"]
    }


def test_nothing_recovered_reads_as_zero_yuan_in_both(client):
    make_merchant(credit_code=credit_code("430104", serial=73202))
    code = credit_code("430104", serial=73202)
    summary = get_json(client, reverse("api:merchant", args=[code]))
    assert summary["disclosures"]["total"] == 0
    assert summary["disclosures"]["recovered_amount"] == "0.00"
    make_disclosure(credit_code=code, recovered_amount=Decimal("0"))
    listing = get_json(client, reverse("api:merchant_disclosures", args=[code]))
    assert listing["results"][0]["recovered_amount"] == "0.00"
    assert listing["totals"]["recovered_amount"] == "0.00"


def test_a_sum_of_many_cents_is_exact(client, salon):
    """Thirty records of 0.10 yuan make 3.00 yuan, not 2.9999999999999996."""
    code = credit_code("430104", serial=73203)
    make_merchant(credit_code=code)
    for _ in range(30):
        make_disclosure(credit_code=code, recovered_amount=Decimal("0.10"))
    summary = get_json(client, reverse("api:merchant", args=[code]))
    assert summary["disclosures"]["recovered_amount"] == "3.00"
    assert Disclosure.objects.filter(credit_code=code).count() == 30


def test_the_document_gives_both_amounts_one_type_and_unit(client):
    document = client.get("/api/v1/openapi.json").json()
    listing = document["paths"]["/merchants/{credit_code}/disclosures/"]["get"]
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]
    record = page["properties"]["results"]["items"]["properties"]["recovered_amount"]
    total = page["properties"]["totals"]["properties"]["recovered_amount"]
    for field in (record, total):
        assert field["type"] == "string"
        assert field["pattern"] == r"^[0-9]+\.[0-9]{2}$"
        assert "（元）" in field["description"] and "两位小数" in field["description"]
    assert "之和" in total["description"]
