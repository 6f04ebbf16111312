"""Splitting a mixed 投诉/举报 submission (Order 121: mixed items are split): the part that is a
report becomes a complaint record of its own, of kind 举报, handled by the same unit.

The original keeps its text as submitted (a complainant's words are never edited); both
records log the split, and the new one points back through ``split_from``.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import deadlines, workflow
from ..models import Complaint, ComplaintEvent, new_tracking_number
from ..states import Action, Kind, State

# The fields the report item takes over from the submission it is split from.
_COPIED = [
    "channel",
    "merchant",
    "merchant_name",
    "credit_code",
    "merchant_address",
    "region",
    "occurred_on",
    "amount",
    "complainant_name",
    "complainant_phone",
    "phone_verified",
    "personal_data_removed_at",
    "consent_contact",
    "consent_publish",
    "unit",
    "client_key",
]


def _normalized(text):
    return "".join((text or "").split())


def split(complaint, text, user, *, at=None):
    """Make a 举报 item of ``text`` (a part of the complaint's content); returns it.

    Raises ``workflow.TransitionError`` when the complaint cannot be split now, or when the
    text is empty or not taken from the complaint's content.
    """
    at = at or timezone.now()
    text = (text or "").strip()
    if not text:
        raise workflow.TransitionError(_("请留下要拆分为举报的内容。"))
    if _normalized(text) not in _normalized(complaint.content):
        raise workflow.TransitionError(_("拆分的内容须取自投诉原文。"))
    if _normalized(text) == _normalized(complaint.content):
        raise workflow.TransitionError(_("请删去不属于举报的部分：整件投诉不能拆分。"))
    with transaction.atomic():
        report = Complaint(
            **{name: getattr(complaint, name) for name in _COPIED},
            kind=Kind.REPORT,
            split_from=complaint,
            submitted_at=at,
            content=text,
            demand=complaint.demand,
            state=State.RECEIVED,
        )
        _save_with_fresh_number(report, at)
        # The original's step goes through the workflow (its checks, its row lock, its log).
        workflow.perform(
            complaint,
            Action.SPLIT,
            user=user,
            at=at,
            note=_("拆分出举报事项%(number)s。") % {"number": report.tracking_number},
        )
        ComplaintEvent.objects.create(
            complaint=report,
            action=Action.SPLIT,
            to_state=State.RECEIVED,
            at=at,
            actor=ComplaintEvent.Actor.STAFF,
            user=user,
            unit=report.unit,
            note=_("拆分自投诉%(number)s。") % {"number": complaint.tracking_number},
            public_note=_("由投诉%(number)s拆分出的举报事项，由%(unit)s办理。")
            % {"number": complaint.tracking_number, "unit": report.unit.name},
        )
        deadlines.apply(report, Action.SUBMIT, at)
    return report


def _save_with_fresh_number(complaint, at, attempts=5):
    for attempt in range(attempts):
        complaint.tracking_number = new_tracking_number(at)
        try:
            with transaction.atomic():
                complaint.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
