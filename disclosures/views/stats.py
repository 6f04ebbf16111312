"""/disclosures/stats/: the statistics of public complaints, filterable by year and region."""

from django.shortcuts import render

from merchants.filters import region_choices
from merchants.models import Region

from .. import charts, statistics


def stats_page(request):
    years = statistics.available_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    year = year if year in years else None
    region_code = request.GET.get("region", "")
    region = Region.objects.filter(code=region_code).first() if region_code else None
    stats = statistics.cached(year, region)
    charts_rendered = []
    for key, title, bars in stats.charts:
        draw = charts.columns if key == "month" else charts.horizontal_bars
        charts_rendered.append(
            {"key": key, "title": title, "bars": bars, "svg": draw(bars, f"chart-{key}-title")}
        )
    context = {
        "stats": stats,
        "charts": charts_rendered,
        "years": years,
        "year": year,
        "regions": region_choices(),
        "region_code": region.code if region else "",
    }
    return render(request, "disclosures/stats.html", context)
