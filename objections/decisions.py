"""Every change of state of an objection, a reply and the record's objection state: the one
writer of them (the public views file through ``filing``, which calls in here; the desk calls
in here). Each staff decision is logged (``DeskLog``: who, when, what).

A record's objection state follows from its objections (``_sync_record``): 异议处理中 while an
objection whose filer is verified is undecided; 已更正 once an upheld objection corrected it;
otherwise 无异议. A record withdrawn (here or by 审核 in the disclosures admin) stays withdrawn.
Saving the record bumps the search's data version and re-indexes it (``disclosures.signals``),
so a decision shows on the record page, in search and in the API at once.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.dates import chinese_date
from disclosures.models import Disclosure, HandlingResult
from disclosures.scrubbing import scrub

from .models import DeskLog, MerchantReply, RecordCorrection, RecordObjection

ObjectionState = Disclosure.ObjectionState

# The fields an upheld objection may correct, with their names as the public log says them.
CORRECTABLE = {
    "result": gettext_lazy("处理结果"),
    "closed_on": gettext_lazy("办结日期"),
    "recovered_amount": gettext_lazy("挽回经济损失"),
    "summary": gettext_lazy("投诉内容摘要"),
    "consumer_request": gettext_lazy("消费者诉求"),
}
# Long texts: the log says they were corrected; the record shows the new text.
_TEXT_FIELDS = ("summary", "consumer_request")


class DecisionError(Exception):
    """A decision that cannot be made; the message, in Chinese, says why."""


def _sync_record(disclosure):
    """Set the record's objection state from its objections; save only when it changed."""
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if disclosure.objection_state == ObjectionState.WITHDRAWN:
        return disclosure
    if disclosure.objections.filter(
        state=RecordObjection.State.PENDING, identity_verified=True
    ).exists():
        state = ObjectionState.OBJECTED
    elif disclosure.corrections.filter(action=RecordCorrection.Action.CORRECTED).exists():
        state = ObjectionState.CORRECTED
    else:
        state = ObjectionState.NONE
    if disclosure.objection_state != state:
        disclosure.objection_state = state
        disclosure.save()
    return disclosure


def objection_filed(objection):
    """A new objection: the record shows 异议处理中 once its filer is verified."""
    with transaction.atomic():
        _sync_record(objection.disclosure)


def _locked(model, submission):
    return model.objects.select_for_update().get(pk=submission.pk)


def _pending_objection(objection):
    locked = _locked(RecordObjection, objection)
    if locked.state != RecordObjection.State.PENDING:
        raise DecisionError(_("该异议已处理，不能再次处理。"))
    return locked


def verify_identity(submission, user, note=""):
    """Staff checked the licence: the objection takes effect, the reply may be approved."""
    model = type(submission)
    with transaction.atomic():
        locked = _locked(model, submission)
        if locked.identity_verified:
            raise DecisionError(_("身份已核验。"))
        locked.identity_verified = True
        locked.save(update_fields=["identity_verified"])
        target = {"objection": locked} if model is RecordObjection else {"reply": locked}
        DeskLog.objects.create(action=DeskLog.Action.VERIFIED, user=user, note=note, **target)
        if model is RecordObjection and locked.state == RecordObjection.State.PENDING:
            _sync_record(locked.disclosure)
    return locked


def _decide(objection, state, user, reason, now):
    objection.state = state
    objection.decision_reason = reason
    objection.decided_by = user
    objection.decided_at = now
    objection.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])


def uphold_withdraw(objection, user, reason=""):
    """The objection holds and the record comes off every public page, search and the API."""
    now = timezone.now()
    with transaction.atomic():
        locked = _pending_objection(objection)
        if not locked.identity_verified:
            raise DecisionError(_("请先核验提出异议的经营者身份。"))
        _decide(locked, RecordObjection.State.UPHELD, user, reason, now)
        disclosure = Disclosure.objects.select_for_update().get(pk=locked.disclosure_id)
        disclosure.objection_state = ObjectionState.WITHDRAWN
        disclosure.save()
        description = _("经核查，经营者的异议成立，本条公示已撤回。")
        if reason:
            description += reason
        RecordCorrection.objects.create(
            disclosure=disclosure,
            objection=locked,
            action=RecordCorrection.Action.WITHDRAWN,
            description=description,
            made_at=now,
            made_by=user,
        )
        DeskLog.objects.create(
            action=DeskLog.Action.UPHELD_WITHDRAWN, objection=locked, user=user, note=reason, at=now
        )
    return locked


def _shown(field, value):
    if value is None or value == "":
        return _("空")
    if field == "closed_on":
        return chinese_date(value)
    if field == "recovered_amount":
        return _("%(amount)s元") % {"amount": value}
    if field == "result":
        return value.name
    return str(value)


def correction_lines(disclosure, changes):
    """The plain words of ``changes`` ({field: new value}) against the record's values, one
    line per field that really changes: 处理结果由“调解不成功”更正为“调解成功”."""
    lines = []
    for field, label in CORRECTABLE.items():
        if field not in changes:
            continue
        old, new = getattr(disclosure, field), changes[field]
        if old == new:
            continue
        if field in _TEXT_FIELDS:
            lines.append(_("%(label)s已更正") % {"label": label})
        else:
            lines.append(
                _("%(label)s由“%(old)s”更正为“%(new)s”")
                % {"label": label, "old": _shown(field, old), "new": _shown(field, new)}
            )
    return lines


def uphold_correct(objection, user, changes, reason=""):
    """The objection holds: the named fields of the record are corrected and the record's
    public log says in plain words what changed. A corrected text is scrubbed like any."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    if "result" in changes and not isinstance(changes["result"], HandlingResult):
        raise ValueError("result must be a HandlingResult")
    changes = {
        field: scrub(value).text if field in _TEXT_FIELDS else value
        for field, value in changes.items()
    }
    now = timezone.now()
    with transaction.atomic():
        locked = _pending_objection(objection)
        if not locked.identity_verified:
            raise DecisionError(_("请先核验提出异议的经营者身份。"))
        disclosure = Disclosure.objects.select_for_update().get(pk=locked.disclosure_id)
        lines = correction_lines(disclosure, changes)
        if not lines:
            raise DecisionError(_("请填写需要更正的内容；如需撤回公示，请选择撤回。"))
        if changes.get("summary") == "":
            raise DecisionError(_("投诉内容摘要不能为空。"))
        for field, value in changes.items():
            setattr(disclosure, field, value)
        disclosure.save()
        description = "；".join(lines) + "。"
        _decide(locked, RecordObjection.State.UPHELD, user, reason or description, now)
        RecordCorrection.objects.create(
            disclosure=disclosure,
            objection=locked,
            action=RecordCorrection.Action.CORRECTED,
            description=description,
            made_at=now,
            made_by=user,
        )
        DeskLog.objects.create(
            action=DeskLog.Action.UPHELD_CORRECTED,
            objection=locked,
            user=user,
            note=description + (reason or ""),
            at=now,
        )
        _sync_record(disclosure)
    return locked


def reject(objection, user, reason):
    """The objection does not hold: the record stands, and its page shows why."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError(_("请填写异议不成立的理由，该理由将在公示页面显示。"))
    now = timezone.now()
    with transaction.atomic():
        locked = _pending_objection(objection)
        _decide(locked, RecordObjection.State.REJECTED, user, reason, now)
        DeskLog.objects.create(
            action=DeskLog.Action.REJECTED, objection=locked, user=user, note=reason, at=now
        )
        _sync_record(locked.disclosure)
    return locked


def _pending_reply(reply):
    locked = _locked(MerchantReply, reply)
    if locked.state != MerchantReply.State.PENDING:
        raise DecisionError(_("该回应已审核，不能再次审核。"))
    return locked


def _review(reply, state, user, reason, now):
    reply.state = state
    reply.review_reason = reason
    reply.reviewed_by = user
    reply.reviewed_at = now
    reply.save(update_fields=["state", "review_reason", "reviewed_by", "reviewed_at"])


def approve_reply(reply, user):
    """The reply shows on the record page, marked as the merchant's own statement."""
    now = timezone.now()
    with transaction.atomic():
        locked = _pending_reply(reply)
        if not locked.identity_verified:
            raise DecisionError(_("请先核验提交回应的经营者身份。"))
        _review(locked, MerchantReply.State.APPROVED, user, "", now)
        DeskLog.objects.create(
            action=DeskLog.Action.REPLY_APPROVED, reply=locked, user=user, at=now
        )
    return locked


def reject_reply(reply, user, reason):
    """The reply is not published; the reason is for the merchant, never public."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError(_("请填写未通过审核的理由。"))
    now = timezone.now()
    with transaction.atomic():
        locked = _pending_reply(reply)
        _review(locked, MerchantReply.State.REJECTED, user, reason, now)
        DeskLog.objects.create(
            action=DeskLog.Action.REPLY_REJECTED, reply=locked, user=user, note=reason, at=now
        )
    return locked
