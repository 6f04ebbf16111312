from django.shortcuts import render

from .site_search import search_site


def search(request):
    results = search_site(
        request.GET.get("q", ""),
        page_type=request.GET.get("type", ""),
        page_number=request.GET.get("page", 1),
    )
    return render(request, "search/search.html", {"search": results, "search_query": results.query})
