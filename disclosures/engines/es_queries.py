"""THE Elasticsearch request of a disclosure search, and the reading of its response.

``build_search`` turns a ``DisclosureQuery`` into one ``Search`` (a bool query, sort, page and
one aggregation per facet); ``parse_response`` turns what the server answers into the
``SearchResults`` every engine returns. Tests hold the request bodies to golden files
(tests/golden/elasticsearch/), so a change here shows up as a reviewable diff.

Same behaviour as the database engine:
- keyword (``disclosures.keyword``): every term of ``search.text_analysis.query_terms`` must
  match, in the record's tokens or as the name of the record's category, problem type or
  handling department, or in the respondent's address (their ids, found by name; the
  addresses' ids from the database's index of the distinct addresses). A term is matched as
  the database matches it (``search.fulltext``): the phrase of exactly its tokens on the
  document's ``tokens`` field, which holds the database's own tokens split on spaces
  (预付卡 = 预付 then 付卡, adjacent; IT培训 = it, then 培训), a one-character term as a prefix
  of a token; a keyword that is a complaint number or credit code also matches that record or
  those records;
- visibility is ``Disclosure.objects.public()`` again, applied at query time, so a record
  disappears on the day after its display-until date even before the next reindex;
- each facet is counted over the results of its ``DisclosureQuery.facet_query``: with every
  filter but its own (choosing 长沙市 leaves the other cities and their counts in the city
  facet, so the count beside each link is what that link shows), counties within the chosen
  region's city;
- filters, facet fields and sizes come from ``facets``.
"""

from collections import defaultdict

from elasticsearch_dsl import Q, Search

from ..facets import (
    AT_LEAST,
    AT_MOST,
    BASE_FILTERS,
    EXACT,
    FACET_FILTERS,
    FACETS,
    IN_REGION,
    given,
    is_county,
    stored_region,
)
from ..keyword import complaint_numbers, parse_keyword
from ..models import Disclosure
from ..search_query import SORT_RELEVANCE, SearchResults, facet_counts
from .es_documents import ADDRESS_TOKENS_FIELD, TOKENS_FIELD

# The terms aggregation inside a facet's filter aggregation.
FILTERED_VALUES = "values"
# A region code that is no county's (a city's or a province's: ``common.regions.level_of``). A
# record filed under a city's code holds it in ``region_code``: the county facet leaves it out
# in the server, as the database's list does, so no bucket is spent on a city.
NOT_COUNTY = "[0-9]{4}00"
_DATE_ORDER = [{"complained_on": {"order": "desc"}}, {"pk": {"order": "desc"}}]


# Past this many address ids a term is matched in the address's tokens instead (the same rule:
# ``address_tokens`` holds what the addresses' own index holds): Elasticsearch refuses a terms
# query of more than 65,536 values (``index.max_terms_count``), and one that long is slow to
# send and parse.
ADDRESS_IDS_SENT = 10_000


def token_clause(term, field=TOKENS_FIELD):
    """A QueryTerm on a tokens field, as FTS5's ``"a b"`` / ``"a" *`` and PostgreSQL's
    ``a <-> b`` / ``a:*`` match it: the phrase of its tokens, split on spaces only (the
    field's own rule), or a token starting with its one character."""
    if term.prefix:
        return Q("prefix", **{field: {"value": term.tokens[0]}})
    return Q("match_phrase", **{field: {"query": " ".join(term.tokens), "analyzer": "whitespace"}})


def _term_clause(term, reference):
    """A term in the text, or (when some names hold it) in the category, problem type,
    department or address."""
    text = token_clause(term)
    if not reference:
        return text
    either = [text]
    if reference.categories:
        either.append(Q("terms", category=list(reference.categories)))
    if reference.problem_types:
        either.append(Q("terms", problem_type=list(reference.problem_types)))
    if reference.departments:
        either.append(Q("terms", department=list(reference.departments)))
    if len(reference.addresses) > ADDRESS_IDS_SENT:
        either.append(token_clause(term, ADDRESS_TOKENS_FIELD))
    elif len(reference.addresses):
        either.append(Q("terms", address=sorted(int(pk) for pk in reference.addresses)))
    return Q("bool", should=either, minimum_should_match=1)


def keyword_clauses(q):
    """The keyword's clauses (``disclosures.keyword``), all of which must match: one per query
    term; when the keyword could be a complaint number or credit code, one clause instead,
    met by the terms or by that identifier."""
    keyword = parse_keyword(q)
    clauses = [
        _term_clause(term, reference)
        for term, reference in zip(keyword.terms, keyword.references, strict=True)
    ]
    if not (keyword.complaint_number or keyword.credit_code):
        return clauses
    either = [Q("terms", complaint_number=complaint_numbers(keyword.complaint_number))]
    if keyword.credit_code:
        either.append(Q("term", credit_code=keyword.credit_code))
    if clauses:
        either.insert(0, Q("bool", must=clauses))
    return [Q("bool", should=either, minimum_should_match=1)]


def visibility_filters(today):
    """The query-time form of ``Disclosure.objects.public(today)``."""
    day = today.isoformat()
    return (
        [Q("range", disclosed_on={"lte": day}), Q("range", display_until={"gte": day})],
        [Q("term", objection_state=Disclosure.ObjectionState.WITHDRAWN.value)],
    )


def filter_clauses(query, filters):
    """One clause per filter of ``filters`` that the query sets, in their order; the bounds on
    one field (the complaint dates) make one range clause, where the first of them stands."""
    chosen = given(query, filters)
    ranges = defaultdict(dict)
    for filter, value in chosen:
        if filter.match in (AT_LEAST, AT_MOST):
            ranges[filter.stored.es_field][filter.match] = value.isoformat()
    clauses = []
    for filter, value in chosen:
        if filter.match == IN_REGION:
            clauses.append(Q("term", **{stored_region(value).es_field: value}))
        elif filter.match == EXACT:
            clauses.append(Q("term", **{filter.stored.es_field: value}))
        elif filter.stored.es_field in ranges:
            field = filter.stored.es_field
            clauses.append(Q("range", **{field: ranges.pop(field)}))
    return clauses


def build_search(query, today):
    """The one Search for ``query`` as seen on ``today`` (index set by the caller).

    The facet filters go in ``post_filter``, which narrows the hits and the total but not the
    aggregations; each facet's aggregation then applies the facet filters of its
    ``query.facet_query``, the one counting rule.
    """
    must = keyword_clauses(query.q)
    visible, hidden = visibility_filters(today)
    facet_filters = filter_clauses(query, FACET_FILTERS)
    search = Search().query(
        Q("bool", must=must, filter=visible + filter_clauses(query, BASE_FILTERS), must_not=hidden)
    )
    if facet_filters:
        search = search.post_filter(Q("bool", filter=facet_filters))
    if query.sort == SORT_RELEVANCE and must:
        search = search.sort({"_score": {"order": "desc"}}, *_DATE_ORDER)
    else:
        search = search.sort(*_DATE_ORDER)
    # Only ids come back: the page reads its rows from the database, the source of truth.
    search = search.source(False).extra(track_total_hits=True)
    search = search[query.offset : query.offset + query.per_page]
    for facet in FACETS:
        terms = {"field": facet.stored.es_field, "size": facet.es_size}
        if facet.keep is is_county:
            terms["exclude"] = NOT_COUNTY
        clauses = filter_clauses(query.facet_query(facet.name), FACET_FILTERS)
        if clauses:
            counted_over = search.aggs.bucket(facet.name, "filter", Q("bool", filter=clauses))
            counted_over.bucket(FILTERED_VALUES, "terms", **terms)
        else:
            search.aggs.bucket(facet.name, "terms", **terms)
    return search


def _body(response):
    """The JSON body, whether given as a dict, a client response or a DSL Response."""
    if hasattr(response, "body"):
        return response.body
    if hasattr(response, "to_dict"):
        return response.to_dict()
    return response


def _buckets(aggregation):
    """[(value, count)] of a facet's aggregation (counted under filters, a filter aggregation
    holding the terms)."""
    aggregation = aggregation.get(FILTERED_VALUES, aggregation)
    return [(bucket["key"], bucket["doc_count"]) for bucket in aggregation.get("buckets", [])]


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
        facets=facet_counts(
            {facet.name: _buckets(aggregations.get(facet.name, {})) for facet in FACETS}
        ),
        engine="elasticsearch",
    )
