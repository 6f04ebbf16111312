"""How the API answers beside its data: HEAD, other methods, and the headers every answer has."""

import json

import pytest
from django.test import Client

from .merchant_factories import make_merchant

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads():
    code = make_merchant().credit_code
    return [
        "/api/v1/disclosures/",
        "/api/v1/merchants/",
        f"/api/v1/merchants/{code}/",
        f"/api/v1/merchants/{code}/disclosures/",
    ]


def test_head_is_get_without_the_body(client, reads):
    for url in reads:
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b"", url
        for header in ("Content-Type", "Access-Control-Allow-Origin", "X-RateLimit-Limit"):
            assert head[header] == got[header], (url, header)


def test_writing_is_refused_in_json_even_without_a_csrf_token(reads):
    client = Client(enforce_csrf_checks=True)
    for url in [*reads, "/api/v1/complaints/"]:
        for method in (client.post, client.put, client.delete):
            response = method(url)
            assert response.status_code == 405, url
            assert response["Allow"] == "GET, HEAD"
            assert response.json() == {"error": "开放数据接口只支持GET请求"}


def test_a_throttled_client_reads_the_refusal_like_any_other_answer(client, reads, settings):
    settings.API_RATE_LIMIT = 1
    assert client.get(reads[0]).status_code == 200
    refused = client.get(reads[0])
    assert refused.status_code == 429
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert refused["X-RateLimit-Remaining"] == "0"
    assert "请求过于频繁" in refused.content.decode()  # Chinese as it is, not \u escapes
    assert json.loads(refused.content)["retry_after"] == int(refused["Retry-After"])
