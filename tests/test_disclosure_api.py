"""The open-data API /api/v1/ as a script reads it: JSON, the documented fields, limits, errors."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures.api import schemas
from disclosures.facets import FACET_NAMES, FILTER_PARAMS
from disclosures.importing import import_disclosures
from disclosures.models import Disclosure
from merchants.models import Merchant

from .disclosure_factories import (
    HIDDEN_SUMMARY,
    category,
    days_ago,
    make_disclosure,
    make_hidden_disclosures,
    plain_records,
    result,
)
from .merchant_factories import credit_code, make_merchant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FITNESS_CODE = credit_code("430102", serial=73001)
# (summary, category, result, county, days ago, credit code)
RECORDS = [
    ("网购外套与描述不符,商家拒绝七日无理由退货。", "服装鞋帽", "调解成功", "430104", 30, ""),
    ("健身房收取预付卡费用后关门跑路。", "健身服务", "调解不成功", "430102", 60, FITNESS_CODE),
    ("健身房办卡后拒绝退货退款。", "健身服务", "调解成功", "430102", 420, FITNESS_CODE),
    ("美容院办理预付卡后擅自变更服务项目。", "美容美发洗浴", "调解成功", "430202", 90, ""),
    ("鞋子穿了一周开胶,要求退货被拒。", "服装鞋帽", "调解成功", "430102", 120, ""),
    ("超市标价与结算价格不一致。", "一般食品", "调解成功", "430104", 10, ""),
    ("冰箱使用三个月出现故障,商家同意退货退款。", "家用电器", "不予受理", "430203", 500, ""),
]
PHONE = "13812345678"
# The fields each answer documents (the OpenAPI document is generated from these schemas).
DISCLOSURE, MERCHANT, TOTALS = (
    schema.model_json_schema(mode="serialization")
    for schema in (schemas.Disclosure, schemas.Merchant, schemas.RecordTotals)
)


@pytest.fixture
def records():
    made = [
        make_disclosure(
            summary=summary,
            category=cat,
            result=outcome,
            region=county,
            complained_on=days_ago(days),
            credit_code=code,
            respondent_name="长沙市芙蓉区悦享健身俱乐部" if code else "长沙市岳麓区麓谷优选超市",
        )
        for summary, cat, outcome, county, days, code in RECORDS
    ]
    make_hidden_disclosures(credit_code=FITNESS_CODE)
    return made


@pytest.fixture
def fitness():
    return make_merchant(
        registered_name="长沙市芙蓉区悦享健身俱乐部",
        shop_name="悦享健身(五一店)",
        region="430102",
        credit_code=FITNESS_CODE,
        address="湖南省长沙市芙蓉区五一大道389号",
    )


def get_json(client, url, params=None, status=200, **extra):
    response = client.get(url, params or {}, **extra)
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def plain_count(params):
    return plain_records(params).count()


# --- disclosures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "退货"},
        {"q": "预付卡", "region": "430100"},
        {"category": "服装鞋帽"},
        {"result": "调解成功", "region": "430102"},
    ],
)
def test_disclosure_search_totals_and_facets_agree_with_plain_counts(client, records, params):
    params = dict(params)
    if "category" in params:
        params["category"] = category(params["category"]).pk
    if "result" in params:
        params["result"] = result(params["result"]).pk

    response, data = get_json(client, reverse("api:disclosures"), params)

    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["total"] == plain_count(params) > 0
    assert len(data["results"]) == data["total"]
    assert set(data["facets"]) == set(FACET_NAMES)
    for facet in data["facets"]["category"]:
        assert facet["count"] == plain_count({**params, "category": facet["value"]})
    for facet in data["facets"]["result"]:
        assert facet["count"] == plain_count({**params, "result": facet["value"]})
    # A facet leaves out its own filter: each count is what choosing that value gives.
    for facet in data["facets"]["city"]:
        assert facet["count"] == plain_count({**params, "region": facet["value"]})


def _ids(data):
    numbers = [item["complaint_number"] for item in data["results"]]
    return Disclosure.objects.filter(complaint_number__in=numbers).values("pk")


def test_a_disclosure_has_exactly_the_documented_public_fields(client, records):
    _response, data = get_json(client, reverse("api:disclosures"), {"q": "七日无理由"})
    (item,) = data["results"]
    assert set(item) == set(DISCLOSURE["properties"])
    coat = records[0]
    assert item == {
        "complaint_number": coat.complaint_number,
        "respondent_name": "长沙市岳麓区麓谷优选超市",
        "credit_code": None,
        "region_code": "430104",
        "respondent_address": "湖南省长沙市岳麓区麓谷大道627号",
        "category": "服装鞋帽",
        "problem_type": "售后服务",
        "summary": "网购外套与描述不符,商家拒绝七日无理由退货。",
        "consumer_request": "要求退款",
        "complained_on": days_ago(30).isoformat(),
        "handling_department": "长沙市岳麓区市场监督管理局",
        "result": "调解成功",
        "closed_on": (days_ago(30) + datetime.timedelta(days=12)).isoformat(),
        "recovered_amount": "299.00",
        "disclosed_on": days_ago(7).isoformat(),
        "display_until": (TODAY + datetime.timedelta(days=358)).isoformat(),
        "objection_state": "none",
    }


def test_disclosure_pages_are_newest_first_and_do_not_overlap(client, records):
    url = reverse("api:disclosures")
    pages = [get_json(client, url, {"per_page": 3, "page": n})[1] for n in (1, 2, 3)]
    assert [len(p["results"]) for p in pages] == [3, 3, 1]
    assert all(p["total"] == len(RECORDS) and p["per_page"] == 3 for p in pages)
    numbers = [item["complaint_number"] for p in pages for item in p["results"]]
    expected = Disclosure.objects.public().order_by("-complained_on", "-pk")
    assert numbers == [record.complaint_number for record in expected]


def test_hidden_records_are_never_returned_or_counted(client, records, fitness):
    _response, data = get_json(client, reverse("api:disclosures"), {"q": "储值卡"})
    assert data["total"] == 0 and data["results"] == []
    _response, data = get_json(client, reverse("api:disclosures"), {"per_page": 100})
    assert data["total"] == len(RECORDS)
    assert HIDDEN_SUMMARY not in json.dumps(data, ensure_ascii=False)
    url = reverse("api:merchant_disclosures", args=[FITNESS_CODE])
    _response, data = get_json(client, url)
    assert data["total"] == data["totals"]["total"] == 2
    assert HIDDEN_SUMMARY not in json.dumps(data, ensure_ascii=False)


def test_personal_data_never_leaves_the_api(client, fitness):
    row = {
        "投诉编号": "TS430102202601050001",
        "被投诉人名称": "长沙市芙蓉区悦享健身俱乐部",
        "统一社会信用代码": FITNESS_CODE,
        "行政区划代码": "430102",
        "商品或服务类别": "健身服务",
        "投诉问题类型": "合同",
        "投诉内容摘要": f"本人张伟办理健身卡,联系电话{PHONE},门店停业无法退费。",
        "消费者诉求": f"请回电{PHONE}并退款",
        "投诉日期": days_ago(20).isoformat(),
        "处理部门": "长沙市芙蓉区市场监督管理局",
        "处理结果": "调解成功",
        "公示日期": days_ago(5).isoformat(),
        "公示截止日期": (TODAY + datetime.timedelta(days=360)).isoformat(),
    }
    source = io.StringIO()
    writer = csv.DictWriter(source, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    assert not import_disclosures(io.BytesIO(source.getvalue().encode()), file_name="a.csv").refused

    for url in (
        reverse("api:disclosures"),
        reverse("api:disclosures") + "?q=健身卡",
        reverse("api:merchants"),
        reverse("api:merchant", args=[FITNESS_CODE]),
        reverse("api:merchant_disclosures", args=[FITNESS_CODE]),
    ):
        body = client.get(url).content.decode()
        # Neither the complainant's data nor the merchant's private contact.
        for secret in (PHONE, "张伟", fitness.contact_person, fitness.contact_phone):
            assert secret not in body, (url, secret)
    _response, data = get_json(client, reverse("api:disclosures"), {"q": "健身卡"})
    assert "138****5678" in data["results"][0]["summary"]


# --- merchants ------------------------------------------------------------------------------


def test_merchants_lists_public_merchants_with_documented_fields(client, fitness):
    make_merchant(
        registered_name="长沙市天心区南门口药房",
        region="430103",
        registry_status=Merchant.RegistryStatus.PENDING,
    )
    removed = make_merchant(
        registered_name="长沙市开福区湘江家电城有限公司",
        region="430105",
        registry_status=Merchant.RegistryStatus.REMOVED,
    )

    _response, data = get_json(client, reverse("api:merchants"))

    names = {item["registered_name"]: item for item in data["results"]}
    assert set(names) == {fitness.registered_name, removed.registered_name}
    assert data["total"] == 2
    item = names[fitness.registered_name]
    assert set(item) == set(MERCHANT["properties"])
    assert item["credit_code"] == FITNESS_CODE and item["region_code"] == "430102"
    assert item["region_name"] == "湖南省长沙市芙蓉区"
    assert item["status"] == "in_force" and item["code"] == fitness.current_code.code
    assert item["pledges"][0]["return_days"] == 7 and item["pledges"][0]["in_force"]
    assert names[removed.registered_name]["status"] == "removed"
    assert names[removed.registered_name]["status_reason"]


def test_merchants_by_name_code_and_region(client, fitness):
    other = make_merchant(registered_name="株洲市荷塘区星辉健身有限公司", region="430202")
    url = reverse("api:merchants")
    by_name = get_json(client, url, {"q": "悦享健身"})[1]
    assert [item["credit_code"] for item in by_name["results"]] == [FITNESS_CODE]
    by_code = get_json(client, url, {"q": FITNESS_CODE[:12]})[1]
    assert [item["credit_code"] for item in by_code["results"]] == [FITNESS_CODE]
    in_zhuzhou = get_json(client, url, {"region": "430200"})[1]
    assert [item["credit_code"] for item in in_zhuzhou["results"]] == [other.credit_code]
    paged = get_json(client, url, {"per_page": 1, "page": 2})[1]
    assert paged["total"] == 2 and len(paged["results"]) == 1 and paged["page"] == 2


def test_a_merchant_with_its_complaint_totals(client, records, fitness):
    _response, data = get_json(client, reverse("api:merchant", args=[FITNESS_CODE]))
    assert set(data) == set(MERCHANT["properties"]) | {"disclosures"}
    assert set(data["disclosures"]) == set(TOTALS["properties"])
    assert data["disclosures"]["total"] == 2
    assert data["disclosures"]["last_12_months"] == 1
    assert data["disclosures"]["mediation_success_percent"] == 50
    assert Decimal(data["disclosures"]["recovered_amount"]) == Decimal("598.00")


def test_a_merchants_records_page_through_public_records_only(client, records):
    url = reverse("api:merchant_disclosures", args=[FITNESS_CODE])
    _response, first = get_json(client, url, {"per_page": 1})
    _response, second = get_json(client, url, {"per_page": 1, "page": 2})
    assert first["credit_code"] == FITNESS_CODE
    assert first["total"] == 2 and first["totals"]["total"] == 2
    numbers = [first["results"][0]["complaint_number"], second["results"][0]["complaint_number"]]
    expected = (
        Disclosure.objects.public()
        .filter(credit_code=FITNESS_CODE)
        .order_by("-complained_on", "-pk")
        .values_list("complaint_number", flat=True)
    )
    assert numbers == list(expected)
    assert set(first["results"][0]) == set(DISCLOSURE["properties"])


def test_unknown_or_malformed_credit_codes_are_404_in_json(client, records):
    for url in (
        reverse("api:merchant", args=["91350100M000100Y43"]),
        reverse("api:merchant", args=["not-a-code"]),
        reverse("api:merchant_disclosures", args=["not-a-code"]),
    ):
        _response, data = get_json(client, url, status=404)
        assert data["error"]


# --- errors, limits and the document --------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "params", "invalid"),
    [
        ("api:disclosures", {"from": "2024/01/01"}, {"from": "日期格式应为YYYY-MM-DD"}),
        ("api:disclosures", {"category": "服装"}, {"category": "应为整数"}),
        ("api:disclosures", {"region": "长沙", "result": "0"}, {"region", "result"}),
        ("api:disclosures", {"sort": "hot"}, {"sort"}),
        ("api:disclosures", {"page": "abc"}, {"page"}),
        ("api:merchants", {"region": "4301"}, {"region": "应为6位行政区划代码"}),
        ("api:merchants", {"per_page": "-5"}, {"per_page": "应为正整数"}),
    ],
)
def test_malformed_parameters_are_refused_with_reasons(client, records, url_name, params, invalid):
    _response, data = get_json(client, reverse(url_name), params, status=400)
    assert data["error"] == "请求参数有误"
    if isinstance(invalid, dict):
        assert data["invalid_parameters"] == invalid
    else:
        assert set(data["invalid_parameters"]) == invalid


def test_malformed_paging_of_a_merchants_records_is_refused(client, records):
    url = reverse("api:merchant_disclosures", args=[FITNESS_CODE])
    _response, data = get_json(client, url, {"page": "二"}, status=400)
    assert data["invalid_parameters"] == {"page": "应为整数"}


def test_only_reading_is_allowed(client):
    assert client.post(reverse("api:disclosures")).status_code == 405


def test_anonymous_clients_are_throttled_after_the_limit(client, records, settings):
    settings.API_RATE_LIMIT = 3
    url = reverse("api:disclosures")
    remaining = [client.get(url)["X-RateLimit-Remaining"] for _attempt in range(3)]
    assert remaining == ["2", "1", "0"]

    response, data = get_json(client, url, status=429)
    assert data["error"] == "请求过于频繁，请稍后再试"
    assert int(response["Retry-After"]) == data["retry_after"] > 0
    assert client.get(reverse("api:merchants")).status_code == 429
    # Another client is counted apart.
    assert client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_openapi_document_describes_every_endpoint_and_field(client):
    for name in ("api:openapi", "api:openapi_json"):
        _response, document = get_json(client, reverse(name))
        assert document["openapi"].startswith("3.1")
        assert document["servers"] == [{"url": "http://testserver/api/v1/"}]
        assert set(document["paths"]) == {
            "/disclosures/",
            "/merchants/",
            "/merchants/{credit_code}/",
            "/merchants/{credit_code}/disclosures/",
            # The complaint intake and tracking that complaints/ mounts (test_complaints_api).
            "/complaints",
            "/complaints/sms-code",
            "/complaints/{tracking_number}",
        }
    search = document["paths"]["/disclosures/"]["get"]
    documented = {parameter["name"] for parameter in search["parameters"]}
    assert documented >= set(FILTER_PARAMS) | {"credit_code", "sort", "page", "per_page"}
    assert {"200", "400", "429"} <= set(search["responses"])
    page = search["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(page["properties"]) == {"total", "page", "per_page", "results", "facets"}
    assert set(page["properties"]["results"]["items"]["properties"]) == {
        "complaint_number",
        "respondent_name",
        "credit_code",
        "region_code",
        "respondent_address",
        "category",
        "problem_type",
        "summary",
        "consumer_request",
        "complained_on",
        "handling_department",
        "result",
        "closed_on",
        "recovered_amount",
        "disclosed_on",
        "display_until",
        "objection_state",
    }
    # Every documented field has its Chinese description.
    for schema in (DISCLOSURE, MERCHANT, TOTALS):
        for name, field in schema["properties"].items():
            assert field.get("description") or name in ("status_changed_on", "pledges"), name
