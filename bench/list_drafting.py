"""Red/black list drafting at scale: compute every active rule for one quarter over N records.

Usage: .venv/bin/python bench/list_drafting.py [--rows 1000000] [--period 2026-Q3]
           [--sqlite /tmp/bench-lists.sqlite3] [--repeat 3]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lists ... (PostgreSQL; its
       disclosure and merchant tables are emptied first when it holds fewer rows than asked,
       so name a throw-away database)

The rows are the disclosure benchmark's (``demo.disclosure_rows.write_csv``: a few thousand
respondents across Hunan's counties, three years of dates), imported with the real importer;
``--sqlite PATH`` keeps the database there and reuses it on the next run if it already holds
the rows. A registered pledge merchant is added for every other respondent (its pledges
start on varied dates, some lapse inside the quarter), so the red list has candidates.
Then ``lists.computing.compute`` runs for every active rule (the shipped 黑榜 and 红榜, per
city) for the period, ``--repeat`` times; the best and worst totals are printed.

Target at 1,000,000 rows on SQLite: drafting every city's lists for one quarter < 10 s.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path: the project root takes its place
# (as in bench/disclosures.py).
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

from demo.disclosure_rows import write_csv  # noqa: E402

TARGET_SECONDS = 10.0


def setup_django(sqlite_path):
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(sqlite_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def build_rows(rows):
    from django.db import connection

    from disclosures.importing import import_disclosures
    from disclosures.models import Disclosure

    existing = Disclosure.objects.count()
    if existing >= rows:
        print(f"database: {connection.vendor}; reusing {existing:,} records")
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE disclosures_disclosure, disclosures_importbatch, "
                "merchants_merchant CASCADE"
            )
    with tempfile.TemporaryDirectory(prefix="bench-lists-") as folder:
        csv_path = Path(folder) / "disclosures.csv"
        start = time.perf_counter()
        write_csv(csv_path, rows)
        report = import_disclosures(csv_path)
        print(
            f"database: {connection.vendor}; generated and imported {report.created:,} records "
            f"in {time.perf_counter() - start:.0f} s"
        )


def add_pledge_merchants(period):
    """A listed pledge merchant for every other respondent, unless there are merchants already."""
    from django.db.models import Max

    from disclosures.models import Disclosure
    from merchants.models import Merchant, Pledge, PledgeType

    if Merchant.objects.exists():
        return
    respondents = list(
        Disclosure.objects.values("credit_code")
        .annotate(name=Max("respondent_name"), region=Max("region_id"))
        .order_by("credit_code")
    )[::2]
    merchants = Merchant.objects.bulk_create(
        [
            Merchant(
                credit_code=row["credit_code"],
                registered_name=row["name"],
                region_id=row["region"],
                address="湖南省长沙市岳麓区麓谷大道627号",
                registry_status=Merchant.RegistryStatus.LISTED,
            )
            for row in respondents
        ],
        batch_size=500,
    )
    pledge_type = PledgeType.objects.order_by("pk").first()
    pledges = []
    for index, merchant in enumerate(merchants):
        starts_on = datetime.date(2020, 1, 1) + datetime.timedelta(days=(index * 37) % 2000)
        # Every seventh pledge lapses in the middle of the quarter.
        ends_on = period.start + datetime.timedelta(days=40) if index % 7 == 0 else None
        pledges.append(
            Pledge(merchant=merchant, pledge_type=pledge_type, starts_on=starts_on, ends_on=ends_on)
        )
    Pledge.objects.bulk_create(pledges, batch_size=500)
    print(f"added {len(merchants):,} listed pledge merchants")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026-Q3")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--sqlite",
        default=None,
        help="SQLite file to build or reuse (default: a throw-away temporary one)",
    )
    args = parser.parse_args()
    sqlite_path = args.sqlite or Path(tempfile.mkdtemp(prefix="bench-lists-")) / "bench.sqlite3"
    setup_django(sqlite_path)

    from lists.computing import compute
    from lists.models import ListRule
    from lists.period import Quarter

    period = Quarter.parse(args.period)
    build_rows(args.rows)
    add_pledge_merchants(period)

    rules = list(ListRule.objects.active())
    totals = []
    for run in range(args.repeat):
        start = time.perf_counter()
        results = [(rule, compute(rule, period)) for rule in rules]
        totals.append(time.perf_counter() - start)
        if run == 0:
            for rule, result in results:
                entries = sum(len(entries) for entries in result.units.values())
                print(
                    f"{rule.name}: {len(result.units)} lists, {entries} entries, "
                    f"{sum(len(e.record_ids) for es in result.units.values() for e in es):,} "
                    "records behind them"
                )
    best, worst = min(totals), max(totals)
    verdict = "OK" if worst < TARGET_SECONDS else "MISSED"
    print(
        f"drafting every active rule ({len(rules)}) for {period} over "
        f"{args.rows:,} records: best {best:.2f} s, worst {worst:.2f} s "
        f"[{verdict} < {TARGET_SECONDS:.0f} s]"
    )


if __name__ == "__main__":
    main()
