"""Paging through /api/v1/ as a script does: the cap on per_page said, the end of the list a 404."""

import json

import pytest
from django.urls import reverse

from disclosures.params import MAX_PAGE
from disclosures.search_query import MAX_PER_PAGE

from .disclosure_factories import make_disclosure
from .merchant_factories import credit_code, make_merchant

pytestmark = pytest.mark.django_db

GYM_CODE = credit_code("430102", serial=73101)
SUMMARIES = [
    "消费者反映，健身房收取预付卡费用后关门跑路。",
    "投诉人称，健身预付卡要求退费被拒。",
    "消费者王某反映，私教课程与宣传不符。",
    "消费者反映，器械长期损坏无人维修，无法正常使用。",
    "投诉人称，办卡时承诺的游泳池一直未开放。",
]


@pytest.fixture
def gym():
    merchant = make_merchant(
        registered_name="长沙市芙蓉区悦动健身有限公司",
        shop_name="悦动健身中心（五一店）",
        region="430102",
        credit_code=GYM_CODE,
    )
    for summary in SUMMARIES:
        make_disclosure(
            summary=summary,
            category="健身服务",
            problem_type="合同",
            region="430102",
            credit_code=GYM_CODE,
            respondent_name=merchant.registered_name,
        )
    return merchant


def paged_urls():
    """Every paged read: the search, the directory, one merchant's records."""
    return [
        reverse("api:disclosures"),
        reverse("api:merchants"),
        reverse("api:merchant_disclosures", args=[GYM_CODE]),
    ]


def get_json(client, url, params, status):
    response = client.get(url, params)
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.parametrize("url_index", range(3))
def test_a_per_page_above_the_cap_is_refused_with_the_cap(client, gym, url_index):
    url = paged_urls()[url_index]
    for asked in (MAX_PER_PAGE + 1, 500, 10**30):
        data = get_json(client, url, {"per_page": asked}, 400)
        # As every unreadable parameter is: the reason under its name.
        assert data == {
            "error": "请求参数有误",
            "invalid_parameters": {"per_page": f"每页最多{MAX_PER_PAGE}条"},
        }
    data = get_json(client, url, {"per_page": MAX_PER_PAGE}, 200)
    assert data["per_page"] == MAX_PER_PAGE and len(data["results"]) == data["total"]


def test_a_page_number_beyond_the_bound_is_refused_with_the_bound(client, gym):
    data = get_json(client, reverse("api:disclosures"), {"page": MAX_PAGE + 1}, 400)
    assert data["invalid_parameters"] == {"page": f"页码最大为{MAX_PAGE}"}


def test_the_search_page_still_reads_the_cap_for_a_citizen(client, gym):
    """The HTML search keeps its forgiving reading: a hand-edited URL is never an error."""
    response = client.get("/disclosures/", {"per_page": 500, "q": "健身"})
    assert response.status_code == 200
    assert "私教课程与宣传不符" in response.content.decode()


@pytest.mark.parametrize(
    ("url_index", "total"),
    [(0, len(SUMMARIES)), (1, 1), (2, len(SUMMARIES))],
)
def test_a_page_past_the_end_is_404_with_the_last_page(client, gym, url_index, total):
    url = paged_urls()[url_index]
    last = (total + 1) // 2
    data = get_json(client, url, {"per_page": 2, "page": last}, 200)
    assert data["page"] == last and data["total"] == total
    assert len(data["results"]) == total - 2 * (last - 1)

    data = get_json(client, url, {"per_page": 2, "page": last + 1}, 404)
    assert data == {
        "error": f"没有第{last + 1}页：共{total}条，每页2条，最后一页是第{last}页",
    }


def test_page_one_of_an_empty_result_is_an_empty_list(client, gym):
    for url, params in [
        (reverse("api:disclosures"), {"q": "潜水培训"}),
        (reverse("api:merchants"), {"q": "潜水培训"}),
        (reverse("api:merchant_disclosures", args=[credit_code("430104", serial=73102)]), {}),
    ]:
        data = get_json(client, url, params, 200)
        assert (data["total"], data["page"], data["results"]) == (0, 1, [])
        data = get_json(client, url, {**params, "page": 2}, 404)
        assert data["error"] == "没有第2页：共0条，每页20条，最后一页是第1页"


def test_the_document_states_the_bounds_and_the_404(client):
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/disclosures/", "/merchants/", "/merchants/{credit_code}/disclosures/"):
        operation = document["paths"][path]["get"]
        parameters = {item["name"]: item for item in operation["parameters"]}
        assert parameters["per_page"]["schema"]["maximum"] == MAX_PER_PAGE
        assert f"最多{MAX_PER_PAGE}条" in parameters["per_page"]["description"]
        assert parameters["page"]["schema"]["maximum"] == MAX_PAGE
        assert "最后一页" in operation["responses"]["404"]["description"]
        assert f"每页超过{MAX_PER_PAGE}条" in operation["responses"]["400"]["description"]
