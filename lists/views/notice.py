"""/list-notice/<token>/: a listed merchant's notice, opened from the SMS link
(``lists.notices`` explains the link): the list, the entry's figures with their denominators,
the records behind them, the end of the objection window, and the objection form.
"""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from disclosures.models import Disclosure

from .. import evidence, notices
from ..models import EntryObjection


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ObjectionForm(forms.Form):
    reasons = forms.CharField(
        label=gettext_lazy("异议理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("请写明异议理由。")},
    )
    disclosure = forms.TypedChoiceField(
        label=gettext_lazy("针对的投诉记录"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("不选则针对本次上榜整体。"),
    )
    files = MultipleFileField(
        label=gettext_lazy("证据材料"),
        required=False,
        help_text=gettext_lazy("可选，最多5个文件：照片（JPEG、PNG）或PDF。"),
    )

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disclosure"].choices = [("", _("本次上榜整体"))] + [
            (record.pk, record.complaint_number) for record in records
        ]


def _page(request, template, context, status=200):
    response = render(request, f"lists/notice/{template}", context, status=status)
    # The token is the merchant's key: no referrer carries it elsewhere (same-origin keeps the
    # form's POST acceptable to the CSRF check, as on the settlement page).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _records(entry):
    records = Disclosure.objects.filter(pk__in=entry.record_ids).select_related(
        "category", "result"
    )
    return sorted(records, key=lambda record: (record.complained_on, record.pk), reverse=True)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def notice(request, token):
    try:
        notice = notices.read_token(token)
    except notices.ExpiredLink as expired:
        return _page(
            request,
            "expired.html",
            {"notice": expired.notice, "day": notices.day_of(expired.notice)},
            status=410,
        )
    except notices.LinkError as refused:
        return _page(request, "invalid.html", {"message": str(refused)}, status=404)

    entry = notice.entry
    if notice.opened_at is None:
        notice.opened_at = timezone.now()
        notice.save(update_fields=["opened_at"])
    records = _records(entry)
    form = ObjectionForm(request.POST or None, request.FILES or None, records=records)
    error = ""
    filed = None
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["disclosure"]
        try:
            filed = notices.file_objection(
                notice,
                form.cleaned_data["reasons"],
                disclosure=next((r for r in records if r.pk == chosen), None),
                uploads=form.cleaned_data["files"],
            )
        except (notices.ObjectionRefused, evidence.EvidenceError) as refused:
            error = str(refused)
    context = {
        "notice": notice,
        "entry": entry,
        "list_page": entry.page,
        "records": records,
        "day": notices.day_of(notice),
        "form": form,
        "error": error,
        "filed": filed,
        "objections": EntryObjection.objects.filter(entry=entry),
        "pending": entry.objections.filter(state=EntryObjection.State.PENDING).exists(),
    }
    return _page(request, "notice.html", context)
