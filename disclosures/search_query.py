"""What a disclosure search asks and what it answers, the same for every engine.

The public page, the CSV export and the JSON API parse their parameters into a
``DisclosureQuery``; an engine (``engines.database`` or ``engines.elastic``) answers it with a
``SearchResults``. Both engines see the same public records and must return the same totals and
facet counts for the same query: tests hold them to it.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps

from .facets import FACETS, FACETS_BY_NAME, FILTERS

SORT_DATE = "date"
SORT_RELEVANCE = "relevance"
SORTS = (SORT_DATE, SORT_RELEVANCE)
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# How far down the results pages go, on both engines: Elasticsearch refuses a request whose
# from + size passes ``index.max_result_window`` (10,000 by default) with a 400. The database
# could go further, but the same query must answer the same wherever it is served; nobody
# reads past the 10,000th record, and a keyword or a filter narrows the list instead. (The CSV
# export has its own limit and reads the database: ``views.export``.)
MAX_RESULTS = 10_000


def last_reachable_page(per_page):
    """The last page of ``per_page`` records that lies wholly within ``MAX_RESULTS``."""
    return MAX_RESULTS // per_page


# One attribute per filter (``facets.FILTERS``), named by its ``field``: q (the keyword),
# category, problem_type, result (reference ids), region (a 6-digit province, city or county
# code), merchant (a Merchant id: records linked by credit code), credit_code, and date_from,
# date_to (complaint dates, inclusive); None or "" when not given.
_Filters = dataclasses.make_dataclass(
    "_Filters",
    [(f.field, f.type, dataclasses.field(default=f.default)) for f in FILTERS],
    frozen=True,
)


@dataclass(frozen=True)
class DisclosureQuery(_Filters):
    sort: str = SORT_DATE
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self):
        return (self.page - 1) * self.per_page

    @property
    def within_results(self):
        """Whether the page lies within ``MAX_RESULTS``, where Elasticsearch can serve it."""
        return self.offset + self.per_page <= MAX_RESULTS

    def facet_query(self, facet):
        """The query whose results the facet named ``facet`` counts: the counting rule.

        Without the filter the facet's links set (or within a region of its value, counties
        within the chosen region's city); only that filter ever differs from this query.
        """
        facet = FACETS_BY_NAME[facet]
        own = facet.filter
        if own is None or getattr(self, own.field) == own.default:
            return self
        value = facet.within(getattr(self, own.field)) if facet.within else own.default
        return dataclasses.replace(self, **{own.field: value})


@dataclass
class FacetCount:
    value: str  # the id or code as a string, as it appears in a query parameter
    label: str
    count: int


def _names(counted):
    """{model label: {value as a string: name}}: one query per model, for the values listed."""
    wanted = defaultdict(set)
    for facet, pairs in counted.items():
        if facet.names:
            wanted[facet.names].update(str(value) for value, _count in pairs)
    return {
        label: {
            str(pk): name
            for pk, name in apps.get_model(label)
            .objects.filter(pk__in=values)
            .values_list("pk", "name")
        }
        for label, values in wanted.items()
        if values
    }


def facet_counts(counts):
    """Every facet's ``FacetCount`` list, from {facet name: [(value, count)]} as an engine
    counted them: empty and unlisted values left out (``Facet.keep``), largest first, ties by
    value (numbers as numbers), each labelled."""
    counted = {}
    for facet in FACETS:
        pairs = [
            (value, count)
            for value, count in counts.get(facet.name, ())
            if count and (facet.keep is None or facet.keep(str(value)))
        ]
        counted[facet] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    names = _names(counted)

    def label(facet, value):
        if facet.names:
            return names[facet.names].get(str(value), str(value))
        return facet.value_label.format(value)

    return {
        facet.name: [FacetCount(str(value), label(facet, value), count) for value, count in pairs]
        for facet, pairs in counted.items()
    }


@dataclass
class SearchResults:
    query: DisclosureQuery
    total: int = 0
    ids: list = field(default_factory=list)  # this page's Disclosure ids, in order
    facets: dict = field(default_factory=dict)  # facet name -> [FacetCount], largest first
    engine: str = "database"
    # True when Elasticsearch was asked for and could not answer, so the database did.
    fell_back: bool = False
