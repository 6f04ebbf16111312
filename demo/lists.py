"""Demo red/black lists of 长沙市 (430100), computed from the demo's own disclosed complaints.

The last complete quarter's black and red lists are published and shown now; the black list of
the quarter before is published too and, its display period over, sits in the archive. The red
list uses the shipped rule. The demo's three years of records are too thin for the shipped
black rule (at least 10 complaints in a year), so the black lists use a demo version of it that
says so in its name (at least 3 complaints, mediation success below 70 %) and is left inactive:
staff drafting a real quarter never compute it. One black entry carries a rejected objection
and its line in the list's public log. Each list is keyed by its page slug: a second run finds
it and changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from common import regions
from lists import objections
from lists.computing import compute
from lists.drafting import entry_from_computed, list_index_page, listed_until, page_title
from lists.models import EntryObjection, ListPage, ListRule
from lists.period import Quarter

CITY_CODE = "430100"
CITY_NAME = "长沙市"

DEMO_BLACK_RULE = {
    "name": "长沙市消费投诉黑榜（演示规则）",
    "kind": ListRule.Kind.BLACK,
    "window_months": 12,
    "scope_level": regions.CITY,
    "min_complaints": 3,
    "success_rate_below": 70,
    "order": ListRule.Order.COMPLAINTS,
    "max_entries": 10,
    "display_months": 3,
    "active": False,
}

OBJECTION_REASONS = "部分投诉系消费者误解，事后已与消费者协商解决，请求不予列入黑榜。"
REJECTION_REASON = "所依据的{count}件投诉均经依法受理和调解，公示记录与处理结果一致，维持上榜。"


@dataclass
class ListDemoReport:
    created: list = field(default_factory=list)  # titles of the lists published by this run
    existing: int = 0

    def lines(self):
        total = ListPage.objects.live().count()
        made = "、".join(self.created) if self.created else "无"
        return [f"红黑榜：已发布 {total} 张（本次新建：{made}）"]


def last_complete_quarter(today):
    first_of_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    previous = first_of_quarter - datetime.timedelta(days=1)
    return Quarter(previous.year, (previous.month - 1) // 3 + 1)


def quarter_before(period):
    return last_complete_quarter(period.start)


def demo_black_rule():
    rule = ListRule.objects.filter(name=DEMO_BLACK_RULE["name"]).order_by("-version").first()
    return rule or ListRule.objects.create(**DEMO_BLACK_RULE)


def _publish_list(index, rule, period, users, report, computed_days_ago, objection=False):
    slug = f"{CITY_CODE}-{period}-{rule.kind}".lower()
    if ListPage.objects.child_of(index).filter(slug=slug).exists():
        report.existing += 1
        return None
    rule.mark_used()
    entries = [
        entry_from_computed(entry) for entry in compute(rule, period).units.get(CITY_CODE, [])
    ]
    computed_at = timezone.now() - datetime.timedelta(days=computed_days_ago)
    page = ListPage(
        rule=rule,
        period=str(period),
        region_code=CITY_CODE,
        region_name=CITY_NAME,
        kind=rule.kind,
        slug=slug,
        title=page_title(CITY_NAME, period, rule),
        computed_at=computed_at,
        listed_until=listed_until(period, rule.display_months),
        live=False,
        owner=users.get("bianji"),
    )
    page.entries = entries
    index.add_child(instance=page)
    if objection and entries:
        _reject_objection(page, computed_at, users.get("shenhe"))
    revision = page.save_revision(user=users.get("bianji"), log_action=True)
    revision.publish(user=users.get("shenhe"))
    report.created.append(page.title)
    return page


def _reject_objection(page, computed_at, user):
    """The second entry (or the only one) objected during its window; 审核 rejected it,
    through the same decision the admin makes (the list's public log says why)."""
    entries = list(page.entries.order_by("rank"))
    entry = entries[1] if len(entries) > 1 else entries[0]
    objection = EntryObjection.objects.create(
        page=page,
        entry=entry,
        name=entry.name,
        credit_code=entry.credit_code,
        channel=EntryObjection.Channel.LINK,
        identity_verified=True,
        reasons=OBJECTION_REASONS,
        submitted_at=computed_at + datetime.timedelta(days=3),
    )
    objections.mark_objected(entry)
    objections.reject(objection, user, REJECTION_REASON.format(count=entry.complaints))


def ensure_demo_lists(users, today=None):
    """Publish the demo lists that are missing; ``users`` maps demo usernames to accounts."""
    today = today or timezone.localdate()
    report = ListDemoReport()
    index = list_index_page()
    period = last_complete_quarter(today)
    black = demo_black_rule()
    red = ListRule.objects.filter(kind=ListRule.Kind.RED, is_current=True).first()
    _publish_list(index, black, quarter_before(period), users, report, computed_days_ago=100)
    _publish_list(index, black, period, users, report, computed_days_ago=12, objection=True)
    if red is not None:
        _publish_list(index, red, period, users, report, computed_days_ago=12)
    return report
