"""The publication guard of a black list: not published, nor approved in the workflow, while a
merchant may still object or an objection waits for a decision.

A black list may go when every entry whose merchant has a registered contact was notified
(``lists.notices``), every objection window is over and every objection is decided. A list
with no notifiable entry (none registered with a contact) may go at once; a red list is not
guarded. ``blockers`` gives the reasons in Chinese; the page editor shows them and refuses
发布 and 审核通过 (``lists.wagtail_hooks``), and ``refuse_blocked_approval`` refuses an approval
made anywhere else in the admin (the workflow's own approval dialog).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, TaskState

from .models import EntryObjection, ListNotice, ListPage, ListRule
from .notices import day_of, registered_merchants


def blockers(page, now=None):
    """[message] of what keeps ``page`` from publication; empty when it may go."""
    page = page.specific if not isinstance(page, ListPage) else page
    if page.kind != ListRule.Kind.BLACK:
        return []
    now = now or timezone.now()
    reasons = []
    entries = list(page.entries.all())
    sent = set(
        ListNotice.objects.filter(entry__page=page, sent_at__isnull=False).values_list(
            "entry_id", flat=True
        )
    )
    merchants = registered_merchants(
        {entry.credit_code for entry in entries if entry.pk not in sent}
    )
    unsent = [
        entry
        for entry in entries
        if entry.pk not in sent
        and entry.credit_code in merchants
        and (merchants[entry.credit_code].contact_phone or "").strip()
    ]
    if unsent:
        reasons.append(
            _("尚有%(count)d家已登记联系方式的经营者未收到上榜告知，请先发送告知。")
            % {"count": len(unsent)}
        )
    latest = ListNotice.objects.filter(entry__page=page, sent_at__isnull=False).aggregate(
        end=Max("objection_until")
    )["end"]
    if latest is not None and latest > now:
        reasons.append(
            _("异议期尚未结束（至%(day)s），异议期内不能发布。")
            % {"day": day_of(ListNotice(objection_until=latest))}
        )
    pending = EntryObjection.objects.filter(page=page, state=EntryObjection.State.PENDING).count()
    if pending:
        reasons.append(_("尚有%(count)d件异议未处理，处理完毕后才能发布。") % {"count": pending})
    return reasons


class PublicationBlocked(PermissionDenied):
    """An approval refused because the black list may not go yet (the reasons, in Chinese)."""


def refuse_blocked_approval(sender, instance, **kwargs):
    """pre_save of a workflow ``TaskState``: an approval of a blocked black list is refused
    before anything is published, whichever admin view approves (the editor's own action menu
    shows the reasons first, ``lists.wagtail_hooks``); the approval's transaction rolls back."""
    if instance.status != TaskState.STATUS_APPROVED or instance.pk is None:
        return
    if not TaskState.objects.filter(pk=instance.pk, status=TaskState.STATUS_IN_PROGRESS).exists():
        return
    page = instance.workflow_state.content_object
    if not isinstance(page, Page):
        return
    page = page.specific
    if isinstance(page, ListPage):
        reasons = blockers(page)
        if reasons:
            raise PublicationBlocked(_("该黑榜暂不能发布：") + "".join(reasons))
