"""Bulk QR export for a region or a district: a PNG and an SVG per merchant plus index.csv.

Used by ``manage.py export_qr`` and the admin's ZIP download. A code costs its worker well
under a millisecond (qr_symbol.py builds the symbol once, qr.py writes both files from it) and
the parent about a fifth of that to read its merchant, so the work runs on every core: the
parent reads the database and writes the index, the workers get plain (code, url) tuples and
write files (qr_files.py). Nothing in the workers touches the database or Django models, so
they work under fork and spawn alike.
"""

import csv
import os
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheet_safety import csv_safe

from . import qr
from .models import Merchant, MerchantCode, PublicStatus, Region
from .qr_files import file_names, render_files

CHUNK = 100  # codes a worker draws per task: big enough to amortise the pickling, small enough
# to keep both cores busy until the end.
DB_BATCH = 2000


@dataclass(frozen=True)
class ExportResult:
    count: int
    seconds: float
    out_dir: Path

    @property
    def per_second(self):
        return self.count / self.seconds if self.seconds else float(self.count)


def select_merchants(region=None, district=None):
    """Merchants of a region (any level, by code) or a district that have a current code."""
    live = MerchantCode.objects.filter(merchant=OuterRef("pk"), retired_at__isnull=True)
    merchants = Merchant.objects.filter(Exists(live))
    if region:
        merchants = merchants.in_region(region)
    if district:
        merchants = merchants.filter(district_id=district)
    return merchants.order_by("region_id", "credit_code")


def _index_header():
    return [
        _("公示码"),
        _("统一社会信用代码"),
        _("经营者名称"),
        _("门店名称"),
        _("行政区划"),
        _("扫码网址"),
        _("PNG文件"),
        _("SVG文件"),
        _("状态"),
    ]


def _rows(merchants, today):
    """(index row, (code, url)) per merchant, reading the database in batches."""
    live_codes = Prefetch(
        "codes", queryset=MerchantCode.objects.filter(retired_at__isnull=True), to_attr="live"
    )
    region_names = {}
    # Per export, not per merchant: reversing the URL and translating a label cost more than
    # drawing the code does.
    scan_url = qr.scan_url_maker()
    status_labels = {status: str(status.label) for status in PublicStatus}
    queryset = merchants.prefetch_related("pledges", live_codes)
    for merchant in queryset.iterator(chunk_size=DB_BATCH):
        code = merchant.live[0].code
        url = scan_url(code)
        if merchant.region_id not in region_names:
            region_names[merchant.region_id] = Region.objects.get(pk=merchant.region_id).full_name
        png_name, svg_name = file_names(code)
        row = [
            code,
            merchant.credit_code,
            # A name starting with "=" must not become a formula when the index is opened.
            csv_safe(merchant.registered_name),
            csv_safe(merchant.shop_name),
            region_names[merchant.region_id],
            url,
            png_name,
            svg_name,
            status_labels[PublicStatus(merchant.public_status(today))],
        ]
        yield row, (code, url)


def _chunks(rows, writer, size):
    chunk = []
    for row, item in rows:
        writer.writerow(row)
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export(out_dir, region=None, district=None, workers=None, chunk=CHUNK):
    """Write the files of every selected merchant into ``out_dir``; return an ExportResult."""
    start = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    merchants = select_merchants(region=region, district=district)
    count = 0
    # utf-8-sig: the BOM makes Excel on Windows open the Chinese columns correctly.
    with open(out_dir / "index.csv", "w", encoding="utf-8-sig", newline="") as index_file:
        writer = csv.writer(index_file)
        writer.writerow(_index_header())
        chunks = _chunks(_rows(merchants, timezone.localdate()), writer, chunk)
        if workers == 1:
            count = sum(render_files(out_dir, items) for items in chunks)
        else:
            with Pool(workers) as pool:
                # Submitted from this thread (not imap's feeder thread): the database reads
                # behind ``chunks`` must use this thread's connection.
                pending = [pool.apply_async(render_files, (str(out_dir), c)) for c in chunks]
                count = sum(result.get() for result in pending)
    return ExportResult(count=count, seconds=time.perf_counter() - start, out_dir=out_dir)
