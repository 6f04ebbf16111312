"""The merchant's public pages: /objections/<number>/ (enter the credit code: the SMS link goes
to the registered contact, or an unregistered merchant is sent to the licence form),
/objections/licence/<number>/ (the licence form with the objection or the reply) and
/objections/link/<token>/ (the signed link's page: an objection and a reply)."""

from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.rate_limit import count_request
from complaints import sms
from disclosures.models import Disclosure

from . import filing, links
from .forms import CreditCodeForm, KindForm, LicenceForm, ObjectionForm, ReplyForm
from .models import MerchantReply

# A client may ask for 5 links an hour; a record's contact gets at most 3 texts a day, however
# many clients ask (nobody can flood the merchant's phone through the portal).
LINK_RATE = (5, 3600)
RECORD_TEXTS = (3, 86400)
LICENCE_RATE = (10, 3600)


def _record(number):
    return get_object_or_404(
        Disclosure.objects.public().select_related("category", "problem_type", "result", "region"),
        complaint_number=number,
    )


def _page(request, template, context, status=200):
    response = render(request, f"objections/{template}", context, status=status)
    # The link's token is the merchant's key: no referrer carries it away (same-origin, not
    # no-referrer, which makes browsers post with Origin: null and the CSRF check refuse).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _record_texted_too_often(disclosure):
    limit, window = RECORD_TEXTS
    key = f"objections:texts:{disclosure.pk}"
    cache.add(key, 0, window)
    try:
        return cache.incr(key) > limit
    except ValueError:
        cache.set(key, 1, window)
        return False


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def start(request, number):
    disclosure = _record(number)
    form = CreditCodeForm(request.POST or None, disclosure=disclosure)
    error = ""
    if request.method == "POST" and form.is_valid():
        merchant = links.contact_of(disclosure)
        if merchant is None:
            query = urlencode({"code": form.cleaned_data["credit_code"]})
            return redirect(reverse("objections:licence", args=[number]) + "?" + query)
        count, _retry = count_request(request, "objections.link", LINK_RATE[1])
        if count > LINK_RATE[0] or _record_texted_too_often(disclosure):
            error = _("获取链接过于频繁，请稍后再试。")
        else:
            try:
                masked = links.send_link(merchant, disclosure)
            except sms.SmsError as failure:
                error = str(failure)
            else:
                context = {"disclosure": disclosure, "masked_phone": masked}
                return _page(request, "sent.html", context)
    context = {"disclosure": disclosure, "form": form, "error": error}
    return _page(request, "start.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def licence(request, number):
    """An unregistered merchant (or one without a registered phone) files with its licence."""
    disclosure = _record(number)
    if links.contact_of(disclosure) is not None:
        # A registered merchant is identified by its link, never by a photo anyone could send.
        return redirect("objections:start", number)
    posted = request.method == "POST"
    data, uploads = (request.POST, request.FILES) if posted else (None, None)
    code_form = CreditCodeForm(
        data, disclosure=disclosure, initial={"credit_code": request.GET.get("code", "")}
    )
    licence_form = LicenceForm(data, uploads)
    kind_form = KindForm(data, initial={"kind": request.GET.get("kind", "objection")})
    kind = request.POST.get("kind") if posted else None
    objection_form = ObjectionForm(data if kind == "objection" else None, uploads)
    reply_form = ReplyForm(data if kind == "reply" else None)
    error = ""
    if posted:
        chosen = objection_form if kind == "objection" else reply_form
        valid = [form.is_valid() for form in (code_form, licence_form, kind_form, chosen)]
        count, _retry = count_request(request, "objections.licence", LICENCE_RATE[1])
        if count > LICENCE_RATE[0]:
            error = _("提交过于频繁，请稍后再试。")
        elif all(valid):
            error = _file(disclosure, code_form, licence_form, kind, chosen)
            if not error:
                return _page(
                    request,
                    "done.html",
                    {"disclosure": disclosure, "kind": kind, "verified": False, **_done(chosen)},
                )
    context = {
        "disclosure": disclosure,
        "code_form": code_form,
        "licence_form": licence_form,
        "kind_form": kind_form,
        "objection_form": objection_form,
        "reply_form": reply_form,
        "error": error,
    }
    return _page(request, "licence.html", context)


def _file(disclosure, code_form, licence_form, kind, form):
    """File the licence form's objection or reply; an error message, or "" when filed."""
    # Checked before the licence photo is stored, so a refused filing leaves no file behind.
    if kind == "objection" and filing.pending_objection(disclosure) is not None:
        return _("本条公示已有一项异议正在处理，请等待处理结果后再提出。")
    if kind == "reply" and filing.pending_reply(disclosure) is not None:
        return _("本条公示已有一条回应正在审核，请等待审核结果后再提交。")
    identity = filing.identity_from_licence(
        code_form.cleaned_data["credit_code"],
        licence_form.cleaned_data["licence"],
        licence_form.cleaned_data["submitter_name"],
        licence_form.cleaned_data["submitter_phone"],
    )
    try:
        if kind == "objection":
            filing.file_objection(
                disclosure, identity, form.cleaned_data["reasons"], form.cleaned_data["evidence"]
            )
        else:
            filing.file_reply(
                disclosure, identity, form.cleaned_data["statement"], form.cleaned_data["text"]
            )
    except filing.FilingError as refused:
        return str(refused)
    return ""


def _done(form):
    if isinstance(form, ReplyForm):
        return {
            "statement": MerchantReply.Statement(form.cleaned_data["statement"]).label,
            "published_text": filing.scrubbed_reply(form.cleaned_data["text"]),
        }
    return {}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def link(request, token):
    try:
        opened = links.read_token(token)
    except links.ExpiredLink as expired:
        return _page(request, "expired.html", {"message": str(expired)}, status=410)
    except links.LinkError as refused:
        return _page(request, "invalid.html", {"message": str(refused)}, status=404)
    disclosure = opened.disclosure
    which = request.POST.get("form") if request.method == "POST" else None
    objection_form = ObjectionForm(
        request.POST if which == "objection" else None,
        request.FILES if which == "objection" else None,
    )
    reply_form = ReplyForm(request.POST if which == "reply" else None)
    error, preview = "", None
    identity = filing.identity_from_link(opened)
    try:
        if which == "objection" and objection_form.is_valid():
            data = objection_form.cleaned_data
            filing.file_objection(disclosure, identity, data["reasons"], data["evidence"])
            context = {"disclosure": disclosure, "kind": "objection", "verified": True}
            return _page(request, "done.html", context)
        if which == "reply" and reply_form.is_valid():
            preview = _done(reply_form)
            if "preview" not in request.POST:
                data = reply_form.cleaned_data
                filing.file_reply(disclosure, identity, data["statement"], data["text"])
                context = {"disclosure": disclosure, "kind": "reply", "verified": True}
                return _page(request, "done.html", {**context, **_done(reply_form)})
    except filing.FilingError as refused:
        error = str(refused)
    context = {
        "disclosure": disclosure,
        "objection_form": objection_form,
        "reply_form": reply_form,
        "error": error,
        "which": which,
        "preview": preview,
        "pending_objection": filing.pending_objection(disclosure),
        "replies": disclosure.replies.all(),
        "expires_at": opened.expires_at,
    }
    return _page(request, "link.html", context)
