"""Turning raw rows into typed records, or into reasons an editor can act on.

Rules worth knowing (they are also on the admin import page):

* Regions, pledge types, categories and districts must already exist: they are editable reference
  data, so a typo must not quietly create a new 行业类别 or 商圈. The error lists the known names.
* In the merchant columns a blank cell means "not given": a new merchant gets the default, an
  existing one keeps its value. That way a second row for the same merchant (its second pledge)
  may leave them blank, and a file without 联系电话 does not wipe the phone numbers.
* Rows of one credit code must agree on every merchant column they fill in.
* The pledge columns are taken as they are: a blank end date means a long-term pledge.
* 已过期 is recorded as 已公示: whether a pledge has expired follows from its dates.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common import credit_code as credit_codes
from common import regions
from common.dates import chinese_date
from common.import_cells import RowError, known_names, parse_date
from common.import_cells import text as cell_text
from merchants.models import (
    MIN_RETURN_DAYS,
    BusinessCategory,
    BusinessDistrict,
    Merchant,
    PledgeType,
    Region,
)

from .columns import COLUMNS

Status = Merchant.RegistryStatus
STATUS_WORDS = {
    "待审核": Status.PENDING,
    "有效": Status.LISTED,
    "承诺有效": Status.LISTED,
    "已公示": Status.LISTED,
    "公示": Status.LISTED,
    "在册": Status.LISTED,
    "已过期": Status.LISTED,
    "过期": Status.LISTED,
    "暂停": Status.SUSPENDED,
    "已暂停": Status.SUSPENDED,
    "摘牌": Status.REMOVED,
    "已摘牌": Status.REMOVED,
}
STATUS_WORDS.update({status.value: status for status in Status})
# Which merchant fields a column fills, in the order they are compared and reported.
MERCHANT_COLUMNS = {
    "registered_name": "registered_name",
    "shop_name": "shop_name",
    "region_code": "region_id",
    "address": "address",
    "category": "category_id",
    "district": "district_id",
    "status": "registry_status",
    "status_reason": "status_reason",
    "contact_person": "contact_person",
    "contact_phone": "contact_phone",
}
TEXT_LIMITS = {
    name: Merchant._meta.get_field(name).max_length
    for name in (
        "registered_name",
        "shop_name",
        "address",
        "status_reason",
        "contact_person",
        "contact_phone",
    )
}
_DAYS_RE = re.compile(r"^(\d+)(?:\.0+)?\s*天?$")


@dataclass
class PledgeRecord:
    line: int
    pledge_type: PledgeType
    content: str
    return_days: int | None
    return_scope: str
    return_conditions: str
    starts_on: datetime.date
    ends_on: datetime.date | None

    @property
    def key(self):
        return (self.pledge_type.pk, self.starts_on)

    def values(self):
        return {
            "pledge_type_id": self.pledge_type.pk,
            "content": self.content,
            "return_days": self.return_days,
            "return_scope": self.return_scope,
            "return_conditions": self.return_conditions,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
        }


@dataclass
class MerchantRecord:
    """One merchant as the file describes it: the fields given, and its pledges."""

    line: int
    credit_code: str
    fields: dict
    pledges: list = field(default_factory=list)
    # field name → line that first gave it, for conflict messages
    given_on: dict = field(default_factory=dict)


@dataclass
class ValidationResult:
    records: list
    errors: list
    rows: int


def text(value):
    """A cell as trimmed text, full-width spaces inside it made plain (张三\u3000 → 张三)."""
    return cell_text(value).replace("\u3000", " ")


class References:
    """Reference data loaded once per import, so a 10,000-row file costs a handful of queries."""

    def __init__(self):
        self.regions = {r.code: r for r in Region.objects.only("code", "name", "level")}
        self.categories = dict(BusinessCategory.objects.values_list("name", "pk"))
        self.districts = dict(BusinessDistrict.objects.values_list("name", "pk"))
        self.pledge_types = {pt.name: pt for pt in PledgeType.objects.all()}


class RowValidator:
    def __init__(self, references):
        self.refs = references

    def validate(self, row):
        """``(credit_code, merchant_fields, pledge_values, reasons)`` for one raw row."""
        reasons, merchant = [], {}
        code = self._credit_code(row, reasons)
        for column, name in MERCHANT_COLUMNS.items():
            if column not in row:
                continue
            raw = row[column]
            if text(raw) == "":
                if COLUMNS[column].required:
                    reasons.append(_("%(label)s为空") % {"label": COLUMNS[column].label})
                continue
            try:
                merchant[name] = getattr(self, f"_{column}", self._text)(raw, column)
            except ValueError as error:
                reasons.append(str(error))
        pledge = self._pledge(row, reasons)
        return code, merchant, pledge, reasons

    # --- merchant columns ---------------------------------------------------------------

    def _credit_code(self, row, reasons):
        try:
            return credit_codes.validate(text(row.get("credit_code")))
        except credit_codes.CreditCodeError as error:
            reasons.append(str(error))
            return None

    def _text(self, raw, column):
        value = text(raw)
        limit = TEXT_LIMITS[MERCHANT_COLUMNS[column]]
        if len(value) > limit:
            raise ValueError(
                _("%(label)s超过%(limit)d个字") % {"label": COLUMNS[column].label, "limit": limit}
            )
        return value

    def _region_code(self, raw, column):
        code = text(raw)
        region = self.refs.regions.get(code)
        if region is None:
            raise ValueError(_("行政区划代码“%(code)s”不存在") % {"code": code})
        if region.level != regions.COUNTY:
            raise ValueError(
                _("行政区划代码“%(code)s”(%(name)s)不是县级区划,请填写到区、县或县级市")
                % {"code": code, "name": region.name}
            )
        return code

    def _category(self, raw, column):
        value = text(raw)
        if value not in self.refs.categories:
            raise ValueError(
                _("行业类别“%(name)s”不在已有类别中(%(known)s),请改用已有类别或先在后台添加")
                % {"name": value, "known": known_names(self.refs.categories)}
            )
        return self.refs.categories[value]

    def _district(self, raw, column):
        value = text(raw)
        if value not in self.refs.districts:
            raise ValueError(
                _("所属商圈“%(name)s”不存在(已有:%(known)s),请先在后台“商圈/街区/市场”中添加")
                % {"name": value, "known": known_names(self.refs.districts)}
            )
        return self.refs.districts[value]

    def _status(self, raw, column):
        value = text(raw)
        status = STATUS_WORDS.get(value) or STATUS_WORDS.get(value.lower())
        if status is None:
            raise ValueError(
                _("无法识别的状态“%(value)s”,可填:待审核、已公示(有效、在册、已过期)、暂停、摘牌")
                % {"value": value}
            )
        return status

    # --- pledge columns -----------------------------------------------------------------

    def _pledge(self, row, reasons):
        errors_before = len(reasons)
        pledge_type = self._pledge_type(row, reasons)
        starts_on = self._date(row, "starts_on", reasons, required=True)
        ends_on = self._date(row, "ends_on", reasons, required=False)
        if starts_on and ends_on and ends_on < starts_on:
            reasons.append(
                _("承诺结束日期(%(end)s)早于开始日期(%(start)s)")
                % {"end": chinese_date(ends_on), "start": chinese_date(starts_on)}
            )
        return_days, days_readable = self._return_days(row, reasons)
        return_scope = text(row.get("return_scope"))
        if pledge_type and pledge_type.is_return_pledge:
            if return_days is None and days_readable:
                reasons.append(
                    _("“%(type)s”须填写退货期限(不少于%(min)d天)")
                    % {"type": pledge_type.name, "min": MIN_RETURN_DAYS}
                )
            if not return_scope:
                reasons.append(
                    _("“%(type)s”须写明退货范围(哪些商品可以退货)") % {"type": pledge_type.name}
                )
        if len(reasons) > errors_before:
            return None
        return {
            "pledge_type": pledge_type,
            "content": text(row.get("pledge_content")),
            "return_days": return_days,
            "return_scope": return_scope,
            "return_conditions": text(row.get("return_conditions")),
            "starts_on": starts_on,
            "ends_on": ends_on,
        }

    def _pledge_type(self, row, reasons):
        name = text(row.get("pledge_type"))
        if not name:
            reasons.append(_("承诺类型为空"))
            return None
        pledge_type = self.refs.pledge_types.get(name)
        if pledge_type is None:
            reasons.append(
                _("承诺类型“%(name)s”不存在,可填:%(known)s")
                % {"name": name, "known": known_names(self.refs.pledge_types)}
            )
        return pledge_type

    def _date(self, row, column, reasons, required):
        raw = row.get(column)
        label = COLUMNS[column].label
        if text(raw) == "":
            if required:
                reasons.append(_("%(label)s为空") % {"label": label})
            return None
        try:
            return parse_date(raw)
        except ValueError:
            reasons.append(
                _("%(label)s“%(value)s”无法识别,请写成2026-01-05或2026年1月5日")
                % {"label": label, "value": text(raw)}
            )
            return None

    def _return_days(self, row, reasons):
        """``(days, readable)``: blank gives ``(None, True)``, a bad value ``(None, False)``."""
        raw = text(row.get("return_days"))
        if not raw:
            return None, True
        match = _DAYS_RE.match(raw)
        if not match:
            reasons.append(_("退货期限“%(value)s”应为整数天数") % {"value": raw})
            return None, False
        days = int(match.group(1))
        if days < MIN_RETURN_DAYS:
            reasons.append(
                _("退货期限为%(days)d天,不得少于%(min)d天") % {"days": days, "min": MIN_RETURN_DAYS}
            )
            return None, False
        return days, True


def validate_rows(rows):
    """Validate every row, group rows by credit code and check that they agree."""
    validator = RowValidator(References())
    errors, by_code, count = [], {}, 0
    for line, row in rows:
        count += 1
        code, fields, pledge, reasons = validator.validate(row)
        errors.extend(RowError(line, reason) for reason in reasons)
        if reasons or code is None:
            continue
        record = by_code.get(code)
        if record is None:
            record = by_code[code] = MerchantRecord(line=line, credit_code=code, fields={})
        conflict = _merge(record, fields, line)
        if conflict:
            errors.append(RowError(line, conflict))
            continue
        duplicate = _add_pledge(record, PledgeRecord(line=line, **pledge))
        if duplicate:
            errors.append(RowError(line, duplicate))
    errors.sort(key=lambda error: error.line)
    return ValidationResult(records=list(by_code.values()), errors=errors, rows=count)


def _merge(record, fields, line):
    clashing, first_lines = [], set()
    for column, name in MERCHANT_COLUMNS.items():
        if name in fields and name in record.fields and record.fields[name] != fields[name]:
            clashing.append(COLUMNS[column].label)
            first_lines.add(record.given_on[name])
    if clashing:
        lines = "、".join(str(n) for n in sorted(first_lines))
        return _("与第%(lines)s行是同一统一社会信用代码,但%(fields)s不一致") % {
            "lines": lines,
            "fields": "、".join(clashing),
        }
    for name, value in fields.items():
        if name not in record.fields:
            record.fields[name] = value
            record.given_on[name] = line
    return None


def _add_pledge(record, pledge):
    for other in record.pledges:
        if other.key == pledge.key:
            return _("与第%(line)d行是同一项承诺(同一商家、承诺类型和开始日期),请合并为一行") % {
                "line": other.line
            }
    record.pledges.append(pledge)
    return None
