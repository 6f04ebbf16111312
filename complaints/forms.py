"""The intake form: few fields, checked one by one, each error in Chinese beside its field.

The consumer's words (what happened, what they ask for) are kept exactly as typed: nothing is
trimmed, rewritten or scrubbed here; scrubbing happens only when a record is disclosed.
"""

import datetime
import re
import secrets
import unicodedata
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import regions
from merchants.models import Merchant, Region

from . import photos
from .intake import MAX_AMOUNT, IntakeError, normalize_phone

# How far back a purchase may lie: complaints older than this are outside what a bureau takes.
MAX_AGE_YEARS = 3
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
CONTENT_MIN_CHARS = 10


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


def new_submission_key():
    return secrets.token_urlsafe(24)


def parse_amount(text):
    """Yuan as a Decimal from what people type: 1,280.00, １２８０, ￥1280元, 1280.5."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[\s,，¥￥]", "", text)
    text = re.sub(r"(元|人民币|RMB)$", "", text, flags=re.IGNORECASE)
    text = text.replace("。", ".")
    if not text:
        return None
    if not re.match(r"^\d+(\.\d{1,2})?$", text):
        raise forms.ValidationError(_("请填写金额数字，如1280或1,280.00。"))
    amount = Decimal(text)
    if amount > MAX_AMOUNT:
        raise forms.ValidationError(_("金额过大，请核对。"))
    return amount


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text):
    text = unicodedata.normalize("NFKC", text or "").strip()
    match = _DATE_RE.match(text)
    if not match:
        raise forms.ValidationError(_("请填写消费日期，如2026-03-05。"))
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise forms.ValidationError(_("没有这一天，请核对消费日期。")) from None


def county_choices():
    """Counties grouped by city, as a <select> with <optgroup>s: the ones a unit serves, or
    every county when no unit is set up yet (the submission then says whom to call)."""
    from .models import Unit

    units = Unit.objects.filter(is_active=True)
    served_counties = set(units.filter(level=Unit.Level.COUNTY).values_list("region", flat=True))
    served_cities = set(units.filter(level=Unit.Level.CITY).values_list("region", flat=True))
    counties = Region.objects.filter(level=regions.COUNTY).select_related("parent")
    if served_counties or served_cities:
        counties = [
            county
            for county in counties
            if county.code in served_counties or county.parent_id in served_cities
        ]
    groups = {}
    for county in counties:
        city = county.parent.name if county.parent else ""
        groups.setdefault(city, []).append((county.code, county.name))
    return [("", _("请选择县（区）"))] + [(city, options) for city, options in groups.items()]


class ComplaintForm(forms.Form):
    # The merchant, when it is not locked by the scan page's code.
    merchant_text = forms.CharField(
        label=_("被投诉商家"),
        required=False,
        max_length=200,
        help_text=_("填写店名、公司名称或统一社会信用代码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
    )
    merchant = forms.CharField(required=False)
    region = forms.ChoiceField(label=_("商家所在县（区）"), required=False)
    merchant_address = forms.CharField(
        label=_("商家地址（选填）"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    content = forms.CharField(
        label=_("发生了什么"),
        strip=False,
        error_messages={"required": _("请写明发生了什么。")},
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("买了什么、出了什么问题、和商家协商的经过"),
    )
    occurred_on = forms.CharField(
        label=_("消费日期"),
        error_messages={"required": _("请填写消费日期。")},
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
    )
    amount = forms.CharField(
        label=_("涉及金额（元，选填）"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    demand = forms.CharField(
        label=_("您的诉求"),
        strip=False,
        error_messages={"required": _("请写明您的诉求，如退货退款。")},
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：退货退款、更换、赔偿"),
    )
    name = forms.CharField(
        label=_("姓名"),
        error_messages={"required": _("请填写您的真实姓名。")},
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        error_messages={"required": _("请填写11位手机号码。")},
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("用于办理中联系您和查询进度，不会公开"),
    )
    sms_code = forms.CharField(
        label=_("短信验证码"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )
    consent_contact = forms.BooleanField(
        label=_("同意市场监管部门将我的投诉转给商家，由商家联系我先行和解"), required=False
    )
    consent_publish = forms.BooleanField(
        label=_("同意在去除我的个人信息后公示投诉处理结果"), required=False
    )
    photos = forms.Field(
        label=_("照片（选填）"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png", "multiple": True}),
        help_text=_("最多5张，JPEG或PNG格式，每张不超过5MB"),
    )
    # Filled only by programs that fill every field: marks the submission, never drops it.
    homepage = forms.CharField(label=_("请勿填写此项"), required=False)
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, locked_merchant=None, verification=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked_merchant = locked_merchant
        self.verification = verification
        self.candidates = []
        self.fields["region"].choices = county_choices() if locked_merchant is None else []
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = new_submission_key()
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    # --- the merchant ---------------------------------------------------------------------

    def find_candidates(self):
        """Registered merchants matching what was typed (suspended and removed ones too: a
        consumer may complain about them)."""
        source = self.data if self.is_bound else self.initial
        text = (source.get("merchant_text") or "").strip()
        if len(text) < 2:
            return []
        found = (
            Merchant.objects.publicly_listed()
            .matching(text)
            .select_related("region__parent")
            .order_by("registered_name")[:8]
        )
        self.candidates = list(found)
        return self.candidates

    def clean_merchant(self):
        value = self.cleaned_data.get("merchant") or ""
        if not value or self.locked_merchant is not None:
            return None
        merchant = (
            Merchant.objects.publicly_listed().filter(pk=value).select_related("region").first()
            if value.isdigit()
            else None
        )
        if merchant is None:
            raise forms.ValidationError(_("请重新选择商家。"))
        return merchant

    def clean_region(self):
        code = self.cleaned_data.get("region") or ""
        if not code:
            return None
        region = Region.objects.filter(code=code, level=regions.COUNTY).first()
        if region is None:
            raise forms.ValidationError(_("请选择商家所在的县（区）。"))
        return region

    def _exact_merchant(self, text):
        """A registered merchant named exactly (credit code, registered name or shop name)."""
        compact = unicodedata.normalize("NFKC", text).strip()
        listed = Merchant.objects.publicly_listed().select_related("region")
        by_code = listed.filter(credit_code=compact.upper()).first()
        if by_code:
            return by_code
        named = list(listed.filter(registered_name=compact)[:2]) or list(
            listed.filter(shop_name=compact)[:2]
        )
        return named[0] if len(named) == 1 else None

    # --- the rest -------------------------------------------------------------------------

    def clean_content(self):
        content = self.cleaned_data["content"]
        if len(content.strip()) < CONTENT_MIN_CHARS:
            raise forms.ValidationError(
                _("请把经过写清楚一些（至少%(count)d个字）。") % {"count": CONTENT_MIN_CHARS}
            )
        return content

    def clean_demand(self):
        demand = self.cleaned_data["demand"]
        if not demand.strip():
            raise forms.ValidationError(_("请写明您的诉求，如退货退款。"))
        return demand

    def clean_occurred_on(self):
        day = parse_date(self.cleaned_data["occurred_on"])
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("消费日期不能晚于今天。"))
        if day < today.replace(year=today.year - MAX_AGE_YEARS, day=min(today.day, 28)):
            raise forms.ValidationError(
                _("消费日期早于%(years)d年前，请拨打12315咨询。") % {"years": MAX_AGE_YEARS}
            )
        return day

    def clean_amount(self):
        return parse_amount(self.cleaned_data.get("amount"))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写您的真实姓名。"))
        return name

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except IntakeError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_photos(self):
        try:
            return photos.prepare_all(self.cleaned_data.get("photos") or [])
        except photos.PhotoError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_submission_key(self):
        key = self.cleaned_data.get("submission_key") or ""
        # A page without a key (an old tab, a hand-made post) still submits, only unguarded.
        return key if KEY_RE.match(key) else new_submission_key()

    def clean(self):
        cleaned = super().clean()
        if self.locked_merchant is not None:
            cleaned["merchant_obj"] = self.locked_merchant
            cleaned["merchant_region"] = self.locked_merchant.region
            return cleaned
        merchant = cleaned.get("merchant")
        text = (cleaned.get("merchant_text") or "").strip()
        if merchant is None and text and "merchant" not in self.errors:
            merchant = self._exact_merchant(text)
        if merchant is not None:
            cleaned["merchant_obj"] = merchant
            cleaned["merchant_region"] = merchant.region
            return cleaned
        if not text:
            self.add_error("merchant_text", _("请填写被投诉商家的名称。"))
        if cleaned.get("region") is None and "region" not in self.errors:
            self.add_error("region", _("请选择商家所在的县（区）。"))
        cleaned["merchant_obj"] = None
        cleaned["merchant_region"] = cleaned.get("region")
        return cleaned


class SendCodeForm(forms.Form):
    """Only the phone, for the 发送验证码 button: nothing else needs to be filled yet."""

    phone = forms.CharField(max_length=30)

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except IntakeError as error:
            raise forms.ValidationError(str(error)) from None
