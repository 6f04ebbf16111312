"""The embedded disclosure search: SQLite FTS5 or PostgreSQL full text, facets by the database.

``search(query)`` answers a ``DisclosureQuery`` with a ``SearchResults``, over exactly
``Disclosure.objects.public()``: the visibility rule and the filters are that queryset's WHERE
clause, compiled by the ORM and reused in the raw statements below, so they are defined once.

- Keyword: ``search.text_analysis.query_terms``, every term must match; a two-character term is
  one bigram token, a longer one a phrase of adjacent bigrams. A query with no searchable
  characters (only punctuation) searches without a keyword.
- Facets: counted with *every* filter applied (the facet's own included), over the same matched
  set as the total, as the Elasticsearch engine's aggregations do. The six facets come from one
  pass over the matched rows: on SQLite each row yields one packed integer (category, problem
  type, result, year, county) which Python counts and folds, because SQLite's GROUP BY sorts and
  six sorts of a few hundred thousand rows cost seconds; on PostgreSQL one GROUPING SETS query.
- Keyword statements start from the full-text matches and look each one up by id (SQLite's
  covering index ``disclosure_search_cover_idx``, migration 0003, keeps that off the wide rows);
  the join order is fixed, since SQLite would otherwise probe the full-text index once per row
  of a filter such as a city.
- Sort: date (complaint date, then id, newest first) or relevance (bm25 on SQLite, ts_rank_cd on
  PostgreSQL, ties by date); with no keyword, relevance is date.

Nothing is cached: every call asks the database.
"""

from collections import Counter

from django.db import connection

from merchants import regions
from merchants.models import Region
from search.fulltext import fts5_match_expression, tsquery_expression
from search.text_analysis import query_terms
from search.token_index import fts_table, vector_column

from ..models import ComplaintCategory, Disclosure, HandlingResult, ProblemType
from ..search_query import FACETS, SORT_RELEVANCE, FacetCount, SearchResults

TABLE = Disclosure._meta.db_table
TOKENS = "search_tokens"
FTS = fts_table(TABLE, TOKENS)
VECTOR = vector_column(TOKENS)
COVERING_INDEX = "disclosure_search_cover_idx"

# The SQLite facet key packs the county code (six digits) and the year (four) below the
# reference ids; past this bound it would overflow SQLite's 64-bit integers.
_REGION_SPAN = 1_000_000
_YEAR_SPAN = 10_000
_MAX_PACKED = 2**62


def filtered(query, on=None):
    """The public records the query's filters (not its keyword) select, as a queryset."""
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


def _where(records):
    """The queryset's WHERE clause as (sql, params), columns qualified by the table name."""
    compiler = records.query.get_compiler(connection=connection)
    return compiler.compile(records.query.where)


class _Statement:
    """FROM and WHERE of the matched set, for the vendor and whether there is a keyword."""

    def __init__(self, records, terms):
        where, params = _where(records)
        self.terms = terms
        self.rank_params = []
        if not terms:
            self.source, self.where, self.params = TABLE, where, list(params)
        elif connection.vendor == "sqlite":
            # CROSS JOIN keeps the full-text matches as the outer loop.
            self.source = (
                f"{FTS} CROSS JOIN {TABLE} INDEXED BY {COVERING_INDEX} ON {TABLE}.id = {FTS}.rowid"
            )
            self.where = f"{FTS} MATCH %s AND {where}"
            self.params = [fts5_match_expression(terms), *params]
        elif connection.vendor == "postgresql":
            tsquery = tsquery_expression(terms)
            self.source = TABLE
            self.where = f"{TABLE}.{VECTOR} @@ to_tsquery('simple'::regconfig, %s) AND {where}"
            self.params = [tsquery, *params]
            self.rank_params = [tsquery]
        else:
            raise NotImplementedError(f"No disclosure search on the {connection.vendor} database")

    def order_by(self, sort):
        date = f"{TABLE}.complained_on DESC, {TABLE}.id DESC"
        if sort != SORT_RELEVANCE or not self.terms:
            return date, []
        if connection.vendor == "sqlite":
            return f"bm25({FTS}), {date}", []
        rank = f"ts_rank_cd({TABLE}.{VECTOR}, to_tsquery('simple'::regconfig, %s))"
        return f"{rank} DESC, {date}", self.rank_params

    def page_ids(self, sort, offset, limit):
        order, order_params = self.order_by(sort)
        sql = (
            f"SELECT {TABLE}.id FROM {self.source} WHERE {self.where} "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, *order_params, limit, offset])
            return [row[0] for row in cursor.fetchall()]


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sqlite_counts(statement, spans):
    """{facet: Counter} from one pass: each matched row's packed key, counted in Python."""
    problem_span, result_span = spans
    key = (
        f"((({TABLE}.category_id * {problem_span} + {TABLE}.problem_type_id) * {result_span}"
        f" + {TABLE}.result_id) * {_YEAR_SPAN} + {TABLE}.complained_month / 100)"
        f" * {_REGION_SPAN} + CAST({TABLE}.region_id AS INTEGER)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key} FROM {statement.source} WHERE {statement.where}", statement.params
        )
        packed = Counter(value for (value,) in cursor)
    counts = {name: Counter() for name in ("category", "problem_type", "result", "year", "region")}
    for value, count in packed.items():
        rest, region = divmod(value, _REGION_SPAN)
        rest, year = divmod(rest, _YEAR_SPAN)
        rest, result = divmod(rest, result_span)
        category, problem = divmod(rest, problem_span)
        counts["category"][category] += count
        counts["problem_type"][problem] += count
        counts["result"][result] += count
        counts["year"][year] += count
        counts["region"][f"{region:06d}"] += count
    return counts


def _grouped_counts(statement):
    """{facet: Counter} from one GROUPING SETS query (PostgreSQL) or five GROUP BYs."""
    columns = {
        "category": f"{TABLE}.category_id",
        "problem_type": f"{TABLE}.problem_type_id",
        "result": f"{TABLE}.result_id",
        "year": f"{TABLE}.complained_month / 100",
        "region": f"{TABLE}.region_id",
    }
    counts = {name: Counter() for name in columns}
    base = f"FROM {statement.source} WHERE {statement.where}"
    if connection.vendor == "postgresql":
        # Every column is NOT NULL, so the one set a row belongs to is its non-null column.
        selected = ", ".join(columns.values())
        sets = ", ".join(f"({column})" for column in columns.values())
        rows = _fetch(
            f"SELECT {selected}, count(*) {base} GROUP BY GROUPING SETS ({sets})",
            statement.params,
        )
        for row in rows:
            *values, count = row
            for name, value in zip(columns, values, strict=True):
                if value is not None:
                    counts[name][value] = count
        return counts
    for name, column in columns.items():
        for value, count in _fetch(
            f"SELECT {column}, count(*) {base} GROUP BY 1", statement.params
        ):
            counts[name][value] = count
    return counts


def _facet_list(counter, labels):
    facets = [
        FacetCount(value=str(value), label=labels.get(value, str(value)), count=count)
        for value, count in counter.items()
        if count
    ]
    facets.sort(key=lambda facet: (-facet.count, facet.value))
    return facets


def _facets(counts, names):
    """The six facets with their labels: one query per reference table and one for regions."""
    by_region = counts.pop("region")
    cities, counties = Counter(), Counter()
    for code, count in by_region.items():
        code = str(code)
        cities[regions.parent_code(code) if regions.level_of(code) == regions.COUNTY else code] += (
            count
        )
        if regions.level_of(code) == regions.COUNTY:
            counties[code] += count
    codes = set(cities) | set(counties)
    region_names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    facets = {
        "category": _facet_list(counts["category"], names["category"]),
        "problem_type": _facet_list(counts["problem_type"], names["problem_type"]),
        "city": _facet_list(cities, region_names),
        "county": _facet_list(counties, region_names),
        "result": _facet_list(counts["result"], names["result"]),
        "year": _facet_list(counts["year"], {year: f"{year}年" for year in counts["year"]}),
    }
    return {name: facets[name] for name in FACETS}


def search(query, on=None):
    """Answer ``query`` over the records public on ``on`` (default today)."""
    terms = query_terms(query.q) if query.q else []
    statement = _Statement(filtered(query, on), terms)
    names = {
        "category": dict(ComplaintCategory.objects.values_list("id", "name")),
        "problem_type": dict(ProblemType.objects.values_list("id", "name")),
        "result": dict(HandlingResult.objects.values_list("id", "name")),
    }
    spans = (max(names["problem_type"], default=0) + 1, max(names["result"], default=0) + 1)
    bound = (max(names["category"], default=0) + 1) * spans[0] * spans[1]
    if connection.vendor == "sqlite" and bound * _YEAR_SPAN * _REGION_SPAN < _MAX_PACKED:
        counts = _sqlite_counts(statement, spans)
    else:
        counts = _grouped_counts(statement)
    total = sum(counts["category"].values())
    ids = statement.page_ids(query.sort, query.offset, query.per_page) if total else []
    return SearchResults(query=query, total=total, ids=ids, facets=_facets(counts, names))
