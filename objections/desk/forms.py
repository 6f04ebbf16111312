"""The desk's decision forms."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosures.models import HandlingResult
from disclosures.scrubbing import scrub


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请填写理由。")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("说明（可不填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionForm(forms.Form):
    """The fields an upheld objection corrects; a field left as it is stays unchanged."""

    result = forms.ModelChoiceField(
        label=gettext_lazy("处理结果"), queryset=HandlingResult.objects.all(), required=False
    )
    closed_on = forms.DateField(label=gettext_lazy("办结日期"), required=False)
    recovered_amount = forms.DecimalField(
        label=gettext_lazy("挽回经济损失（元）"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    summary = forms.CharField(
        label=gettext_lazy("投诉内容摘要"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    consumer_request = forms.CharField(
        label=gettext_lazy("消费者诉求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=gettext_lazy("说明（可不填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELDS = ("result", "closed_on", "recovered_amount", "summary", "consumer_request")

    def __init__(self, *args, disclosure, **kwargs):
        initial = {name: getattr(disclosure, name) for name in self.FIELDS}
        initial["result"] = disclosure.result_id
        super().__init__(*args, initial=initial, **kwargs)
        self.disclosure = disclosure

    def changes(self):
        """{field: new value} of the fields whose value differs from the record's."""
        data = self.cleaned_data
        changes = {}
        for name in self.FIELDS:
            value = data.get(name)
            if name == "result":
                if value is not None and value.pk != self.disclosure.result_id:
                    changes[name] = value
                continue
            if name in ("summary", "consumer_request"):
                value = (value or "").strip()
                if scrub(value).text == getattr(self.disclosure, name):
                    continue
            if name == "recovered_amount" and value is None:
                continue
            if value != getattr(self.disclosure, name):
                changes[name] = value
        return changes

    def clean_summary(self):
        value = (self.cleaned_data.get("summary") or "").strip()
        if not value:
            raise forms.ValidationError(_("投诉内容摘要不能为空。"))
        return value
