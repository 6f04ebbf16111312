"""Demo disclosed complaints: three years of records, most of them against the demo merchants.

Each record is worked out from its number alone: one random generator per serial picks the
respondent (a demo merchant, as ``merchant_specs`` makes it, or another business) from a list
that nothing in the database changes, then a complaint of that respondent's trade
(``content/trades.py``), its dates, result and amount. So the records are the same whatever
else was imported or registered meanwhile, and a complaint always fits the business it names.

The missing records go in the way a bureau's file does: written as a CSV in the import format
and passed to the real importer, which checks every row, links each record to the merchant
registered under its credit code and records the batch. A record that exists is never written
again (an import that changed a merchant does not rewrite its demo complaints); when none is
missing, nothing is imported at all. Dates are relative to the day a record is created.
"""

import csv
import datetime
import io
import itertools
import random
from decimal import Decimal

from django.utils import timezone

from common.credit_code import with_check_character
from disclosures.importing import import_disclosures
from disclosures.models import Disclosure
from merchants.models import Merchant

from .content import disclosures as words
from .content import merchants as merchant_words
from .content.trades import TRADES
from .disclosure_rows import hunan_counties
from .merchants import merchant_specs

TROUBLED = (Merchant.RegistryStatus.REMOVED, Merchant.RegistryStatus.SUSPENDED)


def _merchant_respondent(spec):
    fields = spec.fields
    return (
        spec.registered_name,
        spec.credit_code,
        spec.region.code,
        spec.region.name,
        fields["address"],
        spec.trade,
    )


def other_respondents(count=words.DEMO_OTHER_RESPONDENTS):
    """Businesses that are not pledge merchants, each from its own serial."""
    counties = hunan_counties()
    respondents = []
    for serial in range(count):
        rng = random.Random(f"{words.DEMO_SEED}-other-{serial}")
        code, county, city = rng.choice(counties)
        trade = rng.choice(TRADES)
        brand = rng.choice(words.BRANDS_A) + rng.choice(words.BRANDS_B)
        # "Q" after MA4: a demo merchant's code has "0" there (merchants._credit_code), so the
        # two never share a code.
        credit = with_check_character(f"91{code}MA4Q{serial:05d}")
        street = rng.choice(merchant_words.STREETS)
        address = f"湖南省{city}{county}{street}{rng.randint(1, 999)}号"
        respondents.append(
            (f"{city}{brand}{trade.business}有限公司", credit, code, county, address, trade)
        )
    return respondents


def demo_respondents(specs=None, others=words.DEMO_OTHER_RESPONDENTS):
    """Respondents, those drawn most often first: merchants with a removed or suspended pledge,
    then the other merchants two by two with one other business between, then the rest."""
    specs = merchant_specs() if specs is None else specs
    rng = random.Random(words.DEMO_SEED)
    troubled = [spec for spec in specs if spec.registry_status in TROUBLED]
    rest = [spec for spec in specs if spec.registry_status not in TROUBLED]
    rng.shuffle(troubled)
    rng.shuffle(rest)
    synthetic = other_respondents(others)
    ordered = [_merchant_respondent(spec) for spec in troubled]
    pairs = [rest[start : start + 2] for start in range(0, len(rest), 2)]
    for index, pair in enumerate(pairs):
        ordered.extend(_merchant_respondent(spec) for spec in pair)
        if index < len(synthetic):
            ordered.append(synthetic[index])
    ordered.extend(synthetic[len(pairs) :])
    return ordered


def _yuan(amount):
    return f"{Decimal(str(amount)):.2f}"


def demo_row(serial, respondents, cum_weights, today):
    """The import row of demo record ``serial``: the same for the same serial and day."""
    rng = random.Random(f"{words.DEMO_SEED}-{serial}")
    name, credit, code, county, address, trade = rng.choices(respondents, cum_weights=cum_weights)[
        0
    ]
    complaint = rng.choice(trade.complaints)
    first_day = today - datetime.timedelta(days=3 * 365)
    span = (today - datetime.timedelta(days=20) - first_day).days
    complained = first_day + datetime.timedelta(days=rng.randint(0, span))
    opening = rng.choice(words.DEMO_OPENINGS).format(
        date=f"{complained.year}年{complained.month}月{complained.day}日",
        surname=rng.choice(words.DEMO_SURNAMES),
    )
    summary = f"{opening}{complaint.text}。{rng.choice(words.DEMO_FOLLOW_UPS)}"
    # Nothing closes in the future: a recent complaint closed today at the latest.
    closed = min(complained + datetime.timedelta(days=rng.randint(3, 45)), today)
    disclosed = min(closed + datetime.timedelta(days=rng.randint(1, 10)), today)
    display_days = 3 * 365 + 30 if rng.random() < 0.97 else 180
    results = [result for result, _weight in words.RESULTS]
    result = rng.choices(results, [weight for _result, weight in words.RESULTS])[0]
    recovered = rng.choice(trade.amounts) if result == "调解成功" else 0
    return [
        words.DEMO_NUMBER_FORMAT.format(serial=serial),
        name,
        credit,
        code,
        address,
        trade.complaint_category,
        complaint.problem,
        summary,
        complaint.request,
        complained.isoformat(),
        f"{county}市场监督管理局",
        result,
        closed.isoformat(),
        _yuan(recovered),
        disclosed.isoformat(),
        (disclosed + datetime.timedelta(days=display_days)).isoformat(),
    ]


def demo_rows(count=words.DEMO_COUNT, today=None, specs=None):
    """Every demo record's import row, serial 1 to ``count``."""
    today = today or timezone.localdate()
    respondents = demo_respondents(specs)
    # A few respondents get many complaints, most get a handful (a long tail, as in practice).
    cum_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 0.6 for rank in range(len(respondents)))
    )
    return [demo_row(serial, respondents, cum_weights, today) for serial in range(1, count + 1)]


def missing_rows(count=words.DEMO_COUNT, today=None, specs=None):
    """The demo rows whose complaint number is not in the database yet."""
    rows = demo_rows(count, today, specs)
    numbers = [row[0] for row in rows]
    existing = set(
        Disclosure.objects.filter(complaint_number__in=numbers).values_list(
            "complaint_number", flat=True
        )
    )
    return [row for row in rows if row[0] not in existing]


def as_csv(rows):
    """Rows as a UTF-8 CSV file of the import format."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(words.HEADERS)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def ensure_demo_disclosures(count=words.DEMO_COUNT, user=None, specs=None):
    """Import the missing demo disclosures; the importer's report (``refused`` when it failed),
    or None when none was missing."""
    rows = missing_rows(count, specs=specs)
    if not rows:
        return None
    return import_disclosures(io.BytesIO(as_csv(rows)), user=user, file_name=words.DEMO_FILE_NAME)
