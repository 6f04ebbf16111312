"""Every change to a complaint's handling goes through ``perform``: it checks the transition
against ``states.TRANSITIONS``, applies it under a row lock, writes the audit log entry and
moves the deadlines. Nothing else writes a complaint's state.
"""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from . import deadlines
from .models import Complaint, ComplaintEvent
from .states import CLOSING_RESULTS, TRANSITIONS, Action, FastResponseReason, Satisfaction, State

# Sent after the transaction commits, with ``complaint``, ``action`` and ``event``: how later
# steps (the merchant's settlement link, e-mails) follow a transition without workflow knowing.
transitioned = Signal()


class TransitionError(Exception):
    """A step that cannot be taken; the message, in Chinese, says why."""


def _check(complaint, action, details):
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("未知的办理操作。"))
    if complaint.state not in transition.sources:
        raise TransitionError(
            _("投诉当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": complaint.get_state_display(), "action": Action(action).label}
        )
    if transition.needs_reason and not details.get("reason", "").strip():
        raise TransitionError(_("请填写理由，投诉人将看到这段说明。"))
    if action in CLOSING_RESULTS and details.get("result") not in CLOSING_RESULTS[action]:
        raise TransitionError(_("请选择办结结果。"))
    if action == Action.VISIT and details.get("satisfaction") not in Satisfaction.values:
        raise TransitionError(_("请选择回访结果。"))
    if action == Action.REOPEN and (
        complaint.reopened or complaint.satisfaction != Satisfaction.DISSATISFIED
    ):
        raise TransitionError(_("只有回访不满意的投诉可以重新调解，且只能一次。"))
    if action == Action.REASSIGN and details.get("unit") in (None, complaint.unit):
        raise TransitionError(_("请选择接收转办的单位。"))
    if action == Action.MERGE:
        target = details.get("target")
        if (
            target is None
            or target.pk == complaint.pk
            or target.state not in TRANSITIONS[Action.MERGE].sources | {State.CLOSED}
        ):
            raise TransitionError(_("请选择要合并到的未办结投诉。"))
    if action == Action.MARK_FAST and details.get("fast_reason") not in FastResponseReason.values:
        raise TransitionError(_("请选择快速响应的情形。"))
    if action in (Action.RESPOND, Action.ARRIVE) and not complaint.fast_response:
        raise TransitionError(_("该投诉不是快速响应事项。"))
    if action == Action.START_SETTLEMENT and complaint.merchant_id is None:
        raise TransitionError(_("未登记的商家无法在线先行和解。"))
    if action == Action.START_SETTLEMENT and not complaint.consent_contact:
        raise TransitionError(_("投诉人未同意商家联系，不能转先行和解。"))


def _apply(complaint, action, at, details):
    """Set the fields the action changes; returns the note the complainant may read."""
    public_note = ""
    if action in (Action.ACKNOWLEDGE, Action.ACCEPT, Action.REFUSE, Action.RETURN):
        complaint.acknowledged_at = complaint.acknowledged_at or at
    if action in (Action.REFUSE, Action.RETURN):
        complaint.public_reason = public_note = details["reason"].strip()
    elif action == Action.REASSIGN:
        complaint.unit = details["unit"]
        complaint.acknowledged_at = None
        public_note = _("已转至%(unit)s办理。") % {"unit": complaint.unit.name}
    elif action == Action.MERGE:
        complaint.merged_into = details["target"]
        public_note = _("与投诉%(number)s为同一事项，合并办理。") % {
            "number": details["target"].tracking_number
        }
    elif action == Action.MERCHANT_ANSWER:
        complaint.settlement_answer = details["answer"]
        complaint.settlement_text = details.get("text", "")
        complaint.settlement_answered_at = at
        public_note = complaint.get_settlement_answer_display()
    elif action in CLOSING_RESULTS:
        complaint.result = details["result"]
        complaint.amount_recovered = details.get("amount_recovered")
        complaint.closed_at = at
        public_note = complaint.get_result_display()
    elif action == Action.VISIT:
        complaint.satisfaction = details["satisfaction"]
        complaint.visited_at = at
        public_note = complaint.get_satisfaction_display()
    elif action == Action.REOPEN:
        complaint.reopened = True
        complaint.result = ""
        complaint.closed_at = None
    elif action == Action.MARK_FAST:
        complaint.fast_response = True
        complaint.fast_response_reason = details["fast_reason"]
    return public_note


def perform(complaint, action, *, user=None, actor=ComplaintEvent.Actor.STAFF, at=None, **details):
    """Take ``action`` on ``complaint``: check, apply, log, move deadlines; returns the fresh
    complaint. Raises ``TransitionError`` (nothing changed) when the step is not allowed.

    ``details``: reason, note, result, amount_recovered, satisfaction, unit, target,
    fast_reason, answer, text, as the action needs them.
    """
    at = at or timezone.now()
    with transaction.atomic():
        # The row lock makes two clerks' simultaneous clicks one after the other: the second
        # sees the first's state and is refused if its step no longer applies.
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _check(complaint, action, details)
        before = complaint.state
        public_note = _apply(complaint, action, at, details)
        target = TRANSITIONS[action].target
        if target is not None:
            complaint.state = target
        complaint.save()
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            action=action,
            from_state=before,
            to_state=complaint.state,
            at=at,
            actor=actor,
            user=user,
            unit=complaint.unit,
            note=details.get("note", ""),
            public_note=public_note,
        )
        deadlines.apply(complaint, action, at)
        transaction.on_commit(
            lambda: transitioned.send(Complaint, complaint=complaint, action=action, event=event)
        )
        # 不满意 at the 回访 reopens the mediation once, at once.
        if (
            action == Action.VISIT
            and complaint.satisfaction == Satisfaction.DISSATISFIED
            and not complaint.reopened
        ):
            return perform(complaint, Action.REOPEN, user=user, actor=actor, at=at)
    return complaint
