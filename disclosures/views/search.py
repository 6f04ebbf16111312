"""The public disclosure search /disclosures/: keyword, filters with facet counts, pagination."""

import dataclasses

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from common import regions

from .. import engines
from ..facets import FACETS, given
from ..models import Disclosure
from ..params import has_filters, parse_query
from ..search_query import MAX_RESULTS, SORT_DATE, SORT_RELEVANCE

# The facets listed beside the results, and the filters their links set (city and county
# both narrow the region): the filter panel says how many of these are chosen.
PAGE_FACETS = tuple(facet for facet in FACETS if facet.on_page)
PANEL_FILTERS = tuple(dict.fromkeys(facet.filter for facet in PAGE_FACETS))


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


def search_page(request):
    query, errors = parse_query(request.GET)
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
        "filtered": has_filters(query),
        "sorts": [(SORT_DATE, _("按投诉日期")), (SORT_RELEVANCE, _("按相关度"))],
        "search_query": query.q,
        "page_note": errors.get("page"),
        "results_capped": results.total > MAX_RESULTS,
        "max_results": MAX_RESULTS,
    }
    return render(request, "disclosures/search.html", context)
