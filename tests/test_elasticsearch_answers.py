"""Elasticsearch gives the database's answers: the same tokens for every term, the same records,
pages that stop where the index's window does, and a breaker that opens only when the cluster
is unwell.

Without a server: the database's match expressions are read as the database engine sends them
(FTS5 on SQLite, a tsquery on PostgreSQL), the Elasticsearch request as ``build_search`` makes
it, and a small interpreter applies that request's clauses to the documents ``document_source``
makes of the same records.
"""

import datetime
import json
import logging
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

from disclosures import engines
from disclosures import keyword as keywords
from disclosures.engines import database, elastic, es_queries
from disclosures.engines.es_documents import (
    ADDRESS_TOKENS_FIELD,
    TOKENS_FIELD,
    document_source,
    index_definition,
)
from disclosures.engines.es_queries import build_search
from disclosures.models import Disclosure
from disclosures.params import parse_query
from disclosures.search_query import MAX_RESULTS, DisclosureQuery, SearchResults
from search.text_analysis import index_text

from .disclosure_factories import make_disclosure
from .merchant_factories import credit_code, make_merchant

pytestmark = pytest.mark.django_db

YUELU_CODE = credit_code("430104", serial=41207)
COMPLAINT_NUMBER = "20250315430104000123"

# What readers type: Chinese words of two, three and five characters, English letters beside
# Chinese (the cjk analyzer dropped "it" as a stop word), decimals and thousands (its standard
# tokenizer kept 3.5 whole), a width-folded unit, identifiers, one character, 繁體.
QUERIES = (
    "预付卡",
    "退货",
    "健身卡退费",
    "IT培训",
    "3.5折",
    "1,280.00",
    "120㎡",
    YUELU_CODE,
    COMPLAINT_NUMBER,
    "卡",
    "退貨",
    "预付卡 退货",
    "岳麓区 麓谷",
    "ＡＰＰ 会员",
)


def every_filter(q, merchant):
    today = timezone.localdate()
    return DisclosureQuery(
        q=q,
        category=21,
        problem_type=3,
        result=1,
        region="430104",
        merchant=merchant,
        credit_code=YUELU_CODE,
        date_from=today - datetime.timedelta(days=365),
        date_to=today,
    )


@pytest.fixture
def records(db):
    merchant = make_merchant(
        registered_name="长沙市岳麓区麓谷优选超市有限公司", credit_code=YUELU_CODE
    )
    made = {
        "gym": make_disclosure(
            category="健身服务",
            problem_type="合同",
            credit_code=YUELU_CODE,
            complaint_number=COMPLAINT_NUMBER,
            respondent_name="长沙市岳麓区动感地带健身馆",
            summary="办理健身卡后门店停业，预付卡余额1,280.00元无法退费。",
            consumer_request="健身卡退费",
        ),
        "training": make_disclosure(
            category="教育培训",
            respondent_name="长沙码农IT培训学校",
            respondent_address="湖南省长沙市芙蓉区五一大道389号",
            summary="报名IT培训班后承诺的就业推荐没有兑现，要求退还学费。",
            region="430102",
        ),
        "discount": make_disclosure(
            respondent_name="长沙市岳麓区麓谷优选超市有限公司",
            summary="商场宣传全场3.5折，结账时按原价收费，拒绝退货。",
            consumer_request="退还差价",
        ),
        "flat": make_disclosure(
            category="家居用品",
            respondent_name="长沙星城家居装饰有限公司",
            summary="合同约定铺设120㎡木地板，实际只铺了96㎡，APP会员积分也未到账。",
            respondent_address="湖南省长沙市雨花区韶山中路18号",
            region="430100",
        ),
        "hidden": make_disclosure(
            summary="预付卡退货未果。",
            objection_state=Disclosure.ObjectionState.WITHDRAWN,
        ),
    }
    made["merchant"] = merchant
    return made


# --- The tokens each engine matches --------------------------------------------------------


def _fts5_terms(expression):
    """(tokens, prefix) of each phrase of an FTS5 MATCH expression: ``"a b"`` or ``"a" *``."""
    return [
        (tuple(phrase.split()), bool(star))
        for phrase, star in re.findall(r'"([^"]*)"( \*)?', expression)
    ]


def _tsquery_terms(expression):
    """(tokens, prefix) of each part of a tsquery: ``(a <-> b)`` or ``a:*``."""
    terms = []
    for part in re.split(r" [&|] ", expression):
        if part.endswith(":*"):
            terms.append(((part[:-2],), True))
        else:
            terms.append((tuple(part.strip("()").split(" <-> ")), False))
    return terms


def database_terms(monkeypatch, query):
    """The (tokens, prefix) the database engine matches for ``query``, read from the match
    expressions it sends: on the records' index, and on the addresses' index."""
    sent = {"records": [], "addresses": []}
    real = database.matches_sql

    def spy(kind):
        def matches_sql(index, terms, *args, **kwargs):
            sql, params = real(index, terms, *args, **kwargs)
            read = _fts5_terms if connection.vendor == "sqlite" else _tsquery_terms
            sent[kind].extend(read(params[0]))
            return sql, params

        return matches_sql

    monkeypatch.setattr(database, "matches_sql", spy("records"))
    monkeypatch.setattr(keywords, "matches_sql", spy("addresses"))
    database._addresses.clear()  # an address look-up made by an earlier search is remembered
    database.search(query)
    return sent


def elasticsearch_terms(query):
    """(tokens, prefix) of every clause of the Elasticsearch request on a tokens field."""
    found = {TOKENS_FIELD: [], ADDRESS_TOKENS_FIELD: []}

    def walk(node):
        if isinstance(node, dict):
            for kind, spec in node.items():
                if kind == "match_phrase" and set(spec) <= set(found):
                    ((field, phrase),) = spec.items()
                    assert phrase["analyzer"] == "whitespace"
                    found[field].append((tuple(phrase["query"].split(" ")), False))
                elif kind == "prefix" and set(spec) <= set(found):
                    ((field, prefix),) = spec.items()
                    found[field].append(((prefix["value"],), True))
                else:
                    walk(spec)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(build_search(query, timezone.localdate()).to_dict()["query"])
    return found


@pytest.mark.parametrize("q", QUERIES)
def test_both_engines_match_the_same_tokens_for_each_term(q, records, monkeypatch):
    # Any address's ids over the limit: Elasticsearch matches the term in the address's
    # tokens, where the database looks it up in the addresses' index.
    monkeypatch.setattr(es_queries, "ADDRESS_IDS_SENT", 0)
    for query in (DisclosureQuery(q=q), every_filter(q, records["merchant"].pk)):
        sent = database_terms(monkeypatch, query)
        asked = elasticsearch_terms(query)
        assert sent["records"], "数据库没有按词检索"
        assert sorted(asked[TOKENS_FIELD]) == sorted(set(sent["records"]))
        # The database looks every term up in the addresses; Elasticsearch asks the addresses'
        # tokens for the terms some address holds, with the same tokens.
        assert set(sent["addresses"]) == set(sent["records"])
        assert set(asked[ADDRESS_TOKENS_FIELD]) <= set(sent["addresses"])
    if q == "岳麓区 麓谷":
        assert asked[ADDRESS_TOKENS_FIELD] == [(("岳麓", "麓区"), False), (("麓谷",), False)]


def test_the_terms_that_used_to_differ_are_the_database_tokens(records, monkeypatch):
    def tokens(q):
        return sorted(elasticsearch_terms(DisclosureQuery(q=q))[TOKENS_FIELD])

    assert tokens("IT培训") == [(("it",), False), (("培训",), False)]
    assert tokens("3.5折") == [(("3",), False), (("5",), False), (("折",), True)]
    assert tokens("1,280.00") == [(("00",), False), (("1",), False), (("280",), False)]
    assert tokens("120㎡") == [(("120m2",), False)]
    assert tokens("健身卡退费") == [(("健身", "身卡", "卡退", "退费"), False)]


def test_documents_carry_the_database_tokens(records):
    flat = records["flat"]
    source = document_source(flat)
    assert source[TOKENS_FIELD] == Disclosure.objects.get(pk=flat.pk).search_tokens
    assert "120m2" in source[TOKENS_FIELD].split()
    assert source[ADDRESS_TOKENS_FIELD] == index_text("湖南省长沙市雨花区韶山中路18号")
    assert flat.address.search_tokens == source[ADDRESS_TOKENS_FIELD]


# --- The same records ----------------------------------------------------------------------


def _phrase_in(tokens, phrase):
    size = len(phrase)
    return any(tokens[i : i + size] == phrase for i in range(len(tokens) - size + 1))


def _holds(clause, doc):
    """Whether a document meets a clause of the request: the Elasticsearch semantics of the
    clauses ``build_search`` writes, on fields split on whitespace as the mapping splits them."""
    ((kind, spec),) = clause.items()
    if kind == "bool":
        should = spec.get("should", [])
        return (
            all(_holds(part, doc) for part in spec.get("must", []) + spec.get("filter", []))
            and not any(_holds(part, doc) for part in spec.get("must_not", []))
            and (not should or sum(_holds(part, doc) for part in should) >= 1)
        )
    ((field, value),) = spec.items()
    held = doc.get(field)
    if kind == "match_phrase":
        return _phrase_in((held or "").split(), value["query"].split(" "))
    if kind == "prefix":
        return any(token.startswith(value["value"]) for token in (held or "").split())
    if kind == "term":
        return held == value
    if kind == "terms":
        return held in value
    if kind == "range":
        day = held.isoformat() if held else None
        return day is not None and all(
            (day >= bound) if op == "gte" else (day <= bound) for op, bound in value.items()
        )
    raise AssertionError(f"未模拟的查询子句 {kind}")


def elasticsearch_answer(query):
    """(total, ids) of the request ``build_search`` makes, applied to every record's document."""
    body = build_search(query, timezone.localdate()).to_dict()
    docs = [document_source(record) for record in Disclosure.objects.all()]
    wanted = [body["query"]] + ([body["post_filter"]] if "post_filter" in body else [])
    hits = [doc for doc in docs if all(_holds(clause, doc) for clause in wanted)]
    hits.sort(key=lambda doc: (doc["complained_on"], doc["pk"]), reverse=True)
    return len(hits), [doc["pk"] for doc in hits[body["from"] : body["from"] + body["size"]]]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("addresses", ["ids", "tokens"])
def test_both_engines_find_the_same_records(q, addresses, records, monkeypatch):
    if addresses == "tokens":
        monkeypatch.setattr(es_queries, "ADDRESS_IDS_SENT", 0)
    for query in (DisclosureQuery(q=q), every_filter(q, records["merchant"].pk)):
        expected = database.search(query)
        assert elasticsearch_answer(query) == (expected.total, expected.ids), query


def test_what_each_defect_query_finds(records):
    def found(q):
        return set(elasticsearch_answer(DisclosureQuery(q=q))[1])

    assert found("IT培训") == {records["training"].pk}
    assert found("3.5折") == {records["discount"].pk}
    assert found("1,280.00") == {records["gym"].pk}
    assert found("120㎡") == {records["flat"].pk}
    assert found("ＡＰＰ 会员") == {records["flat"].pk}
    assert records["hidden"].pk not in found("预付卡")


def test_the_county_facet_asks_for_counties_only(records):
    aggregation = build_search(DisclosureQuery(), timezone.localdate()).to_dict()["aggs"]
    county = aggregation["county"]["terms"]
    assert county["field"] == "region_code"
    pattern = re.compile(county["exclude"])
    # Lucene's regular expressions match the whole value.
    assert pattern.fullmatch("430100") and pattern.fullmatch("430000")
    assert not pattern.fullmatch("430104")
    # The database lists the same counties: the record filed under 长沙市 is in no county.
    counties = [facet.value for facet in database.search(DisclosureQuery()).facets["county"]]
    assert sorted(counties) == ["430102", "430104"]


# --- Pages within the window ---------------------------------------------------------------


WINDOW_REASON = "检索结果只提供前10000条：每页100条时页码最大为100，请用关键词或筛选条件缩小范围"


def test_the_api_refuses_a_page_past_the_window_with_the_reason(client, records):
    response = client.get(reverse("api:disclosures"), {"per_page": 100, "page": 101})
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "error": "请求参数有误",
        "invalid_parameters": {"page": WINDOW_REASON},
    }
    # The last page within it is a page like any other (past the end of 4 records: 404).
    assert client.get(reverse("api:disclosures"), {"per_page": 100, "page": 100}).status_code == 404
    assert client.get(reverse("api:disclosures"), {"per_page": 100}).status_code == 200


def test_the_search_page_reads_the_last_page_within_the_window():
    query, errors = parse_query({"per_page": "100", "page": "101"})
    assert (query.page, query.per_page) == (100, 100)
    assert errors == {"page": WINDOW_REASON}
    query, errors = parse_query({"per_page": "30", "page": "400"})
    assert query.page == 333 and "页码最大为333" in errors["page"]
    assert parse_query({"page": "500"}) == (DisclosureQuery(page=500), {})


def test_the_search_page_says_why_it_shows_an_earlier_page(client, records):
    page = client.get(reverse("disclosures:search"), {"per_page": 100, "page": 101})
    assert page.status_code == 200
    assert WINDOW_REASON in page.content.decode()
    assert WINDOW_REASON not in client.get(reverse("disclosures:search")).content.decode()


def test_the_last_page_within_the_window_is_asked_of_elasticsearch(records):
    query, _errors = parse_query({"per_page": "100", "page": "101"})
    body = build_search(query, timezone.localdate()).to_dict()
    assert body["from"] + body["size"] == MAX_RESULTS
    index = index_definition("fangxin-disclosures-20251126000000000000").to_dict()
    assert index["settings"]["max_result_window"] == MAX_RESULTS


# --- The breaker ---------------------------------------------------------------------------


class ScriptedNode(BaseNode):
    """A transport node that answers each search with the next (status, body) of ``answers``."""

    _CLIENT_META_HTTP_CLIENT = ("fake", "1.0")
    answers = None
    asked = None

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        self.asked.append(target)
        status, payload = self.answers.pop(0)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}
            ),
            duration=0.0,
            node=self.config,
        )
        return NodeApiResponse(meta, json.dumps(payload).encode())


NO_HITS = {
    "took": 2,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "failed": 0},
    "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
    "aggregations": {},
}


def refused(status, kind):
    return status, {"error": {"type": kind, "reason": kind}, "status": status}


@pytest.fixture
def cluster(monkeypatch, settings):
    """The real client over a ScriptedNode; ``cluster.answers`` is the list to fill."""
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    node_class = type("Node", (ScriptedNode,), {"answers": [], "asked": []})
    client = Elasticsearch("http://es.test:9200", node_class=node_class, max_retries=0)
    monkeypatch.setattr(elastic, "client", lambda: client)
    monkeypatch.setattr(engines, "database_search", lambda query: SearchResults(query=query))
    engines.reset_breaker()
    yield node_class
    engines.reset_breaker()


def engine_log(caplog):
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "disclosures.engines"]


def test_a_bad_request_is_logged_as_an_error_and_keeps_the_breaker_shut(cluster, caplog):
    cluster.answers += [refused(400, "search_phase_execution_exception"), (200, NO_HITS)]
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        first = engines.search(DisclosureQuery(q="退货"))
        second = engines.search(DisclosureQuery(q="预付卡"))
    assert (first.engine, first.fell_back) == ("database", True)
    assert (second.engine, second.fell_back) == ("elasticsearch", False)
    assert len(cluster.asked) == 2
    ((level, message),) = engine_log(caplog)
    assert level == logging.ERROR and "Elasticsearch 拒绝了检索请求" in message


def test_a_missing_index_keeps_the_breaker_shut(cluster, caplog):
    cluster.answers += [refused(404, "index_not_found_exception"), (200, NO_HITS)]
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        assert engines.search(DisclosureQuery(q="退货")).fell_back
        assert not engines.search(DisclosureQuery(q="退货")).fell_back
    assert [level for level, _message in engine_log(caplog)] == [logging.ERROR]


@pytest.mark.parametrize(
    ("status", "kind"),
    [(503, "cluster_block_exception"), (500, "null_pointer_exception"), (429, "es_rejected")],
)
def test_an_unwell_cluster_opens_the_breaker(cluster, caplog, status, kind):
    cluster.answers += [refused(status, kind)]
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        first = engines.search(DisclosureQuery(q="退货"))
        second = engines.search(DisclosureQuery(q="预付卡"))
    assert first.fell_back and second.fell_back
    assert len(cluster.asked) == 1  # the second never reached the cluster
    ((level, message),) = engine_log(caplog)
    assert level == logging.WARNING and "Elasticsearch 不可用，改用数据库检索" in message


def test_timed_out_shards_open_the_breaker(cluster, caplog):
    cluster.answers += [(200, {**NO_HITS, "timed_out": True})]
    with caplog.at_level(logging.WARNING, logger="disclosures.engines"):
        assert engines.search(DisclosureQuery(q="退货")).fell_back
        assert engines.search(DisclosureQuery(q="退货")).fell_back
    assert len(cluster.asked) == 1


def test_a_page_past_the_window_never_reaches_elasticsearch(cluster):
    deep = DisclosureQuery(page=101, per_page=100)
    results = engines.search(deep)
    assert (results.engine, results.fell_back, cluster.asked) == ("database", False, [])
    assert engines.breaker_open() is False


def test_the_breaker_closes_after_its_wait(cluster, monkeypatch):
    cluster.answers += [refused(503, "unavailable"), (200, NO_HITS)]
    engines.search(DisclosureQuery(q="退货"))
    assert engines.breaker_open()
    clock = engines.time.monotonic() + engines.RETRY_AFTER_SECONDS + 1
    monkeypatch.setattr(engines.time, "monotonic", lambda: clock)
    assert not engines.search(DisclosureQuery(q="退货")).fell_back
    assert len(cluster.asked) == 2
