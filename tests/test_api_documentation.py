"""The API's documentation is generated: the OpenAPI document from the schemas the API answers
with, and the page of the site that explains it in Chinese, read from that document."""

import re

import pytest
from django.urls import reverse

from disclosures.facets import FILTERS

pytestmark = pytest.mark.django_db

PATHS = {
    "/disclosures/",
    "/merchants/",
    "/merchants/{credit_code}/",
    "/merchants/{credit_code}/disclosures/",
}
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def document(client):
    return client.get(reverse("api:openapi_json")).json()


def test_the_document_lists_every_read_and_nothing_else(document):
    # Beside the reads, only what later apps mount (the complaint intake and tracking).
    assert {path for path in document["paths"] if not path.startswith("/complaints")} == PATHS
    for path in PATHS:
        operations = document["paths"][path]
        assert list(operations) == ["get"], path  # HEAD is served, not listed twice
        assert CHINESE.search(operations["get"]["summary"]), path
    # Self-contained: every schema is written out where it is used.
    assert "$ref" not in str(document)


def test_the_reads_are_grouped_under_chinese_headings(document):
    # Without tags the documentation page groups every read under ninja's "default".
    groups = {path: document["paths"][path]["get"]["tags"] for path in PATHS}
    assert groups == {
        "/disclosures/": ["投诉公示"],
        "/merchants/{credit_code}/disclosures/": ["投诉公示"],
        "/merchants/": ["承诺商家"],
        "/merchants/{credit_code}/": ["承诺商家"],
    }


def test_each_filter_is_documented_as_declared(document):
    parameters = {
        parameter["name"]: parameter
        for parameter in document["paths"]["/disclosures/"]["get"]["parameters"]
    }
    for item in FILTERS:
        assert parameters[item.param]["in"] == "query"
        assert parameters[item.param]["description"] == str(item.description)
    assert parameters["sort"]["schema"]["enum"] == ["date", "relevance"]
    assert parameters["per_page"]["schema"]["maximum"] == 100
    assert parameters["region"]["schema"]["pattern"] == "^[0-9]{6}$"
    assert parameters["category"]["schema"]["type"] == "integer"
    assert parameters["from"]["schema"]["format"] == "date"


def test_every_documented_answer_field_has_a_chinese_description(document):
    def fields(schema, where):
        for name, field in schema.get("properties", {}).items():
            yield f"{where}.{name}", field
            yield from fields(field, f"{where}.{name}")
            yield from fields(field.get("items", {}), f"{where}.{name}[]")
            additional = field.get("additionalProperties") or {}
            yield from fields(additional.get("items", {}), f"{where}.{name}{{}}")

    for path in PATHS:
        for status, answer in document["paths"][path]["get"]["responses"].items():
            assert CHINESE.search(answer["description"]), (path, status)
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            for where, field in fields(schema, f"{path} {status}"):
                assert CHINESE.search(field.get("description", "")), where


def test_the_credit_code_in_the_path_is_documented(document):
    (parameter,) = document["paths"]["/merchants/{credit_code}/"]["get"]["parameters"]
    assert parameter["in"] == "path" and parameter["required"]
    assert parameter["description"] == "18位统一社会信用代码"


def test_the_documentation_page_explains_every_read_in_chinese(client, document, settings):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<h1 class="page-header__title">开放数据接口说明</h1>' in html
    # Every operation with its summary and address on the public address, every parameter with
    # its description, every field of the merchant's answer, and the error answers.
    for path in PATHS:
        operation = document["paths"][path]["get"]
        assert operation["summary"] in html
        assert f"<code>{settings.PORTAL_BASE_URL}/api/v1{path}</code>" in html
        for parameter in operation.get("parameters", []):
            assert f"<code>{parameter['name']}</code>" in html
            assert parameter["description"] in html
    assert "<code>results[].<wbr>complaint_number</code>" in html
    assert "投诉编号" in html and "429" in html
    assert "每个客户端每 60 秒最多 60 次" in html
    assert f'href="{reverse("api:openapi_json")}"' in html


def test_the_documentation_page_runs_only_the_sites_own_files(client):
    response = client.get(reverse("api:docs"))
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    for attributes in SCRIPT.findall(html):
        assert "src=" in attributes, attributes
    assert not re.search(r"<[^>]+\s(?:on[a-z]+|style)\s*=", html, re.IGNORECASE)
    # Scripts and styles are the site's own files, nothing from a CDN.
    assets = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', html)
    assets += re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset


def test_the_document_and_the_page_are_read_only_and_not_throttled(client, settings):
    settings.API_RATE_LIMIT = 1
    for url in ("/api/v1/", "/api/v1/openapi.json", "/api/v1/docs"):
        for _attempt in range(3):
            assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url
        refused = client.post(url)
        assert refused.status_code == 405, url
        assert refused["Allow"] == "GET, HEAD"
        assert refused.json()["error"] == "开放数据接口只支持GET请求"


def test_the_documentation_page_explains_the_complaint_intake_body_and_its_201(client):
    html = client.get(reverse("api:docs")).content.decode()
    start = html.index("/api/v1/complaints</code>")
    part = html[start : html.index("</article>", start)]
    assert "请求体（JSON）" in part
    for name in ("merchant_code", "occurred_on", "consent_publish", "phone"):
        assert f"<code>{name}</code>" in part
    assert "<code>tracking_number</code>" in part  # the 201's fields, under 成功时返回
    # No 示例 link to an address a browser's GET would only get a 405 from.
    assert "示例：" not in part
