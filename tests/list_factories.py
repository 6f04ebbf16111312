"""Published red/black lists for tests, built the way drafting leaves them and 审核 publishes them.

The pages are made directly (not through ``draft``), so a test states exactly which merchant is
listed with which figures and records, in 长沙市 (430100).
"""

import datetime

from django.utils import timezone

from lists.drafting import list_index_page
from lists.models import ListEntry, ListPage, ListRule
from lists.period import Quarter

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def entry(name, code, records=(), rank=1, **figures):
    """An entry's fields: by default 11 complaints, 4 of 11 mediated successfully."""
    fields = {
        "rank": rank,
        "name": name,
        "credit_code": code,
        "region_code": "430104",
        "complaints": 11,
        "previous_complaints": 8,
        "mediation_successes": 4,
        "mediation_total": 11,
        "record_ids": [record.pk for record in records],
    }
    fields.update(figures)
    return fields


def make_list(kind="black", period="2026-Q3", listed_until=None, entries=(), live=True):
    """A list page of 长沙市 under /lists/, published unless ``live`` is False."""
    quarter = Quarter.parse(period)
    rule = ListRule.objects.get(kind=kind, is_current=True)
    kind_name = "黑榜" if kind == "black" else "红榜"
    page = ListPage(
        rule=rule,
        period=period,
        region_code="430100",
        region_name="长沙市",
        kind=kind,
        slug=f"430100-{period}-{kind}".lower(),
        title=f"长沙市{quarter.year}年第{QUARTER_NAMES[quarter.quarter]}季度消费投诉{kind_name}",
        computed_at=timezone.now() - datetime.timedelta(days=10),
        listed_until=listed_until or timezone.localdate() + datetime.timedelta(days=30),
        live=False,
    )
    page.entries = [ListEntry(**fields) for fields in entries]
    list_index_page().add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return ListPage.objects.get(pk=page.pk)
