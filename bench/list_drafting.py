"""Red/black list drafting at scale: compute every active rule for one quarter over N records.

Usage: .venv/bin/python bench/list_drafting.py [--rows 1000000] [--period 2026-Q3]
           [--desk 100000] [--sqlite /tmp/bench-lists.sqlite3] [--repeat 3] [--json]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lists ... (PostgreSQL; its
       disclosure and merchant tables are emptied first when it holds fewer rows than asked,
       so name a throw-away database)

The rows are the disclosure benchmark's (``demo.disclosure_rows.write_csv``: a few thousand
respondents across Hunan's counties, three years of dates), imported with the real importer;
``--sqlite PATH`` keeps the database there and reuses it on the next run if it already holds
the rows. A registered pledge merchant is added for every other respondent (its pledges
start on varied dates, some lapse inside the quarter), so the red list has candidates, and
``--desk`` complaints made through the portal against those merchants over the window, with
their settlement, mediation and report-back limits (some refused or unanswered, some late),
so the desk measures (``lists.desk_measures``) are computed over real volumes.
Then ``lists.drafting.draft`` runs for every active rule (the shipped 黑榜 and 红榜, per city)
for the period, ``--repeat`` times: the first run computes and writes every list as a draft
page, the later ones compute again and update those drafts, as a redraft does. The median and
worst of the whole drafting and of the computation alone are printed.

Target at 1,000,000 rows on SQLite: drafting every city's lists for one quarter < 10 s.
"""

import argparse
import datetime
import logging
import os
import statistics
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

from bench.report import Report, add_json_option  # noqa: E402
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


def _limit(complaint, kind, length, met):
    from complaints.models import Deadline

    due = complaint.submitted_at + length
    return Deadline(
        complaint_id=complaint.pk,
        kind=kind,
        unit_id=complaint.unit_id,
        starts_at=complaint.submitted_at,
        due_at=due,
        remind_at=due - datetime.timedelta(hours=2),
        urge_at=due - datetime.timedelta(hours=1),
        met_at=met,
    )


def add_desk_complaints(count, period, batch=5_000):
    """``count`` closed or settling desk complaints over the window, unless there are some."""
    from django.db import transaction
    from django.utils import timezone

    from complaints.models import Complaint, Deadline, Unit
    from complaints.states import Result, State
    from merchants.models import Merchant, Region

    if not count or Complaint.objects.exists():
        return
    merchants = list(Merchant.objects.values_list("pk", "registered_name", "region_id"))
    if not merchants:
        return
    unit, _created = Unit.objects.get_or_create(
        name="长沙市市场监督管理局（压测）",
        defaults={"level": Unit.Level.CITY, "region": Region.objects.get(code="430100")},
    )
    end = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time(18)))
    hour, day = datetime.timedelta(hours=1), datetime.timedelta(days=1)
    kinds = Deadline.Kind
    started = time.perf_counter()
    made = 0
    while made < count:
        rows, plans = [], []
        for i in range(made, min(count, made + batch)):
            merchant_pk, name, region = merchants[(i * 7) % len(merchants)]
            submitted = end - datetime.timedelta(minutes=(i * 53) % (365 * 24 * 60))
            settling = i % 3 == 0
            rows.append(
                Complaint(
                    tracking_number=f"FXL{i:09d}",
                    submitted_at=submitted,
                    channel=Complaint.Channel.WEB,
                    merchant_id=merchant_pk,
                    merchant_name=name,
                    region_id=region,
                    occurred_on=submitted.date(),
                    content="批量生成的扫码投诉，用于测试红黑榜的办理指标。",
                    demand="要求退货退款",
                    state=State.SETTLEMENT if settling and i % 4 == 1 else State.CLOSED,
                    result="" if settling and i % 4 == 1 else Result.MEDIATION_SUCCESS,
                    closed_at=None if settling and i % 4 == 1 else submitted + 3 * day,
                    settlement_answer="decline" if settling and i % 4 == 0 else "",
                    settlement_answered_at=submitted + day if settling and i % 4 == 0 else None,
                    unit=unit,
                )
            )
            plans.append(settling)
        with transaction.atomic():
            Complaint.objects.bulk_create(rows)
            deadlines = []
            for index, (complaint, settling) in enumerate(zip(rows, plans, strict=True)):
                i, at, closed = made + index, complaint.submitted_at, complaint.closed_at
                # A quarter of the settlements declined in time, a quarter never answered.
                if settling:
                    met = None if i % 4 == 1 else at + day
                    deadlines.append(_limit(complaint, kinds.SETTLEMENT, 7 * day, met))
                # One handling in five closed after its mediation limit.
                if closed:
                    mediation = 2 * day if i % 5 == 0 else 60 * day
                    deadlines.append(_limit(complaint, kinds.MEDIATION, mediation, closed))
                    report_back = _limit(complaint, kinds.REPORT_BACK, 4 * day, closed + hour)
                    deadlines.append(report_back)
            Deadline.objects.bulk_create(deadlines, batch_size=2_000)
        made += len(rows)
    print(f"added {count:,} desk complaints in {time.perf_counter() - started:.0f} s")


def drafting_figures(figures, totals, pages_in_tree, pages_drafted):
    figures.add("drafting.median", statistics.median(totals), "s")
    figures.add("drafting.worst", max(totals), "s", TARGET_SECONDS, "<")
    figures.add("drafting.pages_drafted", pages_drafted, "pages")
    figures.add("drafting.pages_in_tree", pages_in_tree, "pages")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026-Q3")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--desk", type=int, default=100_000, help="desk complaints to add (default 100,000)"
    )
    parser.add_argument(
        "--sqlite",
        default=None,
        help="SQLite file to build or reuse (default: a throw-away temporary one)",
    )
    add_json_option(parser)
    args = parser.parse_args()
    sqlite_path = args.sqlite or Path(tempfile.mkdtemp(prefix="bench-lists-")) / "bench.sqlite3"
    setup_django(sqlite_path)
    # Each page save logs its tasks at INFO: a bench prints its figures, not those.
    logging.disable(logging.INFO)

    from lists import drafting
    from lists.computing import compute
    from lists.models import ListPage, ListRule
    from lists.period import Quarter

    period = Quarter.parse(args.period)
    build_rows(args.rows)
    add_pledge_merchants(period)
    add_desk_complaints(args.desk, period)

    from django.db import connection

    figures = Report(
        "list_drafting",
        database=connection.vendor,
        rows=args.rows,
        desk=args.desk,
        period=str(period),
        repeat=args.repeat,
    )
    rules = list(ListRule.objects.active())
    for rule in rules:
        listed = [e for es in compute(rule, period).units.values() for e in es]
        desk = sum(1 for e in listed if e.settlement_failures or e.overdue)
        print(
            f"{rule.name}: {len({e.region_code[:4] for e in listed})} cities listed, "
            f"{len(listed)} entries ({desk} with desk figures), "
            f"{sum(len(e.record_ids) for e in listed):,} records behind them"
        )
        figures.add(f"rule[{rule.name}].entries", len(listed), "entries")
    totals = []
    for run in range(args.repeat):
        start = time.perf_counter()
        pages = drafting.draft(period, rules)
        totals.append(time.perf_counter() - start)
        created = sum(1 for _page, new in pages if new)
        print(f"run {run + 1}: {len(pages)} draft pages ({created} new) in {totals[-1]:.2f} s")
    print(f"list pages in the tree: {ListPage.objects.count()} (a redraft adds none)")
    verdict = "OK" if max(totals) < TARGET_SECONDS else "MISSED"
    print(
        f"drafting every active rule ({len(rules)}) for {period} over {args.rows:,} records "
        f"(computing and writing the draft pages): median {statistics.median(totals):.2f} s, "
        f"worst {max(totals):.2f} s [{verdict} < {TARGET_SECONDS:.0f} s]"
    )
    drafting_figures(figures, totals, ListPage.objects.count(), len(pages))
    figures.emit(args.json)


if __name__ == "__main__":
    main()
