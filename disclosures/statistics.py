"""Figures for /disclosures/stats/: public complaints by month, category, problem, region, result.

Counted over the public records only, with the search's in-memory columns (``compute`` says
why), and cached until the data changes: the figures change with each import, not with each
visitor.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import regions
from merchants.models import Region

from .engines import columns
from .models import (
    ComplaintCategory,
    Disclosure,
    DisclosureDataVersion,
    HandlingResult,
    ProblemType,
)

# Keys carry the data version, so an import shows at once; this only bounds what is kept.
CACHE_SECONDS = 24 * 3600


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


def _by_value(column, rows, order_by_count=True):
    """[(value, count)] of a snapshot column over the given rows, largest first or by value."""
    counts = np.bincount(column[rows]) if len(rows) else np.zeros(0, dtype=np.int64)
    values = np.flatnonzero(counts)
    pairs = list(zip(values.tolist(), counts[values].tolist(), strict=True))
    if order_by_count:
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return pairs


def available_years():
    snapshot = columns.current()
    years = snapshot.year[snapshot.public(timezone.localdate())]
    return sorted(np.unique(years).tolist(), reverse=True)


def _months(snapshot, rows):
    """[(YYYYMM, count)] in month order, from the complaint day numbers."""
    months = snapshot.complained[rows].astype("datetime64[D]").astype("datetime64[M]")
    values, counts = np.unique(months.astype(np.int64), return_counts=True)
    return [
        ((1970 + value // 12) * 100 + value % 12 + 1, count)
        for value, count in zip(values.tolist(), counts.tolist(), strict=True)
    ]


def compute(year=None, region=None):
    """Statistics for a year (None: all public records) and a region (None: everywhere).

    Counted over the search's in-memory columns (``engines.columns``), as the facets are: a
    GROUP BY per chart over a million rows took SQLite half a minute. Only the two figures
    the columns do not hold, distinct respondents and money recovered, come from one SQL
    aggregate.
    """
    today = timezone.localdate()
    snapshot = columns.current()
    mask = snapshot.public(today).copy()
    records = Disclosure.objects.public(today)
    if year:
        mask &= snapshot.year == year
        records = records.filter(complained_month__range=(year * 100 + 1, year * 100 + 12))
    if region:
        mask &= snapshot.region_mask(region.code)
        records = records.in_region(region.code)
    rows = np.flatnonzero(mask)
    stats = Statistics(year=year, region=region, total=len(rows))
    figures = records.aggregate(
        respondents=Count("respondent_name", distinct=True), recovered=Sum("recovered_amount")
    )
    stats.respondents = figures["respondents"]
    stats.recovered = figures["recovered"] or Decimal("0")

    by_result = _by_value(snapshot.result, rows)
    flags = {
        pk: (mediated, success)
        for pk, mediated, success in HandlingResult.objects.values_list(
            "pk", "counts_as_mediated", "is_mediation_success"
        )
    }
    stats.mediated = sum(n for pk, n in by_result if flags.get(pk, (False, False))[0])
    stats.mediation_successes = sum(n for pk, n in by_result if flags.get(pk, (False, False))[1])

    months = _months(snapshot, rows)
    stats.by_month = _bars(months, {m: f"{m // 100}年{m % 100}月" for m, _n in months})
    stats.by_category = _bars(
        _by_value(snapshot.category, rows),
        dict(ComplaintCategory.objects.values_list("pk", "name")),
    )
    stats.by_problem_type = _bars(
        _by_value(snapshot.problem_type, rows), dict(ProblemType.objects.values_list("pk", "name"))
    )
    stats.by_result = _bars(by_result, dict(HandlingResult.objects.values_list("pk", "name")))
    # Everywhere: by city; within a city or county: by county.
    if region and region.level in (regions.CITY, regions.COUNTY):
        codes, column = snapshot.county_codes, snapshot.county
    else:
        codes, column = snapshot.city_codes, snapshot.city
    region_rows = [(codes[index], n) for index, n in _by_value(column, rows)]
    names = dict(
        Region.objects.filter(code__in=[code for code, _n in region_rows]).values_list(
            "code", "name"
        )
    )
    stats.by_region = _bars(region_rows, names)
    return stats


def cached(year=None, region=None):
    """The statistics, kept until the data changes (or the day does: records expire)."""
    day = timezone.localdate().isoformat()
    version = DisclosureDataVersion.current()
    key = f"disclosures:stats:{version}:{day}:{year or 'all'}:{region.code if region else 'all'}"
    stats = cache.get(key)
    if stats is None:
        stats = compute(year, region)
        cache.set(key, stats, CACHE_SECONDS)
    return stats
