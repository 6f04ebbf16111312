"""Realistic rows of the complaint-disclosure import format, for the benchmarks.

``bench/disclosures.py`` imports a million rows of synthetic respondents,
``bench/import_under_load.py`` and ``bench/scrubbing.py`` use the same rows. Summaries are built
from fragments (``content/disclosures.py``); some carry phone numbers, names and ID numbers that
the import must mask; respondents have valid credit codes across Hunan's counties; dates cover
three years; results are weighted towards 调解成功. The demo's records are made otherwise
(``demo/disclosures.py``: anonymous, fitting their trade); it shares ``hunan_counties``.

Importable before Django is set up (the benchmark writes its file first): Django-side modules
are imported inside the functions that need them.
"""

import csv
import datetime
import itertools
import random

from .content.disclosures import (
    BRANDS_A,
    BRANDS_B,
    CATEGORY_WEIGHTS,
    CONTEXT,
    FRAGMENTS,
    GIVEN,
    HEADERS,
    KINDS,
    MERCHANT_BRAND,
    PERSONAL,
    RARE_EVERY,
    RARE_FRAGMENT,
    REQUESTS,
    RESULTS,
    STREETS,
    SURNAMES,
)

__all__ = [
    "HEADERS",
    "MERCHANT_BRAND",
    "NUMBER_FORMAT",
    "RARE_FRAGMENT",
    "generate_rows",
    "hunan_counties",
    "make_respondents",
    "write_csv",
]

# The benchmark's complaint numbers: date, county and serial, as numbers are issued in practice.
NUMBER_FORMAT = "{complained:%Y%m%d}{code}{serial:08d}"


def hunan_counties():
    from common.regions import COUNTY, level_of
    from merchants.regions import HUNAN_CSV, read_region_rows

    rows = read_region_rows(HUNAN_CSV)
    names = {row.code: row.name for row in rows}
    return [
        (row.code, row.name, names[row.code[:4] + "00"])
        for row in rows
        if level_of(row.code) == COUNTY and row.code[:4] + "00" in names
    ]


def make_respondents(rng, count):
    """(name, credit code, county code, county, address, category) of ``count`` businesses."""
    from common.credit_code import with_check_character

    counties = hunan_counties()
    categories = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    respondents = []
    for serial in range(count):
        code, county, city = rng.choice(counties)
        category = rng.choices(categories, weights)[0]
        brand = MERCHANT_BRAND if serial == 0 else rng.choice(BRANDS_A) + rng.choice(BRANDS_B)
        name = f"{city}{brand}{KINDS[category]}"
        credit = with_check_character(f"91{code}MA4{serial:05d}X")
        address = f"湖南省{city}{county}{rng.choice(STREETS)}{rng.randint(1, 999)}号"
        respondents.append((name, credit, code, county, address, category))
    return respondents


def _person(rng):
    surname = rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    mobile = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 15000))
    id_number = f"430104{birth:%Y%m%d}{rng.randint(100, 999)}{rng.choice('0123456789X')}"
    return {"name": surname + given, "mobile": mobile, "id_number": id_number}


def generate_rows(
    count,
    seed=20240315,
    respondent_count=3000,
    today=None,
    *,
    respondents=None,
    number_format=NUMBER_FORMAT,
):
    """Rows of the import format, as lists in HEADERS order, streamed.

    ``respondents`` (tuples as ``make_respondents`` returns) replaces the ``respondent_count``
    synthetic ones; the first in the list get the most complaints. ``number_format`` is
    formatted with ``serial`` (1 to ``count``), ``complained`` (a date) and ``code`` (the
    county): a number without the date stays the same whatever day the rows are made.
    """
    rng = random.Random(seed)
    today = today or datetime.date.today()
    if respondents is None:
        respondents = make_respondents(rng, respondent_count)
    # A few respondents get many complaints, most get a handful (a long tail, as in practice).
    respondent_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 0.6 for rank in range(len(respondents)))
    )
    categories = list(CATEGORY_WEIGHTS)
    category_weights = list(itertools.accumulate(CATEGORY_WEIGHTS.values()))
    results = [name for name, _ in RESULTS]
    result_weights = list(itertools.accumulate(weight for _, weight in RESULTS))
    first_day = today - datetime.timedelta(days=3 * 365)
    span = (today - datetime.timedelta(days=20) - first_day).days
    for serial in range(1, count + 1):
        name, credit, code, county, address, category = rng.choices(
            respondents, cum_weights=respondent_weights
        )[0]
        # One business in ten also gets complaints outside its main line.
        if rng.random() < 0.1:
            category = rng.choices(categories, cum_weights=category_weights)[0]
        fragment, problem = rng.choice(FRAGMENTS[category])
        complained = first_day + datetime.timedelta(days=rng.randint(0, span))
        context = rng.choice(CONTEXT).format(date=f"{complained:%Y年%m月%d日}")
        summary = f"{context}{fragment}。"
        if rng.random() < 0.15:
            summary = rng.choice(PERSONAL).format(**_person(rng)) + summary
        if serial % RARE_EVERY == 0:
            summary += f"另涉及{RARE_FRAGMENT}的收费问题。"
        # Nothing closes in the future: a recent complaint closed today at the latest.
        closed = min(complained + datetime.timedelta(days=rng.randint(3, 45)), today)
        disclosed = min(closed + datetime.timedelta(days=rng.randint(1, 10)), today)
        # Mostly displayed for three years so that nearly every row is public: the worst case.
        display_days = 3 * 365 + 30 if rng.random() < 0.97 else 180
        result = rng.choices(results, cum_weights=result_weights)[0]
        recovered = rng.choice([0, 0, 50, 128, 299, 680, 1200, 3500]) if result == "调解成功" else 0
        yield [
            number_format.format(serial=serial, complained=complained, code=code),
            name,
            credit,
            code,
            address,
            category,
            problem,
            summary,
            rng.choice(REQUESTS),
            complained.isoformat(),
            f"{county}市场监督管理局",
            result,
            closed.isoformat(),
            f"{recovered:.2f}",
            disclosed.isoformat(),
            (disclosed + datetime.timedelta(days=display_days)).isoformat(),
        ]


def write_csv(path_or_file, count, seed=20240315, **options):
    """The rows as a UTF-8 CSV with the import headers, to a path or an open text file.

    ``options`` go to ``generate_rows`` (``respondents``, ``today``, ``number_format`` ...).
    """
    if isinstance(path_or_file, str) or hasattr(path_or_file, "__fspath__"):
        with open(path_or_file, "w", newline="", encoding="utf-8") as handle:
            write_csv(handle, count, seed, **options)
        return
    writer = csv.writer(path_or_file)
    writer.writerow(HEADERS)
    writer.writerows(generate_rows(count, seed, **options))
