"""Every filter and facet of the disclosure search, declared once.

A filter is a URL parameter of /disclosures/, the CSV export and /api/v1/disclosures/; a facet
is a list of counted values beside the results whose links set a filter. The parser
(``params``), both engines (``engines.database`` over the snapshot columns, ``engines.es_queries``
on Elasticsearch), the API's schema and the page read these declarations, so adding a facet is
one entry here (and its column, if the snapshot lacks one).

The counting rule is ``DisclosureQuery.facet_query``: each facet is counted with every filter
but its own, counties within the chosen region's city.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Filter:
    param: str  # the URL parameter
    field: str  # the DisclosureQuery attribute it sets
    kind: str  # "text", "id", "region", "date" or "choice": how it is read and documented
    description: str  # for the API's documentation
    lookup: str = ""  # the Disclosure field it matches ("" when the engine has its own rule)


@dataclass(frozen=True)
class Facet:
    name: str  # the key in SearchResults.facets and in the API's "facets"
    label: str  # the heading on the page
    param: str  # the URL parameter its links set
    column: str  # the snapshot column it counts (engines.database)
    es_field: str  # the indexed field it aggregates (engines.es_queries)
    es_size: int  # buckets asked for: more than the values the field can take, so counts are exact
    on_page: bool = True  # False: counted (API) but not listed on the page


FILTERS = (
    Filter(
        "q",
        "q",
        "text",
        _("关键词(按汉字二元切分检索被投诉人名称、投诉内容摘要和消费者诉求)"),
    ),
    Filter(
        "category",
        "category",
        "id",
        _("商品或服务类别ID(见 facets.category)"),
        "category_id",
    ),
    Filter(
        "problem_type",
        "problem_type",
        "id",
        _("投诉问题类型ID(见 facets.problem_type)"),
        "problem_type_id",
    ),
    Filter("region", "region", "region", _("6位行政区划代码,可为省、地市或区县")),
    Filter("result", "result", "id", _("处理结果ID(见 facets.result)"), "result_id"),
    Filter("from", "date_from", "date", _("投诉日期起(含),YYYY-MM-DD"), "complained_on__gte"),
    Filter("to", "date_to", "date", _("投诉日期止(含),YYYY-MM-DD"), "complained_on__lte"),
    Filter("merchant", "merchant", "id", _("承诺商家ID"), "merchant_id"),
    Filter("credit_code", "credit_code", "text", _("被投诉人统一社会信用代码"), "credit_code"),
)

FACETS = (
    Facet("category", _("商品或服务类别"), "category", "category", "category", 500),
    Facet("problem_type", _("投诉问题类型"), "problem_type", "problem_type", "problem_type", 200),
    Facet("city", _("地市"), "region", "city", "city_code", 500),
    Facet("county", _("区县"), "region", "county", "region_code", 5000),
    Facet("result", _("处理结果"), "result", "result", "result", 100),
    # Years are picked through the date range on the page.
    Facet("year", _("投诉年份"), "", "year", "year", 100, on_page=False),
)
FACET_NAMES = tuple(facet.name for facet in FACETS)
