"""A published list as open data: CSV for Excel (headers in Chinese) and JSON (keys in English).

Both carry what the list page shows and nothing more: the business, its figures with their
denominators, the objection state, the public records' numbers and the public log. Never a
complainant, never the staff member who made a change. CSV text goes through ``csv_safe``: a
business registered as ``=HYPERLINK(...)`` must not run as a formula on whoever opens the file.
"""

import csv
import io

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from common.spreadsheet_safety import csv_safe

from . import public

HEADERS = (
    gettext_lazy("期间"),
    gettext_lazy("榜单类型"),
    gettext_lazy("名次"),
    gettext_lazy("经营者名称"),
    gettext_lazy("统一社会信用代码"),
    gettext_lazy("行政区划代码"),
    gettext_lazy("所在地区"),
    gettext_lazy("窗口内公示投诉（件）"),
    gettext_lazy("上一窗口公示投诉（件）"),
    gettext_lazy("投诉增长率（％）"),
    gettext_lazy("调解成功（件）"),
    gettext_lazy("进入调解（件）"),
    gettext_lazy("调解成功率（％）"),
    gettext_lazy("先行和解拒绝或未答复（件）"),
    gettext_lazy("转先行和解（件）"),
    gettext_lazy("超期办理（件）"),
    gettext_lazy("办结扫码投诉（件）"),
    gettext_lazy("承诺有效天数"),
    gettext_lazy("本期天数"),
    gettext_lazy("异议状态"),
    gettext_lazy("所依据的投诉编号"),
    gettext_lazy("不再公示的投诉记录（件）"),
)


def _cell(value):
    return "" if value is None else str(value)


def _is_number(value):
    return isinstance(value, int | float)


def csv_text(page):
    """The whole file (a list has at most a few dozen entries): BOM, headers, one row each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")  # what makes Excel on a Chinese Windows read UTF-8
    writer.writerow([str(header) for header in HEADERS])
    for entry in public.entries_with_records(page):
        cells = [
            page.period,
            page.get_kind_display(),
            entry.rank,
            entry.name,
            entry.credit_code,
            entry.region_code,
            entry.region_name,
            entry.complaints,
            entry.previous_complaints,
            entry.growth_percent,
            entry.mediation_successes,
            entry.mediation_total,
            entry.mediation_percent,
            entry.settlement_failures,
            entry.settlement_total,
            entry.overdue_handlings,
            entry.handled_total,
            entry.pledge_days,
            entry.period_days,
            entry.get_objection_state_display(),
            "、".join(record.number for record in entry.records),
            entry.hidden_records,
        ]
        # Text someone outside the bureau could have typed goes through csv_safe; numbers
        # (a negative growth included) stay numbers.
        writer.writerow(
            [_cell(cell) if _is_number(cell) else csv_safe(_cell(cell)) for cell in cells]
        )
    return buffer.getvalue()


def absolute(path):
    """On the public address (PORTAL_BASE_URL), wherever the file was fetched from."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def page_path(page):
    parts = page.get_url_parts()
    return parts[2] if parts else "/"


def list_summary(page):
    """The list as the index of every list names it."""
    return {
        "title": page.title,
        "period": page.period,
        "kind": page.kind,
        "region_code": page.region_code,
        "region_name": page.region_name,
        "listed_until": page.listed_until.isoformat(),
        "current": public.is_current(page),
        "url": absolute(page_path(page)),
        "csv": absolute(reverse("lists:csv", args=[page.slug])),
        "json": absolute(reverse("lists:json", args=[page.slug])),
    }


def _entry_data(entry):
    return {
        "rank": entry.rank,
        "name": entry.name,
        "credit_code": entry.credit_code,
        "region_code": entry.region_code,
        "region_name": entry.region_name,
        "complaints": entry.complaints,
        "previous_complaints": entry.previous_complaints,
        "growth_percent": entry.growth_percent,
        "mediation_successes": entry.mediation_successes,
        "mediation_total": entry.mediation_total,
        "mediation_percent": entry.mediation_percent,
        "settlement_failures": entry.settlement_failures,
        "settlement_total": entry.settlement_total,
        "overdue_handlings": entry.overdue_handlings,
        "handled_total": entry.handled_total,
        "pledge_days": entry.pledge_days,
        "period_days": entry.period_days,
        "objection_state": entry.objection_state,
        "objection_state_label": entry.get_objection_state_display(),
        "records": [
            {
                "complaint_number": record.number,
                "complained_on": record.complained_on.isoformat(),
                "url": absolute(reverse("disclosures:record", args=[record.number])),
            }
            for record in entry.records
        ],
        "records_no_longer_public": entry.hidden_records,
        "history_url": absolute(reverse("lists:merchant", args=[entry.credit_code])),
    }


def json_data(page):
    data = list_summary(page)
    data.update(
        {
            "kind_label": page.get_kind_display(),
            "period_label": public.period_label(page.period),
            "computed_at": page.computed_at.isoformat(),
            "rule": {
                "name": page.rule.name,
                "version": page.rule.version,
                "in_words": page.rule_in_words(),
            },
            "entries": [_entry_data(entry) for entry in public.entries_with_records(page)],
            "changes": [
                {"made_at": change.made_at.isoformat(), "description": change.description}
                for change in public.changes(page)
            ],
        }
    )
    return data


def file_name(page, extension):
    """(Chinese name, ASCII fallback) of the download."""
    return f"{page.title}.{extension}", f"{page.slug}.{extension}"
