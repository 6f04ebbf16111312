"""The site search's 投诉公示 group: the header's search box asks the disclosure engine.

The same keyword search as /disclosures/ (``params.parse_query`` and ``engines.search``), so a
complaint number, a credit code or a word finds here what the complaint search finds, in the
same engine, and the group's link opens that search with the same query.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from search.result_groups import Badge, ResultGroup, ResultItem
from search.text_analysis import query_terms

from . import engines
from .models import Disclosure
from .params import parse_query
from .search_query import SORT_RELEVANCE

# After merchants: a merchant's records are one click from its entry, and pages come last.
ORDER = 20


def _search_url(text):
    return reverse("disclosures:search") + "?" + urlencode({"q": text, "sort": SORT_RELEVANCE})


def _item(record):
    details = [
        f"{record.category.name} · {record.problem_type.name}",
        _("投诉于%(date)s") % {"date": format_date(record.complained_on, "Y年n月j日")},
        _("投诉编号：%(number)s") % {"number": record.complaint_number},
    ]
    if record.objection_state == Disclosure.ObjectionState.OBJECTED:
        details.append(_("经营者已提出异议"))
    tone = "ok" if record.result.is_mediation_success else ""
    return ResultItem(
        title=record.respondent_name,
        url=reverse("disclosures:record", args=[record.complaint_number]),
        badges=[Badge(record.result.name, tone)],
        details=details,
        snippet=record.summary,
    )


def complaint_group(text, limit):
    """Public records matching ``text`` as the complaint search's keyword, best first."""
    query, _errors = parse_query({"q": text, "sort": SORT_RELEVANCE}, per_page=limit)
    # A query of punctuation alone is no keyword: the engine would list every record.
    results = engines.search(query) if query_terms(query.q) else None
    records = []
    if results and results.ids:
        records = Disclosure.objects.select_related("category", "problem_type", "result").in_order(
            results.ids
        )
    count = results.total if results else 0
    return ResultGroup(
        key="complaints",
        title=_("投诉公示"),
        unit=_("条"),
        count=count,
        items=[_item(record) for record in records],
        more_url=_search_url(query.q),
        more_label=_("在投诉公示中查看全部 %(count)d 条") % {"count": count},
        order=ORDER,
    )
