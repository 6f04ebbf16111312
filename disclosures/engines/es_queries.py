"""THE Elasticsearch request of a disclosure search, and the reading of its response.

``build_search`` turns a ``DisclosureQuery`` into one ``Search`` (a bool query, sort, page and
one aggregation per facet); ``parse_response`` turns what the server answers into the
``SearchResults`` every engine returns. Tests hold the request bodies to golden files
(tests/golden/elasticsearch/), so a change here shows up as a reviewable diff.

Same behaviour as the database engine:
- keyword: every term of ``search.text_analysis.query_terms`` must match. A term of two or more
  characters is a phrase over the ``cjk`` bigrams (预付卡 = 预付 then 付卡, adjacent), a
  two-character term is its single bigram (退货), a one-character term matches that character
  anywhere through the ``.chars`` sub-fields;
- visibility is ``Disclosure.objects.public()`` again, applied at query time, so a record
  disappears on the day after its display-until date even before the next reindex;
- facets are counted with every filter but their own (choosing 长沙市 leaves the other cities
  and their counts in the city facet, so the count beside each link is what that link shows),
  counties within the chosen region's city.
"""

from elasticsearch_dsl import Q, Search

from common import regions
from search.text_analysis import query_terms

from ..models import ComplaintCategory, Disclosure, HandlingResult, ProblemType
from ..search_query import (
    FACET_OWN_FILTER,
    FACETS,
    SORT_RELEVANCE,
    FacetCount,
    SearchResults,
    county_scope,
)
from .es_documents import SEARCH_FIELDS

# Facet name -> (indexed field, how many buckets at most). The sizes exceed the number of
# values each field can take (a province has about 120 counties), so the counts are exact.
FACET_FIELDS = {
    "category": ("category", 500),
    "problem_type": ("problem_type", 200),
    "city": ("city_code", 500),
    "county": ("region_code", 5000),
    "result": ("result", 100),
    "year": ("year", 100),
}
assert tuple(FACET_FIELDS) == FACETS, "every facet needs an aggregation"

_REGION_FIELDS = {
    regions.PROVINCE: "province_code",
    regions.CITY: "city_code",
    regions.COUNTY: "region_code",
}
# The terms aggregation inside a facet's filter aggregation.
FILTERED_VALUES = "values"
_DATE_ORDER = [{"complained_on": {"order": "desc"}}, {"pk": {"order": "desc"}}]


def keyword_clauses(q):
    """One clause per query term; all must match."""
    clauses = []
    for term in query_terms(q):
        if term.prefix:
            fields = [f"{name}.chars" for name in SEARCH_FIELDS]
        else:
            fields = list(SEARCH_FIELDS)
        clauses.append(Q("multi_match", query=term.text, type="phrase", fields=fields))
    return clauses


def visibility_filters(today):
    """The query-time form of ``Disclosure.objects.public(today)``."""
    day = today.isoformat()
    return (
        [Q("range", disclosed_on={"lte": day}), Q("range", display_until={"gte": day})],
        [Q("term", objection_state=Disclosure.ObjectionState.WITHDRAWN.value)],
    )


def facet_filter_clauses(query):
    """{filter: clause} of the set filters that have a facet of their own."""
    clauses = {}
    for name in ("category", "problem_type", "result"):
        value = getattr(query, name)
        if value is not None:
            clauses[name] = Q("term", **{name: value})
    if query.region:
        clauses["region"] = _region_clause(query.region)
    return clauses


def _region_clause(code):
    return Q("term", **{_REGION_FIELDS[regions.level_of(code)]: code})


def filter_clauses(query):
    """The filters without a facet of their own: merchant, credit code, complaint dates."""
    filters = []
    if query.merchant is not None:
        filters.append(Q("term", merchant=query.merchant))
    if query.credit_code:
        filters.append(Q("term", credit_code=query.credit_code))
    if query.date_from or query.date_to:
        bounds = {}
        if query.date_from:
            bounds["gte"] = query.date_from.isoformat()
        if query.date_to:
            bounds["lte"] = query.date_to.isoformat()
        filters.append(Q("range", complained_on=bounds))
    return filters


def facet_clauses(name, query, facet_filters):
    """The facet filters one facet's aggregation applies: all but its own; counties within
    the chosen region's city."""
    own = FACET_OWN_FILTER.get(name)
    clauses = [clause for filter_name, clause in facet_filters.items() if filter_name != own]
    if name == "county" and query.region:
        clauses.append(_region_clause(county_scope(query.region)))
    return clauses


def build_search(query, today):
    """The one Search for ``query`` as seen on ``today`` (index set by the caller).

    The facet filters go in ``post_filter``, which narrows the hits and the total but not the
    aggregations; each facet's aggregation then applies the facet filters except its own.
    """
    must = keyword_clauses(query.q)
    visible, hidden = visibility_filters(today)
    facet_filters = facet_filter_clauses(query)
    search = Search().query(
        Q("bool", must=must, filter=visible + filter_clauses(query), must_not=hidden)
    )
    if facet_filters:
        search = search.post_filter(Q("bool", filter=list(facet_filters.values())))
    if query.sort == SORT_RELEVANCE and must:
        search = search.sort({"_score": {"order": "desc"}}, *_DATE_ORDER)
    else:
        search = search.sort(*_DATE_ORDER)
    # Only ids come back: the page reads its rows from the database, the source of truth.
    search = search.source(False).extra(track_total_hits=True)
    search = search[query.offset : query.offset + query.per_page]
    for name, (field, size) in FACET_FIELDS.items():
        clauses = facet_clauses(name, query, facet_filters)
        if clauses:
            counted_over = search.aggs.bucket(name, "filter", Q("bool", filter=clauses))
            counted_over.bucket(FILTERED_VALUES, "terms", field=field, size=size)
        else:
            search.aggs.bucket(name, "terms", field=field, size=size)
    return search


def _body(response):
    """The JSON body, whether given as a dict, a client response or a DSL Response."""
    if hasattr(response, "body"):
        return response.body
    if hasattr(response, "to_dict"):
        return response.to_dict()
    return response


def _names(model, keys):
    return {
        str(pk): name for pk, name in model.objects.filter(pk__in=keys).values_list("pk", "name")
    }


def _region_names(keys):
    from merchants.models import Region

    return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))


_LABELS = {
    "category": lambda keys: _names(ComplaintCategory, keys),
    "problem_type": lambda keys: _names(ProblemType, keys),
    "result": lambda keys: _names(HandlingResult, keys),
    "city": _region_names,
    "county": _region_names,
    "year": lambda keys: {key: f"{key}年" for key in keys},
}


def parse_facet(name, aggregation):
    # A facet counted under filters is a filter aggregation holding the terms.
    aggregation = aggregation.get(FILTERED_VALUES, aggregation)
    # Largest first, ties by value (numbers as numbers): the server's own terms order, kept
    # explicit so that it does not depend on the request's defaults.
    buckets = sorted(aggregation.get("buckets", []), key=lambda b: (-b["doc_count"], b["key"]))
    keys = [str(bucket["key"]) for bucket in buckets]
    labels = _LABELS[name](keys) if keys else {}
    return [
        FacetCount(value=key, label=labels.get(key, key), count=bucket["doc_count"])
        for key, bucket in zip(keys, buckets, strict=True)
    ]


class PartialResults(Exception):
    """The server answered from only some shards, or timed out: its counts would be wrong."""


def parse_response(response, query):
    body = _body(response)
    shards = body.get("_shards", {})
    if body.get("timed_out") or shards.get("failed"):
        raise PartialResults(
            f"{shards.get('failed', 0)}/{shards.get('total', '?')} 个分片失败或超时"
        )
    hits = body["hits"]
    total = hits["total"]
    aggregations = body.get("aggregations", {})
    return SearchResults(
        query=query,
        total=total["value"] if isinstance(total, dict) else int(total),
        ids=[int(hit["_id"]) for hit in hits["hits"]],
        facets={name: parse_facet(name, aggregations.get(name, {})) for name in FACETS},
        engine="elasticsearch",
    )
