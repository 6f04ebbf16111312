"""Reading a DisclosureQuery from URL parameters, the same for the page, the CSV and the API.

Anything malformed is dropped rather than refused: a citizen who edits a URL by hand gets the
nearest sensible search, never an error page. ``errors`` says what was ignored, for the API.
The values are read by ``common.query_params``: ASCII digits only, and ids bounded by
``MAX_FILTER_ID``, so that an id beyond any record's (20 digits, 2**63) is what every unknown id
is: a filter that matches nothing, never a database or search-engine error.
"""

import re

from django.utils.translation import gettext as _

from common.query_params import QueryParams

from .search_query import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    SORT_DATE,
    SORTS,
    DisclosureQuery,
)

# Far beyond any real listing: deep pages cost the database and nobody reads them.
MAX_PAGE = 500
# The Elasticsearch mapping keeps these ids as ``integer`` (es_documents), which refuses a
# larger term on some versions; no record's id is as large, so a larger one names no record.
MAX_FILTER_ID = 2**31 - 1
FILTER_PARAMS = ("q", "category", "problem_type", "region", "result", "from", "to", "merchant")
REGION_CODE = re.compile(r"[0-9]{6}")
CREDIT_CODE_LENGTH = 18


def read_paging(params, per_page=DEFAULT_PER_PAGE):
    """(page, per_page) from a QueryParams: a page past MAX_PAGE is the last one read."""
    page = params.integer("page", maximum=MAX_PAGE, default=1)
    size = params.integer("per_page", maximum=MAX_PER_PAGE, default=per_page)
    return page, size


def parse_query(params, per_page=DEFAULT_PER_PAGE):
    """(DisclosureQuery, errors) from a QueryDict or dict of strings."""
    reader = QueryParams(params)
    region = reader.matching("region", REGION_CODE, _("应为6位行政区划代码"))
    date_from = reader.date("from")
    date_to = reader.date("to")
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    sort = reader.choice("sort", SORTS, default=SORT_DATE)
    page, size = read_paging(reader, per_page)
    query = DisclosureQuery(
        q=reader.text("q", MAX_QUERY_LENGTH),
        category=reader.integer("category", maximum=MAX_FILTER_ID),
        problem_type=reader.integer("problem_type", maximum=MAX_FILTER_ID),
        region=region,
        result=reader.integer("result", maximum=MAX_FILTER_ID),
        date_from=date_from,
        date_to=date_to,
        merchant=reader.integer("merchant", maximum=MAX_FILTER_ID),
        credit_code=reader.text("credit_code", CREDIT_CODE_LENGTH).upper(),
        sort=sort,
        page=page,
        per_page=size,
    )
    return query, reader.errors


def has_filters(query):
    return bool(
        query.q
        or query.category
        or query.problem_type
        or query.region
        or query.result
        or query.date_from
        or query.date_to
        or query.merchant
        or query.credit_code
    )
