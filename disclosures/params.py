"""Reading a DisclosureQuery from URL parameters, the same for the page, the CSV and the API.

Anything malformed is dropped rather than refused: a citizen who edits a URL by hand gets the
nearest sensible search, never an error page. ``errors`` says what was ignored, for the API.
The values are read by ``common.query_params``: ASCII digits only, and ids bounded by
``MAX_FILTER_ID``, so that an id beyond any record's (20 digits, 2**63) is what every unknown id
is: a filter that matches nothing, never a database or search-engine error. Each filter is
read by its kind (``facets.FILTERS``).
"""

import re

from django.utils.translation import gettext as _

from common.query_params import QueryParams

from .facets import DATE, FILTERS, ID, REGION, given
from .search_query import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    MAX_RESULTS,
    SORT_DATE,
    SORTS,
    DisclosureQuery,
    last_reachable_page,
)

# Far beyond any real listing: deep pages cost the database and nobody reads them. A search's
# pages also stop at ``MAX_RESULTS`` records (``read_search_paging``).
MAX_PAGE = 500
# The Elasticsearch mapping keeps these ids as ``integer`` (es_documents), which refuses a
# larger term on some versions; no record's id is as large, so a larger one names no record.
MAX_FILTER_ID = 2**31 - 1
REGION_CODE = re.compile(r"[0-9]{6}")


def _bounded(params, name, maximum, reason, default, refuse_beyond):
    """An integer parameter up to ``maximum``: beyond it, the bound, or refused with ``reason``
    (which states the bound) when ``refuse_beyond``."""
    if not refuse_beyond:
        return params.integer(name, maximum=maximum, default=default)
    # One above the bound stands for any larger number (parse_integer caps at its maximum).
    number = params.integer(name, maximum=maximum + 1, default=default)
    if number > maximum:
        params.errors[name] = reason % {"maximum": maximum}
        return default
    return number


def read_paging(params, per_page=DEFAULT_PER_PAGE, refuse_beyond=False):
    """(page, per_page) from a QueryParams. Past MAX_PAGE or MAX_PER_PAGE a page reads the
    bound; the API (``refuse_beyond``) refuses it instead, the bound in the reason, since a
    script asking for 500 rows and given 100 would take them for all there are."""
    page = _bounded(params, "page", MAX_PAGE, _("页码最大为%(maximum)d"), 1, refuse_beyond)
    size = _bounded(
        params, "per_page", MAX_PER_PAGE, _("每页最多%(maximum)d条"), per_page, refuse_beyond
    )
    return page, size


def read_search_paging(params, per_page=DEFAULT_PER_PAGE, refuse_beyond=False):
    """(page, per_page) of a disclosure search: ``read_paging``'s, and no page past the first
    ``MAX_RESULTS`` records (``search_query.MAX_RESULTS``). Past them the reason names the last
    page there is, under ``page``: the API (``refuse_beyond``) refuses it, as it refuses any
    unreadable parameter; a page reads that last page, and may show the reason."""
    page, size = read_paging(params, per_page, refuse_beyond)
    last = last_reachable_page(size)
    if page <= last:
        return page, size
    params.errors["page"] = _(
        "检索结果只提供前%(results)d条：每页%(per_page)d条时页码最大为%(last)d，"
        "请用关键词或筛选条件缩小范围"
    ) % {"results": MAX_RESULTS, "per_page": size, "last": last}
    return (1 if refuse_beyond else last), size


def read_filter(reader, filter):
    """The value of one filter from a QueryParams, its default when absent or unreadable."""
    if filter.kind == ID:
        return reader.integer(filter.param, maximum=MAX_FILTER_ID)
    if filter.kind == REGION:
        return reader.matching(filter.param, REGION_CODE, _("应为6位行政区划代码"))
    if filter.kind == DATE:
        return reader.date(filter.param)
    text = reader.text(filter.param, filter.max_length)
    return text.upper() if filter.upper else text


def parse_query(params, per_page=DEFAULT_PER_PAGE, refuse_beyond=False):
    """(DisclosureQuery, errors) from a QueryDict or dict of strings; ``refuse_beyond`` as
    ``read_search_paging``."""
    reader = QueryParams(params)
    values = {filter.field: read_filter(reader, filter) for filter in FILTERS}
    date_from, date_to = values["date_from"], values["date_to"]
    if date_from and date_to and date_from > date_to:
        values["date_from"], values["date_to"] = date_to, date_from
    sort = reader.choice("sort", SORTS, default=SORT_DATE)
    page, size = read_search_paging(reader, per_page, refuse_beyond)
    query = DisclosureQuery(**values, sort=sort, page=page, per_page=size)
    return query, reader.errors


def has_filters(query):
    return bool(given(query))
