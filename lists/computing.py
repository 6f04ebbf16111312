"""Compute a list rule for a period: per scope unit, the ordered entries with every figure.

Set-based: one GROUP BY over the disclosures of the two windows (the rule's and the one before,
for growth), one over pledges for a red list, two over the desk's complaints (settlements,
closings), and one query for the records behind the listed entries only; the rest is
arithmetic on a few thousand grouped rows.

Definitions (README "红黑榜"):
- window: the ``window_months`` calendar months ending with the period's last day, by
  complaint date (as ``disclosures.merchant_record`` counts "the last 12 months"); the
  previous window is the same length just before it.
- counted records: disclosed on or before the period's last day, not pending, and not
  withdrawn (a record withdrawn after an objection drops out of every figure, also from a list
  computed again later); in the window, also still on display on the period's last day
  (``Disclosure.objects.public``), so every record behind an entry can be linked. For the
  previous window, whose records have mostly left display, disclosed and not withdrawn suffice.
- merchant: the credit code; records without one are left out. A black list counts the
  records in each scope unit; a red list counts all of the merchant's records and places it by
  the merchant's own region.
- mediation success rate: 调解成功 / records whose result ``counts_as_mediated``; with no
  mediated record there is no rate and the merchant cannot be on a list that sets a rate.
- desk measures (``desk_measures``): refused or unanswered first settlements over decided
  settlements, and closed complaints with a late time limit over closed complaints, from the
  complaints made through the portal against the entry's registered merchant in the window.
- thresholds: "above" is strictly above (exactly at the threshold is not); a measure without a
  figure (growth with no previous complaint, a rate with no denominator, no desk complaint)
  fails a threshold the rule sets, so a merchant is never listed on a figure nobody can show.
- ties: complaints (desc), then rate (asc), then credit code for complaint order; time in the
  scheme (first pledge start, asc), then complaints (asc), then credit code for scheme order.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, F, Min, Q

from common import regions
from disclosures.models import Disclosure, HandlingResult
from merchants.models import Merchant, Pledge

from . import desk_measures
from .models import ListRule, growth_percent

UNIT_FIELD = {
    regions.PROVINCE: "province_code",
    regions.CITY: "city_code",
    regions.COUNTY: "region_id",
}


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int

    @property
    def fraction(self):
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def percent(self):
        """Rounded to one decimal for display; comparisons use ``fraction``."""
        return None if not self.denominator else round(100 * self.numerator / self.denominator, 1)


@dataclass
class Entry:
    credit_code: str
    name: str = ""
    region_code: str = ""
    complaints: int = 0
    previous_complaints: int = 0
    mediation: Figure = Figure(0, 0)
    pledge_days: Figure | None = None
    # From the complaint desk (``desk_measures``): refused or unanswered first settlements over
    # decided ones, and closed complaints with a late time limit over closed ones; None without
    # any such complaint.
    settlement_failures: Figure | None = None
    overdue: Figure | None = None
    in_scheme_since: datetime.date | None = None
    record_ids: list = field(default_factory=list)
    rank: int = 0

    @property
    def growth(self):
        """Complaints against the previous window: this window's count over the previous one's
        (the change is ``percent - 100``); no figure without a previous complaint."""
        return Figure(self.complaints, self.previous_complaints)

    @property
    def growth_percent(self):
        return growth_percent(self.complaints, self.previous_complaints)


@dataclass
class ComputedList:
    rule: ListRule
    period: object
    window_start: datetime.date
    window_end: datetime.date
    previous_start: datetime.date
    # {unit code: [Entry, ...]} in rank order; units without an entry are absent.
    units: dict


def months_before(day, months):
    """The first day of the month ``months - 1`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def _shared(memo, key, make):
    """``make()``, once per ``key`` in ``memo`` (None: no sharing)."""
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def compute(rule, period, memo=None):
    """The rule's lists for the period. ``memo`` (a dict) lets the rules of one drafting run
    share the grouped counts they have in common: the shipped 黑榜 and 红榜 group the same
    records by the same city and window, the largest part of the time at scale."""
    end = period.end
    start = months_before(end, rule.window_months)
    previous_start = months_before(start - datetime.timedelta(days=1), rule.window_months)
    grouped = _shared(
        memo,
        ("counts", rule.scope_level, rule.category_id, previous_start, start, end),
        lambda: _complaint_counts(rule, previous_start, start, end),
    )
    if rule.kind == ListRule.Kind.BLACK:
        entries = _black_entries(rule, grouped)
    else:
        entries = _red_entries(rule, period, grouped)
    settlements = _shared(
        memo,
        ("settlements", start, end),
        lambda: desk_measures.settlement_failures(start, end),
    )
    handlings = _shared(
        memo, ("handlings", start, end), lambda: desk_measures.overdue_handlings(start, end)
    )
    units = defaultdict(list)
    for unit, entry in entries:
        entry.settlement_failures = _figure(settlements.get(entry.credit_code))
        entry.overdue = _figure(handlings.get(entry.credit_code))
        if qualifies(rule, entry):
            units[unit].append(entry)
    for unit_entries in units.values():
        unit_entries.sort(key=_order_key(rule))
        del unit_entries[rule.max_entries :]
        for rank, entry in enumerate(unit_entries, 1):
            entry.rank = rank
    _attach_records(rule, units, start, end)
    return ComputedList(rule, period, start, end, previous_start, dict(sorted(units.items())))


def _figure(pair):
    return None if pair is None else Figure(*pair)


def _counted_records(rule, previous_start, end):
    records = (
        Disclosure.objects.filter(
            disclosed_on__lte=end,
            pending=False,
            complained_on__gte=previous_start,
            complained_on__lte=end,
        )
        .exclude(objection_state=Disclosure.ObjectionState.WITHDRAWN)
        .exclude(credit_code="")
    )
    if rule.category_id:
        records = records.filter(category_id=rule.category_id)
    return records


def _in_window(start, end):
    return Q(complained_on__gte=start, display_until__gte=end)


def _complaint_counts(rule, previous_start, start, end):
    """[{unit, credit_code, complaints, previous, mediated, successes}] in one GROUP BY."""
    results = HandlingResult.objects.values_list("pk", "counts_as_mediated", "is_mediation_success")
    mediated = [pk for pk, counts, _success in results if counts]
    successes = [pk for pk, _counts, success in results if success]
    window = _in_window(start, end)
    return list(
        _counted_records(rule, previous_start, end)
        .values(unit=F(UNIT_FIELD[rule.scope_level]), code=F("credit_code"))
        .annotate(
            complaints=Count("pk", filter=window),
            previous=Count("pk", filter=Q(complained_on__lt=start)),
            mediated=Count("pk", filter=window & Q(result_id__in=mediated)),
            successes=Count("pk", filter=window & Q(result_id__in=successes)),
        )
        .order_by()
    )


def _entry(row):
    return Entry(
        credit_code=row["code"],
        complaints=row["complaints"],
        previous_complaints=row["previous"],
        mediation=Figure(row["successes"], row["mediated"]),
    )


def _black_entries(rule, grouped):
    for row in grouped:
        if row["complaints"]:
            yield row["unit"], _entry(row)


def _red_entries(rule, period, grouped):
    """Every registered pledge merchant of the period, with its complaints wherever filed."""
    totals = {}
    for row in grouped:
        entry = totals.get(row["code"])
        if entry is None:
            totals[row["code"]] = _entry(row)
            continue
        entry.complaints += row["complaints"]
        entry.previous_complaints += row["previous"]
        entry.mediation = Figure(
            entry.mediation.numerator + row["successes"],
            entry.mediation.denominator + row["mediated"],
        )
    merchants = Merchant.objects.filter(registry_status=Merchant.RegistryStatus.LISTED)
    if rule.no_suspension:
        # A listed merchant whose status changed in or after the period may have been suspended
        # meanwhile (the registry keeps no history): a red list must be sure, so it leaves it out.
        merchants = merchants.filter(
            Q(status_changed_on__isnull=True) | Q(status_changed_on__lt=period.start)
        )
    merchants = {
        pk: (code, name, region)
        for pk, code, name, region in merchants.values_list(
            "pk", "credit_code", "registered_name", "region_id"
        )
    }
    first_pledge = dict(
        Pledge.objects.values("merchant_id")
        .annotate(first=Min("starts_on"))
        .values_list("merchant_id", "first")
    )
    covered = _pledge_days(period)
    level = rule.scope_level
    for pk, (code, name, region) in merchants.items():
        entry = totals.get(code) or Entry(credit_code=code)
        entry.name, entry.region_code = name, region
        entry.pledge_days = Figure(covered.get(pk, 0), period.days)
        entry.in_scheme_since = first_pledge.get(pk)
        yield _unit_of(region, level), entry


def _unit_of(code, level):
    if level == regions.PROVINCE:
        return regions.province_of(code)
    if level == regions.CITY:
        return regions.city_of(code)
    return code


def _pledge_days(period):
    """{merchant id: days of the period covered by at least one pledge} (overlaps merged)."""
    spans = defaultdict(list)
    pledges = (
        Pledge.objects.filter(starts_on__lte=period.end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))
        .values_list("merchant_id", "starts_on", "ends_on")
    )
    for merchant, starts_on, ends_on in pledges:
        spans[merchant].append(
            (max(starts_on, period.start), min(ends_on or period.end, period.end))
        )
    days = {}
    for merchant, merchant_spans in spans.items():
        total, reached = 0, None
        for first, last in sorted(merchant_spans):
            if reached is not None and first <= reached:
                first = reached + datetime.timedelta(days=1)
            if first <= last:
                total += (last - first).days + 1
                reached = last
        days[merchant] = total
    return days


def qualifies(rule, entry):
    if entry.complaints < rule.min_complaints:
        return False
    if rule.max_complaints is not None and entry.complaints > rule.max_complaints:
        return False
    if rule.success_rate_below is not None:
        rate = entry.mediation.fraction
        if rate is None or not rate * 100 < Fraction(rule.success_rate_below):
            return False
    growth = entry.growth.fraction
    if rule.growth_above is not None and not _above(
        None if growth is None else growth - 1, rule.growth_above
    ):
        return False
    for figure, threshold in (
        (entry.settlement_failures, rule.settlement_failure_rate_above),
        (entry.overdue, rule.overdue_rate_above),
    ):
        if threshold is not None and not _above(figure and figure.fraction, threshold):
            return False
    if rule.all_mediated_successfully and entry.mediation.numerator != entry.complaints:
        return False
    if rule.pledge_whole_period and (
        entry.pledge_days is None or entry.pledge_days.numerator < entry.pledge_days.denominator
    ):
        return False
    return True


def _above(fraction, percent):
    """Whether ``fraction`` is strictly above ``percent`` per cent; no fraction is not."""
    return fraction is not None and fraction * 100 > Fraction(percent)


def _order_key(rule):
    if rule.order == ListRule.Order.SCHEME_TIME:
        return lambda e: (e.in_scheme_since or datetime.date.max, e.complaints, e.credit_code)
    # No rate sorts after every rate (only reachable when the rule sets no rate threshold).
    return lambda e: (
        -e.complaints,
        e.mediation.fraction if e.mediation.denominator else Fraction(2),
        e.credit_code,
    )


def _attach_records(rule, units, start, end):
    """The ids of the window's records behind each entry; the black list's name and region
    are those of the entry's latest record."""
    wanted = {entry.credit_code: entry for entries in units.values() for entry in entries}
    if not wanted:
        return
    by_key = {}
    for unit, entries in units.items():
        for entry in entries:
            by_key[(unit, entry.credit_code)] = entry
    records = (
        _counted_records(rule, start, end)
        .filter(_in_window(start, end))
        .order_by("-complained_on", "-pk")
        .values_list(
            "pk", UNIT_FIELD[rule.scope_level], "credit_code", "respondent_name", "region_id"
        )
    )
    codes = list(wanted)
    for offset in range(0, len(codes), 500):
        for pk, unit, code, name, region in records.filter(
            credit_code__in=codes[offset : offset + 500]
        ):
            if rule.kind == ListRule.Kind.BLACK:
                entry = by_key.get((unit, code))
                if entry is None:
                    continue
                if not entry.record_ids:
                    entry.name, entry.region_code = name, region
            else:
                entry = wanted[code]
            entry.record_ids.append(pk)
