"""Making a complaint: the one path the web form, the mini-program API and the bench share.

``submit`` checks nothing the form or the API has not already checked for the consumer (the
fields, the phone, the photos); it decides what the portal does with a valid submission:
which unit gets it, whether it repeats an open complaint, whether an abuse rule marks it for
staff, which limits start. No rule drops a submission: a submission is stored, or the
consumer is told why not.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import deadlines
from .models import Complaint, ComplaintEvent, HandlingPolicy, new_tracking_number
from .routing import unit_for
from .states import Action, FastResponseReason, State

# What marks a submission for a person to look at (``Complaint.review_flags``).
FLAG_LABELS = {
    "honeypot": gettext_lazy("填写了隐藏字段（疑似自动提交）"),
    "phone_rate": gettext_lazy("同一手机号当日投诉过多"),
    "address_rate": gettext_lazy("同一网络地址一小时内投诉过多"),
    "repeat": gettext_lazy("与未办结投诉重复，已关联"),
}

# Complaint.amount holds 12 digits, 2 after the point: the largest amount the form and the API take.
MAX_AMOUNT = Decimal("9999999999.99")

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class IntakeError(Exception):
    """A submission the portal cannot take; the message, in Chinese, tells the consumer why."""


def normalize_phone(text):
    """A mainland mobile number as 11 digits, from what people type (+86, spaces, dashes,
    full-width digits); raises IntakeError for anything else."""
    import unicodedata

    digits = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", text or ""))
    digits = re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)
    if not _MOBILE_RE.match(digits):
        raise IntakeError(_("请填写11位手机号码。"))
    return digits


@dataclass
class Submission:
    """What the consumer gave, already checked field by field."""

    region: object  # merchants.Region, a county
    merchant_name: str
    occurred_on: datetime.date
    content: str
    demand: str
    name: str
    phone: str
    consent_contact: bool
    consent_publish: bool
    amount: Decimal | None = None
    merchant: object = None  # merchants.Merchant when registered
    merchant_address: str = ""
    phone_verified: bool = False
    photos: list = field(default_factory=list)  # photos.PreparedPhoto
    submission_key: str = ""


@dataclass
class Outcome:
    complaint: Complaint
    repeated: Complaint | None = None  # the open complaint this one joined
    already_made: bool = False  # the same submission key came back


def _is_fast_response(merchant, policy, on):
    if merchant is None:
        return False
    types = list(policy.fast_response_pledge_types.values_list("pk", flat=True))
    return bool(types) and merchant.pledges.in_force(on).filter(pledge_type__in=types).exists()


def _open_repeat(submission, policy, now):
    """The open complaint by the same phone against the same merchant within the window."""
    since = now - datetime.timedelta(days=policy.duplicate_window_days)
    same = Complaint.objects.open().filter(
        complainant_phone=submission.phone, submitted_at__gte=since, duplicate_of__isnull=True
    )
    if submission.merchant is not None:
        same = same.filter(merchant=submission.merchant)
    else:
        same = same.filter(merchant_name=submission.merchant_name, region=submission.region)
    return same.order_by("submitted_at").first()


def _flags(submission, policy, client_key, honeypot, now):
    flags = []
    if honeypot:
        flags.append("honeypot")
    day_ago = now - datetime.timedelta(days=1)
    by_phone = Complaint.objects.filter(
        complainant_phone=submission.phone, submitted_at__gte=day_ago
    )
    if by_phone.count() >= policy.submissions_per_phone_per_day:
        flags.append("phone_rate")
    if client_key:
        hour_ago = now - datetime.timedelta(hours=1)
        by_address = Complaint.objects.filter(client_key=client_key, submitted_at__gte=hour_ago)
        if by_address.count() >= policy.submissions_per_address_per_hour:
            flags.append("address_rate")
    return flags


def submit(submission, *, channel, client_key="", honeypot=False, now=None):
    """Store a complaint and start its handling; returns an ``Outcome``.

    Raises IntakeError when no unit serves the merchant's region.
    """
    now = now or timezone.now()
    if submission.submission_key:
        made = Complaint.objects.filter(submission_key=submission.submission_key).first()
        if made is not None:
            return Outcome(made, made.duplicate_of, already_made=True)
    unit = unit_for(submission.region, submission.merchant)
    if unit is None:
        raise IntakeError(_("该地区暂未开通在线投诉，请拨打12315投诉举报电话。"))
    policy = HandlingPolicy.load()
    flags = _flags(submission, policy, client_key, honeypot, now)
    repeated = _open_repeat(submission, policy, now)
    if repeated is not None:
        flags.append("repeat")
        unit = repeated.unit
    fast = _is_fast_response(submission.merchant, policy, timezone.localtime(now).date())
    complaint = Complaint(
        submitted_at=now,
        submission_key=submission.submission_key or None,
        channel=channel,
        merchant=submission.merchant,
        merchant_name=submission.merchant_name,
        credit_code=getattr(submission.merchant, "credit_code", ""),
        merchant_address=submission.merchant_address,
        region=submission.region,
        occurred_on=submission.occurred_on,
        content=submission.content,
        demand=submission.demand,
        amount=submission.amount,
        complainant_name=submission.name,
        complainant_phone=submission.phone,
        phone_verified=submission.phone_verified,
        consent_contact=submission.consent_contact,
        consent_publish=submission.consent_publish,
        unit=unit,
        duplicate_of=repeated,
        review_flags=flags,
        client_key=client_key,
        fast_response=fast and repeated is None,
        fast_response_reason=FastResponseReason.PLEDGE if fast and repeated is None else "",
    )
    stored = []
    try:
        with transaction.atomic():
            _save_with_fresh_number(complaint, now)
            _record_arrival(complaint, repeated, now)
            if submission.photos:
                from . import photos

                for prepared in submission.photos:
                    stored.append(photos.store(complaint, prepared))
    except Exception as error:
        # The rows are rolled back; the files written meanwhile must go with them.
        for photo in stored:
            photo.path.unlink(missing_ok=True)
        if not isinstance(error, IntegrityError):
            raise
        # The same submission key arrived twice at once: the other request stored it.
        made = Complaint.objects.filter(submission_key=submission.submission_key).first()
        if made is None or not submission.submission_key:
            raise
        return Outcome(made, made.duplicate_of, already_made=True)
    return Outcome(complaint, repeated)


def _save_with_fresh_number(complaint, now, attempts=5):
    for attempt in range(attempts):
        complaint.tracking_number = new_tracking_number(now)
        try:
            with transaction.atomic():
                complaint.save()
            return
        except IntegrityError:
            taken = Complaint.objects.filter(tracking_number=complaint.tracking_number).exists()
            if not taken or attempt == attempts - 1:
                raise


def _record_arrival(complaint, repeated, now):
    ComplaintEvent.objects.create(
        complaint=complaint,
        action=Action.SUBMIT,
        to_state=State.RECEIVED,
        at=now,
        actor=ComplaintEvent.Actor.COMPLAINANT,
        unit=complaint.unit,
        public_note=_("已收到投诉，由%(unit)s办理。") % {"unit": complaint.unit.name},
    )
    if repeated is not None:
        # Handled once: this submission joins the open complaint, its words kept for the clerk.
        complaint.state = State.MERGED
        complaint.merged_into = repeated
        complaint.save(update_fields=["state", "merged_into"])
        ComplaintEvent.objects.create(
            complaint=complaint,
            action=Action.MERGE,
            from_state=State.RECEIVED,
            to_state=State.MERGED,
            at=now,
            actor=ComplaintEvent.Actor.SYSTEM,
            unit=complaint.unit,
            public_note=_("您对该商家的投诉%(number)s尚未办结，本次投诉已并入一并办理。")
            % {"number": repeated.tracking_number},
        )
        return
    deadlines.apply(complaint, Action.SUBMIT, now)
    if complaint.fast_response:
        deadlines.apply(complaint, Action.MARK_FAST, now)
