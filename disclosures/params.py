"""Reading a DisclosureQuery from URL parameters, the same for the page, the CSV and the API.

Anything malformed is dropped rather than refused: a citizen who edits a URL by hand gets the
nearest sensible search, never an error page. ``errors`` says what was ignored, for the API.
"""

import datetime

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
FILTER_PARAMS = ("q", "category", "problem_type", "region", "result", "from", "to", "merchant")


def _int(value, errors, name):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = "应为整数"
        return None
    if number < 1:
        errors[name] = "应为正整数"
        return None
    return number


def _date(value, errors, name):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors[name] = "日期格式应为YYYY-MM-DD"
        return None


def parse_query(params, per_page=DEFAULT_PER_PAGE):
    """(DisclosureQuery, errors) from a QueryDict or dict of strings."""
    errors = {}
    region = (params.get("region") or "").strip()
    if region and not (len(region) == 6 and region.isdigit()):
        errors["region"] = "应为6位行政区划代码"
        region = ""
    date_from = _date(params.get("from"), errors, "from")
    date_to = _date(params.get("to"), errors, "to")
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    sort = params.get("sort") or SORT_DATE
    if sort not in SORTS:
        errors["sort"] = f"应为{'或'.join(SORTS)}"
        sort = SORT_DATE
    page = _int(params.get("page"), errors, "page") or 1
    size = _int(params.get("per_page"), errors, "per_page") or per_page
    return (
        DisclosureQuery(
            q=(params.get("q") or "").strip()[:MAX_QUERY_LENGTH],
            category=_int(params.get("category"), errors, "category"),
            problem_type=_int(params.get("problem_type"), errors, "problem_type"),
            region=region,
            result=_int(params.get("result"), errors, "result"),
            date_from=date_from,
            date_to=date_to,
            merchant=_int(params.get("merchant"), errors, "merchant"),
            credit_code=(params.get("credit_code") or "").strip().upper()[:18],
            sort=sort,
            page=min(page, MAX_PAGE),
            per_page=min(size, MAX_PER_PAGE),
        ),
        errors,
    )


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
