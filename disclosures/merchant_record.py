"""A respondent's public complaint record: the totals a consumer weighs before buying.

Keyed by the unified social credit code, so it works for every respondent, registered pledge
merchant or not. Only public records count (``Disclosure.objects.public``).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import Disclosure

LATEST_COUNT = 5


@dataclass
class MerchantRecord:
    credit_code: str
    total: int = 0
    last_12_months: int = 0
    previous_12_months: int = 0
    mediated: int = 0
    mediation_successes: int = 0
    recovered: Decimal = Decimal("0")
    latest: list = field(default_factory=list)

    @property
    def growth(self):
        """Change of the last 12 months against the 12 before, as a fraction (None: no base)."""
        if not self.previous_12_months:
            return None
        return (self.last_12_months - self.previous_12_months) / self.previous_12_months

    @property
    def growth_percent(self):
        return None if self.growth is None else round(self.growth * 100)

    @property
    def mediation_success_percent(self):
        rate = self.mediation_success_rate
        return None if rate is None else round(rate * 100)

    @property
    def mediation_success_rate(self):
        """Successes over complaints whose mediation concluded (None: none concluded)."""
        if not self.mediated:
            return None
        return self.mediation_successes / self.mediated


def _year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def merchant_record(credit_code, today=None, latest=LATEST_COUNT):
    """Totals over all time and the last 12 months, growth, mediation rate, money recovered."""
    today = today or timezone.localdate()
    year_ago = _year_before(today)
    two_years_ago = _year_before(year_ago)
    records = Disclosure.objects.public(today).filter(credit_code=credit_code)
    totals = records.aggregate(
        total=Count("pk"),
        last_12_months=Count("pk", filter=Q(complained_on__gt=year_ago)),
        previous_12_months=Count(
            "pk", filter=Q(complained_on__gt=two_years_ago, complained_on__lte=year_ago)
        ),
        mediated=Count("pk", filter=Q(result__counts_as_mediated=True)),
        mediation_successes=Count("pk", filter=Q(result__is_mediation_success=True)),
        recovered=Sum("recovered_amount"),
    )
    record = MerchantRecord(
        credit_code=credit_code,
        total=totals["total"],
        last_12_months=totals["last_12_months"],
        previous_12_months=totals["previous_12_months"],
        mediated=totals["mediated"],
        mediation_successes=totals["mediation_successes"],
        recovered=totals["recovered"] or Decimal("0"),
    )
    if latest and record.total:
        record.latest = list(
            records.select_related("category", "problem_type", "result").order_by(
                "-complained_on", "-pk"
            )[:latest]
        )
    return record
