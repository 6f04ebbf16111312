"""The Elasticsearch engine, without a server: golden request bodies, recorded responses, a fake
cluster behind the real client's HTTP layer, and a client whose connections are refused.

Golden files live in tests/golden/elasticsearch/. After an intended change to the query builder
or the mapping, run ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_disclosure_elasticsearch.py``
and review the diff of the JSON files like any other code change.
"""

import datetime
import fnmatch
import importlib.util
import itertools
import json
import logging
import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport import ConnectionError as Refused
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

from disclosures import engines
from disclosures.engines import elastic
from disclosures.engines.es_documents import (
    DisclosureDocument,
    alias_name,
    document_source,
    index_definition,
)
from disclosures.engines.es_queries import build_search, parse_response
from disclosures.facets import FACET_NAMES
from disclosures.models import (
    ComplaintCategory,
    Disclosure,
    HandlingResult,
    ProblemType,
    RespondentAddress,
)
from disclosures.scrubbing import scrub
from disclosures.search_query import DisclosureQuery, SearchResults
from search.text_analysis import index_text

from .merchant_factories import credit_code, make_merchant

GOLDEN = Path(__file__).resolve().parent / "golden" / "elasticsearch"
TODAY = datetime.date(2025, 6, 30)  # the day every golden request is built for
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused


@pytest.fixture(autouse=True)
def fresh_breaker():
    engines.reset_breaker()
    yield
    engines.reset_breaker()


def assert_golden(name, actual):
    """Compare with GOLDEN/name; UPDATE_GOLDEN=1 rewrites the file instead."""
    actual = json.loads(json.dumps(actual))
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert path.exists(), f"{path} 不存在：用 UPDATE_GOLDEN=1 生成后检查再提交"
    assert actual == json.loads(path.read_text(encoding="utf-8")), (
        f"{name} 与黄金文件不同；如属有意修改，用 UPDATE_GOLDEN=1 重新生成并检查差异"
    )


def recorded(name):
    return json.loads((GOLDEN / "responses" / name).read_text(encoding="utf-8"))


# --- Request bodies ------------------------------------------------------------------------


GOLDEN_QUERIES = {
    # Two terms: a three-character phrase and a two-character bigram, sorted by date.
    "keyword_only.json": DisclosureQuery(q="预付卡 退货"),
    "keyword_with_filters.json": DisclosureQuery(
        q="健身卡",
        category=21,
        problem_type=3,
        region="430100",
        result=1,
        date_from=datetime.date(2024, 1, 1),
        date_to=datetime.date(2024, 12, 31),
        page=3,
        per_page=20,
    ),
    "filters_only.json": DisclosureQuery(region="430104", problem_type=1),
    "relevance_sort.json": DisclosureQuery(q="退费", sort="relevance"),
    "merchant_records.json": DisclosureQuery(merchant=42, credit_code="91430104MA4L12345X"),
    "province_single_character.json": DisclosureQuery(q="卡", region="430000", per_page=50),
    # A problem type's name: the text, or the records filed under 虚假宣传 (id 4).
    "problem_type_by_name.json": DisclosureQuery(q="虚假宣传"),
    # A credit code typed as the keyword: its text, its complaint number, or its merchant's.
    "credit_code_keyword.json": DisclosureQuery(q="91430104MA4L123454"),
    "complaint_number_keyword.json": DisclosureQuery(q="20250315430104000123"),
    # Parts of the addresses (``GOLDEN_ADDRESSES``): their ids, beside the text.
    "address_by_fragment.json": DisclosureQuery(q="岳麓区 麓谷"),
}
# The distinct respondent addresses the golden requests are built against, by id.
GOLDEN_ADDRESSES = {
    7: "湖南省长沙市岳麓区麓谷大道627号",
    9: "湖南省长沙市岳麓区银杉路8号",
    12: "湖南省长沙市芙蓉区五一大道389号",
}


@pytest.fixture
def golden_addresses(db):
    RespondentAddress.objects.bulk_create(
        [
            RespondentAddress(pk=pk, text=text, search_tokens=index_text(text))
            for pk, text in GOLDEN_ADDRESSES.items()
        ]
    )


# A keyword is compared with the category and problem type names: those tests read the
# reference data (loaded by the migrations, so its ids are the same on every test database).
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(GOLDEN_QUERIES))
def test_request_body_matches_golden(name, golden_addresses):
    assert_golden(name, build_search(GOLDEN_QUERIES[name], TODAY).to_dict())


@pytest.mark.django_db
def test_keyword_terms_are_phrases_of_the_database_tokens():
    body = build_search(DisclosureQuery(q="预付卡 退货 卡"), TODAY).to_dict()
    must = body["query"]["bool"]["must"]
    assert must == [
        {"match_phrase": {"tokens": {"query": "预付 付卡", "analyzer": "whitespace"}}},
        {"match_phrase": {"tokens": {"query": "退货", "analyzer": "whitespace"}}},
        {"prefix": {"tokens": {"value": "卡"}}},
    ]


@pytest.mark.django_db
def test_every_request_applies_the_visibility_rule():
    for query in GOLDEN_QUERIES.values():
        bool_query = build_search(query, TODAY).to_dict()["query"]["bool"]
        assert {"range": {"disclosed_on": {"lte": "2025-06-30"}}} in bool_query["filter"]
        assert {"range": {"display_until": {"gte": "2025-06-30"}}} in bool_query["filter"]
        assert bool_query["must_not"] == [{"term": {"objection_state": "withdrawn"}}]


def test_region_filters_by_the_level_of_its_code():
    def region_term(code):
        body = build_search(DisclosureQuery(region=code), TODAY).to_dict()
        return body["post_filter"]["bool"]["filter"][-1]

    assert region_term("430000") == {"term": {"province_code": "430000"}}
    assert region_term("430100") == {"term": {"city_code": "430100"}}
    assert region_term("430104") == {"term": {"region_code": "430104"}}


def test_every_facet_has_an_aggregation_and_pages_count_exactly():
    body = build_search(DisclosureQuery(page=4, per_page=25), TODAY).to_dict()
    assert tuple(body["aggs"]) == FACET_NAMES
    assert (body["from"], body["size"], body["track_total_hits"]) == (75, 25, True)


@pytest.mark.django_db
def test_each_facet_is_counted_without_its_own_filter():
    query = DisclosureQuery(q="退货", category=2, result=1, region="430104")
    body = build_search(query, TODAY).to_dict()
    post_filter = body["post_filter"]["bool"]["filter"]
    assert post_filter == [
        {"term": {"category": 2}},
        {"term": {"result": 1}},
        {"term": {"region_code": "430104"}},
    ]

    def applied(facet):
        return body["aggs"][facet]["filter"]["bool"]["filter"]

    assert {"term": {"category": 2}} not in applied("category")
    assert applied("result") == [{"term": {"category": 2}}, {"term": {"region_code": "430104"}}]
    assert applied("city") == [{"term": {"category": 2}}, {"term": {"result": 1}}]
    # Counties are the chosen county's city's, so a reader can move to a neighbouring county.
    assert applied("county") == [
        {"term": {"category": 2}},
        {"term": {"result": 1}},
        {"term": {"city_code": "430100"}},
    ]
    assert applied("year") == post_filter
    # The query itself keeps the keyword and visibility; dates and merchant stay in it too.
    assert "post_filter" not in build_search(DisclosureQuery(q="退货"), TODAY).to_dict()


def test_mapping_matches_golden():
    body = index_definition("fangxin-disclosures-20250630000000000000").to_dict()
    # The properties in name order: the client lists them in no fixed order.
    properties = body["mappings"]["properties"]
    assert_golden(
        "mapping.json",
        {**body, "mappings": {**body["mappings"], "properties": dict(sorted(properties.items()))}},
    )
    # The database's tokens, split on whitespace and nothing else.
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["disclosure_tokens"] == {
        "type": "custom",
        "tokenizer": "disclosure_whitespace",
    }
    assert analysis["tokenizer"]["disclosure_whitespace"]["type"] == "whitespace"
    for name in ("tokens", "address_tokens"):
        assert properties[name]["analyzer"] == "disclosure_tokens"
    # The text is kept for whoever reads the index, but nothing searches it.
    for name in (
        "respondent_name",
        "summary",
        "consumer_request",
        "respondent_address",
        "handling_department",
    ):
        assert properties[name] == {"type": "text", "index": False}
    for name in ("complaint_number", "credit_code", "region_code", "city_code", "province_code"):
        assert properties[name] == {"type": "keyword"}
    assert body["mappings"]["dynamic"] == "strict"


def test_index_names_come_from_settings(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "hunan"
    assert alias_name() == "hunan-disclosures"


# --- Records --------------------------------------------------------------------------------

_numbers = itertools.count(1)


def disclose(merchant=None, **overrides):
    complained_on = overrides.pop("complained_on", datetime.date(2025, 3, 8))
    fields = {
        "complaint_number": f"1243010420250{next(_numbers):05d}",
        "respondent_name": "长沙市岳麓区麓谷优选超市有限公司",
        "credit_code": merchant.credit_code if merchant else "",
        "region_id": "430104",
        "respondent_address": "湖南省长沙市岳麓区麓谷大道627号",
        "category": ComplaintCategory.objects.get(name="健身服务"),
        "problem_type": ProblemType.objects.get(name="合同"),
        "summary": "办理预付卡后健身房停业,要求退还剩余费用。",
        "consumer_request": "退还剩余预付款",
        "complained_on": complained_on,
        "handling_department": "长沙市岳麓区市场监督管理局",
        "result": HandlingResult.objects.get(name="调解成功"),
        "closed_on": complained_on + datetime.timedelta(days=12),
        "recovered_amount": Decimal("1280.00"),
        "disclosed_on": complained_on + datetime.timedelta(days=30),
        "display_until": complained_on + datetime.timedelta(days=395),
        "merchant": merchant,
    }
    fields.update(overrides)
    return Disclosure.objects.create(**fields)


@pytest.mark.django_db
def test_document_holds_public_fields_and_only_scrubbed_text():
    merchant = make_merchant(contact_person="王建国", contact_phone="13807311234")
    raw = "本人张伟,电话13974851234,身份证430104199003071234,在该店办卡后门店关闭。"
    cleaned = scrub(raw).text
    record = disclose(merchant, summary=cleaned, consumer_request="退款,联系QQ 12345678")
    record.consumer_request = scrub(record.consumer_request).text
    record.save()

    document = DisclosureDocument(meta={"id": str(record.pk)}, **document_source(record))
    document = document.to_dict(include_meta=True)
    source = document_source(record)  # what bulk loads send

    assert document["_id"] == str(record.pk)
    mapped = set(index_definition("x").to_dict()["mappings"]["properties"])
    assert set(source) == mapped
    assert document["_source"] == {k: v for k, v in source.items() if v is not None}
    assert source["summary"] == cleaned
    text = json.dumps(source, ensure_ascii=False, default=str)
    for personal in ("张伟", "13974851234", "430104199003071234", "12345678"):
        assert personal not in text
    # The merchant's private contact is not a disclosure field either.
    assert "王建国" not in text and "13807311234" not in text
    assert source["complained_on"] == datetime.date(2025, 3, 8)
    assert (source["year"], source["city_code"]) == (2025, "430100")
    assert source["recovered_amount"] == 1280.0


# --- Responses ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recorded_response_becomes_results_with_labels():
    query = GOLDEN_QUERIES["keyword_with_filters.json"]
    category = ComplaintCategory.objects.get(name="健身服务")
    problem = ProblemType.objects.get(name="合同")
    success = HandlingResult.objects.get(name="调解成功")
    # The recorded buckets carry the ids the reference-data migration gives on a fresh database.
    assert (category.pk, problem.pk, success.pk) == (21, 3, 1), "参考数据编号变了，请更新录制的响应"

    results = parse_response(recorded("keyword_with_filters.json"), query)

    assert isinstance(results, SearchResults) and results.engine == "elasticsearch"
    assert results.total == 43
    assert results.ids == [90412, 90377, 88120]
    facets = {
        name: [(f.value, f.label, f.count) for f in results.facets[name]] for name in FACET_NAMES
    }
    # Each facet leaves out its own filter: the other categories keep their counts.
    assert facets["category"] == [
        ("21", "健身服务", 43),
        ("13", "美容美发洗浴", 9),
        ("12", "教育培训", 5),
    ]
    assert facets["problem_type"] == [("3", "合同", 43), ("1", "售后服务", 4)]
    assert facets["city"] == [
        ("430100", "长沙市", 43),
        ("430200", "株洲市", 7),
        ("430400", "衡阳市", 2),
    ]
    assert facets["county"] == [
        ("430104", "岳麓区", 22),
        ("430102", "芙蓉区", 12),
        ("430111", "雨花区", 6),
        ("430121", "长沙县", 3),
    ]
    assert facets["result"] == [("1", "调解成功", 43), ("2", "调解不成功", 8), ("3", "终止调解", 2)]
    assert facets["year"] == [("2024", "2024年", 43)]


@pytest.mark.django_db
def test_recorded_response_with_no_hits():
    results = parse_response(recorded("no_hits.json"), DisclosureQuery(q="跑路"))
    assert (results.total, results.ids) == (0, [])
    assert results.facets == {name: [] for name in FACET_NAMES}


@pytest.mark.django_db
def test_a_record_filed_under_a_city_is_counted_as_no_county():
    # The import takes a city's code as a record's region: its city counts it, as in the
    # database engine, but the county list names counties only.
    buckets = [{"key": "430100", "doc_count": 2}, {"key": "430104", "doc_count": 1}]
    response = {
        "hits": {"total": {"value": 3}, "hits": []},
        "aggregations": {"county": {"buckets": buckets}, "city": {"buckets": buckets[:1]}},
    }
    results = parse_response(response, DisclosureQuery())
    assert [(f.value, f.label, f.count) for f in results.facets["county"]] == [
        ("430104", "岳麓区", 1)
    ]
    assert [(f.value, f.label, f.count) for f in results.facets["city"]] == [
        ("430100", "长沙市", 2)
    ]


@pytest.mark.django_db
def test_facets_list_the_largest_first_and_ties_by_value():
    results = parse_response(recorded("filters_only.json"), GOLDEN_QUERIES["filters_only.json"])
    assert results.total == 1204
    assert len(results.ids) == 20 and results.ids[0] == 118460
    assert [(f.label, f.count) for f in results.facets["year"]] == [
        ("2024年", 650),
        ("2025年", 402),
        ("2023年", 152),
    ]
    # 餐饮住宿 (11) and 教育培训 (12) tie: the lower id first, as the server orders them.
    assert [(f.label, f.count) for f in results.facets["category"]][1:4] == [
        ("家用电器", 214),
        ("餐饮住宿", 187),
        ("教育培训", 187),
    ]
    assert [(f.label, f.count) for f in results.facets["result"]] == [
        ("调解成功", 801),
        ("调解不成功", 201),
        ("终止调解", 117),
        ("不予受理", 85),
    ]


# --- A fake cluster behind the real client --------------------------------------------------


class FakeCluster:
    """Just enough of Elasticsearch's index, alias, settings, bulk and search API, recording each
    call: external versions (an older write answers 409), and failures on demand (``fail``)."""

    def __init__(self, search_response=None):
        self.requests = []
        # name -> {"body": create body, "docs": {id: source}, "versions": {id: version},
        #          "aliases": set, "settings": {name: value}}
        self.indices = {}
        self.search_response = search_response
        self.failures = []  # [(method, path suffix, status, times left)], see fail()
        self.down = False  # every request is refused, as by a stopped server

    def fail(self, method, suffix, status, times=1):
        """Answer ``status`` to the next ``times`` requests whose path ends with ``suffix``."""
        self.failures.append([method, suffix, status, times])

    def _failure(self, method, path):
        for failure in self.failures:
            if failure[0] == method and path.endswith(failure[1]) and failure[3]:
                failure[3] -= 1
                return failure[2]
        return None

    def add_index(self, name, aliases=(), docs=None, settings=None):
        self.indices[name] = {
            "body": {},
            "docs": dict(docs or {}),
            "versions": {},
            "aliases": set(aliases),
            "settings": dict(settings or {}),
        }

    def names_for(self, target):
        if target in self.indices:
            return [target]
        patterns = target.split(",")
        return [
            name
            for name, index in self.indices.items()
            if any(fnmatch.fnmatch(name, p) or p in index["aliases"] for p in patterns)
        ]

    def handle(self, method, path, body):
        self.requests.append((method, path, body))
        if (status := self._failure(method, path)) is not None:
            return status, {"error": {"type": "injected"}, "status": status}
        parts = [unquote(p) for p in path.strip("/").split("/") if p]
        if parts == ["_bulk"]:
            return self.bulk(body)
        if parts == ["_aliases"]:
            for action in body["actions"]:
                ((kind, spec),) = action.items()
                if kind == "add":
                    self.indices[spec["index"]]["aliases"].add(spec["alias"])
                elif kind == "remove":
                    self.indices[spec["index"]]["aliases"].discard(spec["alias"])
                elif kind == "remove_index":
                    del self.indices[spec["index"]]
            return 200, {"acknowledged": True}
        if parts[0] == "_alias":
            alias = parts[1]
            owners = {
                name: {"aliases": {alias: {}}}
                for name, index in self.indices.items()
                if alias in index["aliases"]
            }
            if owners:
                return 200, owners
            return 404, {"error": f"alias [{parts[1]}] missing", "status": 404}
        if len(parts) == 1:
            if method == "PUT":
                self.add_index(parts[0], aliases=(body or {}).get("aliases", {}))
                self.indices[parts[0]]["body"] = body
                self.indices[parts[0]]["settings"] = dict((body or {}).get("settings", {}))
                return 200, {"acknowledged": True, "index": parts[0]}
            if method == "HEAD":
                return (200 if self.names_for(parts[0]) else 404), None
            if method == "DELETE":
                del self.indices[parts[0]]
                return 200, {"acknowledged": True}
        if parts[1] == "_alias":  # GET <pattern>/_alias: every matching index and its aliases
            return 200, {
                name: {"aliases": {alias: {} for alias in self.indices[name]["aliases"]}}
                for name in self.names_for(parts[0])
            }
        if parts[1] == "_settings":
            names = self.names_for(parts[0])
            if method == "GET":
                if not names:
                    return 404, {"error": f"no such index [{parts[0]}]", "status": 404}
                return 200, {
                    name: {"settings": {"index": self.indices[name]["settings"]}} for name in names
                }
            for name in names:
                self.indices[name]["settings"].update(body["index"])
            return 200, {"acknowledged": True}
        if parts[1] == "_refresh":
            return 200, {"acknowledged": True}
        if parts[1] == "_delete_by_query":
            (day,) = body["query"]["range"]["display_until"].values()
            deleted = 0
            for name in self.names_for(parts[0]):
                docs = self.indices[name]["docs"]
                for pk in [pk for pk, doc in docs.items() if str(doc["display_until"]) < day]:
                    del docs[pk]
                    deleted += 1
            return 200, {"deleted": deleted, "failures": []}
        if parts[1] == "_search":
            return 200, self.search_response
        raise AssertionError(f"unexpected request {method} {path}")

    def bulk(self, lines):
        items = []
        for action, source in lines:
            ((kind, meta),) = action.items()
            (name,) = self.names_for(meta["_index"])
            index = self.indices[name]
            docs, versions = index["docs"], index["versions"]
            pk, version = meta["_id"], meta.get("version")
            result = {"_index": name, "_id": pk}
            if version is not None and versions.get(pk, -1) > version:
                items.append({kind: {**result, "status": 409, "error": {"type": "conflict"}}})
                continue
            if kind == "index":
                docs[pk] = source
                if version is not None:
                    versions[pk] = version
                items.append({kind: {**result, "status": 201}})
            else:
                status = 200 if docs.pop(pk, None) is not None else 404
                versions.pop(pk, None)
                items.append({kind: {**result, "status": status}})
        errors = any(item[kind]["status"] >= 400 for item in items for kind in item)
        return 200, {"took": 3, "errors": errors, "items": items}


class FakeNode(BaseNode):
    """A transport node that answers from a FakeCluster instead of the network."""

    _CLIENT_META_HTTP_CLIENT = ("fake", "1.0")
    cluster = None

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        if self.cluster.down:
            raise Refused("connection refused (fake cluster down)")
        path = urlsplit(target).path
        if body and path.endswith("_bulk"):
            decoded = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
            parsed, i = [], 0
            while i < len(decoded):
                (kind,) = decoded[i]
                source = decoded[i + 1] if kind in ("index", "create") else None
                parsed.append((decoded[i], source))
                i += 2 if source is not None else 1
        else:
            parsed = json.loads(body) if body else None
        status, payload = self.cluster.handle(method, path, parsed)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}
            ),
            duration=0.0,
            node=self.config,
        )
        data = b"" if payload is None or method == "HEAD" else json.dumps(payload).encode()
        return NodeApiResponse(meta, data)


@pytest.fixture
def cluster(monkeypatch, settings):
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    fake = FakeCluster()
    node_class = type("BoundFakeNode", (FakeNode,), {"cluster": fake})
    client = Elasticsearch("http://es.test:9200", node_class=node_class, max_retries=0)
    monkeypatch.setattr(elastic, "client", lambda: client)
    return fake


@pytest.fixture
def records(db):
    today = timezone.localdate()
    merchant = make_merchant()
    shown = disclose(merchant, complained_on=today - datetime.timedelta(days=60))
    scheduled = disclose(merchant, complained_on=today - datetime.timedelta(days=3))
    expired = disclose(
        merchant,
        complained_on=today - datetime.timedelta(days=500),
        display_until=today - datetime.timedelta(days=1),
    )
    withdrawn = disclose(
        merchant, complained_on=today - datetime.timedelta(days=90), objection_state="withdrawn"
    )
    return {"shown": shown, "scheduled": scheduled, "expired": expired, "withdrawn": withdrawn}


def test_rebuild_loads_a_new_index_and_swaps_the_alias_atomically(cluster, records):
    old = "fangxin-disclosures-20240101000000000000"
    cluster.add_index(
        old, aliases={"fangxin-disclosures"}, docs={"1": {}}, settings={"number_of_replicas": "2"}
    )
    # Saved long before the rebuild: only the load writes them.
    Disclosure.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))

    report = elastic.rebuild(chunk=1, now=datetime.datetime(2025, 6, 30, 2, 0, 0))

    new = "fangxin-disclosures-20250630020000000000"
    assert (report.index, report.previous, report.indexed) == (new, [old], 3)
    calls = [(method, path) for method, path, _ in cluster.requests]
    create = calls.index(("PUT", f"/{new}"))
    swap = calls.index(("POST", "/_aliases"))
    assert create < calls.index(("PUT", "/_bulk")) < swap < calls.index(("DELETE", f"/{old}"))
    assert cluster.requests[swap][2] == {
        "actions": [
            {"remove": {"index": old, "alias": "fangxin-disclosures"}},
            {"add": {"index": new, "alias": "fangxin-disclosures"}},
            {"remove": {"index": new, "alias": "fangxin-disclosures-building"}},
        ]
    }
    created = cluster.requests[create][2]
    assert created["mappings"] == index_definition(new).to_dict()["mappings"]
    # Loaded without replicas or refreshes; the live index's two replicas come back after.
    assert created["settings"]["refresh_interval"] == "-1"
    assert created["settings"]["number_of_replicas"] == 0
    assert created["aliases"] == {"fangxin-disclosures-building": {}}
    assert cluster.indices[new]["settings"]["number_of_replicas"] == "2"
    assert cluster.indices[new]["settings"]["refresh_interval"] is None
    # Public, scheduled and withdrawn records (the withdrawal with its state, so that no older
    # write can bring it back); expired ones are left out.
    docs = cluster.indices[new]["docs"]
    assert set(docs) == {str(records[name].pk) for name in ("shown", "scheduled", "withdrawn")}
    assert docs[str(records["withdrawn"].pk)]["objection_state"] == "withdrawn"
    assert list(cluster.indices) == [new]


def test_first_rebuild_replaces_an_index_that_took_the_alias_name(cluster, records):
    cluster.add_index("fangxin-disclosures")
    report = elastic.rebuild(now=datetime.datetime(2025, 6, 30))
    swap = next(body for method, path, body in cluster.requests if path == "/_aliases")
    assert swap["actions"] == [
        {"remove_index": {"index": "fangxin-disclosures"}},
        {"add": {"index": report.index, "alias": "fangxin-disclosures"}},
        {"remove": {"index": report.index, "alias": "fangxin-disclosures-building"}},
    ]


def test_sync_writes_records_with_their_state_and_deletes_removed_ones(cluster, records):
    elastic.rebuild(now=datetime.datetime(2025, 6, 30))
    (index,) = cluster.indices
    docs = cluster.indices[index]["docs"]
    # The withdrawal arrives with a corrected file after the index was built.
    shown = records["shown"]
    shown.objection_state = Disclosure.ObjectionState.WITHDRAWN
    shown.save()
    shown_again = disclose(complained_on=timezone.localdate() - datetime.timedelta(days=40))
    scheduled_pk = records["scheduled"].pk
    records["scheduled"].delete()

    report = engines.sync_after_import([shown.pk, shown_again.pk, scheduled_pk])

    assert (report.indexed, report.deleted, report.conflicts) == (2, 1, 0)
    assert docs[str(shown.pk)]["objection_state"] == "withdrawn"
    assert str(shown_again.pk) in docs and str(scheduled_pk) not in docs


def test_sync_before_the_first_rebuild_writes_nothing(cluster, records, caplog):
    with caplog.at_level(logging.WARNING):
        report = engines.sync_after_import([records["shown"].pk])
    assert report.skipped
    assert not cluster.indices
    assert "reindex_disclosures" in caplog.text


def test_search_asks_the_alias_and_reads_the_answer(cluster, db):
    cluster.search_response = recorded("no_hits.json")
    results = engines.search(DisclosureQuery(q="跑路"))
    assert (results.engine, results.fell_back, results.total) == ("elasticsearch", False, 0)
    ((method, path, body),) = cluster.requests
    assert (method, path) == ("POST", "/fangxin-disclosures/_search")
    assert body["query"]["bool"]["must"][0]["match_phrase"]["tokens"]["query"] == "跑路"


def test_reindex_command_reports_the_swap(cluster, records):
    from io import StringIO

    out = StringIO()
    call_command("reindex_disclosures", stdout=out)
    text = out.getvalue()
    assert "已写入 3 条公示记录" in text
    assert "别名 fangxin-disclosures 已切换到 fangxin-disclosures-" in text


# --- When Elasticsearch is unreachable ------------------------------------------------------


@pytest.fixture
def unreachable(settings):
    settings.ELASTICSEARCH_URL = UNREACHABLE
    settings.ELASTICSEARCH_TIMEOUT = 1


@pytest.mark.django_db
def test_search_falls_back_to_the_database_with_a_warning(unreachable, monkeypatch, caplog):
    asked = []

    def database_search(query):
        asked.append(query)
        return SearchResults(query=query, total=3, ids=[3, 2, 1])

    monkeypatch.setattr(engines, "database_search", database_search)
    query = DisclosureQuery(q="预付卡")
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        results = engines.search(query)
    assert asked == [query]
    assert (results.engine, results.fell_back, results.ids) == ("database", True, [3, 2, 1])
    (warning,) = [r for r in caplog.records if r.name == "disclosures.engines"]
    assert warning.levelno == logging.WARNING
    assert "Elasticsearch 不可用，改用数据库检索" in warning.getMessage()


@pytest.mark.django_db
def test_after_a_failure_searches_go_straight_to_the_database(unreachable, monkeypatch, caplog):
    attempts = []
    real_search = elastic.search
    monkeypatch.setattr(
        elastic, "search", lambda query: attempts.append(query) or real_search(query)
    )
    monkeypatch.setattr(engines, "database_search", lambda query: SearchResults(query=query))
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        first = engines.search(DisclosureQuery(q="退货"))
        second = engines.search(DisclosureQuery(q="预付卡"))
    assert first.fell_back and second.fell_back
    assert len(attempts) == 1
    assert len([r for r in caplog.records if r.name == "disclosures.engines"]) == 1


@pytest.mark.django_db
def test_partial_answer_falls_back_rather_than_showing_wrong_counts(cluster, monkeypatch, caplog):
    cluster.search_response = recorded("shard_failure.json")
    monkeypatch.setattr(engines, "database_search", lambda query: SearchResults(query=query))
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        results = engines.search(DisclosureQuery(q="退货"))
    assert results.fell_back and results.engine == "database"
    assert "1/2 个分片失败或超时" in caplog.text


@pytest.mark.skipif(
    importlib.util.find_spec("disclosures.engines.database") is None,
    reason="disclosures/engines/database.py (the database engine) is not written yet",
)
def test_fallback_answers_like_the_database_engine(unreachable, records, caplog):
    from disclosures.engines import database

    query = DisclosureQuery(q="预付卡")
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        results = engines.search(query)
    expected = database.search(query)
    assert results.fell_back
    assert (results.total, results.ids) == (expected.total, expected.ids)
    assert results.ids == [records["shown"].pk]
    assert "Elasticsearch 不可用" in caplog.text


def test_sync_after_import_survives_an_unreachable_server(unreachable, records, caplog):
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        assert engines.sync_after_import([records["shown"].pk]) is None
    assert "sync_disclosures" in caplog.text


def test_sync_without_elasticsearch_does_nothing(settings, records):
    settings.ELASTICSEARCH_URL = ""
    assert engines.sync_after_import([records["shown"].pk]) is None


def test_reindex_command_explains_what_is_wrong(settings, unreachable, db):
    with pytest.raises(CommandError, match="无法连接或写入 Elasticsearch"):
        call_command("reindex_disclosures")
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="未配置 ELASTICSEARCH_URL"):
        call_command("reindex_disclosures")


def test_an_editors_withdrawal_reaches_the_index_once_committed(
    cluster, records, django_capture_on_commit_callbacks
):
    elastic.rebuild(now=datetime.datetime(2025, 6, 30))
    (index,) = cluster.indices
    docs = cluster.indices[index]["docs"]
    shown = records["shown"]
    assert str(shown.pk) in docs
    with django_capture_on_commit_callbacks(execute=True):
        shown.objection_state = Disclosure.ObjectionState.WITHDRAWN
        shown.save()
    assert docs[str(shown.pk)]["objection_state"] == "withdrawn"


def test_a_merchant_registered_later_is_linked_in_the_index(
    cluster, records, django_capture_on_commit_callbacks
):
    code = credit_code("430104", serial=77001)
    unregistered = disclose(credit_code=code, complained_on=timezone.localdate())
    elastic.rebuild(now=datetime.datetime(2025, 6, 30))
    (index,) = cluster.indices
    docs = cluster.indices[index]["docs"]
    assert docs[str(unregistered.pk)]["merchant"] is None
    with django_capture_on_commit_callbacks(execute=True):
        merchant = make_merchant(registered_name="长沙市岳麓区新开张健身馆", credit_code=code)
    assert docs[str(unregistered.pk)]["merchant"] == merchant.pk
