"""Site search: what the /search/ page asks, answered from the full-text index."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.paginator import Paginator
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page

from .fulltext import matches_sql
from .models import SearchDocument
from .text_analysis import highlight_words, query_terms, relaxed_terms
from .token_index import TokenIndex

SNIPPET_LENGTH = 120
MAX_QUERY_LENGTH = 100
# What a page number may be: ASCII digits. int() also reads '١٢' and '１２',
# which no link of ours writes.
_PAGE_NUMBER = re.compile(r"[0-9]+")
# Control characters (NUL among them: PostgreSQL refuses it) and lone surrogates, which no
# query means and no database stores.
_UNREADABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Site search lists pages, not records: past this many hits nobody pages on, and the cap keeps
# the cost of a very common term bounded.
MAX_HITS = 2000
TITLE_WEIGHT = 8.0
BODY_WEIGHT = 1.0
# The index over SearchDocument's title and body tokens, made by migration 0002 before
# ``token_index.column_index`` named the parts of one-column indexes; on PostgreSQL its vector
# weighs the title A and the body B.
SITE_INDEX = TokenIndex(
    table=SearchDocument._meta.db_table,
    fts_table="search_searchdocument_fts",
    vector_column="search_vector",
    fts5_weights=(TITLE_WEIGHT, BODY_WEIGHT),
)


@dataclass
class SiteSearchResult:
    document: SearchDocument
    page: Page
    snippet: str


@dataclass
class SiteSearchResults:
    query: str
    page_type: str
    total: int = 0
    relaxed: bool = False
    capped: bool = False
    type_counts: list = field(default_factory=list)
    page_obj: object = None
    results: list = field(default_factory=list)


def page_type_label(page_type):
    try:
        return apps.get_model(page_type)._meta.verbose_name
    except (LookupError, ValueError):
        return page_type


def matching_documents(terms, limit=MAX_HITS, any_term=False):
    """(document id, page id, page type) of documents matching all terms (or any), best first."""
    if not terms:
        return []
    hits, params = matches_sql(SITE_INDEX, terms, any_term, limit)
    sql = (
        f"SELECT d.id, d.page_id, d.page_type FROM ({hits}) AS hits "
        f"JOIN {SITE_INDEX.table} d ON d.id = hits.id ORDER BY hits.score, d.id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def make_snippet(text, words, length=SNIPPET_LENGTH):
    """A window of the text around the first match, with every match marked."""
    text = re.sub(r"\s+", " ", text or "").strip()
    lowered = text.lower()
    positions = [lowered.find(word) for word in words if word and word in lowered]
    start = max(0, min(positions) - length // 4) if positions else 0
    window = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    escaped = escape(window)
    for word in sorted({escape(w) for w in words if w}, key=len, reverse=True):
        escaped = re.sub(
            re.escape(word), lambda m: f"<mark>{m.group(0)}</mark>", escaped, flags=re.I
        )
    return mark_safe(prefix + escaped + suffix)


def clean_query(text, max_length=MAX_QUERY_LENGTH):
    """What a reader typed, as the search reads it: readable characters, trimmed and cut."""
    return _UNREADABLE.sub(" ", str(text or "")).strip()[:max_length].strip()


def read_page_number(value):
    """The page asked for: 1 unless it is ASCII digits; a number past the end is the last
    page (``Paginator.get_page``), and one of more than nine digits is past every end."""
    text = str(value or "").strip()
    if not _PAGE_NUMBER.fullmatch(text):
        return 1
    digits = text.lstrip("0")
    if not digits:
        return 1
    return int(digits) if len(digits) <= 9 else 10**9


def search_site(query, page_type="", page_number=1, per_page=10):
    query = clean_query(query)
    page_type = clean_query(page_type)
    results = SiteSearchResults(query=query, page_type=page_type)
    terms = query_terms(query)
    if not terms:
        return results

    matches = matching_documents(terms)
    near_terms = relaxed_terms(terms)
    if not matches and near_terms != terms:
        # Nothing has the exact phrase: show pages sharing most of its bigrams, best first.
        matches = matching_documents(near_terms, any_term=True)
        results.relaxed = bool(matches)
    results.capped = len(matches) >= MAX_HITS

    # The index holds public pages only, but a view restriction added later must still win.
    visible = set(
        Page.objects.live()
        .public()
        .filter(pk__in=[m[1] for m in matches])
        .values_list("pk", flat=True)
    )
    matches = [m for m in matches if m[1] in visible]

    counts = Counter(m[2] for m in matches)
    results.type_counts = [
        {"value": value, "label": page_type_label(value), "count": count}
        for value, count in counts.most_common()
    ]
    if page_type:
        matches = [m for m in matches if m[2] == page_type]
    results.total = len(matches)

    paginator = Paginator(matches, per_page)
    results.page_obj = paginator.get_page(read_page_number(page_number))
    doc_ids = [m[0] for m in results.page_obj.object_list]
    documents = SearchDocument.objects.in_bulk(doc_ids)
    pages = Page.objects.in_bulk([documents[i].page_id for i in doc_ids if i in documents])
    words = highlight_words(query)
    for doc_id in doc_ids:
        document = documents.get(doc_id)
        if document and document.page_id in pages:
            text = (
                document.body_text
                if any(w in document.body_text.lower() for w in words)
                else (document.summary or document.body_text)
            )
            results.results.append(
                SiteSearchResult(document, pages[document.page_id], make_snippet(text, words))
            )
    return results
