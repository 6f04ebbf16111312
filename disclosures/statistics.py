"""Figures for /disclosures/stats/: public complaints by month, category, problem, region, result.

Counted over the public records only, and cached until the data changes: the figures change
with each import, not with each visitor. Counted where the search counts its facets: over the
snapshot (``disclosures.snapshot``) while the database engine is in use, since a GROUP BY per
chart over a million rows took SQLite half a minute; with Elasticsearch configured the snapshot
is never loaded, and the database counts them (``_database_counts``), the same figures.

Later apps add sections to the page (complaint handling figures) through the Wagtail hook
``STATISTICS_SECTIONS_HOOK``, as they add to the scan page (``merchants.scan_sections``).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from common import regions
from merchants.models import Region

from . import engines
from .facets import FACETS_BY_NAME
from .models import (
    ComplaintCategory,
    Disclosure,
    DisclosureDataVersion,
    HandlingResult,
    ProblemType,
)

# Keys carry the data version, so an import shows at once; this only bounds what is kept.
CACHE_SECONDS = 24 * 3600
# A function registered under this hook is called with ``year``, ``region`` (the page's
# filters, None for all) and ``today`` and returns a section's HTML, or "" to add nothing.
STATISTICS_SECTIONS_HOOK = "disclosure_statistics_sections"
# The charts counted as the search's facets are.
CHART_FACETS = ("category", "problem_type", "result")


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


@dataclass
class Counts:
    """What the charts count, wherever it was counted: [(value, count)], by value."""

    total: int
    months: list  # (YYYYMM, count)
    by_facet: dict  # facet name -> [(value, count)]


def _region_facet(region):
    """Everywhere: by city; within a city or county: by county."""
    if region and region.level in (regions.CITY, regions.COUNTY):
        return FACETS_BY_NAME["county"]
    return FACETS_BY_NAME["city"]


def _chart_facets(region):
    """The facets the charts count: ``CHART_FACETS`` and the region's."""
    return [FACETS_BY_NAME[name] for name in CHART_FACETS] + [_region_facet(region)]


def _snapshot():
    """The snapshot, imported on first use: a process with Elasticsearch never loads it."""
    from . import snapshot

    return snapshot.current()


def _snapshot_counts(on, year, region):
    current = _snapshot()
    mask = current.public(on).copy()
    if year:
        mask &= current.year == year
    if region:
        mask &= current.region_mask(region.code)
    rows = mask.nonzero()[0]
    facets = _chart_facets(region)
    return Counts(
        total=len(rows),
        months=current.month_counts(rows),
        by_facet={facet.name: current.counts(facet.stored.column, rows) for facet in facets},
    )


def _grouped(records, lookup):
    """[(value, count)] of one field over the records, by value."""
    return list(records.values_list(lookup).annotate(n=Count("pk")).order_by(lookup))


def _database_counts(records, region):
    facets = _chart_facets(region)
    return Counts(
        total=records.count(),
        months=_grouped(records, "complained_month"),
        by_facet={facet.name: _grouped(records, facet.stored.lookup) for facet in facets},
    )


def _public(on, year=None, region=None):
    records = Disclosure.objects.public(on)
    if year:
        records = records.filter(complained_month__range=(year * 100 + 1, year * 100 + 12))
    if region:
        records = records.in_region(region.code)
    return records


def _bars(rows, labels):
    bars = [Bar(labels.get(key, str(key)), count) for key, count in rows if count]
    largest = max((bar.count for bar in bars), default=0)
    for bar in bars:
        bar.share = bar.count / largest if largest else 0
    return bars


def _largest_first(pairs):
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def available_years():
    """The complaint years of the public records, newest first."""
    return _kept("years", _years)


def _years():
    today = timezone.localdate()
    if engines.elasticsearch_enabled():
        years = Disclosure.objects.public(today).values_list(F("complained_month") / 100)
        return sorted({year for (year,) in years.distinct()}, reverse=True)
    current = _snapshot()
    return sorted(set(current.year[current.public(today)].tolist()), reverse=True)


def compute(year=None, region=None):
    """Statistics for a year (None: all public records) and a region (None: everywhere).

    The two figures the snapshot does not hold, distinct respondents and money recovered, come
    from one SQL aggregate either way.
    """
    today = timezone.localdate()
    records = _public(today, year, region)
    if engines.elasticsearch_enabled():
        counts = _database_counts(records, region)
    else:
        counts = _snapshot_counts(today, year, region)
    stats = Statistics(year=year, region=region, total=counts.total)
    figures = records.aggregate(
        respondents=Count("respondent_name", distinct=True), recovered=Sum("recovered_amount")
    )
    stats.respondents = figures["respondents"]
    stats.recovered = figures["recovered"] or Decimal("0")

    by_result = _largest_first(counts.by_facet["result"])
    flags = {
        pk: (mediated, success)
        for pk, mediated, success in HandlingResult.objects.values_list(
            "pk", "counts_as_mediated", "is_mediation_success"
        )
    }
    stats.mediated = sum(n for pk, n in by_result if flags.get(pk, (False, False))[0])
    stats.mediation_successes = sum(n for pk, n in by_result if flags.get(pk, (False, False))[1])

    months = counts.months
    stats.by_month = _bars(months, {m: f"{m // 100}年{m % 100}月" for m, _n in months})
    stats.by_category = _bars(
        _largest_first(counts.by_facet["category"]),
        dict(ComplaintCategory.objects.values_list("pk", "name")),
    )
    stats.by_problem_type = _bars(
        _largest_first(counts.by_facet["problem_type"]),
        dict(ProblemType.objects.values_list("pk", "name")),
    )
    stats.by_result = _bars(by_result, dict(HandlingResult.objects.values_list("pk", "name")))
    region_rows = _largest_first(counts.by_facet[_region_facet(region).name])
    names = dict(
        Region.objects.filter(code__in=[code for code, _n in region_rows]).values_list(
            "code", "name"
        )
    )
    stats.by_region = _bars(region_rows, names)
    return stats


def _kept(name, make):
    """``make()``, kept until the data changes (or the day does: records expire)."""
    day = timezone.localdate().isoformat()
    key = f"disclosures:stats:{DisclosureDataVersion.current()}:{day}:{name}"
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, CACHE_SECONDS)
    return value


def cached(year=None, region=None):
    """The statistics of ``compute``, kept until the data changes."""
    name = f"{year or 'all'}:{region.code if region else 'all'}"
    return _kept(name, lambda: compute(year, region))


def render_sections(year, region, today):
    """The sections later apps add to the page, in the order of ``INSTALLED_APPS``."""
    sections = hooks.get_hooks(STATISTICS_SECTIONS_HOOK)
    rendered = (section(year=year, region=region, today=today) for section in sections)
    return [mark_safe(html) for html in rendered if html]
