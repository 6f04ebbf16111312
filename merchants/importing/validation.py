"""Turning raw rows into typed records, or into reasons an editor can act on.

Rules worth knowing (they are also on the admin import page):

* Regions, pledge types, categories and districts are reference data. A cell may name them the
  way counties write them (有效 for 已公示, 餐饮 for 餐饮住宿, 岳麓 or 长沙市岳麓区 for 430104:
  ``variants`` and ``common.import_variants``). A value that still matches nothing is listed
  once with its rows (``common.import_unknowns``), not once per row.
* A missing 行业类别 or 所属商圈 is an error, unless the import adds missing names
  (``add_missing``): then it is added in the import's transaction, a 商圈 under the county its
  rows name. A region, a pledge type and a status are never added: they carry rules.
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
from common.import_unknowns import ValueGroups
from common.import_variants import (
    COUNTIES,
    AmbiguousRegion,
    RegionNames,
    Vocabulary,
    match_key,
    region_name_error,
)
from merchants.models import (
    MIN_RETURN_DAYS,
    BusinessCategory,
    BusinessDistrict,
    Merchant,
    PledgeType,
    Region,
)

from .columns import COLUMNS
from .variants import (
    CATEGORY_SUFFIXES,
    CATEGORY_VARIANTS,
    PLEDGE_TYPE_VARIANTS,
    STATUS_VARIANTS,
)

Status = Merchant.RegistryStatus
# Which merchant fields a column fills, in the order they are compared and reported (the region
# before the district: a district an import adds lies in its row's region).
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
# The columns whose missing names an import may add, and the longest name each takes.
ADDABLE = {
    "category": BusinessCategory._meta.get_field("name").max_length,
    "district": BusinessDistrict._meta.get_field("name").max_length,
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
ADD_MISSING_HINT = _(
    "如确是新名称，可勾选“添加缺少的类别和商圈”（命令行加 --add-missing）重新导入，随导入一并添加"
)


def status_words():
    """Every word a 状态 cell may hold → the status: the variants, labels and values."""
    words = {}
    for status in Status:
        words[status.value] = status
        words[status.label] = status
        for word in STATUS_VARIANTS.get(status.value, ()):
            words[word] = status
    return words


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
    errors: list  # RowError, in line order
    rows: int
    unknown: list = field(default_factory=list)  # ValueGroups that refuse the file
    additions: list = field(default_factory=list)  # ValueGroups the import adds
    error_count: int = 0  # rows with at least one problem


def text(value):
    """A cell as trimmed text, full-width spaces inside it made plain (张三\u3000 → 张三)."""
    return cell_text(value).replace("\u3000", " ")


class Unknown(ValueError):
    """A cell names nothing the reference data has: listed once with its rows."""

    def __init__(self, reason, addable=False):
        super().__init__(reason)
        self.addable = addable


class References:
    """Reference data loaded once per import, so a 10,000-row file costs a handful of queries."""

    def __init__(self):
        rows = list(Region.objects.values_list("code", "name", "level", "parent_id"))
        self.regions = {code: (name, level) for code, name, level, _parent in rows}
        self.region_names = RegionNames((code, name, parent) for code, name, _lv, parent in rows)
        self.categories = Vocabulary(
            BusinessCategory.objects.values_list("name", "pk"),
            CATEGORY_VARIANTS,
            CATEGORY_SUFFIXES,
        )
        self.districts = Vocabulary(BusinessDistrict.objects.values_list("name", "pk"))
        self.pledge_types = Vocabulary(
            {pt.name: pt for pt in PledgeType.objects.all()}, PLEDGE_TYPE_VARIANTS
        )
        self.statuses = Vocabulary(status_words())


class RowValidator:
    def __init__(self, references, groups=None, add_missing=False):
        self.refs = references
        self.groups = ValueGroups() if groups is None else groups
        self.add_missing = add_missing

    def validate(self, row, line=0):
        """``(credit_code, merchant_fields, pledge_values, reasons, unknown)`` for one raw row;
        ``unknown`` counts the cells listed in ``groups`` (the row is bad if any is)."""
        reasons, merchant, unknown = [], {}, 0
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
            except Unknown as error:
                group = self.groups.add(column, text(raw), line, str(error), error.addable)
                if error.addable and self.add_missing:
                    merchant[name] = group.missing
                    if column == "district":
                        region = merchant.get("region_id")
                        group.seen.setdefault("regions", {}).setdefault(region, []).append(line)
                else:
                    unknown += 1
            except ValueError as error:
                reasons.append(str(error))
        self._unknown_pledge_type = None
        pledge = self._pledge(row, reasons)
        if self._unknown_pledge_type:
            name, reason = self._unknown_pledge_type
            self.groups.add("pledge_type", name, line, reason)
            unknown += 1
        return code, merchant, pledge, reasons, unknown

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
        """A county by its code, its name (岳麓区, 长沙市岳麓区) or its short name (岳麓)."""
        value = text(raw)
        code = match_key(value)
        if code not in self.refs.regions:
            if regions.CODE_RE.match(code):
                raise Unknown(_("行政区划代码“%(code)s”不存在") % {"code": code})
            try:
                code = self.refs.region_names.resolve(value)
            except AmbiguousRegion as error:
                raise Unknown(region_name_error(value, error.candidates, COUNTIES)) from None
            if code is None:
                raise Unknown(region_name_error(value, (), COUNTIES))
        name, level = self.refs.regions[code]
        if level != regions.COUNTY:
            raise ValueError(
                _("行政区划代码“%(code)s”（%(name)s）不是县级区划，请填写到区、县或县级市")
                % {"code": code, "name": name}
            )
        return code

    def _category(self, raw, column):
        return self._reference(raw, column, self.refs.categories)

    def _district(self, raw, column):
        return self._reference(raw, column, self.refs.districts)

    def _reference(self, raw, column, vocabulary):
        value = text(raw)
        pk = vocabulary.resolve(value)
        if pk is not None:
            return pk
        label, limit = COLUMNS[column].label, ADDABLE[column]
        if len(value) > limit:
            raise Unknown(
                _("%(label)s“%(name)s”超过%(limit)d个字，既不是已有名称，也不能添加")
                % {"label": label, "name": value, "limit": limit}
            )
        if column == "category":
            reason = _("行业类别“%(name)s”不在已有类别中（%(known)s）") % {
                "name": value,
                "known": known_names(vocabulary.names),
            }
        else:
            reason = _("所属商圈“%(name)s”不存在（已有：%(known)s）") % {
                "name": value,
                "known": known_names(vocabulary.names),
            }
        raise Unknown(f"{reason}。{ADD_MISSING_HINT}", addable=True)

    def _status(self, raw, column):
        value = text(raw)
        status = self.refs.statuses.resolve(value)
        if status is None:
            raise Unknown(
                _(
                    "无法识别的状态“%(value)s”，可填：待审核、已公示（有效、正常、在册、已过期）、"
                    "暂停（中止）、摘牌（撤销、注销）"
                )
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
                _("承诺结束日期（%(end)s）早于开始日期（%(start)s）")
                % {"end": chinese_date(ends_on), "start": chinese_date(starts_on)}
            )
        return_days, days_readable = self._return_days(row, reasons)
        return_scope = text(row.get("return_scope"))
        if pledge_type and pledge_type.is_return_pledge:
            if return_days is None and days_readable:
                reasons.append(
                    _("“%(type)s”须填写退货期限（不少于%(min)d天）")
                    % {"type": pledge_type.name, "min": MIN_RETURN_DAYS}
                )
            if not return_scope:
                reasons.append(
                    _("“%(type)s”须写明退货范围（哪些商品可以退货）") % {"type": pledge_type.name}
                )
        if len(reasons) > errors_before or pledge_type is None:
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
        pledge_type = self.refs.pledge_types.resolve(name)
        if pledge_type is None:
            # Listed once for the file (``validate``), not once for each row.
            self._unknown_pledge_type = (
                name,
                _("承诺类型“%(name)s”不存在，可填：%(known)s")
                % {"name": name, "known": known_names(self.refs.pledge_types.names)},
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
                _("%(label)s“%(value)s”无法识别，请写成2026-01-05或2026年1月5日")
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
                _("退货期限为%(days)d天，不得少于%(min)d天")
                % {"days": days, "min": MIN_RETURN_DAYS}
            )
            return None, False
        return days, True


def validate_rows(rows, add_missing=False):
    """Validate every row, group rows by credit code and check that they agree.

    With ``add_missing`` a missing category or district is not an error: it is in
    ``additions``, and the records hold a ``Missing`` for its id (``additions.add`` swaps it).
    """
    validator = RowValidator(References(), add_missing=add_missing)
    errors, by_code, count, bad_lines = [], {}, 0, set()
    for line, row in rows:
        count += 1
        code, fields, pledge, reasons, unknown = validator.validate(row, line)
        errors.extend(RowError(line, reason) for reason in reasons)
        if reasons or unknown:
            bad_lines.add(line)
        if reasons or unknown or code is None:
            continue
        record = by_code.get(code)
        if record is None:
            record = by_code[code] = MerchantRecord(line=line, credit_code=code, fields={})
        conflict = _merge(record, fields, line)
        if conflict:
            errors.append(RowError(line, conflict))
            bad_lines.add(line)
            continue
        duplicate = _add_pledge(record, PledgeRecord(line=line, **pledge))
        if duplicate:
            errors.append(RowError(line, duplicate))
            bad_lines.add(line)
    unknown, additions = [], []
    for group in validator.groups:
        if group.addable and add_missing:
            spread = _district_in_several_regions(group)
            if spread is None:
                additions.append(group)
                continue
            group.reason, group.addable = spread, False
            bad_lines.update(line for lines in group.seen["regions"].values() for line in lines)
        unknown.append(group)
    errors.sort(key=lambda error: error.line)
    return ValidationResult(
        records=list(by_code.values()),
        errors=errors,
        rows=count,
        unknown=unknown,
        additions=additions,
        error_count=len(bad_lines),
    )


def _district_in_several_regions(group):
    """Why a district to add cannot be: its rows name two counties (it needs one), or None."""
    if group.field != "district":
        return None
    counties = sorted(code for code in group.seen.get("regions", {}) if code)
    if len(counties) <= 1:
        return None
    return _(
        "所属商圈“%(name)s”在文件中属于不同区县（%(codes)s），无法确定新商圈所在的区划，"
        "请先在后台“商圈/街区/市场”中添加该商圈"
    ) % {"name": group.value, "codes": "、".join(counties)}


def _merge(record, fields, line):
    clashing, first_lines = [], set()
    for column, name in MERCHANT_COLUMNS.items():
        if name in fields and name in record.fields and record.fields[name] != fields[name]:
            clashing.append(COLUMNS[column].label)
            first_lines.add(record.given_on[name])
    if clashing:
        lines = "、".join(str(n) for n in sorted(first_lines))
        return _("与第%(lines)s行是同一统一社会信用代码，但%(fields)s不一致") % {
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
            return _("与第%(line)d行是同一项承诺（同一商家、承诺类型和开始日期），请合并为一行") % {
                "line": other.line
            }
    record.pledges.append(pledge)
    return None
