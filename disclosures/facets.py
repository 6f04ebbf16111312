"""Every filter and facet of the disclosure search, declared once.

A filter is a URL parameter of /disclosures/, the CSV export and /api/v1/disclosures/; a facet
is a list of counted values beside the results whose links set a filter. Read from here: the
query's attributes and their reading from a URL (``search_query.DisclosureQuery``, ``params``),
the counting rule (``DisclosureQuery.facet_query``), the filters in plain ORM terms
(``DisclosureQuerySet.filtered_by``), both engines (``engines.database`` over the snapshot's
columns, ``engines.es_queries`` on Elasticsearch), the API's schema, the search page and the
statistics' charts. Adding a facet is its ``Filter`` and ``Facet`` here, and its column in the
snapshot (``disclosures.snapshot``) and in the Elasticsearch document if they lack one.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from common import regions


@dataclass(frozen=True)
class Stored:
    """Where a record's value is held, in each place a search reads it."""

    lookup: str  # the Disclosure field, for the ORM ("" when no field holds it)
    column: str  # the snapshot's column ("" when it lacks one: the database is asked instead)
    es_field: str  # the field of the Elasticsearch document


CATEGORY = Stored("category_id", "category", "category")
PROBLEM_TYPE = Stored("problem_type_id", "problem_type", "problem_type")
RESULT = Stored("result_id", "result", "result")
PROVINCE = Stored("province_code", "province", "province_code")
CITY = Stored("city_code", "city", "city_code")
COUNTY = Stored("region_id", "county", "region_code")  # a county's code, or a city's
COMPLAINED_ON = Stored("complained_on", "complained", "complained_on")
YEAR = Stored("", "year", "year")  # of the complaint date
MERCHANT = Stored("merchant_id", "", "merchant")
CREDIT_CODE = Stored("credit_code", "", "credit_code")

# Where a region filter looks, by the level of the chosen code.
REGION_LEVELS = {regions.PROVINCE: PROVINCE, regions.CITY: CITY, regions.COUNTY: COUNTY}


def stored_region(code):
    """Where the records of a province, city or county code are found."""
    return REGION_LEVELS[regions.level_of(code)]


# How a filter's value is read, held and documented (``kind``).
TEXT, ID, REGION, DATE = "text", "id", "region", "date"
# How it selects records (``match``): the last three are also the ORM's and Elasticsearch's
# names for them (``complained_on__gte``, ``{"range": {"complained_on": {"gte": ...}}}``).
KEYWORD = "keyword"  # every term in the full-text index: each engine's own rule
IN_REGION = "in_region"  # the record lies in the region (``REGION_LEVELS``)
EXACT, AT_LEAST, AT_MOST = "exact", "gte", "lte"


@dataclass(frozen=True)
class Filter:
    param: str  # the URL parameter
    field: str  # the DisclosureQuery attribute it sets
    kind: str  # TEXT, ID, REGION or DATE
    description: str  # for the API's documentation
    match: str = EXACT
    stored: Stored | None = None  # what it compares (None for KEYWORD and IN_REGION)
    max_length: int = 0  # TEXT: what is read of it
    upper: bool = False  # TEXT: read in upper case

    @property
    def type(self):
        return {ID: int | None, DATE: datetime.date | None}.get(self.kind, str)

    @property
    def default(self):
        """The attribute's value when the filter is not given."""
        return None if self.kind in (ID, DATE) else ""

    @property
    def lookup(self):
        """The ORM lookup of an EXACT, AT_LEAST or AT_MOST filter."""
        return f"{self.stored.lookup}__{self.match}"


KEYWORD_FILTER = Filter(
    "q",
    "q",
    TEXT,
    _(
        "关键词（按汉字二元切分检索被投诉人名称和地址、投诉内容摘要、消费者诉求、处理部门、"
        "商品或服务类别和投诉问题类型；也可填投诉编号或统一社会信用代码）"
    ),
    match=KEYWORD,
    max_length=60,
)
CATEGORY_FILTER = Filter(
    "category", "category", ID, _("商品或服务类别ID（见 facets.category）"), stored=CATEGORY
)
PROBLEM_TYPE_FILTER = Filter(
    "problem_type",
    "problem_type",
    ID,
    _("投诉问题类型ID（见 facets.problem_type）"),
    stored=PROBLEM_TYPE,
)
RESULT_FILTER = Filter("result", "result", ID, _("处理结果ID（见 facets.result）"), stored=RESULT)
REGION_FILTER = Filter(
    "region", "region", REGION, _("6位行政区划代码，可为省、地市或区县"), match=IN_REGION
)
# In the order both engines apply them: the Elasticsearch request lists its clauses so
# (tests/golden/elasticsearch/), and the API documents the parameters so.
FILTERS = (
    KEYWORD_FILTER,
    CATEGORY_FILTER,
    PROBLEM_TYPE_FILTER,
    RESULT_FILTER,
    REGION_FILTER,
    Filter("merchant", "merchant", ID, _("承诺商家ID"), stored=MERCHANT),
    Filter(
        "credit_code",
        "credit_code",
        TEXT,
        _("被投诉人统一社会信用代码"),
        stored=CREDIT_CODE,
        max_length=18,
        upper=True,
    ),
    Filter(
        "from",
        "date_from",
        DATE,
        _("投诉日期起（含），YYYY-MM-DD"),
        match=AT_LEAST,
        stored=COMPLAINED_ON,
    ),
    Filter(
        "to",
        "date_to",
        DATE,
        _("投诉日期止（含），YYYY-MM-DD"),
        match=AT_MOST,
        stored=COMPLAINED_ON,
    ),
)
FILTER_PARAMS = tuple(filter.param for filter in FILTERS)


def given(query, filters=FILTERS):
    """(filter, value) of each of ``filters`` that ``query`` sets, in their order."""
    pairs = [(filter, getattr(query, filter.field)) for filter in filters]
    return [(filter, value) for filter, value in pairs if value != filter.default]


def county_scope(region):
    """The region whose counties the county facet lists: a county's city, else the region."""
    if regions.level_of(region) == regions.COUNTY:
        return regions.parent_code(region)
    return region


def is_county(code):
    return regions.level_of(code) == regions.COUNTY


@dataclass(frozen=True)
class Facet:
    name: str  # the key in SearchResults.facets and in the API's "facets"
    label: str  # the heading on the page
    stored: Stored  # what it counts
    es_size: int  # buckets asked for: more than the values the field can take, so counts are exact
    # The filter its links set. A facet is counted with every filter but this one, so that a
    # chosen value's siblings keep their counts and the number beside each link is what
    # following it shows; None: counted under every filter.
    filter: Filter | None = None
    within: Callable | None = None  # counted within this region of the filter's value instead
    keep: Callable | None = None  # lists only the values (as strings) this accepts
    names: str = ""  # the model ("app.Model") whose ``name`` labels a value, by primary key
    value_label: str = "{}"  # else the label, made of the value
    on_page: bool = True  # False: counted (API) but not listed on the page

    @property
    def param(self):
        """The URL parameter its links set."""
        return self.filter.param if self.filter else ""


# In the order the page and the API list them.
FACETS = (
    Facet(
        "category",
        _("商品或服务类别"),
        CATEGORY,
        500,
        CATEGORY_FILTER,
        names="disclosures.ComplaintCategory",
    ),
    Facet(
        "problem_type",
        _("投诉问题类型"),
        PROBLEM_TYPE,
        200,
        PROBLEM_TYPE_FILTER,
        names="disclosures.ProblemType",
    ),
    Facet("city", _("地市"), CITY, 500, REGION_FILTER, names="merchants.Region"),
    # A province has about 120 counties. Counted within the chosen region's city, so that the
    # list stays that city's (选了岳麓区, its neighbours stay one click away).
    Facet(
        "county",
        _("区县"),
        COUNTY,
        5000,
        REGION_FILTER,
        within=county_scope,
        keep=is_county,
        names="merchants.Region",
    ),
    Facet("result", _("处理结果"), RESULT, 100, RESULT_FILTER, names="disclosures.HandlingResult"),
    # Years are picked through the date range on the page.
    Facet("year", _("投诉年份"), YEAR, 100, value_label="{}年", on_page=False),
)
FACET_NAMES = tuple(facet.name for facet in FACETS)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
# The filters a facet's links set, in FILTERS order: each engine applies them apart from the
# others, so that each facet can be counted without its own.
FACET_FILTERS = tuple(
    filter for filter in FILTERS if any(facet.filter is filter for facet in FACETS)
)
# The other filters but the keyword: every facet is counted under them.
BASE_FILTERS = tuple(
    filter for filter in FILTERS if filter.match != KEYWORD and filter not in FACET_FILTERS
)
