"""Realistic disclosed complaints for tests, filed the way a market-regulation bureau files them."""

import datetime
import itertools
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from disclosures.models import ComplaintCategory, Disclosure, HandlingResult, ProblemType

_serial = itertools.count(1)


def category(name):
    return ComplaintCategory.objects.get(name=name)


def problem_type(name):
    return ProblemType.objects.get(name=name)


def result(name):
    return HandlingResult.objects.get(name=name)


def make_disclosure(
    category="服装鞋帽",
    problem_type="售后服务",
    result="调解成功",
    region="430104",
    **overrides,
):
    """A public complaint (disclosed last week, shown for a year); reference rows by name."""
    today = timezone.localdate()
    complained_on = overrides.pop("complained_on", today - datetime.timedelta(days=40))
    serial = next(_serial)
    fields = {
        "complaint_number": f"{complained_on:%Y%m%d}{region}{serial:06d}",
        "respondent_name": "长沙市岳麓区麓谷优选超市有限公司",
        "credit_code": "",
        "respondent_address": "湖南省长沙市岳麓区麓谷大道627号",
        "summary": "消费者反映网购的外套与页面描述不符,商家拒绝七日无理由退货。",
        "consumer_request": "要求退款",
        "handling_department": "长沙市岳麓区市场监督管理局",
        "closed_on": complained_on + datetime.timedelta(days=12),
        "recovered_amount": Decimal("299.00"),
        "disclosed_on": today - datetime.timedelta(days=7),
        "display_until": today + datetime.timedelta(days=358),
    }
    fields.update(overrides)
    return Disclosure.objects.create(
        category=ComplaintCategory.objects.get(name=category),
        problem_type=ProblemType.objects.get(name=problem_type),
        result=HandlingResult.objects.get(name=result),
        region_id=region,
        complained_on=complained_on,
        **fields,
    )


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


HIDDEN_SUMMARY = "商家拒绝退货,储值卡余额不退。"


def make_hidden_disclosures(summary=HIDDEN_SUMMARY, **fields):
    """One record past its display period, one not yet disclosed, one withdrawn: the three
    ways a record stays off every public page, export, API answer and figure."""
    today = timezone.localdate()
    hidden = [
        {"disclosed_on": days_ago(400), "display_until": days_ago(1), "number": "EXPIRED"},
        {"disclosed_on": today + datetime.timedelta(days=1), "number": "FUTURE"},
        {"objection_state": Disclosure.ObjectionState.WITHDRAWN, "number": "WITHDRAWN"},
    ]
    made = []
    for changes in hidden:
        number = changes.pop("number")
        made.append(
            make_disclosure(
                summary=summary, complaint_number=f"HIDDEN-{number}", **{**fields, **changes}
            )
        )
    return made


# URL parameter -> ORM lookup, for the filters a reader can set by hand.
PLAIN_LOOKUPS = {
    "category": "category_id",
    "problem_type": "problem_type_id",
    "result": "result_id",
    "from": "complained_on__gte",
    "to": "complained_on__lte",
}


def plain_keyword(records, q):
    """These records narrowed by a keyword the way a reader checks it by hand: each word in the
    respondent's name or address, the summary, the request, the handling department or the
    category's or problem type's name; or the whole keyword as the complaint number or the
    credit code."""
    if not q.strip():
        return records
    words = Q()
    for word in q.split():
        words &= (
            Q(summary__icontains=word)
            | Q(consumer_request__icontains=word)
            | Q(respondent_name__icontains=word)
            | Q(respondent_address__icontains=word)
            | Q(handling_department__icontains=word)
            | Q(category__name__icontains=word)
            | Q(problem_type__name__icontains=word)
        )
    typed = q.strip()
    return records.filter(words | Q(complaint_number=typed) | Q(credit_code=typed.upper()))


def plain_records(params):
    """The public records a reader would pick by hand for these URL parameters: the keyword
    by ``plain_keyword``, the filters as plain lookups."""
    records = plain_keyword(Disclosure.objects.public(), params.get("q", ""))
    if params.get("region"):
        records = records.in_region(params["region"])
    return records.filter(**{PLAIN_LOOKUPS[k]: v for k, v in params.items() if k in PLAIN_LOOKUPS})
