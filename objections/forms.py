"""The public forms: the credit code, the licence (an unregistered merchant's identity), an
objection and a reply."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import credit_code as credit_codes

from . import files
from .filing import MAX_REPLY_CHARS
from .models import MerchantReply

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class CreditCodeForm(forms.Form):
    credit_code = forms.CharField(
        label=gettext_lazy("统一社会信用代码"),
        max_length=30,
        error_messages={"required": gettext_lazy("请填写统一社会信用代码。")},
    )

    def __init__(self, *args, disclosure, **kwargs):
        super().__init__(*args, **kwargs)
        self.disclosure = disclosure

    def clean_credit_code(self):
        try:
            code = credit_codes.validate(self.cleaned_data["credit_code"])
        except credit_codes.CreditCodeError:
            raise forms.ValidationError(_("统一社会信用代码不正确，请核对营业执照。")) from None
        if self.disclosure.credit_code and code != self.disclosure.credit_code:
            raise forms.ValidationError(
                _(
                    "该统一社会信用代码与本条公示的被投诉经营者不一致，只有被投诉经营者可以提出异议或回应。"
                )
            )
        return code


class ObjectionForm(forms.Form):
    reasons = forms.CharField(
        label=gettext_lazy("异议理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("请写明公示内容哪里与事实不符，以及您了解的事实。"),
        error_messages={"required": gettext_lazy("请填写异议理由。")},
    )
    evidence = MultipleFileField(
        label=gettext_lazy("证明材料"),
        required=False,
        help_text=gettext_lazy(
            "最多5个，JPEG、PNG照片或PDF文件，照片每个不超过5MB，PDF不超过10MB。"
        ),
    )

    def clean_evidence(self):
        try:
            return files.prepare_all_evidence(self.cleaned_data.get("evidence") or [])
        except files.FileError as error:
            raise forms.ValidationError(str(error)) from None


class ReplyForm(forms.Form):
    statement = forms.ChoiceField(
        label=gettext_lazy("您的回应"),
        choices=MerchantReply.Statement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择一项回应。"),
            "invalid_choice": gettext_lazy("请选择一项回应。"),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("补充说明"),
        required=False,
        max_length=MAX_REPLY_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_REPLY_CHARS}),
        help_text=gettext_lazy(
            "不超过500字。发布前会隐去手机号、姓名等个人信息，并经市场监管部门审核。"
        ),
    )


class LicenceForm(forms.Form):
    """An unregistered merchant's identity: checked by staff before anything takes effect."""

    licence = forms.FileField(
        label=gettext_lazy("营业执照照片"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={"required": gettext_lazy("请上传营业执照照片。")},
    )
    submitter_name = forms.CharField(
        label=gettext_lazy("联系人姓名"),
        max_length=50,
        error_messages={"required": gettext_lazy("请填写联系人姓名。")},
    )
    submitter_phone = forms.CharField(
        label=gettext_lazy("联系人手机号"),
        max_length=20,
        help_text=gettext_lazy("仅用于市场监管部门与您联系，不会公开。"),
        error_messages={"required": gettext_lazy("请填写联系人手机号。")},
    )

    def clean_licence(self):
        try:
            return files.prepare_photo(self.cleaned_data["licence"])
        except files.FileError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_submitter_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data["submitter_phone"])
        if not MOBILE_RE.match(phone):
            raise forms.ValidationError(_("请填写11位手机号码。"))
        return phone


class KindForm(forms.Form):
    """On the licence page: an objection or a reply."""

    kind = forms.ChoiceField(
        label=gettext_lazy("您要办理"),
        choices=[("objection", gettext_lazy("提出异议")), ("reply", gettext_lazy("发布回应"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择提出异议或发布回应。"),
            "invalid_choice": gettext_lazy("请选择提出异议或发布回应。"),
        },
    )
