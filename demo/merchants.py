"""Demo pledge merchants: a few hundred shops across Hunan in every status, reproducibly.

Each merchant is worked out from its serial number alone (``merchant_specs``: one random
generator per serial, the trades of ``content/trades.py``, the regions of the reference data),
whatever else the database holds, and keyed by its credit code: a second run finds every one
and creates nothing, and the demo complaints (``demo/disclosures.py``) name the same merchants
without reading them back. Dates are relative to the day of loading, so the statuses stay
meaningful whenever it runs.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from common.credit_code import ALPHABET, with_check_character
from common.regions import COUNTY
from merchants.models import (
    BusinessCategory,
    BusinessDistrict,
    Merchant,
    Pledge,
    PledgeType,
    Region,
)

from .content import merchants as words
from .content.trades import merchant_trades

SEED = 315
CONFIDENCE, RETURNS, QUICK = "放心消费承诺", "线下无理由退货承诺", "快速响应双承诺"

# Share of each status among the demo merchants (the rest are in force).
STATUS_SHARES = [
    ("expired", 0.08),
    ("suspended", 0.04),
    ("removed", 0.05),
    ("pending", 0.04),
    ("not_started", 0.02),
    ("expiring", 0.06),
]
REGISTRY_STATUSES = {
    "pending": Merchant.RegistryStatus.PENDING,
    "suspended": Merchant.RegistryStatus.SUSPENDED,
    "removed": Merchant.RegistryStatus.REMOVED,
}


@dataclass
class MerchantDemoStats:
    created: int = 0
    existing: int = 0
    districts_created: int = 0


@dataclass
class MerchantSpec:
    """One demo merchant as the demo makes it: the row's fields, its trade and its pledges."""

    credit_code: str
    trade: object  # content.trades.Trade
    region: Region
    fields: dict
    pledges: list = field(default_factory=list)

    @property
    def registered_name(self):
        return self.fields["registered_name"]

    @property
    def registry_status(self):
        return self.fields["registry_status"]


def _pick_status(rng):
    roll, total = rng.random(), 0.0
    for status, share in STATUS_SHARES:
        total += share
        if roll < total:
            return status
    return "in_force"


def _credit_code(county, serial):
    # 9 = registered by market regulation, 1 = enterprise, then the county; the organisation
    # part starts MA4 as codes issued in Hunan since 2015 do, and carries the serial in base 31.
    digits = []
    for _position in range(6):
        serial, digit = divmod(serial, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return with_check_character(f"91{county}MA4{''.join(reversed(digits))}")


def _ensure_districts(stats):
    districts = {}
    for name, kind, county, address, description in words.DISTRICTS:
        district, created = BusinessDistrict.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "region_id": county,
                "address": address,
                "description": description,
                "is_pledge_unit": True,
                "has_service_station": kind in ("street", "market"),
            },
        )
        stats.districts_created += created
        districts[name] = district
    return districts


def _pledges(rng, status, category, scope, today):
    started = today - datetime.timedelta(days=rng.randint(40, 700))
    ends = started + datetime.timedelta(days=rng.choice([730, 1095]))
    if status == "expired":
        ends = today - datetime.timedelta(days=rng.randint(5, 200))
        started = ends - datetime.timedelta(days=730)
    elif status == "expiring":
        ends = today + datetime.timedelta(days=rng.randint(3, 28))
    elif status == "not_started":
        started = today + datetime.timedelta(days=rng.randint(3, 20))
        ends = started + datetime.timedelta(days=730)
    if ends < today and status != "expired":
        ends = today + datetime.timedelta(days=rng.randint(60, 400))

    pledges = [{"type": CONFIDENCE, "content": words.CONFIDENCE_PLEDGE}]
    if scope and rng.random() < 0.8:
        days = rng.choice([7, 7, 7, 15, 30])
        pledges.append(
            {
                "type": RETURNS,
                "content": "",
                "return_days": days,
                "return_scope": scope,
                "return_conditions": rng.choice(words.RETURN_CONDITIONS),
            }
        )
    if category in ("商场超市", "家用电器", "汽车销售及维修") and rng.random() < 0.3:
        pledges.append({"type": QUICK, "content": words.QUICK_RESPONSE_PLEDGE})
    for pledge in pledges:
        pledge["starts_on"], pledge["ends_on"] = started, ends
    return pledges


def _spec(serial, counties, weights, regions, trades, today):
    # One generator per merchant: each is the same on every run, whatever exists already.
    rng = random.Random(f"{SEED}-{serial}")
    district = rng.choice(words.DISTRICTS) if rng.random() < words.IN_DISTRICT_SHARE else None
    county = regions[district[2]] if district else rng.choices(counties, weights)[0]
    category = rng.choice(list(trades))
    trade = rng.choice(trades[category])
    brand = rng.choice(words.BRANDS)
    status = _pick_status(rng)
    street = rng.choice(words.STREETS)
    reason = ""
    if status == "suspended":
        reason = rng.choice(words.SUSPEND_REASONS)
    elif status == "removed":
        reason = rng.choice(words.REMOVE_REASONS)
    online = rng.random() < 0.2
    city_name = county.city.name if county.city else ""
    fields = {
        "registered_name": f"{city_name}{county.name}{brand}{trade.business}有限公司",
        "shop_name": f"{brand}{trade.name}（{street}店）",
        "address": (
            f"{district[3]}{rng.randint(1, 300)}号"
            if district
            else f"{county.full_name}{street}{rng.randint(1, 500)}号"
        ),
        "district_name": district[0] if district else None,
        "category_name": category,
        "online_shop": f"{brand}{trade.name}官方店" if online else "",
        "online_platform": rng.choice(words.ONLINE_PLATFORMS) if online else "",
        "is_odr": rng.random() < 0.15,
        "has_service_station": rng.random() < 0.08,
        # A role, not a person: the demo shows no one's name or phone number, even to staff.
        "contact_person": rng.choice(words.CONTACT_ROLES),
        "registry_status": REGISTRY_STATUSES.get(status, Merchant.RegistryStatus.LISTED),
        "status_changed_on": (
            today - datetime.timedelta(days=rng.randint(2, 90)) if reason else None
        ),
        "status_reason": reason,
    }
    return MerchantSpec(
        credit_code=_credit_code(county.code, serial),
        trade=trade,
        region=county,
        fields=fields,
        pledges=_pledges(rng, status, category, trade.return_scope, today),
    )


def merchant_specs(count=words.MERCHANT_COUNT, today=None):
    """The demo merchants, serial by serial, from the reference data's regions only."""
    today = today or timezone.localdate()
    regions = {
        region.code: region
        for region in Region.objects.filter(code__startswith="43").select_related("parent__parent")
    }
    counties = [region for region in regions.values() if region.level == COUNTY]
    counties.sort(key=lambda region: region.code)
    weights = [words.COUNTY_WEIGHTS.get(region.code[:4], 1) for region in counties]
    trades = merchant_trades()
    return [_spec(serial, counties, weights, regions, trades, today) for serial in range(count)]


def ensure_demo_merchants(count=words.MERCHANT_COUNT, specs=None):
    """Create the demo merchants that are missing; an existing one is left as it is."""
    stats = MerchantDemoStats()
    districts = _ensure_districts(stats)
    categories = {c.name: c for c in BusinessCategory.objects.all()}
    pledge_types = {p.name: p for p in PledgeType.objects.all()}
    existing = set(Merchant.objects.values_list("credit_code", flat=True))

    for spec in specs if specs is not None else merchant_specs(count):
        if spec.credit_code in existing:
            stats.existing += 1
            continue
        fields = dict(spec.fields)
        district_name = fields.pop("district_name")
        merchant = Merchant.objects.create(
            credit_code=spec.credit_code,
            region=spec.region,
            category=categories.get(fields.pop("category_name")),
            district=districts[district_name] if district_name else None,
            **fields,
        )
        Pledge.objects.bulk_create(
            Pledge(
                merchant=merchant,
                pledge_type=pledge_types[pledge["type"]],
                content=pledge["content"],
                return_days=pledge.get("return_days"),
                return_scope=pledge.get("return_scope", ""),
                return_conditions=pledge.get("return_conditions", ""),
                starts_on=pledge["starts_on"],
                ends_on=pledge["ends_on"],
            )
            for pledge in spec.pledges
        )
        stats.created += 1
    return stats
