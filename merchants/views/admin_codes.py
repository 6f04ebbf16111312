"""Retiring a compromised public code (a forged or misplaced poster) and issuing a new one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from ..models import Merchant

RETIRE_ACTION = "merchants.retire_code"


class RetireCodeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("停用原因"),
        max_length=200,
        help_text=gettext_lazy("会显示在旧二维码的扫码页上，例如：二维码被冒用于其他门店"),
        widget=forms.TextInput,
    )


def retire_code(request, merchant_id):
    if not request.user.has_perm("merchants.change_merchant"):
        raise PermissionDenied
    merchant = get_object_or_404(Merchant, pk=merchant_id)
    code = merchant.current_code
    edit_url = reverse("wagtailsnippets_merchants_merchant:edit", args=[merchant.pk])
    if code is None:
        messages.error(request, _("该商家没有可停用的公示码"))
        return redirect(edit_url)
    form = RetireCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            new_code = code.retire(form.cleaned_data["reason"])
            log(
                merchant,
                RETIRE_ACTION,
                user=request.user,
                data={
                    "old": code.code,
                    "new": new_code.code,
                    "reason": form.cleaned_data["reason"],
                },
            )
        messages.success(
            request,
            _("公示码 %(old)s 已停用，新公示码为 %(new)s，请为商家重新打印海报。")
            % {"old": code.code, "new": new_code.code},
        )
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "merchants/admin/retire_code.html",
        {"merchant": merchant, "code": code, "form": form, "edit_url": edit_url},
    )
