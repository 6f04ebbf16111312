"""Turning one raw row of a disclosure file into typed values, or into reasons an editor can act on.

Rules (also listed on the admin import page):

* 投诉编号 is required and appears once per file; it is how a re-imported record is found.
* Categories, problem types and results are editable reference data. A cell may name them the
  way counties write them (餐饮 for 餐饮住宿, 质量问题 for 质量: ``variants``); a name that still
  matches nothing is listed once with its rows (``common.import_unknowns``). A missing category
  is added by an import that adds missing names (``add_missing``); a problem type or result
  never is (a result decides the mediation rate).
* The region is a city or a county that exists in 行政区划: its code, its name (岳麓区,
  长沙市岳麓区) or its name without 区/县/市 when only one region has it (岳麓).
* A blank 公示截止日期 is an error, unless ``settings.DISCLOSURE_DEFAULT_DISPLAY_DAYS`` is set,
  in which case it is the disclosure date plus that many days (the national display period is
  not confirmed, so the bureau decides).

The validator runs for every row of files of a million rows, so it caches what repeats in a
large file: dates, credit codes and money strings.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from common import credit_code as credit_codes
from common import regions
from common.dates import chinese_date
from common.import_cells import known_names, parse_date, text
from common.import_unknowns import ValueGroups
from common.import_variants import (
    CITIES_OR_COUNTIES,
    AmbiguousRegion,
    RegionNames,
    Vocabulary,
    match_key,
    region_name_error,
)
from merchants.models import Region

from ..models import ComplaintCategory, Disclosure, HandlingResult, ProblemType
from ..scrubbing import scrub
from .columns import COLUMNS
from .variants import (
    CATEGORY_SUFFIXES,
    CATEGORY_VARIANTS,
    PROBLEM_TYPE_SUFFIXES,
    PROBLEM_TYPE_VARIANTS,
    RESULT_VARIANTS,
)

_MONEY_RE = re.compile(r"^[¥￥]?\s*(\d[\d,,]*(?:\.\d+)?|\.\d+)\s*元?$")
MAX_SUMMARY_CHARS = 2000
MAX_REQUEST_CHARS = 1000
MAX_AMOUNT = Decimal("999999999999.99")
# Caches are bounded so a file of a million distinct values cannot grow them without limit.
CACHE_LIMIT = 50_000

TEXT_LIMITS = {
    "complaint_number": Disclosure._meta.get_field("complaint_number").max_length,
    "respondent_name": Disclosure._meta.get_field("respondent_name").max_length,
    "respondent_address": Disclosure._meta.get_field("respondent_address").max_length,
    "handling_department": Disclosure._meta.get_field("handling_department").max_length,
    "summary": MAX_SUMMARY_CHARS,
    "consumer_request": MAX_REQUEST_CHARS,
}
# (field, required), for the columns taken as text.
TEXT_FIELDS = (
    ("complaint_number", True),
    ("respondent_name", True),
    ("respondent_address", False),
    ("summary", True),
    ("consumer_request", False),
    ("handling_department", True),
)


# The columns whose missing names an import may add, and the longest name each takes.
ADDABLE = {"category": ComplaintCategory._meta.get_field("name").max_length}


def unknown_name_reason(label, value, known, addable):
    reason = _("%(label)s“%(value)s”不存在，可填：%(known)s") % {
        "label": label,
        "value": value,
        "known": known_names(known),
    }
    if addable:
        return reason + _(
            "。如确是新类别，可勾选“添加缺少的类别”（命令行加 --add-missing）"
            "重新导入，随导入一并添加"
        )
    return reason + _("。新名称请先在后台添加")


def default_display_days():
    """Days a record stays public when 公示截止日期 is blank, or None: then it is required."""
    return settings.DISCLOSURE_DEFAULT_DISPLAY_DAYS


class References:
    """Reference data loaded once per import, so a million rows cost a handful of queries."""

    def __init__(self):
        rows = list(Region.objects.values_list("code", "name", "level", "parent_id"))
        self.regions = {
            code: level for code, _name, level, _parent in rows if level != regions.PROVINCE
        }
        self.region_names = RegionNames((code, name, parent) for code, name, _lv, parent in rows)
        self.categories = Vocabulary(
            ComplaintCategory.objects.values_list("name", "pk"),
            CATEGORY_VARIANTS,
            CATEGORY_SUFFIXES,
        )
        self.problem_types = Vocabulary(
            ProblemType.objects.values_list("name", "pk"),
            PROBLEM_TYPE_VARIANTS,
            PROBLEM_TYPE_SUFFIXES,
        )
        self.results = Vocabulary(HandlingResult.objects.values_list("name", "pk"), RESULT_VARIANTS)


class _Cache(dict):
    def remember(self, key, value):
        if len(self) >= CACHE_LIMIT:
            self.clear()
        self[key] = value
        return value


class RowValidator:
    """``validate(row, line)`` → ``(values, reasons)``; ``values`` is None when the row is bad:
    it has reasons, or a name that matches nothing (counted in ``groups``, once per file).

    With ``add_missing`` a category that matches nothing is a ``Missing`` in ``values`` and
    its group ``addable``: the import adds it (``ReferenceAdder``)."""

    def __init__(self, references=None, add_missing=False):
        self.refs = references or References()
        self.add_missing = add_missing
        self.groups = ValueGroups()
        self.line = 0
        self.unknown = 0  # cells of the current row listed in ``groups``
        self.display_days = default_display_days()
        self._dates = _Cache()
        self._codes = _Cache()
        self._money = _Cache()
        self._addable = _Cache()

    def validate(self, row, line=0):
        # Called for every row of files of a million rows: plain loops and local names.
        self.line, self.unknown = line, 0
        reasons = []
        values = {}
        get = row.get
        for field, required in TEXT_FIELDS:
            raw = get(field)
            value = raw.strip() if raw.__class__ is str else text(raw)
            if not value:
                if required:
                    reasons.append(_("%(label)s为空") % {"label": COLUMNS[field].label})
            elif len(value) > TEXT_LIMITS[field]:
                reasons.append(
                    _("%(label)s超过%(limit)d个字")
                    % {"label": COLUMNS[field].label, "limit": TEXT_LIMITS[field]}
                )
            values[field] = value
        values["credit_code"] = self._credit_code(get("credit_code"), reasons)
        values["region_id"] = self._region(get("region_code"), reasons)
        refs = self.refs
        values["category_id"] = self._reference(
            get("category"), "category", refs.categories, reasons
        )
        values["problem_type_id"] = self._reference(
            get("problem_type"), "problem_type", refs.problem_types, reasons
        )
        values["result_id"] = self._reference(get("result"), "result", refs.results, reasons)
        values["recovered_amount"] = self._amount(get("recovered_amount"), reasons)
        complained_on = self._date(get("complained_on"), "complained_on", reasons, True)
        closed_on = self._date(get("closed_on"), "closed_on", reasons, False)
        disclosed_on = self._date(get("disclosed_on"), "disclosed_on", reasons, True)
        display_until = self._date(
            get("display_until"), "display_until", reasons, self.display_days is None
        )
        if display_until is None and disclosed_on and self.display_days is not None:
            display_until = disclosed_on + datetime.timedelta(days=self.display_days)
        if complained_on and closed_on and closed_on < complained_on:
            reasons.append(
                _("办结日期（%(closed)s）早于投诉日期（%(complained)s）")
                % {"closed": chinese_date(closed_on), "complained": chinese_date(complained_on)}
            )
        if disclosed_on and display_until and display_until < disclosed_on:
            reasons.append(
                _("公示截止日期（%(until)s）早于公示日期（%(disclosed)s）")
                % {"until": chinese_date(display_until), "disclosed": chinese_date(disclosed_on)}
            )
        if reasons or self.unknown:
            return None, reasons
        values["complained_on"] = complained_on
        values["closed_on"] = closed_on
        values["disclosed_on"] = disclosed_on
        values["display_until"] = display_until
        return values, reasons

    def _credit_code(self, raw, reasons):
        cached = self._codes.get(raw)
        if cached is not None and not isinstance(cached, Exception):
            return cached
        value = text(raw)
        if not value:
            return ""
        cached = self._codes.get(value)
        if cached is None:
            try:
                cached = credit_codes.validate(value)
            except credit_codes.CreditCodeError as error:
                cached = error
            self._codes.remember(value, cached)
        if isinstance(cached, Exception):
            reasons.append(str(cached))
            return ""
        return cached

    def _region(self, raw, reasons):
        if raw in self.refs.regions:
            return raw
        value = text(raw)
        if not value:
            reasons.append(_("行政区划代码为空"))
            return None
        code = match_key(value)
        if code in self.refs.regions:
            return code
        if not regions.CODE_RE.match(code):
            try:
                code = self.refs.region_names.resolve(value)
            except AmbiguousRegion as error:
                reason = region_name_error(value, error.candidates, CITIES_OR_COUNTIES)
                return self._unknown("region_code", value, reason)
            if code is None:
                reason = region_name_error(value, (), CITIES_OR_COUNTIES)
                return self._unknown("region_code", value, reason)
            if code in self.refs.regions:
                return code
        if regions.level_of(code) == regions.PROVINCE:
            reason = _("行政区划代码“%(code)s”是省级区划，请填写到地市或区县") % {"code": code}
        else:
            reason = _("行政区划代码“%(code)s”不存在，请填写已有的地市或区县代码") % {"code": code}
        return self._unknown("region_code", value, reason)

    def _unknown(self, field, value, reason, addable=False):
        """List ``value`` once for the file, with this row; a ``Missing`` when it is added."""
        group = self.groups.add(field, value, self.line, reason, addable)
        if addable and self.add_missing:
            return group.missing
        self.unknown += 1
        return None

    def _reference(self, raw, field, names, reasons):
        pk = names.seen.get(raw)
        if pk is None:
            pk = names.resolve(raw)
        if pk is not None:
            return pk
        value = text(raw)
        label = COLUMNS[field].label
        if not value:
            reasons.append(_("%(label)s为空") % {"label": label})
            return None
        addable = self._addable.get(value)
        if addable is None:
            # A category is public (a search facet): one that holds what looks like personal
            # data (a phone number, a name after 我叫) is never added, only listed.
            addable = field in ADDABLE and len(value) <= ADDABLE[field]
            addable = self._addable.remember(value, addable and scrub(value).text == value)
        return self._unknown(
            field, value, lambda: unknown_name_reason(label, value, names.names, addable), addable
        )

    def _date(self, raw, field, reasons, required):
        day = self._dates.get(raw)
        if day:
            return day
        if isinstance(raw, datetime.date):
            return raw.date() if isinstance(raw, datetime.datetime) else raw
        value = text(raw)
        label = COLUMNS[field].label
        if not value:
            if required:
                reasons.append(_("%(label)s为空") % {"label": label})
            return None
        day = self._dates.get(value)
        if day is None:
            try:
                day = parse_date(value)
            except ValueError:
                day = False
            self._dates.remember(value, day)
        if day is False:
            reasons.append(
                _("%(label)s“%(value)s”无法识别，请写成2026-01-05、2026/1/5或2026年1月5日")
                % {"label": label, "value": value}
            )
            return None
        return day

    def _amount(self, raw, reasons):
        amount = self._money.get(raw)
        if amount is not None and not isinstance(amount, str):
            return amount
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = repr(raw) if isinstance(raw, float) else str(raw)
        value = text(raw)
        if not value:
            return Decimal("0.00")
        amount = self._money.get(value)
        if amount is None:
            amount = self._parse_amount(value)
            self._money.remember(value, amount)
        if isinstance(amount, str):
            reasons.append(amount)
            return None
        return amount

    def _parse_amount(self, value):
        """A Decimal with two places, or the reason it is not one (cached as a string)."""
        label = COLUMNS["recovered_amount"].label
        if value.startswith("-"):
            return _("%(label)s“%(value)s”不能为负数") % {"label": label, "value": value}
        match = _MONEY_RE.match(value)
        if not match:
            return _("%(label)s“%(value)s”应为金额数字，如1299.50") % {
                "label": label,
                "value": value,
            }
        try:
            amount = Decimal(match.group(1).replace(",", "").replace(",", ""))
        except InvalidOperation:
            return _("%(label)s“%(value)s”应为金额数字，如1299.50") % {
                "label": label,
                "value": value,
            }
        if amount != amount.quantize(Decimal("0.01")):
            return _("%(label)s“%(value)s”最多保留两位小数") % {"label": label, "value": value}
        if amount > MAX_AMOUNT:
            return _("%(label)s“%(value)s”超出范围") % {"label": label, "value": value}
        return amount.quantize(Decimal("0.01"))
