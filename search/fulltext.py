"""Full-text matching over SearchDocument on SQLite (FTS5) and PostgreSQL (tsvector).

Both return matches already ordered by relevance from inside the index (FTS5's bm25, a
``ts_rank_cd`` over the GIN-matched rows), never through a correlated sub-query per hit.
"""

from django.db import connection

# Site search lists pages, not records: past this many hits nobody pages on, and the cap keeps
# the cost of a very common term bounded.
MAX_HITS = 2000

TITLE_WEIGHT = 8.0
BODY_WEIGHT = 1.0


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


def _sqlite_matches(terms, limit, any_term):
    # Rank and cut inside FTS5 first, then join only the hits that survive the limit.
    sql = (
        "SELECT d.id, d.page_id, d.page_type FROM ("
        f"  SELECT rowid, bm25(search_searchdocument_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score"
        "   FROM search_searchdocument_fts WHERE search_searchdocument_fts MATCH %s"
        "   ORDER BY score, rowid DESC LIMIT %s"
        ") AS hits JOIN search_searchdocument d ON d.id = hits.rowid "
        "ORDER BY hits.score, d.id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_match_expression(terms, any_term), limit])
        return cursor.fetchall()


def _postgres_matches(terms, limit, any_term):
    # search_vector is a stored generated column (migration 0002), weighted title A, body B.
    sql = (
        "SELECT id, page_id, page_type FROM search_searchdocument, "
        "to_tsquery('simple'::regconfig, %s) AS query "
        "WHERE search_vector @@ query "
        "ORDER BY ts_rank_cd(search_vector, query) DESC, id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery_expression(terms, any_term), limit])
        return cursor.fetchall()


def matching_documents(terms, limit=MAX_HITS, any_term=False):
    """(document id, page id, page type) of documents matching all terms (or any), best first."""
    if not terms:
        return []
    if connection.vendor == "sqlite":
        return _sqlite_matches(terms, limit, any_term)
    if connection.vendor == "postgresql":
        return _postgres_matches(terms, limit, any_term)
    raise NotImplementedError(f"Site search does not support the {connection.vendor} database")
