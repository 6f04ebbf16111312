"""The notice of a black list's draft to each listed merchant, and its objection through it.

Before a black list is published, each entry whose merchant is registered (``merchants.Merchant``
with the entry's credit code) with a private contact phone gets an SMS with a signed link
(``common.signed_links``, as the complaint desk's settlement link): the list, its figures with
their denominators and the records behind them, and the objection form. The link expires at the
end of the objection window, ``ListRule.objection_workdays`` working days after sending
(``complaints.workdays``). An entry with no registered contact gets a ``ListNotice`` without
``sent_at``: no notice is possible, and the staff's view of the list says so. Sending again
never texts a merchant twice; it retries only the entries that had no contact.

A link is refused when altered, after the window (the page says the window is over), and when
its notice is gone or its entry now carries another merchant's credit code.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common import signed_links
from complaints import sms
from complaints.workdays import workday_limit
from merchants.models import Merchant

from . import evidence, objections
from .models import EntryObjection, ListNotice, ListRule

logger = logging.getLogger(__name__)

SALT = "lists.notice"

LinkError = signed_links.LinkError
BadLink = signed_links.BadLink


class ExpiredLink(signed_links.ExpiredLink):
    def __init__(self, notice):
        super().__init__(_("该链接已过期：异议期已于%(day)s结束。") % {"day": day_of(notice)}, {})
        self.notice = notice


class ObjectionRefused(Exception):
    """An objection that cannot be filed; the message, in Chinese, says why."""


@dataclass
class Sending:
    sent: int = 0
    already: int = 0
    no_contact: int = 0
    failed: int = 0


def window_end(rule, sent_at):
    """The end of the objection window: the close of the N-th working day after sending."""
    due, _remind, _urge = workday_limit(sent_at, rule.objection_workdays)
    return due


def day_of(notice):
    """The window's last day as the merchant reads it: 9月15日."""
    last = timezone.localtime(notice.objection_until) - datetime.timedelta(microseconds=1)
    return _("%(month)d月%(day)d日") % {"month": last.month, "day": last.day}


def make_token(notice):
    return signed_links.make(
        SALT, {"n": notice.pk, "m": notice.merchant_id}, notice.objection_until
    )


def link_url(notice):
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("lists:notice", args=[make_token(notice)])


def read_token(token, now=None):
    """The notice a token opens; raises BadLink or ExpiredLink."""
    try:
        payload, _expires = signed_links.read(SALT, token, now=now)
        expired = False
    except signed_links.ExpiredLink as error:
        payload, expired = error.payload, True
    notice_id = signed_links.integer(payload, "n")
    merchant_id = signed_links.integer(payload, "m")
    notice = (
        ListNotice.objects.select_related("entry__page", "merchant")
        .filter(pk=notice_id, merchant_id=merchant_id, sent_at__isnull=False)
        .first()
    )
    if notice is None or notice.entry.credit_code != notice.merchant.credit_code:
        raise BadLink()
    if expired:
        raise ExpiredLink(notice)
    return notice


def registered_merchants(codes):
    """{credit code: merchant}, a merchant with a contact phone preferred."""
    found = {}
    for merchant in Merchant.objects.filter(credit_code__in=codes).order_by("pk"):
        if merchant.credit_code not in found or (
            merchant.contact_phone and not found[merchant.credit_code].contact_phone
        ):
            found[merchant.credit_code] = merchant
    return found


def send_notices(page, now=None):
    """Notify every entry of a black list's page that was not notified yet; returns Sending."""
    result = Sending()
    if page.kind != ListRule.Kind.BLACK:
        return result
    now = now or timezone.now()
    entries = list(page.entries.all())
    merchants = registered_merchants({entry.credit_code for entry in entries})
    existing = {notice.entry_id: notice for notice in ListNotice.objects.filter(entry__page=page)}
    for entry in entries:
        notice = existing.get(entry.pk)
        if notice is not None and notice.sent_at is not None:
            result.already += 1
            continue
        merchant = merchants.get(entry.credit_code)
        phone = (merchant.contact_phone or "").strip() if merchant else ""
        if notice is None:
            notice = ListNotice(entry=entry)
        notice.merchant = merchant
        if not phone:
            notice.save()
            result.no_contact += 1
            continue
        if _send_one(page, entry, notice, phone, now):
            result.sent += 1
        else:
            result.failed += 1
    return result


def _send_one(page, entry, notice, phone, now):
    with transaction.atomic():
        notice.sent_at = now
        notice.objection_until = window_end(page.rule, now)
        notice.save()
        params = {
            "merchant": entry.name,
            "list": page.title,
            "day": day_of(notice),
            "url": link_url(notice),
        }
        message = (
            _(
                "【放心消费】%(merchant)s拟列入%(list)s。上榜数据和所依据的投诉记录请见链接，"
                "如有异议请于%(day)s（含当日）前提出：%(url)s"
            )
            % params
        )
        try:
            sms.send(phone, message, purpose="list_notice", **params)
        except sms.SmsError as error:
            transaction.set_rollback(True)
            logger.warning("list notice for entry %s not sent: %s", entry.pk, error)
            return False
        objections.mark_notified(entry)
    return True


def file_objection(notice, reasons, disclosure=None, uploads=(), now=None):
    """The merchant's objection through its link; raises ObjectionRefused or EvidenceError."""
    now = now or timezone.now()
    entry = notice.entry
    if now >= notice.objection_until:
        raise ObjectionRefused(_("异议期已结束，不能再提出异议。"))
    if entry.objections.filter(state=EntryObjection.State.PENDING).exists():
        raise ObjectionRefused(_("您提出的异议正在处理中，处理完毕前不能再提出新的异议。"))
    if disclosure is not None and disclosure.pk not in entry.record_ids:
        raise ObjectionRefused(_("所选投诉记录不在本榜所依据的记录中。"))
    prepared = evidence.prepare_all(uploads)
    with transaction.atomic():
        objection = EntryObjection.objects.create(
            page=entry.page,
            entry=entry,
            name=entry.name,
            disclosure=disclosure,
            merchant=notice.merchant,
            credit_code=entry.credit_code,
            channel=EntryObjection.Channel.LINK,
            identity_verified=True,
            reasons=reasons.strip(),
            submitted_at=now,
        )
        for file in prepared:
            evidence.store(objection, file)
        objections.mark_objected(entry)
    return objection
