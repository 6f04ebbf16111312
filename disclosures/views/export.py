"""/disclosures/export.csv: the public search's matching records as a CSV file for Excel.

Same parameters, filters, keyword and order as /disclosures/ (``params.parse_query``), over the
same public records. The file is UTF-8 with a BOM, which is what makes Excel on a Chinese
Windows read it without garbling, and is streamed: rows are read in chunks of ``CHUNK_ROWS``
as plain values (no model instances, no query per row), so a million-row table is never held
in memory. At most ``max_rows()`` rows are written; when more match, the response headers and
a last line in the file say so.

Keyword exports take their ids from the database engine even where Elasticsearch answers the
page: Elasticsearch refuses to page past 10,000 hits (``index.max_result_window``), and a
refused deep page would trip ``engines.search``'s breaker and send every reader's search to the
database for a while. Both engines see the same records, so only ties in relevance may order
differently.
"""

import csv
import dataclasses
import io

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from common.downloads import attachment
from common.rate_limit import count_request
from common.spreadsheet_safety import csv_safe

from .. import engines
from ..models import Disclosure
from ..params import parse_query

CHUNK_ROWS = 2000
# Bytes gathered before a piece is sent: one piece per row would cost more than the rows.
FLUSH_BYTES = 64 * 1024
# Region names that add nothing to a full name (the same rule as Region.full_name).
PLACEHOLDER_REGION_NAMES = {"市辖区", "县"}

VALUES = (
    "complaint_number",
    "respondent_name",
    "credit_code",
    "region_id",
    "region__parent__parent__name",
    "region__parent__name",
    "region__name",
    "respondent_address",
    "category__name",
    "problem_type__name",
    "summary",
    "consumer_request",
    "complained_on",
    "handling_department",
    "result__name",
    "closed_on",
    "recovered_amount",
    "disclosed_on",
    "display_until",
    "objection_state",
)
HEADERS = (
    gettext_lazy("投诉编号"),
    gettext_lazy("被投诉人名称"),
    gettext_lazy("统一社会信用代码"),
    gettext_lazy("行政区划代码"),
    gettext_lazy("行政区划名称"),
    gettext_lazy("被投诉人地址"),
    gettext_lazy("商品或服务类别"),
    gettext_lazy("投诉问题类型"),
    gettext_lazy("投诉内容摘要"),
    gettext_lazy("消费者诉求"),
    gettext_lazy("投诉日期"),
    gettext_lazy("处理部门"),
    gettext_lazy("处理结果"),
    gettext_lazy("办结日期"),
    gettext_lazy("挽回经济损失（元）"),
    gettext_lazy("公示日期"),
    gettext_lazy("公示截止日期"),
    gettext_lazy("异议状态"),
)
OBJECTION_LABELS = dict(Disclosure.ObjectionState.choices)


def max_rows():
    return settings.DISCLOSURE_EXPORT_MAX_ROWS


def _date(value):
    return value.isoformat() if value else ""


def _region_name(row):
    names = (
        row["region__parent__parent__name"],
        row["region__parent__name"],
        row["region__name"],
    )
    return "".join(name for name in names if name and name not in PLACEHOLDER_REGION_NAMES)


def csv_row(row):
    """The cells of one record, from a ``values(*VALUES)`` dictionary."""
    cells = [
        row["complaint_number"],
        row["respondent_name"],
        row["credit_code"],
        row["region_id"],
        _region_name(row),
        row["respondent_address"],
        row["category__name"],
        row["problem_type__name"],
        row["summary"],
        row["consumer_request"],
        _date(row["complained_on"]),
        row["handling_department"],
        row["result__name"],
        _date(row["closed_on"]),
        f"{row['recovered_amount']:.2f}",
        _date(row["disclosed_on"]),
        _date(row["display_until"]),
        str(OBJECTION_LABELS.get(row["objection_state"], "")),
    ]
    # Complaint text must never run as a formula in Excel.
    return [csv_safe(cell or "") for cell in cells]


def _rows_in_order(ids):
    """Records by id in the given order, a chunk of ids per query."""
    for start in range(0, len(ids), CHUNK_ROWS):
        chunk = ids[start : start + CHUNK_ROWS]
        # public() again: a record withdrawn since the search must not slip into the file.
        found = Disclosure.objects.public().filter(pk__in=chunk).values("pk", *VALUES)
        by_id = {row["pk"]: row for row in found}
        yield from (by_id[pk] for pk in chunk if pk in by_id)


def matching_rows(query, limit):
    """(how many public records match, an iterator over the first ``limit`` in order)."""
    if query.q:
        results = engines.database_search(dataclasses.replace(query, page=1, per_page=limit))
        return results.total, _rows_in_order(results.ids)
    records = Disclosure.objects.public().filtered_by(query).order_by("-complained_on", "-pk")
    rows = records.values(*VALUES)[:limit].iterator(chunk_size=CHUNK_ROWS)
    return records.count(), rows


def truncation_notice(total, limit):
    notice = _(
        "共 %(total)d 条记录符合条件，本文件仅包含前 %(limit)d 条；请缩小筛选范围后分批导出。"
    )
    return notice % {"total": total, "limit": limit}


def csv_pieces(rows, total, limit):
    """The file in pieces of about FLUSH_BYTES: BOM and headers, the rows, any notice."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([str(header) for header in HEADERS])
    for row in rows:
        writer.writerow(csv_row(row))
        if buffer.tell() >= FLUSH_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if total > limit:
        writer.writerow([truncation_notice(total, limit)])
    yield buffer.getvalue()


def _too_many_exports(request):
    """Seconds to wait when this client has used up its exports for the window, else 0.

    An export costs what hundreds of page views cost: its limit is tighter than the API's.
    """
    window = settings.DISCLOSURE_EXPORT_RATE_WINDOW
    count, retry = count_request(request, "disclosures:export", window)
    return retry if count > settings.DISCLOSURE_EXPORT_RATE_LIMIT else 0


@require_safe
def export_csv(request):
    if retry := _too_many_exports(request):
        response = HttpResponse(
            _("导出过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": retry},
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(retry)
        return response
    query, _errors = parse_query(request.GET)
    limit = max_rows()
    total, rows = matching_rows(query, limit)
    response = StreamingHttpResponse(
        csv_pieces(rows, total, limit), content_type="text/csv; charset=utf-8"
    )
    today = timezone.localdate()
    response["Content-Disposition"] = attachment(
        _("投诉公示_%(date)s.csv") % {"date": f"{today:%Y-%m-%d}"},
        f"disclosures-{today:%Y-%m-%d}.csv",
    )
    response["X-Total-Count"] = str(total)
    response["X-Export-Truncated"] = "true" if total > limit else "false"
    response["Cache-Control"] = "no-store"
    return response
