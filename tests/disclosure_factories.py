"""Realistic disclosed complaints for tests, filed the way a market-regulation bureau files them."""

import datetime
import itertools
from decimal import Decimal

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
