"""The red/black list's admin pages: 起草红黑榜 (run ``draft`` for a period), a black list's
notices (上榜告知: who was told, who has no registered contact, send), and the objection queue
(红黑榜异议) with its detail page, decisions and the evidence from private storage."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from common.private_files import private_file_path, private_file_response
from disclosures.models import Disclosure

from . import notices, objections, publication, roles
from .drafting import draft, list_index_page
from .models import EntryObjection, EntryObjectionEvidence, ListNotice, ListPage
from .period import PeriodError, Quarter


class DraftForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("季度"), max_length=20, help_text=gettext_lazy("如 2026-Q3")
    )

    def clean_period(self):
        try:
            return Quarter.parse(self.cleaned_data["period"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None


def may_draft(user):
    index = list_index_page_or_none()
    if index is None:
        return user.is_active and user.has_perm("wagtailcore.add_page")
    # Drafting adds and edits pages under /lists/ (ListPage is not creatable by hand, so
    # "may add a subpage" would always say no).
    return index.permissions_for_user(user).can_edit()


def list_index_page_or_none():
    from .models import ListIndexPage

    return ListIndexPage.objects.first()


def draft_view(request):
    if not may_draft(request.user):
        raise PermissionDenied
    form = DraftForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        list_index_page()
        results = [
            (page, created, reverse("wagtailadmin_pages:edit", args=[page.pk]))
            for page, created in draft(form.cleaned_data["period"])
        ]
        if not results:
            messages.warning(request, _("没有启用的红黑榜规则，未生成榜单。"))
    return TemplateResponse(request, "lists/admin/draft.html", {"form": form, "results": results})


def _notice_rows(page):
    notices_by_entry = {n.entry_id: n for n in ListNotice.objects.filter(entry__page=page)}
    rows = []
    for entry in page.entries.all():
        notice = notices_by_entry.get(entry.pk)
        if notice is None:
            state = _("未告知")
        elif notice.sent_at is None:
            state = _("无登记联系方式，无法告知")
        else:
            state = _("已告知，异议期至%(day)s") % {"day": notices.day_of(notice)}
        rows.append((entry, state))
    return rows


def notices_view(request, page_id):
    if not roles.may_send_notices(request.user):
        raise PermissionDenied
    page = get_object_or_404(ListPage, pk=page_id)
    if request.method == "POST":
        result = notices.send_notices(page)
        messages.success(
            request,
            _(
                "已发送%(sent)d条告知；%(no_contact)d家无登记联系方式，无法告知；"
                "%(already)d家此前已告知；%(failed)d条发送失败。"
            )
            % vars(result),
        )
        return redirect("lists_admin:notices", page_id=page.pk)
    rows = _notice_rows(page)
    context = {
        "page": page,
        "rows": rows,
        "no_contact": sum(1 for _entry, state in rows if state == _("无登记联系方式，无法告知")),
        "blockers": publication.blockers(page),
    }
    return TemplateResponse(request, "lists/admin/notices.html", context)


def queue_view(request):
    if not roles.may_view_objections(request.user):
        raise PermissionDenied
    pending = EntryObjection.objects.filter(state=EntryObjection.State.PENDING).select_related(
        "page"
    )
    decided = (
        EntryObjection.objects.exclude(state=EntryObjection.State.PENDING)
        .select_related("page")
        .order_by("-decided_at")[:50]
    )
    return TemplateResponse(
        request, "lists/admin/queue.html", {"pending": pending, "decided": decided}
    )


def detail_view(request, pk):
    if not roles.may_view_objections(request.user):
        raise PermissionDenied
    objection = get_object_or_404(EntryObjection.objects.select_related("page", "entry"), pk=pk)
    entry = objection.entry
    records = (
        list(Disclosure.objects.filter(pk__in=entry.record_ids).select_related("result"))
        if entry
        else []
    )
    if request.method == "POST":
        if not roles.may_decide(request.user):
            raise PermissionDenied
        action = request.POST.get("action")
        reason = request.POST.get("reason", "")
        try:
            if action == "drop":
                objections.uphold_drop(objection, request.user, reason)
            elif action == "records":
                chosen = {int(v) for v in request.POST.getlist("records") if v.isdigit()}
                objections.uphold_remove_records(
                    objection, request.user, [r for r in records if r.pk in chosen], reason
                )
            elif action == "reject":
                objections.reject(objection, request.user, reason)
            else:
                raise objections.DecisionError(_("请选择处理方式。"))
        except objections.DecisionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已处理。"))
        return redirect("lists_admin:objection", pk=objection.pk)
    context = {
        "objection": objection,
        "entry": entry,
        "records": records,
        "evidence": objection.evidence.all(),
        "changes": objection.changes.all(),
        "may_decide": roles.may_decide(request.user),
    }
    return TemplateResponse(request, "lists/admin/detail.html", context)


@require_GET
def evidence_view(request, pk, file_id):
    """One evidence file from private storage, to staff who may read objections."""
    if not roles.may_view_objections(request.user):
        raise PermissionDenied
    item = get_object_or_404(EntryObjectionEvidence, pk=file_id, objection_id=pk)
    return private_file_response(private_file_path(item.file), item.content_type)
