"""Turning one raw row of a disclosure file into typed values, or into reasons an editor can act on.

Rules (also listed on the admin import page):

* 投诉编号 is required and appears once per file; it is how a re-imported record is found.
* Categories, problem types and results are editable reference data: a typo must not quietly
  create a new one, so an unknown name is an error that lists the known names.
* The region is a county or a city code that exists in 行政区划.
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
from merchants.models import Region

from ..models import ComplaintCategory, Disclosure, HandlingResult, ProblemType
from .columns import COLUMNS

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


def default_display_days():
    """Days a record stays public when 公示截止日期 is blank, or None: then it is required."""
    return settings.DISCLOSURE_DEFAULT_DISPLAY_DAYS


class References:
    """Reference data loaded once per import, so a million rows cost a handful of queries."""

    def __init__(self):
        self.regions = {
            code: level
            for code, level in Region.objects.values_list("code", "level")
            if level in (regions.CITY, regions.COUNTY)
        }
        self.categories = dict(ComplaintCategory.objects.values_list("name", "pk"))
        self.problem_types = dict(ProblemType.objects.values_list("name", "pk"))
        self.results = dict(HandlingResult.objects.values_list("name", "pk"))


class _Cache(dict):
    def remember(self, key, value):
        if len(self) >= CACHE_LIMIT:
            self.clear()
        self[key] = value
        return value


class RowValidator:
    """``validate(row)`` → ``(values, reasons)``; ``values`` is None when there are reasons."""

    def __init__(self, references=None):
        self.refs = references or References()
        self.display_days = default_display_days()
        self._dates = _Cache()
        self._codes = _Cache()
        self._money = _Cache()

    def validate(self, row):
        # Called for every row of files of a million rows: plain loops and local names.
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
                _("办结日期(%(closed)s)早于投诉日期(%(complained)s)")
                % {"closed": chinese_date(closed_on), "complained": chinese_date(complained_on)}
            )
        if disclosed_on and display_until and display_until < disclosed_on:
            reasons.append(
                _("公示截止日期(%(until)s)早于公示日期(%(disclosed)s)")
                % {"until": chinese_date(display_until), "disclosed": chinese_date(disclosed_on)}
            )
        if reasons:
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
        code = text(raw)
        if not code:
            reasons.append(_("行政区划代码为空"))
            return None
        if code not in self.refs.regions:
            if regions.CODE_RE.match(code) and regions.level_of(code) == regions.PROVINCE:
                reasons.append(
                    _("行政区划代码“%(code)s”是省级区划,请填写到地市或区县") % {"code": code}
                )
            else:
                reasons.append(
                    _("行政区划代码“%(code)s”不存在,请填写已有的地市或区县代码") % {"code": code}
                )
            return None
        return code

    def _reference(self, raw, field, names, reasons):
        pk = names.get(raw)
        if pk is not None:
            return pk
        value = text(raw)
        label = COLUMNS[field].label
        if not value:
            reasons.append(_("%(label)s为空") % {"label": label})
            return None
        pk = names.get(value)
        if pk is None:
            reasons.append(
                _("%(label)s“%(value)s”不存在,可填:%(known)s。新名称请先在后台添加")
                % {"label": label, "value": value, "known": known_names(names)}
            )
        return pk

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
                _("%(label)s“%(value)s”无法识别,请写成2026-01-05、2026/1/5或2026年1月5日")
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
            return _("%(label)s“%(value)s”应为金额数字,如1299.50") % {
                "label": label,
                "value": value,
            }
        try:
            amount = Decimal(match.group(1).replace(",", "").replace(",", ""))
        except InvalidOperation:
            return _("%(label)s“%(value)s”应为金额数字,如1299.50") % {
                "label": label,
                "value": value,
            }
        if amount != amount.quantize(Decimal("0.01")):
            return _("%(label)s“%(value)s”最多保留两位小数") % {"label": label, "value": value}
        if amount > MAX_AMOUNT:
            return _("%(label)s“%(value)s”超出范围") % {"label": label, "value": value}
        return amount.quantize(Decimal("0.01"))
