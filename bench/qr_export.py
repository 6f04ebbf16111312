"""Bulk QR export at scale: codes per second for a province's worth of merchants.

Usage: .venv/bin/python bench/qr_export.py [--merchants 10000] [--workers N] [--json]

Builds a throw-away SQLite database of N merchants (each with a pledge in force and a public
code) spread over Changsha's counties, then times ``merchants.qr_export.export`` for the whole
province into a temporary directory: one PNG and one SVG per merchant plus index.csv, on every
core unless --workers says otherwise. Target: 10,000 PNGs in under 60 s.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import Report, add_json_option

TARGET_MERCHANTS = 10_000
TARGET_SECONDS = 15  # issue 15 (it was 60)
COUNTIES = ["430102", "430103", "430104", "430105", "430111", "430112", "430121", "430181"]
NAMES = ["优选超市", "湘味食府", "服饰商行", "家电城", "眼镜店", "母婴生活馆", "药房", "茶行"]


def setup_django():
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_merchants(count):
    """bulk_create skips Merchant.save(), so the codes and pledges are created here too."""
    from common.credit_code import with_check_character
    from merchants import codes
    from merchants.models import Merchant, MerchantCode, Pledge, PledgeType, Region

    regions = {r.code: r for r in Region.objects.filter(code__in=COUNTIES)}
    pledge_type = PledgeType.objects.get(name="放心消费承诺")
    merchants = []
    for i in range(count):
        region = COUNTIES[i % len(COUNTIES)]
        name = f"长沙市第{i + 1}号{NAMES[i % len(NAMES)]}有限公司"
        merchants.append(
            Merchant(
                credit_code=with_check_character(f"91{region}{i:09d}"),
                registered_name=name,
                shop_name=f"{NAMES[i % len(NAMES)]}({i + 1}号店)",
                region=regions[region],
                address="湖南省长沙市",
                registry_status=Merchant.RegistryStatus.LISTED,
            )
        )
    merchants = Merchant.objects.bulk_create(merchants, batch_size=2000)
    issued = set()
    while len(issued) < len(merchants):
        issued.add(codes.new_code())
    MerchantCode.objects.bulk_create(
        [MerchantCode(code=c, merchant=m) for c, m in zip(sorted(issued), merchants, strict=True)],
        batch_size=2000,
    )
    start = datetime.date.today() - datetime.timedelta(days=30)
    Pledge.objects.bulk_create(
        [Pledge(merchant=m, pledge_type=pledge_type, starts_on=start) for m in merchants],
        batch_size=2000,
    )


def export_figures(report, result, pngs, svgs, size_mb):
    report.add("export.count", result.count, "codes")
    report.add("export.seconds", result.seconds, "s")
    report.add("export.rate", result.per_second, "codes/s")
    report.add(
        "export.seconds_per_10000", TARGET_MERCHANTS / result.per_second, "s", TARGET_SECONDS, "<"
    )
    report.add("export.png", pngs, "files", result.count, "==")
    report.add("export.svg", svgs, "files", result.count, "==")
    report.add("export.size", size_mb, "MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merchants", type=int, default=TARGET_MERCHANTS)
    parser.add_argument("--workers", type=int, default=None)
    add_json_option(parser)
    args = parser.parse_args()

    setup_django()
    from merchants import qr_export

    start = time.perf_counter()
    build_merchants(args.merchants)
    print(f"merchants: {args.merchants:,}; database built in {time.perf_counter() - start:.1f} s")

    with tempfile.TemporaryDirectory(prefix="qr-bench-") as out:
        workers = args.workers or os.cpu_count()
        result = qr_export.export(out, region="430000", workers=workers)
        files = list(Path(out).iterdir())
        pngs = sum(1 for f in files if f.suffix == ".png")
        svgs = sum(1 for f in files if f.suffix == ".svg")
        size_mb = sum(f.stat().st_size for f in files) / 1e6

    per_10k = TARGET_MERCHANTS / result.per_second
    print(
        f"workers: {workers}; exported: {result.count:,} in {result.seconds:.1f} s; "
        f"{result.per_second:.0f} codes/s; PNG: {pngs:,}; SVG: {svgs:,}; {size_mb:.1f} MB"
    )
    verdict = "met" if per_10k < TARGET_SECONDS else "NOT met"
    print(f"10,000 PNGs would take {per_10k:.1f} s: target (< {TARGET_SECONDS} s) {verdict}")
    report = Report("qr_export", merchants=args.merchants, workers=workers)
    export_figures(report, result, pngs, svgs, size_mb)
    report.emit(args.json)


if __name__ == "__main__":
    main()
