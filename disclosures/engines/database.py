"""The embedded disclosure search: SQLite FTS5 or PostgreSQL full text, facets over columns.

``search(query)`` answers a ``DisclosureQuery`` with a ``SearchResults``, over exactly the
records of ``Disclosure.objects.public()``.

Who does what, chosen by what is fast at a million records (``bench/disclosures.py``):

- The database matches the keyword: ``search.text_analysis.query_terms``, every term must
  match; a two-character term is one bigram token, a longer one a phrase of adjacent bigrams.
  It hands back the matching ids only (FTS5 from its own index, PostgreSQL through GIN), and
  it looks up one merchant's or credit code's records by index.
- The filters, the visibility rule (the same as ``Disclosure.objects.public``, tested against
  it), the six facet counts, the total and the date-sorted page are computed over the columns
  of ``engines.columns``, in memory: a GROUP BY per facet over 300,000 matched rows cost SQLite
  seconds, ``numpy.bincount`` over the same rows a few milliseconds.
- Facets are counted with every filter but their own, so the count beside each link is what
  that link shows (``_facet_rows``), as the Elasticsearch engine's aggregations do.
- Sort: date (complaint date, then id, newest first) is the columns' own order. Relevance is
  BM25 over the newest matches (``engines.relevance``, which says why), ties by date; with no
  keyword, relevance is date.

Nothing is cached between calls but the columns, which reload when the data changes.
"""

from collections import Counter

import numpy as np
from django.db import connection
from django.utils import timezone

from common import regions
from merchants.models import Region
from search.fulltext import fts5_match_expression, tsquery_expression
from search.text_analysis import query_terms
from search.token_index import fts_table, vector_column

from ..models import ComplaintCategory, Disclosure, HandlingResult, ProblemType
from ..search_query import (
    FACET_OWN_FILTER,
    FACETS,
    SORT_RELEVANCE,
    FacetCount,
    SearchResults,
    county_scope,
)
from . import columns, relevance

TABLE = Disclosure._meta.db_table
TOKENS = "search_tokens"
FTS = fts_table(TABLE, TOKENS)
VECTOR = vector_column(TOKENS)


def filtered(query, on=None):
    """The public records the query's filters (not its keyword) select, as a queryset.

    The plain-database definition of the same filters: the export, the statistics and the
    tests that hold the in-memory path to it use it.
    """
    records = Disclosure.objects.public(on)
    if query.region:
        records = records.in_region(query.region)
    conditions = {
        "category_id": query.category,
        "problem_type_id": query.problem_type,
        "result_id": query.result,
        "complained_on__gte": query.date_from,
        "complained_on__lte": query.date_to,
        "merchant_id": query.merchant,
        "credit_code": query.credit_code,
    }
    return records.filter(**{name: value for name, value in conditions.items() if value})


def _fetch_ids(sql, params):
    with connection.cursor() as cursor:
        return columns.integers_from_sql(cursor, sql, params)


def _keyword_ids(terms):
    """Ids of every record (public or not) whose text matches all terms."""
    if connection.vendor == "sqlite":
        sql = f"SELECT group_concat(rowid) FROM {FTS} WHERE {FTS} MATCH %s"
        return _fetch_ids(sql, [fts5_match_expression(terms)])
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT string_agg(id::text, ',') FROM {TABLE} "
            f"WHERE {VECTOR} @@ to_tsquery('simple'::regconfig, %s)"
        )
        return _fetch_ids(sql, [tsquery_expression(terms)])
    raise NotImplementedError(f"No disclosure search on the {connection.vendor} database")


def _base_mask(snapshot, query, on, terms):
    """Visibility, keyword, dates and merchant: the conditions no facet is counted without."""
    mask = snapshot.public(on).copy()
    if query.date_from:
        mask &= snapshot.complained >= columns.day_number(query.date_from)
    if query.date_to:
        mask &= snapshot.complained <= columns.day_number(query.date_to)
    if query.merchant or query.credit_code:
        lookup = Disclosure.objects.all()
        if query.merchant:
            lookup = lookup.filter(merchant_id=query.merchant)
        if query.credit_code:
            lookup = lookup.filter(credit_code=query.credit_code)
        mask &= snapshot.mask_of(list(lookup.values_list("id", flat=True)))
    if terms:
        mask &= snapshot.mask_of(_keyword_ids(terms))
    return mask


def _facet_filters(snapshot, query):
    """{filter: mask} of the filters that have a facet of their own, those that are set."""
    filters = {}
    for name, column in (
        ("category", snapshot.category),
        ("problem_type", snapshot.problem_type),
        ("result", snapshot.result),
    ):
        if getattr(query, name):
            filters[name] = column == getattr(query, name)
    if query.region:
        filters["region"] = snapshot.region_mask(query.region)
    return filters


def _all_of(base, masks):
    result = base
    for mask in masks:
        result = result & mask
    return result


def _facet_rows(snapshot, query, base, filters, matched):
    """{facet: row numbers it is counted over}: every filter but the facet's own.

    So a chosen value's siblings keep their counts and stay one click away (选了长沙市, the other
    cities still show theirs). Counties are counted within the chosen region's city, so the
    county list stays that city's. Without filters of its own, a facet counts the results.
    """
    rows = {}
    for facet in FACETS:
        left_out = FACET_OWN_FILTER.get(facet)
        if left_out not in filters:
            rows[facet] = matched
            continue
        others = [mask for name, mask in filters.items() if name != left_out]
        if facet == "county":
            others.append(snapshot.region_mask(county_scope(query.region)))
        rows[facet] = np.flatnonzero(_all_of(base, others))
    return rows


def _counts(column, rows):
    """{value: count} of a column over the given rows."""
    counts = np.bincount(column[rows])
    values = np.flatnonzero(counts)
    return dict(zip(values.tolist(), counts[values].tolist(), strict=True))


def _facet_list(counter, labels):
    facets = [
        FacetCount(value=str(value), label=labels.get(value, str(value)), count=count)
        for value, count in counter.items()
        if count
    ]
    facets.sort(key=lambda facet: (-facet.count, facet.value))
    return facets


def _facets(snapshot, rows):
    """The six facets, each over its rows (``_facet_rows``), labelled: one query per reference
    table and one for regions. (Row numbers, not masks: gathering a column by row numbers is
    five times faster.)"""
    cities = {
        snapshot.city_codes[index]: count
        for index, count in _counts(snapshot.city, rows["city"]).items()
    }
    counties = Counter()
    for index, count in _counts(snapshot.county, rows["county"]).items():
        code = snapshot.county_codes[index]
        if regions.level_of(code) == regions.COUNTY:
            counties[code] = count
    region_names = dict(
        Region.objects.filter(code__in=set(cities) | set(counties)).values_list("code", "name")
    )
    years = _counts(snapshot.year, rows["year"])
    facets = {
        "category": _facet_list(
            _counts(snapshot.category, rows["category"]),
            dict(ComplaintCategory.objects.values_list("id", "name")),
        ),
        "problem_type": _facet_list(
            _counts(snapshot.problem_type, rows["problem_type"]),
            dict(ProblemType.objects.values_list("id", "name")),
        ),
        "city": _facet_list(cities, region_names),
        "county": _facet_list(counties, region_names),
        "result": _facet_list(
            _counts(snapshot.result, rows["result"]),
            dict(HandlingResult.objects.values_list("id", "name")),
        ),
        "year": _facet_list(years, {year: f"{year}年" for year in years}),
    }
    return {name: facets[name] for name in FACETS}


def search(query, on=None):
    """Answer ``query`` over the records public on ``on`` (default today)."""
    on = on or timezone.localdate()
    terms = query_terms(query.q) if query.q else []
    snapshot = columns.current()
    base = _base_mask(snapshot, query, on, terms)
    filters = _facet_filters(snapshot, query)
    mask = _all_of(base, filters.values())
    matched = np.flatnonzero(mask)
    total = len(matched)
    if not total:
        rows = []
    elif query.sort == SORT_RELEVANCE and terms and query.offset < relevance.WINDOW:
        ranked = relevance.rank(
            matched,
            snapshot.ids,
            terms,
            records=len(snapshot),
            fts_table=FTS,
            table=TABLE,
            vector=VECTOR,
        )
        rows = ranked[query.offset : query.offset + query.per_page]
    else:  # by date, which is also the order past the relevance window
        rows = matched[query.offset : query.offset + query.per_page]
    ids = snapshot.ids[rows].tolist() if len(rows) else []
    facets = _facets(snapshot, _facet_rows(snapshot, query, base, filters, matched))
    return SearchResults(query=query, total=total, ids=ids, facets=facets)
