"""The objections desk (异议与回应) in the Wagtail admin: the queues, one objection or reply,
the decisions (``objections.decisions``) and the private files.

编辑 reads the queues and the submissions (``roles.may_view``); 审核 decides and is the only one
shown the submitter's name and phone and served the licence photo and evidence files, from
PRIVATE_MEDIA_ROOT, which no URL serves otherwise.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.private_files import private_file_path, private_file_response

from .. import decisions
from ..models import MerchantReply, RecordObjection
from ..roles import may_decide, may_view
from .forms import CorrectionForm, ReasonForm, WithdrawForm


def _tabs():
    pending_objections = RecordObjection.objects.filter(state=RecordObjection.State.PENDING)
    pending_replies = MerchantReply.objects.filter(state=MerchantReply.State.PENDING)
    return {
        "objections": (_("待处理异议"), pending_objections, None),
        "replies": (_("待审核回应"), None, pending_replies.filter(identity_verified=True)),
        "licences": (
            _("待核验营业执照"),
            pending_objections.filter(identity_verified=False),
            pending_replies.filter(identity_verified=False),
        ),
    }


def _require(check, user):
    if not check(user):
        raise PermissionDenied


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_GET
def index(request):
    _require(may_view, request.user)
    tabs = _tabs()
    tab = request.GET.get("tab", "objections")
    if tab not in tabs:
        tab = "objections"
    _label, objections, replies = tabs[tab]
    related = ("disclosure",)
    context = {
        "tabs": [
            (name, label, (o.count() if o is not None else 0) + (r.count() if r is not None else 0))
            for name, (label, o, r) in tabs.items()
        ],
        "tab": tab,
        "objections": objections.select_related(*related)[:200] if objections is not None else [],
        "replies": replies.select_related(*related)[:200] if replies is not None else [],
    }
    return _private(TemplateResponse(request, "objections/desk/index.html", context))


def _detail(request, submission, kind, **forms):
    user = request.user
    context = {
        "kind": kind,
        "submission": submission,
        "disclosure": submission.disclosure,
        "may_decide": may_decide(user),
        "log": submission.log.select_related("user"),
        **forms,
    }
    template = f"objections/desk/{kind}.html"
    return _private(TemplateResponse(request, template, context))


@require_GET
def objection_detail(request, pk):
    _require(may_view, request.user)
    objection = get_object_or_404(
        RecordObjection.objects.select_related("disclosure__result", "merchant", "decided_by"),
        pk=pk,
    )
    return _detail(
        request,
        objection,
        "objection",
        evidence=list(objection.evidence.all()),
        corrections=objection.disclosure.corrections.all(),
        correction_form=CorrectionForm(disclosure=objection.disclosure),
        reason_form=ReasonForm(),
        withdraw_form=WithdrawForm(),
    )


@require_GET
def reply_detail(request, pk):
    _require(may_view, request.user)
    reply = get_object_or_404(
        MerchantReply.objects.select_related("disclosure", "merchant", "reviewed_by"), pk=pk
    )
    return _detail(request, reply, "reply", reason_form=ReasonForm())


def _errors(form):
    return "".join(str(error) for errors in form.errors.values() for error in errors)


@require_POST
def objection_act(request, pk, action):
    _require(may_decide, request.user)
    objection = get_object_or_404(RecordObjection.objects.select_related("disclosure"), pk=pk)
    url = reverse("objections_desk:objection", args=[pk])
    forms = {
        "verify": WithdrawForm,
        "withdraw": WithdrawForm,
        "reject": ReasonForm,
    }
    if action == "correct":
        form = CorrectionForm(request.POST, disclosure=objection.disclosure)
    elif action in forms:
        form = forms[action](request.POST)
    else:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("未能处理：%(errors)s") % {"errors": _errors(form)})
        return redirect(url)
    reason = form.cleaned_data.get("reason", "")
    try:
        if action == "verify":
            decisions.verify_identity(objection, request.user, reason)
            messages.success(request, _("已核验经营者身份。"))
        elif action == "withdraw":
            decisions.uphold_withdraw(objection, request.user, reason)
            messages.success(request, _("异议成立，公示已撤回。"))
        elif action == "correct":
            decisions.uphold_correct(objection, request.user, form.changes(), reason)
            messages.success(request, _("异议成立，公示已更正。"))
        else:
            decisions.reject(objection, request.user, reason)
            messages.success(request, _("已作出异议不成立的决定。"))
    except decisions.DecisionError as refused:
        messages.error(request, str(refused))
    return redirect(url)


@require_POST
def reply_act(request, pk, action):
    _require(may_decide, request.user)
    reply = get_object_or_404(MerchantReply, pk=pk)
    url = reverse("objections_desk:reply", args=[pk])
    if action not in ("verify", "approve", "reject"):
        raise Http404
    form = ReasonForm(request.POST) if action == "reject" else WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未能处理：%(errors)s") % {"errors": _errors(form)})
        return redirect(url)
    try:
        if action == "verify":
            decisions.verify_identity(reply, request.user, form.cleaned_data["reason"])
            messages.success(request, _("已核验经营者身份。"))
        elif action == "approve":
            decisions.approve_reply(reply, request.user)
            messages.success(request, _("回应已发布。"))
        else:
            decisions.reject_reply(reply, request.user, form.cleaned_data["reason"])
            messages.success(request, _("回应未通过审核。"))
    except decisions.DecisionError as refused:
        messages.error(request, str(refused))
    return redirect(url)


def _serve(relative, content_type=None):
    return private_file_response(private_file_path(relative), content_type)


@require_GET
def objection_licence(request, pk):
    _require(may_decide, request.user)
    return _serve(get_object_or_404(RecordObjection, pk=pk).licence_photo)


@require_GET
def reply_licence(request, pk):
    _require(may_decide, request.user)
    return _serve(get_object_or_404(MerchantReply, pk=pk).licence_photo)


@require_GET
def evidence(request, pk, evidence_id):
    _require(may_decide, request.user)
    objection = get_object_or_404(RecordObjection, pk=pk)
    item = get_object_or_404(objection.evidence, pk=evidence_id)
    return _serve(item.file, item.content_type)
