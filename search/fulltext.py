"""Matching query terms against a token index: one function per database, chosen in one place.

- SQLite: the FTS5 table's MATCH (its rowid is the row's primary key), ranked by bm25.
- PostgreSQL: the tsvector column (in the table, or in its side table) ``@@`` a 'simple'
  tsquery, through its GIN index, ranked by ts_rank_cd.

Each gives the SQL of a sub-query whose ``id`` column holds the matching rows' primary keys, so
that callers keep their filters, ordering and paging in their own statement or in the ORM
(``matching_expression``), and never name the index's parts (``token_index.TokenIndex``). Ranked
(``limit`` given), the matches are ranked and cut inside the index, best first, before any
other table is read: never a correlated sub-query per hit.
"""

from django.db import connection
from django.db.models.expressions import RawSQL


def fts5_match_expression(terms, any_term=False):
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.tokens) + '"'
        parts.append(phrase + " *" if term.prefix else phrase)
    return (" OR " if any_term else " AND ").join(parts)


def tsquery_expression(terms, any_term=False):
    parts = []
    for term in terms:
        if term.prefix:
            parts.append(f"{term.tokens[0]}:*")
        else:
            parts.append("(" + " <-> ".join(term.tokens) + ")")
    return (" | " if any_term else " & ").join(parts)


def sqlite_matches(index, terms, any_term=False, limit=None):
    fts = index.fts_table
    where = f"FROM {fts} WHERE {fts} MATCH %s"
    params = [fts5_match_expression(terms, any_term)]
    if limit is None:
        return f"SELECT rowid AS id {where}", params
    weights = "".join(f", {weight}" for weight in index.fts5_weights)
    sql = f"SELECT rowid AS id, bm25({fts}{weights}) AS score {where} "
    return sql + "ORDER BY score, rowid DESC LIMIT %s", [*params, limit]


def postgres_matches(index, terms, any_term=False, limit=None):
    # The vectors' own table: the indexed table itself, or its narrow side table, so that a
    # common term's thousands of matches are read from vectors alone, never from whole rows.
    table, pk = index.vector_source
    vector = index.vector_column
    tsquery = "to_tsquery('simple'::regconfig, %s)"
    params = [tsquery_expression(terms, any_term)]
    if limit is None:
        return f"SELECT {pk} AS id FROM {table} WHERE {vector} @@ {tsquery}", params
    # Negated, so that for both databases a lower score is the better match.
    sql = (
        f"SELECT {pk} AS id, -ts_rank_cd({vector}, query) AS score "
        f"FROM {table}, {tsquery} AS query WHERE {vector} @@ query "
    )
    return sql + f"ORDER BY score, {pk} DESC LIMIT %s", [*params, limit]


MATCHES = {"sqlite": sqlite_matches, "postgresql": postgres_matches}


def matches_sql(index, terms, any_term=False, limit=None):
    """(sql, params) of the rows of ``index`` whose tokens match all terms (any, with
    ``any_term``), their primary keys as ``id``.

    With ``limit``: the best ``limit`` of them, ordered best first (ties: the newest row), with
    their ``score``, lower for a better match.
    """
    match = MATCHES.get(connection.vendor)
    if match is None:
        raise NotImplementedError(f"No full-text search on the {connection.vendor} database")
    return match(index, terms, any_term, limit)


def matching_expression(index, terms):
    """The matching primary keys as an ORM expression: ``Model.objects.filter(pk__in=...)``."""
    return RawSQL(*matches_sql(index, terms))


def count_matches(index, terms):
    """How many rows of the index (whatever else their table says of them) match all terms."""
    sql, params = matches_sql(index, terms)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS matches", params)
        return cursor.fetchone()[0]
