"""The merchant's signed link to one disclosed record, sent to its registered private contact.

Whoever holds the link speaks for the merchant on that record (``common.signed_links`` says
why that is enough): the link goes only to ``Merchant.contact_phone``, the number the bureau
registered, never to a number typed on the public site. It names the merchant and the record
and is valid for ``VALID_DAYS``; on every use it is checked that the merchant's credit code
still equals the record's, so a link made for merchant A never opens B's record.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common import signed_links
from complaints import sms
from disclosures.models import Disclosure
from merchants.models import Merchant

SALT = "objections.record-link"
VALID_DAYS = 7

BadLink = signed_links.BadLink
ExpiredLink = signed_links.ExpiredLink
LinkError = signed_links.LinkError


@dataclass
class Link:
    merchant: Merchant
    disclosure: Disclosure
    expires_at: datetime.datetime


def contact_of(disclosure):
    """The registered merchant of the record's credit code that has a contact phone, or None."""
    if not disclosure.credit_code:
        return None
    return (
        Merchant.objects.filter(credit_code=disclosure.credit_code)
        .exclude(contact_phone="")
        .order_by("pk")
        .first()
    )


def make_token(merchant, disclosure, expires_at=None):
    expires_at = expires_at or timezone.now() + datetime.timedelta(days=VALID_DAYS)
    return signed_links.make(SALT, {"m": merchant.pk, "d": disclosure.pk}, expires_at)


def link_url(token):
    return settings.PORTAL_BASE_URL + reverse("objections:link", args=[token])


def read_token(token, now=None):
    """The ``Link`` a token opens; ``BadLink`` when altered, made for something else, or when
    the merchant's credit code no longer equals the record's; ``ExpiredLink`` after 7 days."""
    payload, expires_at = signed_links.read(
        SALT, token, now=now, expired_message=_("该链接已超过7天有效期，请重新获取。")
    )
    merchant = Merchant.objects.filter(pk=signed_links.integer(payload, "m")).first()
    disclosure = (
        Disclosure.objects.public()
        .select_related("category", "problem_type", "result", "region")
        .filter(pk=signed_links.integer(payload, "d"))
        .first()
    )
    if (
        merchant is None
        or disclosure is None
        or not disclosure.credit_code
        or merchant.credit_code != disclosure.credit_code
    ):
        raise BadLink()
    return Link(merchant, disclosure, expires_at)


def send_link(merchant, disclosure):
    """Text the link to the merchant's registered contact; returns the masked number. Raises
    ``sms.SmsError`` when the message could not be sent."""
    phone = merchant.contact_phone.strip()
    params = {
        "merchant": disclosure.respondent_name,
        "number": disclosure.complaint_number,
        "days": VALID_DAYS,
        "url": link_url(make_token(merchant, disclosure)),
    }
    message = (
        _(
            "【放心消费】您申请对投诉公示（编号%(number)s）提出异议或回应，"
            "请在%(days)d日内打开链接办理：%(url)s"
        )
        % params
    )
    sms.send(phone, message, purpose="objection", **params)
    return sms.mask_phone(phone)
