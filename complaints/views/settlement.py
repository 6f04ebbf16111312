"""/complaints/settle/<token>/: the merchant's first-settlement page, opened from the SMS link
(``complaints.settlement`` explains how the merchant is identified and what it sees).

Accept the demand, propose a settlement, or decline with a reason: one answer, once, before
the settlement deadline. An altered link is refused, an expired one says so, and a link used
again after the answer shows the answer already given.
"""

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import settlement, tracking
from ..models import Complaint
from ..states import State
from ..workflow import TransitionError

Answer = Complaint.SettlementAnswer


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("您的答复"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择一项答复。"),
            "invalid_choice": gettext_lazy("请选择一项答复。"),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("和解方案或不同意的理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("同意诉求时可不填；提出和解方案或不同意和解时必填。"),
    )

    def clean(self):
        data = super().clean()
        choice, text = data.get("answer"), (data.get("text") or "").strip()
        if choice == Answer.PROPOSE and not text:
            self.add_error("text", _("请写明您提出的和解方案。"))
        elif choice == Answer.DECLINE and not text:
            self.add_error("text", _("请写明不同意和解的理由。"))
        data["text"] = text
        return data


def _page(request, template, context, status=200):
    response = render(request, f"complaints/settlement/{template}", context, status=status)
    # The token is the merchant's key: no referrer carries it to another site. Not
    # "no-referrer": with it browsers send the answer's POST with Origin: null, which the CSRF
    # check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _answered(request, complaint):
    return _page(request, "answered.html", {"complaint": complaint, "view": _answer_of(complaint)})


def _answer_of(complaint):
    return {
        "answer_display": complaint.get_settlement_answer_display(),
        "text": complaint.settlement_text,
        "answered_display": tracking.format_time(complaint.settlement_answered_at),
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def settle(request, token):
    try:
        link = settlement.read_token(token)
    except settlement.ExpiredLink as expired:
        complaint = expired.complaint
        context = {
            "complaint": complaint,
            "view": _answer_of(complaint) if complaint.settlement_answer else None,
        }
        return _page(request, "expired.html", context, status=410)
    except settlement.LinkError as refused:
        return _page(request, "invalid.html", {"message": str(refused)}, status=404)

    complaint = link.complaint
    if complaint.settlement_answer:
        return _answered(request, complaint)
    if complaint.state != State.SETTLEMENT:
        return _page(request, "closed.html", {"complaint": complaint}, status=410)

    form = AnswerForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            complaint = settlement.answer(
                complaint, form.cleaned_data["answer"], form.cleaned_data["text"]
            )
        except settlement.AlreadyAnswered:
            complaint.refresh_from_db()
            return _answered(request, complaint)
        except TransitionError:
            return _page(request, "closed.html", {"complaint": complaint}, status=410)
        return _page(
            request,
            "answered.html",
            {"complaint": complaint, "view": _answer_of(complaint), "just_answered": True},
        )
    context = {
        "complaint": complaint,
        "form": form,
        "error": error,
        "expires_display": tracking.format_time(link.expires_at),
        "complainant": settlement.complainant_shown(complaint),
    }
    return _page(request, "answer.html", context)


urlpatterns = [path("complaints/settle/<str:token>/", settle, name="complaints_settle")]
