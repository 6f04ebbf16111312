"""Complaint disclosures at scale: import N rows, then search them against a plain icontains scan.

Usage: .venv/bin/python bench/disclosures.py [--rows 1000000] [--repeat 15] [--keep] [--json]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_fangxin ... (PostgreSQL; its
       disclosure table is emptied first, so name a throw-away database)

In one run: a throw-away SQLite database in a temporary directory (or DATABASE_URL) is
migrated; N realistic rows in the import format (Chinese headers, summaries built from
fragments, some carrying phone numbers and names that the import masks, a few thousand
respondents with valid credit codes across Hunan's counties, three years of dates, results
weighted towards 调解成功) are written to a CSV; the CSV is imported, timing rows/s and peak
memory; the first search loads the in-memory filter and facet columns, timed on its own; then
a fixed set of queries (text, and since the keyword covers every public field, a problem
type's name, an address, a department and a complaint number) runs through
``disclosures.engines.database.search`` with every facet, and through a plain ``icontains``
implementation of the same query and facets on the same data. Each query runs ``--repeat``
times, the first with nothing of it kept (``first``): the engine keeps the columns and a common
term's rows (``engines.postings``) until the data changes, and no result. Last, the first
``--reimport`` records are imported again, as they are and then revised (the monthly export
overlaps the last one), timing rows/s.

Targets at 1,000,000 rows (issue 15): import >= 25,000 rows/s with peak memory < 300 MB, a
re-import at >= half that rate; every query's p95 <= 50 ms on SQLite (100 ms on PostgreSQL)
including facets, and >= 10x faster than icontains on common terms.
"""

import argparse
import datetime
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path, and its name would hide the
# ``disclosures`` app: the project root takes its place.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

# The row generator is shared with ``manage.py load_demo``, which imports its demo records with it.
from bench.report import Report, add_json_option  # noqa: E402
from demo.disclosure_rows import MERCHANT_BRAND, RARE_FRAGMENT, write_csv  # noqa: E402

# Issue 15's targets (headroom at scale); the first disclosure issue's were 10,000 rows/s,
# 500 MB and 100 ms on both databases.
TARGET_IMPORT_ROWS_PER_S = 25_000
TARGET_PEAK_MB = 300
TARGET_P95_MS_BY_DATABASE = {"sqlite": 50.0, "postgresql": 100.0}


def target_p95_ms():
    from django.db import connection

    return TARGET_P95_MS_BY_DATABASE.get(connection.vendor, 100.0)


TARGET_RATIO = 10.0


def setup_django():
    workdir = Path(tempfile.mkdtemp(prefix="bench-disclosures-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    # The mapped snapshot files of this run's database live and go with it.
    os.environ.setdefault("DISCLOSURE_SNAPSHOT_DIR", str(workdir / "snapshots"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    # Migrated by a process of its own, as a deployment does: the import's process measured
    # here does not hold the migrations' modules (35 MB of its peak).
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
        check=True,
        cwd=ROOT,
    )
    import django

    django.setup()
    from django.conf import settings

    # The debug cursor would keep every statement (and its 24,000 parameters) in memory.
    settings.DEBUG = False
    # The searches timed here stand for a web worker's, which sets its start-up objects aside
    # from the garbage collector once loaded (portal/wsgi.py).
    from portal.startup import freeze_startup_objects

    freeze_startup_objects()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE disclosures_disclosure, disclosures_importbatch CASCADE")
    return workdir


def run_import(path):
    from disclosures.importing import import_disclosures

    return import_disclosures(path)


def write_revised_csv(path, count):
    """The first ``count`` rows as imported, as the next monthly export has them: every record
    closed differently (its result), every other one with a reviewer's line in its summary."""
    import csv

    from demo.disclosure_rows import HEADERS, RESULTS, generate_rows

    results = [name for name, _ in RESULTS]
    result_at, summary_at = HEADERS.index("处理结果"), HEADERS.index("投诉内容摘要")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for serial, row in enumerate(generate_rows(count)):
            row[result_at] = results[(results.index(row[result_at]) + 1) % len(results)]
            if serial % 2:
                row[summary_at] += "经复核，商家已于本月整改。"
            writer.writerow(row)


def reimport(figures, workdir, count):
    """Re-import the first ``count`` records: once as they are (nothing to write), once
    revised (every one updated); each at no less than half the import's target rate."""
    target = TARGET_IMPORT_ROWS_PER_S / 2
    same, revised = workdir / "same.csv", workdir / "revised.csv"
    write_csv(same, count)
    write_revised_csv(revised, count)
    for name, path, expected in (("unchanged", same, "unchanged"), ("revised", revised, "updated")):
        start = time.perf_counter()
        report = run_import(path)
        rate = count / (time.perf_counter() - start)
        done = getattr(report, expected)
        print(
            f"re-import of {count:,} existing records, {name}: {done:,} {expected} "
            f"= {rate:,.0f} rows/s [{verdict(rate >= target and done == count)} >= {target:,.0f}]"
        )
        figures.add(f"reimport.{name}.rate", rate, "rows/s", target, ">=")
        figures.add(f"reimport.{name}.{expected}", done, "rows", count, "==")


def icontains_search(query, on=None):
    """The same query and facets the plain way: LIKE scans and one GROUP BY per facet, each
    facet over the query without its own filter (``DisclosureQuery.facet_query``)."""
    from django.db.models import Count, Q

    from disclosures.models import Disclosure

    def matching(query):
        records = Disclosure.objects.public(on).filtered_by(query)
        if not query.q:
            return records
        words = Q()
        for word in query.q.split():
            words &= (
                Q(summary__icontains=word)
                | Q(consumer_request__icontains=word)
                | Q(respondent_name__icontains=word)
                | Q(respondent_address__icontains=word)
                | Q(handling_department__icontains=word)
                | Q(category__name__icontains=word)
                | Q(problem_type__name__icontains=word)
            )
        # The keyword as a complaint number or a credit code (disclosures.keyword).
        typed = query.q.strip()
        return records.filter(words | Q(complaint_number=typed) | Q(credit_code=typed.upper()))

    records = matching(query)
    facets = {}
    for name, column in (
        ("category", "category_id"),
        ("problem_type", "problem_type_id"),
        ("city", "city_code"),
        ("county", "region_id"),
        ("result", "result_id"),
        ("year", "complained_month"),
    ):
        counted = matching(query.facet_query(name)) if query.facet_query(name) != query else records
        rows = counted.order_by().values(column).annotate(n=Count("id"))
        facets[name] = {row[column]: row["n"] for row in rows}
    years = Counter()
    for month, count in facets["year"].items():
        years[month // 100] += count
    facets["year"] = dict(years)
    total = records.count()
    ids = list(records.order_by("-complained_on", "-id").values_list("id", flat=True)[:20])
    return total, ids, facets


def query_set():
    """(label, DisclosureQuery, common term?) of the fixed queries."""
    from disclosures.models import ComplaintCategory, Disclosure, HandlingResult
    from disclosures.search_query import DisclosureQuery

    today = datetime.date.today()
    clothes = ComplaintCategory.objects.get(name="服装鞋帽").pk
    number = Disclosure.objects.order_by("pk").values_list("complaint_number", flat=True)[1000]
    success = HandlingResult.objects.get(name="调解成功").pk
    return [
        ("退货", DisclosureQuery(q="退货"), True),
        ("预付卡", DisclosureQuery(q="预付卡"), True),
        ("跑路", DisclosureQuery(q="跑路"), True),
        ("退货 by relevance", DisclosureQuery(q="退货", sort="relevance"), True),
        (f"rare: {RARE_FRAGMENT[:4]}", DisclosureQuery(q=RARE_FRAGMENT[:4]), False),
        (f"merchant: {MERCHANT_BRAND}", DisclosureQuery(q=MERCHANT_BRAND), False),
        # The fields beyond the text: a problem type's name, an address, a department.
        ("problem type: 虚假宣传", DisclosureQuery(q="虚假宣传"), True),
        ("address: 岳麓区", DisclosureQuery(q="岳麓区"), True),
        ("department: 市场监督", DisclosureQuery(q="市场监督"), True),
        ("complaint number", DisclosureQuery(q=number), False),
        ("退货 + 长沙市", DisclosureQuery(q="退货", region="430100"), False),
        ("长沙市 + 服装鞋帽", DisclosureQuery(region="430100", category=clothes), False),
        (
            "last 90 days + 调解成功",
            DisclosureQuery(date_from=today - datetime.timedelta(days=90), result=success),
            False,
        ),
    ]


def timed(fn, repeat):
    """(p50, p95, first run, result) in ms."""
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    first = samples[0]
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95, first, result


def verdict(ok):
    return "OK" if ok else "MISSED"


def import_figures(figures, rate, peak_mb, created):
    figures.add("import.rate", rate, "rows/s", TARGET_IMPORT_ROWS_PER_S, ">=")
    figures.add("import.peak_memory", peak_mb, "MB", TARGET_PEAK_MB, "<")
    figures.add("import.created", created, "rows")


def query_figures(figures, label, hits, db_p50, db_p95, first, scan_p50, common, agree):
    """One query's figures; the speed-up over icontains has a target on common terms only."""
    name = f"query[{label}]"
    figures.add(f"{name}.hits", hits, "rows")
    figures.add(f"{name}.first", first, "ms")
    figures.add(f"{name}.p50", db_p50, "ms")
    figures.add(f"{name}.p95", db_p95, "ms", target_p95_ms(), "<")
    figures.add(f"{name}.icontains_p50", scan_p50, "ms")
    ratio = scan_p50 / db_p50
    figures.add(f"{name}.ratio", ratio, "x", TARGET_RATIO if common else None, ">=")
    figures.add(f"{name}.counts_agree", agree, "", True, "==")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15, help="runs per query, database search")
    parser.add_argument(
        "--scan-repeat", type=int, default=3, help="runs per query, icontains (seconds each)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and CSV")
    parser.add_argument(
        "--reimport", type=int, default=100_000, help="records re-imported at the end (0: none)"
    )
    add_json_option(parser)
    args = parser.parse_args()

    workdir = setup_django()
    from django.db import connection

    figures = Report("disclosures", database=connection.vendor, rows=args.rows, repeat=args.repeat)

    from disclosures import snapshot
    from disclosures.engines import postings
    from disclosures.engines.database import search
    from disclosures.models import Disclosure

    csv_path = workdir / "disclosures.csv"
    start = time.perf_counter()
    write_csv(csv_path, args.rows)
    print(
        f"database: {connection.vendor}; generated {args.rows:,} rows "
        f"({csv_path.stat().st_size / 1e6:.0f} MB CSV) in {time.perf_counter() - start:.1f} s"
    )

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    report = run_import(csv_path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = args.rows / seconds
    print(
        f"import (disclosures.importing.import_disclosures): {report.created:,} created of "
        f"{args.rows:,} rows in {seconds:.1f} s = {rate:,.0f} rows/s "
        f"[{verdict(rate >= TARGET_IMPORT_ROWS_PER_S)} >= {TARGET_IMPORT_ROWS_PER_S:,}]; "
        f"peak RSS of this process (ru_maxrss, whole process) {peak:.0f} MB "
        f"(before import {rss_before:.0f} MB) [{verdict(peak < TARGET_PEAK_MB)} < {TARGET_PEAK_MB}]"
    )
    print(f"masked: {dict(report.masked)}; public rows: {Disclosure.objects.public().count():,}")
    import_figures(figures, rate, peak, report.created)

    # The first search after a change maps the filter and facet columns the import wrote
    # (once per process; the importing process itself does not map them).
    snapshot.forget()
    start = time.perf_counter()
    loaded = snapshot.current()
    load_seconds = time.perf_counter() - start
    print(
        f"first search after the import maps the columns it wrote: {load_seconds:.2f} s,"
        f" {loaded.nbytes() / 1e6:.0f} MB"
    )
    figures.add("snapshot.load", load_seconds, "s")
    figures.add("snapshot.size", loaded.nbytes() / 1e6, "MB")

    print(
        f"\n{'query':<26}{'hits':>9}{'first':>9}{'db p50':>10}{'db p95':>10}"
        f"{'icont p50':>11}{'icont p95':>11}"
        f"{'ratio':>8}  targets"
    )
    for label, query, common in query_set():
        postings.forget()  # the first run finds nothing of this query kept
        db_p50, db_p95, first, found = timed(lambda q=query: search(q), args.repeat)
        scan_p50, scan_p95, _first, (total, _, facets) = timed(
            lambda q=query: icontains_search(q), args.scan_repeat
        )
        agree = total == found.total and all(
            {f.value: f.count for f in found.facets[name]}
            == {str(k): v for k, v in facets[name].items()}
            for name in facets
        )
        ratio = scan_p50 / db_p50
        notes = [f"p95<{target_p95_ms():.0f}ms {verdict(db_p95 < target_p95_ms())}"]
        if common:
            notes.append(f">={TARGET_RATIO:.0f}x {verdict(ratio >= TARGET_RATIO)}")
        if not agree:
            notes.append("COUNTS DIFFER from icontains")
        print(
            f"{label:<26}{found.total:>9,}{first:>7.1f}ms{db_p50:>8.1f}ms{db_p95:>8.1f}ms"
            f"{scan_p50:>9.0f}ms{scan_p95:>9.0f}ms{ratio:>7.1f}x  {'; '.join(notes)}"
        )
        query_figures(figures, label, found.total, db_p50, db_p95, first, scan_p50, common, agree)
    if args.reimport:
        print()
        reimport(figures, workdir, min(args.reimport, args.rows))
    if args.keep:
        print(f"\ndatabase and CSV kept in {workdir}")
    else:
        shutil.rmtree(workdir)
    figures.emit(args.json)


if __name__ == "__main__":
    main()
