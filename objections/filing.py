"""What a merchant files through the public pages: an objection or a reply, with who filed.

Through the link (``links``) the merchant is the registered one and verified at once; through
the licence form it is verified only when staff have checked the licence photo (``decisions.
verify_identity``). One undecided objection per record at a time, and one reply awaiting review.
A reply's text is scrubbed when it is received: what is stored is what would be published.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from disclosures.models import Disclosure
from disclosures.scrubbing import scrub

from . import decisions, files
from .models import MerchantReply, MerchantSubmission, RecordObjection, RecordObjectionEvidence

MAX_REPLY_CHARS = 500


class FilingError(Exception):
    """Something the merchant cannot file now; the message, in Chinese, says why."""


def identity_from_link(link):
    """The submitter fields of a merchant holding its link: verified."""
    return {
        "merchant": link.merchant,
        "credit_code": link.merchant.credit_code,
        "channel": MerchantSubmission.Channel.LINK,
        "identity_verified": True,
    }


def identity_from_licence(credit_code, licence, name, phone):
    """The submitter fields of the licence form (``licence`` a ``files.PreparedFile``): not
    verified until staff check the photo; the photo is stored privately."""
    return {
        "merchant": None,
        "credit_code": credit_code,
        "channel": MerchantSubmission.Channel.LICENCE,
        "submitter_name": name,
        "submitter_phone": phone,
        "licence_photo": files.store(licence, "licences"),
        "identity_verified": False,
    }


def _lock(disclosure):
    return Disclosure.objects.select_for_update().get(pk=disclosure.pk)


def pending_objection(disclosure):
    return disclosure.objections.filter(state=RecordObjection.State.PENDING).first()


def pending_reply(disclosure):
    return disclosure.replies.filter(state=MerchantReply.State.PENDING).first()


def file_objection(disclosure, identity, reasons, evidence=()):
    """Record an objection (``evidence``: prepared files); raises FilingError when one is
    already pending on the record."""
    with transaction.atomic():
        _lock(disclosure)
        if pending_objection(disclosure) is not None:
            raise FilingError(_("本条公示已有一项异议正在处理，请等待处理结果后再提出。"))
        objection = RecordObjection.objects.create(
            disclosure=disclosure, reasons=reasons.strip(), **identity
        )
        for prepared in evidence:
            RecordObjectionEvidence.objects.create(
                objection=objection,
                file=files.store(prepared, "evidence"),
                original_name=prepared.original_name,
                content_type=prepared.content_type,
                size=prepared.size,
            )
        decisions.objection_filed(objection)
    return objection


def scrubbed_reply(text):
    """The reply text as it would be published."""
    return scrub((text or "").strip()[:MAX_REPLY_CHARS]).text


def file_reply(disclosure, identity, statement, text):
    with transaction.atomic():
        _lock(disclosure)
        if pending_reply(disclosure) is not None:
            raise FilingError(_("本条公示已有一条回应正在审核，请等待审核结果后再提交。"))
        return MerchantReply.objects.create(
            disclosure=disclosure, statement=statement, text=scrubbed_reply(text), **identity
        )
