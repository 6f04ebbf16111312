"""Figures for /disclosures/stats/: public complaints by month, category, problem, region, result.

Computed by the database over the public records only, then cached for a few minutes: the
figures change with each import, not with each visitor, and a province-wide GROUP BY over a
million rows is worth doing once, not per page view.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from merchants.models import Region

from .models import ComplaintCategory, Disclosure, HandlingResult, ProblemType

CACHE_SECONDS = 5 * 60


@dataclass
class Bar:
    label: str
    count: int
    share: float = 0.0  # of the largest bar, 0..1, for drawing


@dataclass
class Statistics:
    year: int | None
    region: Region | None
    total: int = 0
    respondents: int = 0
    mediated: int = 0
    mediation_successes: int = 0
    recovered: Decimal = Decimal("0")
    by_month: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    by_problem_type: list = field(default_factory=list)
    by_region: list = field(default_factory=list)
    by_result: list = field(default_factory=list)

    @property
    def mediation_success_percent(self):
        return round(self.mediation_successes * 100 / self.mediated) if self.mediated else None

    @property
    def charts(self):
        return [
            ("month", _("按月份"), self.by_month),
            ("category", _("按商品或服务类别"), self.by_category),
            ("problem_type", _("按投诉问题类型"), self.by_problem_type),
            ("region", _("按地区"), self.by_region),
            ("result", _("按处理结果"), self.by_result),
        ]


def _bars(rows, labels):
    bars = [Bar(labels.get(key, str(key)), count) for key, count in rows if count]
    largest = max((bar.count for bar in bars), default=0)
    for bar in bars:
        bar.share = bar.count / largest if largest else 0
    return bars


def _grouped(records, column, order_by_count=True):
    rows = records.values_list(column).annotate(n=Count("pk"))
    rows = rows.order_by("-n", column) if order_by_count else rows.order_by(column)
    return list(rows)


def available_years():
    months = Disclosure.objects.public().values_list("complained_month", flat=True)
    return sorted({month // 100 for month in months.distinct()}, reverse=True)


def compute(year=None, region=None):
    """Statistics for a year (None: all public records) and a region (None: everywhere)."""
    records = Disclosure.objects.public()
    if year:
        months = (year * 100 + 1, year * 100 + 12)
        records = records.filter(complained_month__range=months)
    if region:
        records = records.in_region(region.code)
    stats = Statistics(year=year, region=region)
    totals = records.aggregate(
        total=Count("pk"),
        respondents=Count("respondent_name", distinct=True),
        mediated=Count("pk", filter=Q(result__counts_as_mediated=True)),
        successes=Count("pk", filter=Q(result__is_mediation_success=True)),
        recovered=Sum("recovered_amount"),
    )
    stats.total, stats.respondents = totals["total"], totals["respondents"]
    stats.mediated, stats.mediation_successes = totals["mediated"], totals["successes"]
    stats.recovered = totals["recovered"] or Decimal("0")

    months = _grouped(records, "complained_month", order_by_count=False)
    stats.by_month = _bars(months, {m: f"{m // 100}年{m % 100}月" for m, _n in months})
    stats.by_category = _bars(
        _grouped(records, "category_id"), dict(ComplaintCategory.objects.values_list("pk", "name"))
    )
    stats.by_problem_type = _bars(
        _grouped(records, "problem_type_id"), dict(ProblemType.objects.values_list("pk", "name"))
    )
    stats.by_result = _bars(
        _grouped(records, "result_id"), dict(HandlingResult.objects.values_list("pk", "name"))
    )
    # Everywhere: by city; within a city or county: by county.
    region_column = "region_id" if region and region.level >= 2 else "city_code"
    region_rows = _grouped(records, region_column)
    names = dict(
        Region.objects.filter(code__in=[code for code, _n in region_rows]).values_list(
            "code", "name"
        )
    )
    stats.by_region = _bars(region_rows, names)
    return stats


def cached(year=None, region=None):
    day = timezone.localdate().isoformat()
    key = f"disclosures:stats:{day}:{year or 'all'}:{region.code if region else 'all'}"
    stats = cache.get(key)
    if stats is None:
        stats = compute(year, region)
        cache.set(key, stats, CACHE_SECONDS)
    return stats
