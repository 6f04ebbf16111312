"""The embedded disclosure search: SQLite FTS5 or PostgreSQL full text, facets over columns.

``search(query)`` answers a ``DisclosureQuery`` with a ``SearchResults``, over exactly the
records of ``Disclosure.objects.public()``.

Who does what, chosen by what is fast at a million records (``bench/disclosures.py``):

- The database matches the keyword's text (``search.fulltext``): every term of
  ``search.text_analysis.query_terms`` must match; a two-character term is one bigram token, a
  longer one a phrase of adjacent bigrams. It hands back the matching ids only (FTS5 from its
  own index, PostgreSQL through GIN), and it looks up the records of the filters the snapshot
  does not hold (one merchant's, one credit code's) and of a complaint number or credit code
  typed as the keyword by index. A term that names a category, problem type or handling
  department, or that some respondent's address holds (found in the distinct addresses' own
  index), also matches the records filed under it, over the snapshot's columns
  (``disclosures.keyword``).
- The filters (``facets.FILTERS``), the visibility rule (the same as
  ``Disclosure.objects.public``, tested against it), the facet counts, the total and the
  date-sorted page are computed over the columns of ``disclosures.snapshot``, in memory: a GROUP
  BY per facet over 300,000 matched rows cost SQLite seconds, ``numpy.bincount`` over the same
  rows a few milliseconds.
- Each facet is counted over the results of ``query.facet_query(facet)``, the one counting rule
  (every filter but the facet's own), as the Elasticsearch engine's aggregations are.
- Sort: date (complaint date, then id, newest first) is the columns' own order. Relevance is
  BM25 over the newest matches (``engines.relevance``, which says why), ties by date; with no
  keyword, relevance is date.

Nothing is cached between calls but the snapshot and a common term's rows (``postings``),
both kept until the data changes.
"""

import numpy as np
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from search.fulltext import matches_sql
from search.token_index import side_index

from .. import facets
from .. import snapshot as snapshots
from ..keyword import complaint_numbers, matching_addresses, parse_keyword, reference_names
from ..models import Disclosure
from ..search_query import SORT_RELEVANCE, SearchResults, facet_counts
from . import postings, relevance

# PostgreSQL: the vectors in a narrow side table of their own (migration 0011).
INDEX = side_index(
    Disclosure._meta.db_table, "search_tokens", "disclosures_disclosuresearch", "disclosure_id"
)
# numpy's form of a bound: complained >= day, complained <= day.
_BOUNDS = {facets.AT_LEAST: np.greater_equal, facets.AT_MOST: np.less_equal}


def _term_ids(term):
    """Ids of every record (public or not) whose text matches the term."""
    return snapshots.ids_from_sql(*matches_sql(INDEX, [term]))


def _text_mask(snapshot, term):
    """The rows whose text matches the term: kept per data version when they are many."""
    return postings.term_mask(snapshot, term, _term_ids)


# The category, problem type and department names of the current data version, per
# database: a change to them changes the version (``disclosures.signals``), so a search
# reads them once per version rather than once per keyword.
_names = {}


def _names_for(snapshot):
    key = (connection.alias, snapshot.token)
    if key not in _names:
        names = reference_names()
        _names.clear()
        _names[key] = names
    return _names[key]


# A term's matching address ids, per data version and term: a new address comes only with
# the records that name it, which changes the version. A common term (长沙) matches most
# addresses, tens of thousands of ids read from the index; the next page of its results, or
# its facet links, reuse them.
_addresses = {}
ADDRESS_TERMS_KEPT = 256


def _addresses_for(snapshot):
    key = (connection.alias, snapshot.token)
    if key not in _addresses:
        _addresses.clear()
        _addresses[key] = {}
    kept = _addresses[key]

    def addresses(term):
        term_key = (term.tokens, term.prefix)
        found = kept.get(term_key)
        if found is None:
            if len(kept) >= ADDRESS_TERMS_KEPT:
                kept.clear()
            found = kept[term_key] = matching_addresses(term)
        return found

    return addresses


def _keyword_mask(snapshot, keyword):
    """The rows the keyword matches (``disclosures.keyword``): every term in the text or in
    the name of the category, problem type or department or in the address, or the whole
    keyword as an identifier.

    Each term's text matches come from ``postings`` (a common term's rows are kept per data
    version); a term some name holds is or'ed with its reference ids over the snapshot's
    columns.
    """
    mask = None
    for term in keyword.text_only_terms:
        term_mask = _text_mask(snapshot, term)
        mask = term_mask if mask is None else mask & term_mask
    for term, reference in keyword.referenced_terms:
        term_mask = _text_mask(snapshot, term)
        for column, codes in (
            (snapshot.category, reference.categories),
            (snapshot.problem_type, reference.problem_types),
            (snapshot.department, reference.departments),
            (snapshot.address, reference.addresses),
        ):
            if len(codes):
                # A look-up table over the ids: 长沙's tens of thousands of addresses cost no
                # more than one department.
                term_mask |= np.isin(column, codes, kind="table")
        mask = term_mask if mask is None else mask & term_mask
    if mask is None:
        mask = np.zeros(len(snapshot), dtype=bool)
    identified = _identified_ids(keyword)
    if identified:
        mask |= snapshot.mask_of(identified)
    return mask


def _identified_ids(keyword):
    """Ids of the record whose complaint number, or the records whose credit code, the whole
    keyword is; both columns are indexed."""
    if not (keyword.complaint_number or keyword.credit_code):
        return []
    condition = Q(complaint_number__in=complaint_numbers(keyword.complaint_number))
    if keyword.credit_code:
        condition |= Q(credit_code=keyword.credit_code)
    return list(Disclosure.objects.filter(condition).values_list("id", flat=True))


def _filter_mask(snapshot, filter, value):
    """The rows one filter (held by the snapshot) selects."""
    if filter.match == facets.IN_REGION:
        return snapshot.region_mask(value)
    if filter.kind == facets.DATE:
        value = snapshots.day_number(value)
    if filter.match == facets.EXACT:
        return snapshot.equals(filter.stored.column, value)
    return _BOUNDS[filter.match](getattr(snapshot, filter.stored.column), value)


def _base_mask(snapshot, query, on, keyword):
    """Visibility, keyword and ``facets.BASE_FILTERS``: what every facet is counted under."""
    mask = snapshot.public(on).copy()
    looked_up = {}
    for filter, value in facets.given(query, facets.BASE_FILTERS):
        if filter.stored.column:
            mask &= _filter_mask(snapshot, filter, value)
        else:
            looked_up[filter.lookup] = value
    if looked_up:
        # Filters the snapshot lacks (a merchant, a credit code): their records, by index.
        ids = Disclosure.objects.filter(**looked_up).values_list("id", flat=True)
        mask &= snapshot.mask_of(list(ids))
    if keyword:
        mask &= _keyword_mask(snapshot, keyword)
    return mask


class _FacetFilterMasks:
    """The mask of each facet filter's value, made once per search whichever queries ask."""

    def __init__(self, snapshot):
        self.snapshot = snapshot
        self.made = {}

    def of(self, query):
        masks = []
        for filter, value in facets.given(query, facets.FACET_FILTERS):
            key = (filter.field, value)
            if key not in self.made:
                self.made[key] = _filter_mask(self.snapshot, filter, value)
            masks.append(self.made[key])
        return masks


def _all_of(base, masks):
    result = base
    for mask in masks:
        result = result & mask
    return result


def _count_facets(snapshot, query, base, masks, selected, matched, on):
    """Every facet counted over the rows of its ``query.facet_query``, labelled.

    ``facet_query`` changes only a facet filter, so ``base`` holds for every facet. Row
    numbers, not masks: gathering a column by row numbers is five times faster. Rows that are
    most of the public ones are counted as all of those but the few they lack
    (``Snapshot.counts_of_public``). ``selected`` and ``matched``: the query's own rows, as a
    mask and as row numbers.
    """
    public = snapshot.public(on)
    half_public = np.count_nonzero(public) // 2
    selected_of = {query: selected}
    rows_of = {query: matched}
    missing_of = {}
    counts = {}
    for facet in facets.FACETS:
        counted = query.facet_query(facet.name)
        column = facet.stored.column
        if counted not in rows_of:
            selected_of[counted] = _all_of(base, masks.of(counted))
            rows_of[counted] = np.flatnonzero(selected_of[counted])
        rows = rows_of[counted]
        if len(rows) <= half_public:
            counts[facet.name] = snapshot.counts(column, rows)
            continue
        if counted not in missing_of:
            missing_of[counted] = np.flatnonzero(public & ~selected_of[counted])
        counts[facet.name] = snapshot.counts_of_public(column, on, missing_of[counted])
    return facet_counts(counts)


def search(query, on=None):
    """Answer ``query`` over the records public on ``on`` (default today)."""
    on = on or timezone.localdate()
    snapshot = snapshots.current()
    keyword = parse_keyword(query.q, _names_for(snapshot), _addresses_for(snapshot))
    terms = keyword.terms
    base = _base_mask(snapshot, query, on, keyword)
    masks = _FacetFilterMasks(snapshot)
    selected = _all_of(base, masks.of(query))
    matched = np.flatnonzero(selected)
    total = len(matched)
    if not total:
        rows = []
    elif query.sort == SORT_RELEVANCE and terms and query.offset < relevance.WINDOW:
        ranked = relevance.rank(matched, snapshot.ids, terms, records=len(snapshot), index=INDEX)
        rows = ranked[query.offset : query.offset + query.per_page]
    else:  # by date, which is also the order past the relevance window
        rows = matched[query.offset : query.offset + query.per_page]
    ids = snapshot.ids[rows].tolist() if len(rows) else []
    counts = _count_facets(snapshot, query, base, masks, selected, matched, on)
    return SearchResults(query=query, total=total, ids=ids, facets=counts)
