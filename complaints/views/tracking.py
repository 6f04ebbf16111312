"""/complaints/track/: the complainant looks up a complaint by its tracking number and the last
four digits of the phone.

The lookup is a POST (with its CSRF token): the last four digits stay out of the address, so
out of server logs, proxies and the browser's history. The answer is the same for an unknown
number and a wrong last four digits, and each client has a few lookups per window
(``common.rate_limit``) so the 10,000 possible endings cannot be tried one by one.
"""

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.rate_limit import count_request

from .. import tracking

# Lookups per client per window: enough for a consumer's typos, far too few to guess.
RATE_LIMIT = 10
RATE_WINDOW = 600
RATE_SCOPE = "complaints:track"


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label=gettext_lazy("投诉编号"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("请填写投诉编号。")},
    )
    phone_last4 = forms.CharField(
        label=gettext_lazy("手机号后四位"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9０-９ ]*"}
        ),
        error_messages={"required": gettext_lazy("请填写手机号后四位。")},
    )

    def clean_phone_last4(self):
        last4 = tracking.normalize_last4(self.cleaned_data["phone_last4"])
        if not (len(last4) == 4 and last4.isascii() and last4.isdigit()):
            raise forms.ValidationError(_("请填写投诉时所留手机号的最后4位数字。"))
        return last4


def too_many_lookups(request):
    """Seconds to wait when this client has used up its lookups, else 0."""
    count, retry = count_request(request, RATE_SCOPE, RATE_WINDOW)
    return retry if count > RATE_LIMIT else 0


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    context = {"form": TrackForm(), "view": None, "error": ""}
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        context["form"] = form
        if retry := too_many_lookups(request):
            minutes = max(1, (retry + 59) // 60)
            context["error"] = _("查询过于频繁，请%(minutes)d分钟后再试。") % {"minutes": minutes}
            status = 429
        elif form.is_valid():
            complaint = tracking.find(
                form.cleaned_data["tracking_number"], form.cleaned_data["phone_last4"]
            )
            if complaint is None:
                # One message for both: it must not tell whether the number exists.
                context["error"] = _(
                    "未查到投诉。请核对投诉编号和手机号后四位；如仍有疑问，请拨打12315。"
                )
            else:
                context["view"] = tracking.public_view(complaint)
                # A fresh form: the result page keeps no last four digits in its fields.
                context["form"] = TrackForm()
    response = render(request, "complaints/tracking/track.html", context, status=status)
    # Not "no-referrer": with it browsers post the form with Origin: null, refused as CSRF.
    response["Referrer-Policy"] = "same-origin"
    return response


urlpatterns = [path("complaints/track/", track, name="complaints_track")]
