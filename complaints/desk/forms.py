"""One small form per handling action: what the clerk fills in, turned into ``perform``'s details.

Each form's ``details()`` returns the keyword arguments ``workflow.perform`` takes; the
workflow, not the form, decides whether the step is allowed.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Complaint, RefusalTemplate, Unit
from ..states import CLOSING_RESULTS, Action, FastResponseReason, Result, Satisfaction

NOTE = forms.CharField(
    label=_("办理说明（仅工作人员可见）"),
    required=False,
    max_length=2000,
    widget=forms.Textarea(attrs={"rows": 2}),
)


class ActionForm(forms.Form):
    """The common part: a staff note."""

    note = NOTE

    def __init__(self, *args, complaint, user, **kwargs):
        self.complaint = complaint
        self.user = user
        super().__init__(*args, **kwargs)

    def details(self):
        return {"note": self.cleaned_data.get("note", "")}


class ReasonForm(ActionForm):
    """不予受理 / 退回: a reason from the templates, or typed, that the complainant will read."""

    use = None  # RefusalTemplate.Use
    template = forms.ModelChoiceField(
        label=_("理由模板"), queryset=RefusalTemplate.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("理由（投诉人可见）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选了模板且此处留空时，使用模板的理由。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = RefusalTemplate.objects.filter(use=self.use)
        self.fields["template"].empty_label = _("（不用模板）")

    def clean(self):
        data = super().clean()
        reason = (data.get("reason") or "").strip()
        if not reason and data.get("template"):
            reason = data["template"].text
        if not reason:
            raise forms.ValidationError(_("请选择理由模板或填写理由，投诉人将看到这段说明。"))
        data["reason"] = reason
        return data

    def details(self):
        return {**super().details(), "reason": self.cleaned_data["reason"]}


class RefuseForm(ReasonForm):
    use = RefusalTemplate.Use.REFUSE


class ReturnForm(ReasonForm):
    use = RefusalTemplate.Use.RETURN


def reassign_units(complaint):
    """Where a returned complaint may go: the unit above the one that returned it, or another
    unit under that one."""
    returned_by = complaint.unit
    parent = returned_by.parent
    if parent is None:
        return Unit.objects.none()
    return Unit.objects.filter(Q(pk=parent.pk) | Q(parent=parent), is_active=True).exclude(
        pk=returned_by.pk
    )


class ReassignForm(ActionForm):
    unit = forms.ModelChoiceField(label=_("转办至"), queryset=Unit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = reassign_units(self.complaint)

    def details(self):
        return {**super().details(), "unit": self.cleaned_data["unit"]}


class MergeForm(ActionForm):
    target = forms.CharField(
        label=_("合并到（投诉编号）"), max_length=20, help_text=_("重复投诉并入的那件投诉")
    )

    def clean_target(self):
        number = self.cleaned_data["target"].strip().upper()
        target = Complaint.objects.visible_to(self.user).filter(tracking_number=number).first()
        if target is None:
            raise forms.ValidationError(_("没有找到编号为%(number)s的投诉。") % {"number": number})
        return target

    def details(self):
        return {**super().details(), "target": self.cleaned_data["target"]}


class AmountMixin(forms.Form):
    amount_recovered = forms.DecimalField(
        label=_("挽回经济损失（元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class SettleForm(AmountMixin, ActionForm):
    def details(self):
        return {
            **super().details(),
            "result": Result.SETTLED,
            "amount_recovered": self.cleaned_data["amount_recovered"],
        }


class CloseForm(AmountMixin, ActionForm):
    result = forms.ChoiceField(
        label=_("办结结果"),
        choices=[(r.value, r.label) for r in Result if r in CLOSING_RESULTS[Action.CLOSE]],
    )

    def details(self):
        return {
            **super().details(),
            "result": self.cleaned_data["result"],
            "amount_recovered": self.cleaned_data["amount_recovered"],
        }


class VisitForm(ActionForm):
    satisfaction = forms.ChoiceField(
        label=_("回访结果"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        help_text=_("不满意的，自动重新调解一次。"),
    )

    def details(self):
        return {**super().details(), "satisfaction": self.cleaned_data["satisfaction"]}


class MarkFastForm(ActionForm):
    fast_reason = forms.ChoiceField(
        label=_("快速响应情形"),
        choices=[(r.value, r.label) for r in FastResponseReason if r != FastResponseReason.PLEDGE],
    )

    def details(self):
        return {**super().details(), "fast_reason": self.cleaned_data["fast_reason"]}


class MerchantAnswerForm(ActionForm):
    answer = forms.ChoiceField(
        label=_("商家答复（电话等方式收到的）"), choices=Complaint.SettlementAnswer.choices
    )
    text = forms.CharField(
        label=_("答复内容"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )

    def details(self):
        return {
            **super().details(),
            "answer": self.cleaned_data["answer"],
            "text": self.cleaned_data["text"],
        }


class SplitForm(ActionForm):
    text = forms.CharField(
        label=_("拆分为举报的内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("删去投诉内容中不属于举报的部分，留下的文字成为一件新的举报事项。"),
    )


FORMS = {
    Action.REFUSE: RefuseForm,
    Action.RETURN: ReturnForm,
    Action.REASSIGN: ReassignForm,
    Action.MERGE: MergeForm,
    Action.SETTLE: SettleForm,
    Action.CLOSE: CloseForm,
    Action.VISIT: VisitForm,
    Action.MARK_FAST: MarkFastForm,
    Action.MERCHANT_ANSWER: MerchantAnswerForm,
    Action.SPLIT: SplitForm,
}


def form_for(action, complaint, user, data=None):
    form_class = FORMS.get(action, ActionForm)
    initial = {"text": complaint.content} if action == Action.SPLIT else None
    return form_class(data, complaint=complaint, user=user, initial=initial, prefix=action)
