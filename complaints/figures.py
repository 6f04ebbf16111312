"""Figures for supervision (督办数据): per unit and month, and the public ones.

Every rate is a ``Rate`` holding its numerator and denominator, so a page can show both, and
"no case yet" (denominator 0) is not 0 %. Months are calendar months in local time (Asia/
Shanghai). Each figure is counted in the month of its own event and for one unit:

* 收到投诉 (``received``): complaints submitted in the month, for the unit now holding them.
* 办结 (``closed``): complaints whose ``closed_at`` falls in the month (a reopened complaint
  counts in the month it closed again), for the unit now holding them.
* 按时办结率 (``on_time``): of those closed, the ones with no late time limit. A limit is late
  when it was met after its due time, or is still unmet past it at the moment of counting
  (a 回访 not made within its 24 hours makes the closing late afterwards). Cancelled limits (a
  refusal's fast-response clocks, a reopened mediation's first clock) do not count.
* 24小时告知率 (``notified``): 告知承办单位 limits (24 hours by the default policy) started in the
  month, counted for the unit whose limit it was: met by the due time, over those met or
  already past due (a limit still running is not decided yet). A returned complaint has one
  such limit per unit that received it.
* 快速响应 (``fast_cases``, ``respond``, ``arrive``): 快速响应 limits started in the month (not
  cancelled), for the unit whose limit it was; the minutes from the start to the response and
  to the arrival on site, median and 90th percentile (nearest rank) over the met ones.
* 调解成功率 (``mediation_success``): of the complaints closed in the month with a concluded
  mediation (调解成功, 调解不成功, 终止调解, 先行和解成功), those ending in 调解成功 or
  先行和解成功.
* 满意率 (``satisfaction``): of the 回访 made in the month (``visited_at``), 满意 and 基本满意.
* 挽回经济损失 (``recovered``): the money recovered of the complaints closed in the month.

Each figure is one grouped query (GROUP BY unit and month, the month a CASE over the month
bounds); only the fast-response times, a small share of complaints, are read row by row for
their percentiles.
"""

import bisect
import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from .models import Complaint, Deadline
from .states import Result, Satisfaction

SUCCESS_RESULTS = (Result.SETTLED, Result.MEDIATION_SUCCESS)
CONCLUDED_RESULTS = (
    Result.SETTLED,
    Result.MEDIATION_SUCCESS,
    Result.MEDIATION_FAILED,
    Result.MEDIATION_TERMINATED,
)
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.FAIRLY_SATISFIED)
PUBLIC_CACHE_SECONDS = 600


@dataclass
class Rate:
    numerator: int = 0
    denominator: int = 0

    @property
    def percent(self):
        """Rounded to one decimal place; None when there is nothing to divide by."""
        if not self.denominator:
            return None
        return round(self.numerator * 100 / self.denominator, 1)

    def __add__(self, other):
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)

    def __str__(self):
        if not self.denominator:
            return "—"
        return f"{self.percent:g}%（{self.numerator}/{self.denominator}）"


@dataclass
class Times:
    """Minutes, over the met limits: how many, median and 90th percentile."""

    minutes: list = field(default_factory=list, repr=False)

    @property
    def count(self):
        return len(self.minutes)

    @property
    def median(self):
        return _percentile(self.minutes, 50)

    @property
    def p90(self):
        return _percentile(self.minutes, 90)


def _percentile(values, percent):
    """Nearest-rank percentile, one decimal; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return round(ordered[rank - 1], 1)


@dataclass
class FigureRow:
    """The figures of one unit (None: all the units asked for) in one month (None: all)."""

    unit: object = None  # complaints.Unit
    month: datetime.date | None = None  # its first day
    received: int = 0
    closed: int = 0
    on_time: Rate = field(default_factory=Rate)
    notified: Rate = field(default_factory=Rate)
    fast_cases: int = 0
    respond: Times = field(default_factory=Times)
    arrive: Times = field(default_factory=Times)
    mediation_success: Rate = field(default_factory=Rate)
    satisfaction: Rate = field(default_factory=Rate)
    recovered: Decimal = Decimal("0.00")

    def add(self, other):
        self.received += other.received
        self.closed += other.closed
        self.on_time += other.on_time
        self.notified += other.notified
        self.fast_cases += other.fast_cases
        self.respond = Times(self.respond.minutes + other.respond.minutes)
        self.arrive = Times(self.arrive.minutes + other.arrive.minutes)
        self.mediation_success += other.mediation_success
        self.satisfaction += other.satisfaction
        self.recovered += other.recovered


# --- months ----------------------------------------------------------------------------------


def month_start(day):
    """The first day of ``day``'s month (a date, or a (year, month) pair)."""
    if isinstance(day, tuple):
        return datetime.date(day[0], day[1], 1)
    return day.replace(day=1)


def next_month(first):
    return (first + datetime.timedelta(days=32)).replace(day=1)


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class _Periods:
    """Consecutive periods (months, or one rolling year) as local-time bounds, and the SQL
    that tells which one a date falls in: a CASE over the bounds, plain SQL on every
    database (TruncMonth with a time zone is a Python function per row on SQLite, which cost
    seconds at 100,000 complaints)."""

    def __init__(self, keys, days):
        """``keys[i]`` names the period from ``days[i]`` to ``days[i + 1]`` (exclusive)."""
        self.keys = keys
        self.bounds = [_aware(day) for day in days]

    def within(self, lookup):
        return {f"{lookup}__gte": self.bounds[0], f"{lookup}__lt": self.bounds[-1]}

    def which(self, lookup):
        return Case(
            *(
                When(**{f"{lookup}__lt": bound}, then=Value(index))
                for index, bound in enumerate(self.bounds[1:-1])
            ),
            default=Value(len(self.keys) - 1),
            output_field=IntegerField(),
        )

    def key_of(self, moment):
        return self.keys[bisect.bisect_right(self.bounds, moment) - 1]


# --- counting --------------------------------------------------------------------------------


def _count(periods, unit_ids, now, deadline_figures=True):
    """{(unit id, period key): FigureRow} for the events within ``periods``; without
    ``deadline_figures`` the 24-hour and fast-response figures are left at zero."""
    rows = defaultdict(FigureRow)
    keys = periods.keys

    def grouped(queryset, lookup):
        return (
            queryset.filter(**periods.within(lookup))
            .annotate(period=periods.which(lookup))
            .values("unit_id", "period")
        )

    complaints = Complaint.objects.all()
    deadlines = Deadline.objects.filter(cancelled=False)
    if unit_ids is not None:
        complaints = complaints.filter(unit_id__in=unit_ids)
        deadlines = deadlines.filter(unit_id__in=unit_ids)

    received = grouped(complaints, "submitted_at").annotate(n=Count("pk")).order_by()
    for row in received:
        rows[row["unit_id"], keys[row["period"]]].received = row["n"]

    late = Deadline.objects.filter(complaint=OuterRef("pk"), cancelled=False).filter(
        Q(met_at__gt=F("due_at")) | Q(met_at__isnull=True, due_at__lt=now)
    )
    closed = (
        grouped(complaints.annotate(late=Exists(late)), "closed_at")
        .annotate(
            closed=Count("pk"),
            on_time=Count("pk", filter=Q(late=False)),
            success=Count("pk", filter=Q(result__in=SUCCESS_RESULTS)),
            concluded=Count("pk", filter=Q(result__in=CONCLUDED_RESULTS)),
            recovered=Sum("amount_recovered"),
        )
        .order_by()
    )
    for row in closed:
        figures = rows[row["unit_id"], keys[row["period"]]]
        figures.closed = row["closed"]
        figures.on_time = Rate(row["on_time"], row["closed"])
        figures.mediation_success = Rate(row["success"], row["concluded"])
        figures.recovered = row["recovered"] or Decimal("0.00")

    visited = (
        grouped(complaints.exclude(satisfaction=""), "visited_at")
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)))
        .order_by()
    )
    for row in visited:
        rows[row["unit_id"], keys[row["period"]]].satisfaction = Rate(row["satisfied"], row["n"])
    if not deadline_figures:
        return rows

    decided = deadlines.filter(kind=Deadline.Kind.NOTIFY).filter(
        Q(met_at__isnull=False) | Q(due_at__lt=now)
    )
    notified = (
        grouped(decided, "starts_at")
        .annotate(n=Count("pk"), in_time=Count("pk", filter=Q(met_at__lte=F("due_at"))))
        .order_by()
    )
    for row in notified:
        rows[row["unit_id"], keys[row["period"]]].notified = Rate(row["in_time"], row["n"])

    fast = grouped(deadlines.filter(kind=Deadline.Kind.FAST_RESPONSE), "starts_at")
    for row in fast.annotate(n=Count("pk")).order_by():
        rows[row["unit_id"], keys[row["period"]]].fast_cases = row["n"]

    times = deadlines.filter(
        kind__in=(Deadline.Kind.FAST_RESPONSE, Deadline.Kind.ON_SITE),
        met_at__isnull=False,
        **periods.within("starts_at"),
    ).values_list("unit_id", "kind", "starts_at", "met_at")
    for unit_id, kind, starts_at, met_at in times.iterator(chunk_size=2000):
        figures = rows[unit_id, periods.key_of(starts_at)]
        minutes = (met_at - starts_at).total_seconds() / 60
        target = figures.respond if kind == Deadline.Kind.FAST_RESPONSE else figures.arrive
        target.minutes.append(minutes)
    return rows


def unit_month_figures(units, months, now=None):
    """Rows for the desk: one ``FigureRow`` per unit per month, then each unit's total over the
    months (``month=None``), then each month's total over the units (``unit=None``) and the
    grand total (both None).

    ``units``: Unit objects (their own complaints, not those of the units under them).
    ``months``: dates (any day of the month) or (year, month) pairs, in the order to show.
    Every combination gets a row, zeros included.
    """
    units = list(units)
    firsts = sorted({month_start(month) for month in months})
    if not units or not firsts:
        return []
    now = now or timezone.now()
    # Consecutive months from the first asked for to the last; those not asked for are dropped.
    days = [firsts[0]]
    while days[-1] <= firsts[-1]:
        days.append(next_month(days[-1]))
    counted = _count(_Periods(days[:-1], days), [unit.pk for unit in units], now)
    result, unit_totals, month_totals = [], [], {first: FigureRow(month=first) for first in firsts}
    grand = FigureRow()
    for unit in units:
        unit_total = FigureRow(unit=unit)
        for first in firsts:
            row = counted.get((unit.pk, first)) or FigureRow()
            row.unit, row.month = unit, first
            result.append(row)
            unit_total.add(row)
            month_totals[first].add(row)
            grand.add(row)
        unit_totals.append(unit_total)
    return result + unit_totals + list(month_totals.values()) + [grand]


@dataclass
class PublicFigures:
    """The statistics page's figures: every unit together, over a rolling year."""

    start: datetime.date  # first day counted
    end: datetime.date  # last day counted
    received: int
    closed: int
    on_time: Rate
    satisfaction: Rate

    @property
    def empty(self):
        return not (self.received or self.closed or self.satisfaction.denominator)


def public_figures(on=None):
    """On-time rate and satisfaction over the twelve months up to ``on`` (default today):
    from the same day a year earlier, exclusive, to ``on``, inclusive. Cached for a few
    minutes: the statistics page is public and the figures move slowly."""
    on = on or timezone.localdate()
    key = f"complaints:public-figures:{on.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = _public_figures(on)
        cache.set(key, figures, PUBLIC_CACHE_SECONDS)
    return figures


def _public_figures(on):
    try:
        start = on.replace(year=on.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        start = on.replace(year=on.year - 1, day=28) + datetime.timedelta(days=1)
    end = on + datetime.timedelta(days=1)
    total = FigureRow()
    for row in _count(_Periods([None], [start, end]), None, timezone.now(), False).values():
        total.add(row)
    return PublicFigures(
        start=start,
        end=on,
        received=total.received,
        closed=total.closed,
        on_time=total.on_time,
        satisfaction=total.satisfaction,
    )
