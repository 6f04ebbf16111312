from django.shortcuts import render

from .result_groups import result_groups
from .site_search import make_snippet, search_site
from .text_analysis import highlight_words


def _marked(groups, query):
    """Each item's snippet with the query's words marked, as the page results have them."""
    words = highlight_words(query)
    for group in groups:
        for item in group.items:
            if item.snippet:
                item.marked_snippet = make_snippet(item.snippet, words)
    return groups


def search(request):
    results = search_site(
        request.GET.get("q", ""),
        page_type=request.GET.get("type", ""),
        page_number=request.GET.get("page", 1),
    )
    # Merchants and complaints answer the first page of an unfiltered search; paging on or
    # choosing a page type is about pages only.
    first_view = results.page_obj is None or (
        results.page_obj.number == 1 and not results.page_type
    )
    groups = _marked(result_groups(results.query), results.query) if first_view else []
    context = {
        "search": results,
        "search_query": results.query,
        "groups": groups,
        "found_anything": bool(results.total or any(group.count for group in groups)),
    }
    return render(request, "search/search.html", context)
