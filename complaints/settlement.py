"""The merchant's first settlement (先行和解) without an account: a signed, expiring link sent
by SMS to the merchant's registered private contact, and the one answer given through it.

How the merchant is identified: by holding the link. The bureau registered the merchant's
private contact phone (``merchants.Merchant.contact_phone``, never public) when it entered
the merchant; when a complaint enters 先行和解 the link goes to that phone only, so whoever
answers has the phone the bureau knows as the merchant's. The link is signed with the site's
SECRET_KEY under a salt of its own (a token made for anything else does not open it), names
the complaint and the merchant, and expires at the settlement deadline (the ``Deadline`` of
kind settlement). It is refused when it was altered, when the complaint's merchant is no longer
the one it names, after the deadline, and once an answer was given (the page then shows that
answer: one answer per complaint). A forwarded SMS lets someone else answer for the merchant:
accepted, because the answer binds nobody — the handling unit reads it on the desk, sees it
came through the link (actor 商家), and goes on to mediation when it is not credible.

What the merchant sees: the complaint's tracking number, dates, content, demand and amount.
Of the complainant, only the surname and a masked phone (王某, 138****5678), to recognise the
purchase; the complainant agreed to be contacted for a settlement (``consent_contact``, which
the workflow requires before 先行和解), but the contact itself goes through the handling unit,
so the full name and number stay with the unit. Photos are never shown.
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

from .models import Complaint, ComplaintEvent, Deadline
from .sms import mask_phone
from .states import Action, State

logger = logging.getLogger(__name__)

SALT = "complaints.settlement.merchant-link"


# The shared kinds of refusal (``common.signed_links``), under the names the views catch.
LinkError = signed_links.LinkError
BadLink = signed_links.BadLink


class ExpiredLink(signed_links.ExpiredLink):
    def __init__(self, message, complaint):
        super().__init__(message, {})
        self.complaint = complaint


class AlreadyAnswered(Exception):
    pass


@dataclass
class Link:
    complaint: Complaint
    expires_at: datetime.datetime


def settlement_deadline(complaint):
    """The settlement limit's due time (the latest one started), or None."""
    deadline = (
        Deadline.objects.filter(complaint=complaint, kind=Deadline.Kind.SETTLEMENT, cancelled=False)
        .order_by("-starts_at", "-pk")
        .first()
    )
    return deadline.due_at if deadline else None


def make_token(complaint, expires_at=None):
    """The signed token of the merchant's link to ``complaint``, valid until ``expires_at``
    (by default the settlement deadline)."""
    expires_at = expires_at or settlement_deadline(complaint)
    if expires_at is None or complaint.merchant_id is None:
        raise ValueError("a settlement link needs a registered merchant and a deadline")
    payload = {"c": complaint.pk, "m": complaint.merchant_id}
    return signed_links.make(SALT, payload, expires_at)


def link_url(token):
    return settings.PORTAL_BASE_URL + reverse("complaints_settle", args=[token])


def read_token(token, now=None):
    """The ``Link`` the token opens. Raises ``BadLink`` (altered, made for something else, the
    complaint gone or its merchant changed) or ``ExpiredLink`` (past the deadline)."""
    refused = _("该链接无效。请使用短信中的完整链接，或联系承办单位。")
    try:
        payload, expires_at = signed_links.read(SALT, token, now=now)
    except signed_links.ExpiredLink as expired:
        payload, expires_at = expired.payload, None
    except signed_links.BadLink:
        raise BadLink(refused) from None
    complaint_id = signed_links.integer(payload, "c")
    merchant_id = signed_links.integer(payload, "m")
    complaint = Complaint.objects.select_related("merchant", "unit").filter(pk=complaint_id).first()
    if complaint is None or complaint.merchant_id != merchant_id:
        raise BadLink(refused)
    if expires_at is None:
        raise ExpiredLink(_("该链接已过期，先行和解的答复期限已过。"), complaint)
    return Link(complaint, expires_at)


def answer(complaint, choice, text, now=None):
    """Record the merchant's one answer; raises ``AlreadyAnswered`` when one was given, and
    ``workflow.TransitionError`` when the complaint has left 先行和解."""
    from . import workflow

    with transaction.atomic():
        # The row lock makes two presses of 提交 (or two phones) one after the other: the
        # second finds the first answer.
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.settlement_answer:
            raise AlreadyAnswered
        return workflow.perform(
            locked,
            Action.MERCHANT_ANSWER,
            actor=ComplaintEvent.Actor.MERCHANT,
            at=now,
            answer=choice,
            text=text,
        )


def complainant_shown(complaint):
    """What the merchant sees of the complainant: surname and masked phone, only with consent
    and while the personal data is kept."""
    if not complaint.consent_contact or complaint.personal_data_removed_at:
        return None
    name, phone = complaint.complainant_name.strip(), complaint.complainant_phone
    if not name and not phone:
        return None
    return {
        "name": _("%(surname)s某") % {"surname": name[:1]} if name else "",
        "phone": mask_phone(phone) if len(phone) >= 11 else "",
    }


def send_link(complaint):
    """Text the settlement link to the merchant's registered private contact. Returns True
    when a message went out. No phone number is ever written to the log."""
    merchant = complaint.merchant
    if merchant is None or complaint.state != State.SETTLEMENT:
        return False
    phone = (merchant.contact_phone or "").strip()
    expires_at = settlement_deadline(complaint)
    if not phone or expires_at is None:
        logger.warning(
            "settlement link for complaint %s not sent: the merchant has no contact phone",
            complaint.tracking_number,
        )
        return False
    from . import sms  # written alongside, loaded when first needed

    local = timezone.localtime(expires_at) - datetime.timedelta(microseconds=1)
    params = {
        "merchant": complaint.merchant_name,
        "number": complaint.tracking_number,
        "month": local.month,
        "day": local.day,
        "url": link_url(make_token(complaint, expires_at)),
    }
    message = (
        _(
            "【放心消费】消费者对%(merchant)s的投诉（编号%(number)s）已转先行和解，"
            "请于%(month)d月%(day)d日（含当日）前答复：%(url)s"
        )
        % params
    )
    # The variables too, for a provider that sends only registered templates.
    sms.send(phone, message, purpose="settlement", **params)
    return True
