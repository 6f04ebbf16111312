"""What the public sees of the red/black lists: queries only, shared by the pages, the exports,
the feed and the scan page.

A list is published when its page is live and public. It is *current* while today is on or
before its ``listed_until`` and *archived* after: it then leaves the current lists and the scan
page but stays in the archive, its own page and its exports. A live page's entry rows are what
was published (a newer draft lives in a revision until it is published in turn).
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.models import Disclosure
from merchants.models import Region

from .models import ListEntry, ListPage, ListRule
from .period import PeriodError, Quarter


def published():
    return ListPage.objects.live().public()


def is_current(page, today=None):
    return page.listed_until >= (today or timezone.localdate())


def period_label(period):
    """“2026年第3季度” for “2026-Q3”; the text as stored when it is not a quarter."""
    try:
        return Quarter.parse(period).label
    except PeriodError:
        return period


@dataclass
class CityLists:
    region_code: str
    region_name: str
    red: list = field(default_factory=list)
    black: list = field(default_factory=list)


def _with_counts(pages):
    return pages.annotate(entry_count=Count("entries")).order_by(
        "-period", "region_code", "kind", "pk"
    )


def index_lists(index, today=None):
    """(current lists by city, every published list by period newest first) under ``index``."""
    today = today or timezone.localdate()
    pages = list(_with_counts(published().child_of(index)))
    for page in pages:
        page.is_current = is_current(page, today)
    cities = {}
    for page in sorted((p for p in pages if p.is_current), key=lambda p: p.region_code):
        city = cities.setdefault(page.region_code, CityLists(page.region_code, page.region_name))
        (city.red if page.kind == ListRule.Kind.RED else city.black).append(page)
    archive = [
        (period, period_label(period), list(group))
        for period, group in groupby(pages, key=lambda p: p.period)
    ]
    return list(cities.values()), archive


@dataclass
class Record:
    number: str
    complained_on: object
    category: str
    result: str
    mediated: bool


def percent(numerator, denominator):
    """The share in per cent to one decimal; None without a denominator (nothing to divide)."""
    if numerator is None or not denominator:
        return None
    return round(100 * numerator / denominator, 1)


def growth_text(growth):
    """“增长 12.5％”, “减少 20％”, “持平”; empty without a previous complaint to compare with."""
    if growth is None:
        return ""
    if growth > 0:
        return _("增长 %(z)s％") % {"z": growth}
    if growth < 0:
        return _("减少 %(z)s％") % {"z": -growth}
    return _("持平")


def _add_shares(entry):
    entry.growth_text = growth_text(entry.growth_percent)
    entry.settlement_percent = percent(entry.settlement_failures, entry.settlement_total)
    entry.overdue_percent = percent(entry.overdue_handlings, entry.handled_total)


def _region_names(codes):
    regions = Region.objects.filter(code__in=codes).select_related("parent__parent")
    return {region.code: region.full_name for region in regions}


def entries_with_records(page, today=None):
    """The page's entries, each with ``region_name``, ``records`` (the public records behind it,
    newest first) and ``hidden_records`` (how many are no longer public: withdrawn or past
    their display period, so not linked). Three queries whatever the number of entries."""
    today = today or timezone.localdate()
    entries = list(page.entries.all())
    ids = {pk for entry in entries for pk in entry.record_ids}
    rows = (
        Disclosure.objects.public(today)
        .filter(pk__in=ids)
        .values(
            "pk",
            "complaint_number",
            "complained_on",
            "category__name",
            "result__name",
            "result__is_mediation_success",
        )
    )
    records = {
        row["pk"]: Record(
            row["complaint_number"],
            row["complained_on"],
            row["category__name"] or "",
            row["result__name"] or "",
            bool(row["result__is_mediation_success"]),
        )
        for row in rows
    }
    names = _region_names({entry.region_code for entry in entries if entry.region_code})
    for entry in entries:
        entry.region_name = names.get(entry.region_code, entry.region_code)
        found = [records[pk] for pk in entry.record_ids if pk in records]
        entry.records = sorted(found, key=lambda r: (r.complained_on, r.number), reverse=True)
        entry.hidden_records = len(entry.record_ids) - len(found)
        _add_shares(entry)
    return entries


def changes(page):
    """The list's public log of corrections and decisions, oldest first (staff never named)."""
    return list(page.changes.all())


def merchant_listings(credit_code):
    """Every published entry of a credit code, newest period first, with its page."""
    return list(
        ListEntry.objects.filter(credit_code=credit_code, page__in=published())
        .select_related("page")
        .order_by("-page__period", "page__kind", "page__region_code")
    )


def current_listings(credit_code, today=None):
    """The entries of a credit code on lists shown now (the scan page's section)."""
    if not credit_code:
        return []
    today = today or timezone.localdate()
    return list(
        ListEntry.objects.filter(
            credit_code=credit_code,
            page__in=published().filter(listed_until__gte=today),
        )
        .select_related("page__rule")
        .order_by("-page__period", "page__kind")
    )
