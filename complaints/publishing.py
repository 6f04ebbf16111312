"""From a closed complaint to a disclosure record (投诉信息公示), for complainants who consented.

A complaint closed (办结: 调解成功, 调解不成功, 终止调解, or the merchant's 先行和解 accepted) whose
complainant ticked the consent to disclosure becomes one ``disclosures.Disclosure``, made the
way an import makes one: its values go through the import's ``RowValidator`` (the same names,
the same region, credit-code, date and length rules) and its text through the same ``scrub``.
It is saved as an editor's change is, so the data version changes (the in-memory search
columns reload), Elasticsearch re-indexes it after the commit and the merchant's scan page is
dropped from the cache (``disclosures.signals``).

What a record holds, and nothing else of the complaint (no name, phone, photo or staff note):

* 投诉编号: the tracking number; 被投诉人: the registered merchant's name, credit code, address
  and region, or what the consumer typed when the merchant is not registered (a credit code
  that fails its check is left out rather than the record refused).
* 商品或服务类别: the complaint form asks for none, so the registered merchant's 行业类别 when it
  names a disclosure category (餐饮 → 餐饮住宿, as an import reads it), otherwise ``其他``; the
  problem type is always ``其他``. Both are editable afterwards in the admin like any record;
  asking staff at closing would add a step to every closing for a label few readers filter by.
  A missing ``其他`` is added, as an import adds a missing category.
* 处理结果: 调解成功, 调解不成功 or 终止调解 by name; 先行和解成功 counts as 调解成功 (the merchant
  settled to the consumer's satisfaction: DOMAIN.md's results have no separate entry for it).
* 处理部门: the unit's name; 投诉日期: the submission's date; 办结日期 and 公示日期: the closing
  date; 公示截止日期: that plus ``HandlingPolicy.disclosure_display_days``.
* 投诉内容摘要 and 消费者诉求: the content and the demand, scrubbed. Before the import's scrubbing,
  the complainant's own name and phone number, which the portal knows and an import does not,
  are masked wherever they appear (张伟 → 张某), even without a word such as 我叫 before them.

Reopened after a 不满意 回访 and closed again, the same record follows the new result (found by
the complaint's link, or by its number); publishing again with nothing changed writes nothing.
While the complaint is being mediated again, the record keeps the result it was closed with.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import credit_code as credit_codes
from disclosures.importing.validation import (
    MAX_REQUEST_CHARS,
    MAX_SUMMARY_CHARS,
    References,
    RowValidator,
)
from disclosures.importing.writer import STORED_FIELDS
from disclosures.models import ComplaintCategory, Disclosure, HandlingResult, ProblemType
from disclosures.scrubbing import scrub

from .models import Complaint, HandlingPolicy
from .states import Result, State

logger = logging.getLogger(__name__)

UNSPECIFIED = "其他"
# (disclosure result's name, counts as mediation success, counts in the rate's denominator)
RESULT_NAMES = {
    Result.SETTLED: ("调解成功", True, True),
    Result.MEDIATION_SUCCESS: ("调解成功", True, True),
    Result.MEDIATION_FAILED: ("调解不成功", False, True),
    Result.MEDIATION_TERMINATED: ("终止调解", False, True),
}
# The complaint's states in which it has a result to disclose.
CLOSED_STATES = frozenset({State.CLOSED, State.VISITED})
# The record's fields this module writes, those an import row sets; an editor's objection
# state is left as it is.
WRITTEN_FIELDS = STORED_FIELDS


class PublishError(Exception):
    """The complaint's values do not make a valid record; the message says why (no personal
    data: the import's reasons name columns and codes, never the text)."""


def should_publish(complaint):
    return bool(complaint.consent_publish and complaint.state in CLOSED_STATES and complaint.result)


def publish(complaint, policy=None):
    """Create or update the disclosure record of a closed, consented complaint; returns it, or
    None when the complaint is not to be disclosed. Raises ``PublishError``."""
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("unit", "merchant", "merchant__category", "disclosure")
            .get(pk=complaint.pk)
        )
        if not should_publish(complaint):
            return None
        values = record_values(complaint, policy or HandlingPolicy.load())
        record = (
            complaint.disclosure
            or Disclosure.objects.filter(complaint_number=values["complaint_number"]).first()
            or Disclosure()
        )
        if record.pk is None or any(
            getattr(record, name) != value for name, value in values.items()
        ):
            for name, value in values.items():
                setattr(record, name, value)
            record.save()
        if complaint.disclosure_id != record.pk:
            Complaint.objects.filter(pk=complaint.pk).update(disclosure=record)
    return record


def publish_pending():
    """Disclose the closed, consented complaints that have no record yet: a closing whose
    publication failed (logged) is caught up here, by ``manage.py complaint_deadlines``.
    Returns (records made, [(tracking number, reason)] of those that still cannot be)."""
    pending = Complaint.objects.filter(
        consent_publish=True, state__in=CLOSED_STATES, disclosure__isnull=True
    ).exclude(result="")
    made, failed = 0, []
    policy = HandlingPolicy.load()
    for complaint in pending.only("pk", "tracking_number").iterator():
        try:
            made += publish(complaint, policy) is not None
        except PublishError as error:
            failed.append((complaint.tracking_number, str(error)))
    return made, failed


def record_values(complaint, policy):
    """The record's values (``WRITTEN_FIELDS``), checked by the import's validator."""
    references = _references(complaint)
    row = raw_row(complaint, policy, _category_name(complaint, references))
    validator = RowValidator(references)
    values, reasons = validator.validate(row)
    if values is None:
        reasons = reasons + [_reason(group) for group in validator.groups]
        raise PublishError(
            _("投诉%(number)s无法生成公示记录：%(reasons)s")
            % {"number": complaint.tracking_number, "reasons": "；".join(map(str, reasons))}
        )
    merchant = complaint.merchant
    if merchant is not None and merchant.credit_code == values["credit_code"]:
        values["merchant_id"] = merchant.pk
    else:
        values["merchant_id"] = _merchant_id(values["credit_code"])
    return {name: values[name] for name in WRITTEN_FIELDS}


def raw_row(complaint, policy, category=UNSPECIFIED):
    """The complaint as one row of an import file (cells by field name), text already scrubbed."""
    merchant = complaint.merchant
    closed_on = timezone.localdate(complaint.closed_at)
    credit_code = (merchant.credit_code if merchant else "") or complaint.credit_code
    try:
        credit_code = credit_codes.validate(credit_code) if credit_code else ""
    except credit_codes.CreditCodeError:
        credit_code = ""  # typed by the consumer: left out rather than the record refused
    return {
        "complaint_number": complaint.tracking_number,
        "respondent_name": merchant.registered_name if merchant else complaint.merchant_name,
        "credit_code": credit_code,
        "region_code": merchant.region_id if merchant else complaint.region_id,
        "respondent_address": (merchant.address if merchant else "") or complaint.merchant_address,
        "category": category,
        "problem_type": UNSPECIFIED,
        "summary": public_text(complaint, complaint.content, MAX_SUMMARY_CHARS),
        "consumer_request": public_text(complaint, complaint.demand, MAX_REQUEST_CHARS),
        "complained_on": timezone.localdate(complaint.submitted_at),
        "handling_department": complaint.unit.name,
        "result": RESULT_NAMES[complaint.result][0],
        "closed_on": closed_on,
        "recovered_amount": str(complaint.amount_recovered or "0"),
        "disclosed_on": closed_on,
        "display_until": closed_on + datetime.timedelta(days=policy.disclosure_display_days),
    }


def public_text(complaint, text, limit):
    """``text`` with the complainant's own name and phone masked, then scrubbed as an import
    scrubs, then cut to the import's length limit."""
    text = (text or "").strip()
    name = (complaint.complainant_name or "").strip()
    if len(name) >= 2:
        text = text.replace(name, name[0] + "某")
    phone = (complaint.complainant_phone or "").strip()
    if len(phone) >= 7:
        text = text.replace(phone, phone[:3] + "*" * (len(phone) - 7) + phone[-4:])
    text = scrub(text).text
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _category_name(complaint, references):
    """The merchant's 行业类别 when it names a disclosure category, else ``UNSPECIFIED``."""
    merchant = complaint.merchant
    category = merchant.category if merchant is not None else None
    if category is not None and references.categories.resolve(category.name) is not None:
        return category.name
    return UNSPECIFIED


def _references(complaint):
    """The import's reference data, with what a complaint's record needs added when missing."""
    ComplaintCategory.objects.get_or_create(name=UNSPECIFIED, defaults={"sort_order": 1000})
    ProblemType.objects.get_or_create(name=UNSPECIFIED, defaults={"sort_order": 1000})
    name, success, mediated = RESULT_NAMES[complaint.result]
    HandlingResult.objects.get_or_create(
        name=name, defaults={"is_mediation_success": success, "counts_as_mediated": mediated}
    )
    return References()


def _reason(group):
    reason = group.reason() if callable(group.reason) else group.reason
    return str(reason)


def _merchant_id(credit_code):
    if not credit_code:
        return None
    from merchants.models import Merchant

    return Merchant.objects.filter(credit_code=credit_code).values_list("pk", flat=True).first()
