"""Realistic pledge merchants for tests, registered the way the bureau's staff would."""

import datetime
import itertools

from django.utils import timezone

from common.credit_code import with_check_character
from merchants.models import BusinessDistrict, Merchant, Pledge, PledgeType, Region

_serial = itertools.count(1)

# Real-looking, checked codes: 91 (enterprise) + region + a 9-character organisation code.
VALID_CREDIT_CODES = [
    "91350100M000100Y43",
    "91110000802100433B",
]


def credit_code(region="430104", serial=None):
    serial = next(_serial) if serial is None else serial
    return with_check_character(f"91{region}MA4{serial:05d}X")


def pledge_type(name):
    return PledgeType.objects.get(name=name)


def make_district(name="五一商圈", region="430102", kind="district", **kwargs):
    district, _ = BusinessDistrict.objects.get_or_create(
        name=name, defaults={"region": Region.objects.get(code=region), "kind": kind, **kwargs}
    )
    return district


def make_merchant(
    registered_name="长沙市岳麓区麓谷优选超市有限公司",
    shop_name="麓谷优选超市(麓谷店)",
    region="430104",
    registry_status=Merchant.RegistryStatus.LISTED,
    pledges=None,
    **kwargs,
):
    """A merchant with, by default, a 7-day return pledge valid from last month to next year."""
    today = timezone.localdate()
    kwargs.setdefault("credit_code", credit_code(region))
    kwargs.setdefault("address", "湖南省长沙市岳麓区麓谷大道627号")
    kwargs.setdefault("contact_person", "王建国")
    kwargs.setdefault("contact_phone", "13807311234")
    if registry_status in (Merchant.RegistryStatus.SUSPENDED, Merchant.RegistryStatus.REMOVED):
        kwargs.setdefault("status_reason", "经核查存在拒不履行无理由退货承诺的情形")
        kwargs.setdefault("status_changed_on", today - datetime.timedelta(days=3))
    merchant = Merchant.objects.create(
        registered_name=registered_name,
        shop_name=shop_name,
        region=Region.objects.get(code=region),
        registry_status=registry_status,
        **kwargs,
    )
    if pledges is None:
        pledges = [
            {
                "pledge_type": "线下无理由退货承诺",
                "content": "店内服装、鞋帽、家居用品支持7天无理由退货",
                "return_days": 7,
                "return_scope": "服装、鞋帽、家居用品(食品、贴身衣物除外)",
                "return_conditions": "商品完好、吊牌齐全,凭购物小票办理",
                "starts_on": today - datetime.timedelta(days=30),
                "ends_on": today + datetime.timedelta(days=335),
            }
        ]
    for data in pledges:
        data = dict(data)
        data["pledge_type"] = pledge_type(data["pledge_type"])
        Pledge.objects.create(merchant=merchant, **data)
    return merchant


def make_expired_merchant(**kwargs):
    today = timezone.localdate()
    kwargs.setdefault(
        "pledges",
        [
            {
                "pledge_type": "放心消费承诺",
                "content": "质量安全放心、交易公平放心、经营管理放心、服务承诺放心、消费维权放心",
                "starts_on": today - datetime.timedelta(days=400),
                "ends_on": today - datetime.timedelta(days=35),
            }
        ],
    )
    return make_merchant(**kwargs)
