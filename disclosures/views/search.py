"""The public disclosure search /disclosures/: keyword, filters with facet counts, pagination.

The results part of the page (facets, records, pagination) is the same for everyone who asks
the same query of the same data on the same day: rendered, it is kept in the shared cache under
the data version (``DisclosureDataVersion``), the date (what is public changes at midnight) and
the query string for ``RESULTS_CACHE_SECONDS``, so a common search (退货) asked again by any
reader on any worker is neither searched nor rendered again, and any import or edit, which
changes the version, is seen by the next request. Only with the embedded engine:
Elasticsearch catches up with a change after the version has moved.
"""

import dataclasses
import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common import regions

from .. import engines
from ..facets import FACETS, FILTER_PARAMS, given
from ..models import Disclosure, DisclosureDataVersion
from ..params import has_filters, parse_query
from ..search_query import MAX_RESULTS, SORT_DATE, SORT_RELEVANCE

# The facets listed beside the results, and the filters their links set (city and county
# both narrow the region): the filter panel says how many of these are chosen.
PAGE_FACETS = tuple(facet for facet in FACETS if facet.on_page)
PANEL_FILTERS = tuple(dict.fromkeys(facet.filter for facet in PAGE_FACETS))
RESULTS_CACHE_SECONDS = 600
# What is kept is bounded by what readers ask, not by what a script can make up: only a query of
# known parameters, read without a correction, that has no keyword (filters alone: a bounded
# set) or a keyword matching at least this many records (the costly searches; a made-up word
# matches nothing).
RESULTS_CACHE_MIN_TOTAL = 100
KNOWN_PARAMS = frozenset({"q", "sort", "page", "per_page", *FILTER_PARAMS})


class _Counted:
    """A sequence that only knows its length, so Paginator can number pages of engine results."""

    def __init__(self, count):
        self.count = count

    def __len__(self):
        return self.count

    def __getitem__(self, item):
        return []


def _records(ids):
    return Disclosure.objects.select_related(
        "category", "problem_type", "result", "region__parent"
    ).in_order(ids)


def _region_rows(region):
    """(city row's chosen value, county row shown?, county row's 全部) for the chosen region."""
    level = regions.level_of(region) if region else None
    if level == regions.COUNTY:
        return regions.parent_code(region), True, regions.parent_code(region)
    if level == regions.CITY:
        return region, True, region
    return "", False, ""


def _facet_groups(results):
    city, show_counties, whole_city = _region_rows(results.query.region)
    groups = []
    for facet in PAGE_FACETS:
        name = facet.name
        if name == "county" and not show_counties:
            continue  # counties are listed once a city is chosen
        group = {
            "name": name,
            "label": facet.label,
            "param": facet.param,
            "choices": [
                {"value": count.value, "label": count.label, "count": count.count}
                for count in results.facets[name]
            ],
            "selected": None,  # read from the request
            "everything": "",
        }
        if name == "city":
            group["selected"] = city  # a county's city stays marked
        elif name == "county":
            # "全部" in the county row means the whole city, not the whole province.
            group["selected"] = results.query.region
            group["everything"] = whole_city
        groups.append(group)
    return groups


def _results_key(request):
    """The cache key of a page's results, or None when they are not kept (Elasticsearch)."""
    if engines.elasticsearch_enabled():
        return None
    # Every parameter as given: the facet and page links repeat them all.
    asked = hashlib.blake2b(request.GET.urlencode().encode(), digest_size=16).hexdigest()
    version = DisclosureDataVersion.current()
    # The day too: a record leaves the public at midnight without any change to the data.
    return f"disclosure-results:{version}:{timezone.localdate().isoformat()}:{asked}"


def _worth_keeping(request, query, errors, total):
    if errors or not KNOWN_PARAMS.issuperset(request.GET):
        return False
    return not query.q or total >= RESULTS_CACHE_MIN_TOTAL


def _results_html(request, query, errors):
    """(the rendered results part of the page: facets, records, note and pagination, total)."""
    results = engines.search(query)
    # Pages stop at the first MAX_RESULTS records on both engines (``search_query``): no page
    # link goes past them, and a page asked past them says why it shows the last one.
    reachable = min(results.total, MAX_RESULTS)
    page_obj = Paginator(_Counted(reachable), query.per_page).get_page(query.page)
    if results.total and page_obj.number != query.page:
        # A page past the end (an old bookmark, records since expired) shows the last page,
        # as the paginator numbers it, rather than "nothing found" beside a non-zero total.
        query = dataclasses.replace(query, page=page_obj.number)
        results = engines.search(query)
    page_obj.object_list = _records(results.ids)
    context = {
        "query": query,
        "results": results,
        "page_obj": page_obj,
        "facet_groups": _facet_groups(results),
        "chosen_filters": len(given(query, PANEL_FILTERS)),
        "page_note": errors.get("page"),
        "results_capped": results.total > MAX_RESULTS,
        "max_results": MAX_RESULTS,
    }
    html = render_to_string("disclosures/includes/search_results.html", context, request)
    return html, results.total


def search_page(request):
    query, errors = parse_query(request.GET)
    key = _results_key(request)
    html = cache.get(key) if key else None
    if html is None:
        html, total = _results_html(request, query, errors)
        if key and _worth_keeping(request, query, errors, total):
            cache.set(key, html, RESULTS_CACHE_SECONDS)
    context = {
        "query": query,
        "filtered": has_filters(query),
        "sorts": [(SORT_DATE, _("按投诉日期")), (SORT_RELEVANCE, _("按相关度"))],
        "search_query": query.q,
        "results_html": mark_safe(html),  # rendered from the template above, escaped there
    }
    return render(request, "disclosures/search.html", context)
