"""/disclosures/stats/: the statistics of public complaints, filterable by year and region."""

from django.shortcuts import render
from django.utils import timezone

from common.query_params import QueryParams
from merchants.filters import region_choices
from merchants.models import Region

from .. import charts, statistics
from ..params import REGION_CODE


def stats_page(request):
    # A year or region not offered shows every record, as the select's 全部 says.
    years = statistics.available_years()
    params = QueryParams(request.GET)
    year = params.choice("year", [str(number) for number in years])
    year = int(year) if year else None
    region_code = params.matching("region", REGION_CODE)
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
        "sections": statistics.render_sections(year, region, timezone.localdate()),
    }
    return render(request, "disclosures/stats.html", context)
