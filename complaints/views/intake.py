"""The intake pages: ``/m/<code>/complain/`` (the scan page's merchant, locked) and
``/complain/`` (the merchant found by name or credit code, or typed with its county), and the
confirmation after the POST-redirect-GET.

Everything works without JavaScript: 查找商家 and 发送验证码 are submit buttons that post the
form and show it again with what was typed. The confirmation is shown only to the browser that
made the complaint (its number is kept in the session), and never names the complainant.
"""

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.rate_limit import client_key
from merchants import codes
from merchants.models import MerchantCode

from .. import intake
from ..forms import ComplaintForm, SendCodeForm
from ..models import Complaint, HandlingPolicy

SESSION_KEY = "complaints_made"
# The confirmations one browser can open again: a family's phone may complain more than once.
SESSION_KEEP = 20


def _flat(data):
    return {key: data.get(key) for key in data}


def _verification():
    # Imported when asked for: the SMS modules are needed only where verification is on.
    from .. import verification

    return verification


def _intake(request, *, merchant=None, notice="", code=None):
    verification_on = settings.COMPLAINT_PHONE_VERIFICATION
    options = {"locked_merchant": merchant, "verification": verification_on}
    context = {"merchant": merchant, "notice": notice, "code": code, "code_sent": False}
    if request.method != "POST":
        return _render(request, ComplaintForm(**options), context)

    action = request.POST.get("action", "submit")
    chosen_photos = len([f for f in request.FILES.getlist("photos") if f])
    if action in ("find", "send_code"):
        # Not a submission: show the form again as typed, without judging unfilled fields.
        form = ComplaintForm(initial=_flat(request.POST), **options)
        context["photos_dropped"] = chosen_photos
        if action == "find" and merchant is None:
            form.find_candidates()
            context["searched"] = True
        elif action == "send_code" and verification_on:
            _send_code(request, context)
        return _render(request, form, context)

    form = ComplaintForm(request.POST, request.FILES, **options)
    if form.is_valid() and verification_on:
        code = form.cleaned_data["sms_code"].strip()
        if not code:
            form.add_error("sms_code", _("请先点“发送验证码”，再填写短信里的验证码。"))
        elif not _verification().check(form.cleaned_data["phone"], code):
            form.add_error("sms_code", _("验证码不正确或已过期，请重新获取。"))
    if form.is_valid():
        try:
            outcome = intake.submit(
                _submission(form.cleaned_data, phone_verified=verification_on),
                channel=Complaint.Channel.WEB,
                client_key=client_key(request),
                honeypot=bool((form.cleaned_data.get("homepage") or "").strip()),
            )
        except intake.IntakeError as error:
            form.add_error(None, str(error))
        else:
            _remember(request, outcome.complaint.tracking_number)
            return redirect("complaint_made")
    if not form.locked_merchant and form.data.get("merchant_text"):
        form.find_candidates()
    context["photos_dropped"] = chosen_photos
    return _render(request, form, context, status=400)


def _send_code(request, context):
    send_form = SendCodeForm(request.POST)
    if not send_form.is_valid():
        context["phone_error"] = send_form.errors["phone"][0]
        return
    verification = _verification()
    phone = send_form.cleaned_data["phone"]
    try:
        verification.send_code(phone)
    except verification.VerificationError as error:
        context["phone_error"] = str(error)
        return
    context["code_sent"] = True
    context["code_sent_to"] = phone[-4:]


def _submission(data, phone_verified):
    merchant = data["merchant_obj"]
    return intake.Submission(
        region=data["merchant_region"],
        merchant=merchant,
        merchant_name=merchant.registered_name if merchant else data["merchant_text"].strip(),
        merchant_address=merchant.address if merchant else data.get("merchant_address", ""),
        occurred_on=data["occurred_on"],
        content=data["content"],
        demand=data["demand"],
        amount=data["amount"],
        name=data["name"],
        phone=data["phone"],
        phone_verified=phone_verified,
        consent_contact=data["consent_contact"],
        consent_publish=data["consent_publish"],
        photos=data["photos"],
        submission_key=data["submission_key"],
    )


def _remember(request, number):
    made = [n for n in request.session.get(SESSION_KEY, []) if n != number]
    request.session[SESSION_KEY] = (made + [number])[-SESSION_KEEP:]


def _render(request, form, context, status=200):
    context.update(
        {
            "form": form,
            "verification": settings.COMPLAINT_PHONE_VERIFICATION,
            "action_url": request.path,
        }
    )
    return render(request, "complaints/intake/form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complain(request):
    return _intake(request)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complain_about(request, code):
    canonical = codes.normalize(code)
    if codes.looks_valid(canonical) and canonical != code:
        return HttpResponsePermanentRedirect(
            reverse("complaint_new_for_merchant", args=[canonical])
        )
    merchant_code = None
    if codes.looks_valid(canonical):
        merchant_code = (
            MerchantCode.objects.filter(code=canonical)
            .select_related("merchant__region__parent")
            .first()
        )
    if merchant_code is None or merchant_code.merchant is None:
        notice = _("没有查到这个二维码对应的商家，请在下面填写商家名称和所在地区。")
        return _intake(request, notice=notice)
    if merchant_code.is_retired:
        # A retired code may be on a forged poster: name no merchant, ask the consumer.
        notice = _("这个二维码已停用，请在下面填写您要投诉的商家名称和所在地区。")
        return _intake(request, notice=notice)
    # Suspended and removed merchants are locked like any other: they can be complained about.
    return _intake(request, merchant=merchant_code.merchant, code=canonical)


@never_cache
@require_http_methods(["GET", "HEAD"])
def complaint_made(request):
    # The number is not in the address: it stays out of access logs, history and referrers.
    made = request.session.get(SESSION_KEY, [])
    if not made:
        raise Http404
    number = made[-1]
    complaint = (
        Complaint.objects.select_related("unit", "merged_into", "duplicate_of")
        .filter(tracking_number=number)
        .first()
    )
    if complaint is None:
        raise Http404
    context = {
        "complaint": complaint,
        "joined": complaint.merged_into or complaint.duplicate_of,
        "policy": HandlingPolicy.load(),
        "photo_count": complaint.photos.count(),
    }
    return render(request, "complaints/intake/made.html", context)


urlpatterns = [
    path("complain/", complain, name="complaint_new"),
    path("complain/made/", complaint_made, name="complaint_made"),
    path("m/<str:code>/complain/", complain_about, name="complaint_new_for_merchant"),
]
