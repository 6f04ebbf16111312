"""Demo disclosed complaints: three years of records, most of them against the demo merchants.

The rows come from the same generator as the benchmark (``disclosure_rows.py``) and go in the
way a bureau's file does: written as a CSV in the import format and passed to the real importer,
which checks every row, masks the phone numbers, names and ID numbers some summaries carry,
links each record to the merchant registered under its credit code and records the batch.

A fixed seed and complaint numbers without the date make the rows the same on every run, so a
second run adds nothing (the importer finds each record again by its number; on a later day only
the dates, which are relative to the day of loading, are updated).
"""

import io
import random

from django.utils import timezone

from disclosures.importing import import_disclosures
from merchants.models import Merchant

from .content import disclosures as words
from .disclosure_rows import make_respondents, write_csv

TROUBLED = (Merchant.RegistryStatus.REMOVED, Merchant.RegistryStatus.SUSPENDED)


def _merchant_respondent(merchant, rng):
    category = words.MERCHANT_CATEGORIES.get(merchant.category.name if merchant.category else "")
    if category is None:
        weights = words.CATEGORY_WEIGHTS
        category = rng.choices(list(weights), list(weights.values()))[0]
    return (
        merchant.registered_name,
        merchant.credit_code,
        merchant.region_id,
        merchant.region.name,
        merchant.address,
        category,
    )


def demo_respondents(seed=words.DEMO_SEED, others=words.DEMO_OTHER_RESPONDENTS):
    """Respondents, those drawn most often first: merchants with a removed or suspended pledge,
    then the other merchants two by two with one synthetic business between, then the rest."""
    rng = random.Random(seed)
    merchants = list(Merchant.objects.select_related("region", "category").order_by("credit_code"))
    codes = {merchant.credit_code for merchant in merchants}
    troubled = [m for m in merchants if m.registry_status in TROUBLED]
    rest = [m for m in merchants if m.registry_status not in TROUBLED]
    rng.shuffle(troubled)
    rng.shuffle(rest)
    # Synthetic credit codes are built like the demo merchants' (county, MA4, serial) and can
    # coincide with one: such a respondent is left out, or a merchant's code would carry its name.
    synthetic = [
        respondent
        for respondent in make_respondents(random.Random(seed + 1), others)
        if respondent[1] not in codes
    ]
    ordered = [_merchant_respondent(m, rng) for m in troubled]
    pairs = [rest[start : start + 2] for start in range(0, len(rest), 2)]
    for index, pair in enumerate(pairs):
        ordered.extend(_merchant_respondent(m, rng) for m in pair)
        if index < len(synthetic):
            ordered.append(synthetic[index])
    ordered.extend(synthetic[len(pairs) :])
    return ordered


def demo_csv(count=words.DEMO_COUNT, today=None):
    """The demo's disclosure file, in the import format, as UTF-8 bytes."""
    text = io.StringIO()
    write_csv(
        text,
        count,
        words.DEMO_SEED,
        today=today or timezone.localdate(),
        respondents=demo_respondents(),
        number_format=words.DEMO_NUMBER_FORMAT,
    )
    return text.getvalue().encode("utf-8")


def ensure_demo_disclosures(count=words.DEMO_COUNT, user=None):
    """Import the demo disclosures; returns the importer's report (``refused`` when it failed)."""
    return import_disclosures(
        io.BytesIO(demo_csv(count)), user=user, file_name=words.DEMO_FILE_NAME
    )
