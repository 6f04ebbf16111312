"""Shared complaint test data: Changsha's units, their staff, a registered merchant and a
complaint made the way a consumer makes one (``complaints.intake.submit``).

Read-only for other helpers' tests: import what you need, e.g.

    from .complaints_fixtures import make_complaint, make_staff, make_units

``make_units()`` is idempotent; ``make_complaint`` calls it, so a test that only needs a
complaint does not have to set up anything else.
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from complaints.intake import Submission, submit
from complaints.models import Complaint, Unit
from merchants.models import Region

from .merchant_factories import make_district, make_merchant

CITY = "长沙市市场监督管理局"
YUELU = "长沙市岳麓区市场监督管理局"
FURONG = "长沙市芙蓉区市场监督管理局"
STATION = "岳麓区麓谷市场监管所"
HANDLER_GROUP = "投诉处理"

_serial = itertools.count(1)


@dataclass
class Units:
    city: Unit
    yuelu: Unit
    furong: Unit
    station: Unit  # under 岳麓区, serves the 麓谷商圈 district


def make_units():
    """长沙市 with 岳麓区 and 芙蓉区 under it, and a station under 岳麓区 (idempotent)."""
    city, _ = Unit.objects.get_or_create(
        name=CITY,
        defaults={
            "level": Unit.Level.CITY,
            "region": Region.objects.get(code="430100"),
            "email": "12315@amr.changsha.gov.cn",
        },
    )
    yuelu, _ = Unit.objects.get_or_create(
        name=YUELU,
        defaults={
            "level": Unit.Level.COUNTY,
            "region": Region.objects.get(code="430104"),
            "parent": city,
            "email": "yuelu12315@amr.changsha.gov.cn",
        },
    )
    furong, _ = Unit.objects.get_or_create(
        name=FURONG,
        defaults={
            "level": Unit.Level.COUNTY,
            "region": Region.objects.get(code="430102"),
            "parent": city,
            "email": "furong12315@amr.changsha.gov.cn",
        },
    )
    station, _ = Unit.objects.get_or_create(
        name=STATION,
        defaults={
            "level": Unit.Level.STATION,
            "region": Region.objects.get(code="430104"),
            "district": make_district("麓谷商圈", region="430104"),
            "parent": yuelu,
        },
    )
    return Units(city=city, yuelu=yuelu, furong=furong, station=station)


def make_staff(unit, username=None, *, handler=True, superuser=False):
    """A member of ``unit``; ``handler`` puts them in the 投诉处理 group (办理 + 个人信息)."""
    User = get_user_model()
    username = username or f"staff{next(_serial)}"
    if superuser:
        user = User.objects.create_superuser(username, password="口令-123456")
    else:
        user = User.objects.create_user(username, password="口令-123456")
    if handler:
        user.groups.add(Group.objects.get(name=HANDLER_GROUP))
    if unit is not None:
        unit.members.add(user)
    return user


def make_registered_merchant(**kwargs):
    """A pledge merchant in 岳麓区 (no district, so its complaints go to the county bureau)."""
    kwargs.setdefault("registered_name", "长沙市岳麓区王府井百货商行")
    kwargs.setdefault("shop_name", "王府井百货(麓山店)")
    return make_merchant(**kwargs)


def next_phone():
    """A fresh mobile number per call, so two test complaints are never linked as repeats."""
    return f"139{next(_serial):08d}"


def make_complaint(*, merchant=None, region="430104", now=None, photos=(), **overrides):
    """A complaint made through intake (units, deadlines, audit entry and all).

    ``merchant``: a merchants.Merchant (its region is used) or None for an unregistered shop
    named by ``merchant_name``. Any ``Submission`` field can be overridden; ``channel``,
    ``client_key`` and ``honeypot`` go to ``submit``.
    """
    make_units()
    submit_kwargs = {
        "channel": overrides.pop("channel", Complaint.Channel.WEB),
        "client_key": overrides.pop("client_key", ""),
        "honeypot": overrides.pop("honeypot", False),
        "now": now,
    }
    today = timezone.localdate(now)
    fields = {
        "region": merchant.region if merchant else Region.objects.get(code=region),
        "merchant": merchant,
        "merchant_name": merchant.registered_name if merchant else "金华茶楼",
        "occurred_on": today - datetime.timedelta(days=2),
        "content": "在店内购买的羽绒服穿了一次就开线，要求退货被拒绝，店员称“特价商品不退不换”。",
        "demand": "退货并退还货款699元。",
        "amount": Decimal("699.00"),
        "name": "高明",
        "phone": next_phone(),
        "consent_contact": True,
        "consent_publish": True,
        "photos": list(photos),
    }
    fields.update(overrides)
    return submit(Submission(**fields), **submit_kwargs).complaint


@pytest.fixture
def units(db):
    return make_units()


@pytest.fixture
def registered_merchant(db):
    return make_registered_merchant()
