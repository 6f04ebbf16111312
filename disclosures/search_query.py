"""What a disclosure search asks and what it answers, the same for every engine.

The public page, the CSV export and the JSON API parse their parameters into a
``DisclosureQuery``; an engine (``engines.database`` or ``engines.elastic``) answers it with a
``SearchResults``. Both engines see the same public records and must return the same totals and
facet counts for the same query: tests hold them to it.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from common import regions

SORT_DATE = "date"
SORT_RELEVANCE = "relevance"
SORTS = (SORT_DATE, SORT_RELEVANCE)
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_QUERY_LENGTH = 60

# Facets every search returns, in the order the page shows them.
FACETS = ("category", "problem_type", "city", "county", "result", "year")
# The filter each facet is counted without, so that a chosen value's siblings keep their counts
# and the number beside each link is what following it shows. Counties are counted within the
# chosen region's city. Years have no filter of their own.
FACET_OWN_FILTER = {
    "category": "category",
    "problem_type": "problem_type",
    "result": "result",
    "city": "region",
    "county": "region",
}


@dataclass(frozen=True)
class DisclosureQuery:
    q: str = ""
    category: int | None = None  # ComplaintCategory id
    problem_type: int | None = None  # ProblemType id
    region: str = ""  # a 6-digit province, city or county code
    result: int | None = None  # HandlingResult id
    date_from: datetime.date | None = None  # complaint date, inclusive
    date_to: datetime.date | None = None
    merchant: int | None = None  # Merchant id (records linked by credit code)
    credit_code: str = ""
    sort: str = SORT_DATE
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self):
        return (self.page - 1) * self.per_page

    def facet_query(self, facet):
        """The query whose results a facet counts (``FACET_OWN_FILTER``)."""
        own = FACET_OWN_FILTER.get(facet)
        if own is None or not getattr(self, own):
            return self
        if facet == "county":
            return dataclasses.replace(self, region=county_scope(self.region))
        return dataclasses.replace(self, **{own: "" if own == "region" else None})


def county_scope(region):
    """The region whose counties the county facet lists: a county's city, else the region."""
    if regions.level_of(region) == regions.COUNTY:
        return regions.parent_code(region)
    return region


@dataclass
class FacetCount:
    value: str  # the id or code as a string, as it appears in a query parameter
    label: str
    count: int


@dataclass
class SearchResults:
    query: DisclosureQuery
    total: int = 0
    ids: list = field(default_factory=list)  # this page's Disclosure ids, in order
    facets: dict = field(default_factory=dict)  # facet name -> [FacetCount], largest first
    engine: str = "database"
    # True when Elasticsearch was asked for and could not answer, so the database did.
    fell_back: bool = False
