"""Every change of a listed entry's objection state, and the staff's decisions on objections.

This module is the only writer of ``ListEntry.objection_state``: a notice sent (已告知), an
objection filed (异议处理中), and the decisions of 审核. Upheld, an objection either drops the
entry (the rest are ranked again) or removes named records from it and counts its figures
again, dropping it when it no longer meets the rule; rejected, it needs a reason. Each decision
writes a public line of the list's log (``EntryChange``) and an ``EntryRemoval`` for what it
took off, so drafting the period again keeps it off. After each change the page gets a new
revision, so the revision that is later approved and published carries the corrected entries.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import adjustments
from .models import EntryChange, EntryObjection, EntryObjectionState, EntryRemoval, ListPage

State = EntryObjection.State


class DecisionError(Exception):
    """A decision that cannot be made; the message, in Chinese, tells staff why."""


def _set_state(entry, state):
    entry.objection_state = state
    type(entry).objects.filter(pk=entry.pk).update(objection_state=state)


def mark_notified(entry):
    if entry.objection_state == EntryObjectionState.NONE:
        _set_state(entry, EntryObjectionState.NOTIFIED)


def mark_objected(entry):
    _set_state(entry, EntryObjectionState.OBJECTED)


def _new_revision(page, user):
    page = ListPage.objects.get(pk=page.pk)  # entries as they are now in the database
    page.save_revision(user=user, log_action=True)


def _decided(objection, state, user, reason):
    objection.state = state
    objection.decision_reason = reason
    objection.decided_by = user
    objection.decided_at = timezone.now()
    objection.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])


def _locked_pending(objection):
    locked = EntryObjection.objects.select_for_update().get(pk=objection.pk)
    if locked.state != State.PENDING:
        raise DecisionError(_("该异议已处理，不能重复处理。"))
    return locked


def _state_after(entry, decided):
    """An entry with another objection still pending stays 异议处理中."""
    if entry.objections.filter(state=State.PENDING).exists():
        return EntryObjectionState.OBJECTED
    return decided


def _drop(page, entry, objection, user, description):
    EntryRemoval.objects.create(page=page, credit_code=entry.credit_code, objection=objection)
    EntryChange.objects.create(
        page=page, objection=objection, description=description, made_by=user
    )
    entry.delete()
    rest = adjustments.rerank(list(page.entries.all()), page.rule)
    for other in rest:
        type(other).objects.filter(pk=other.pk).update(rank=other.rank)


def uphold_drop(objection, user, reason=""):
    """Upheld: the entry leaves the list."""
    with transaction.atomic():
        objection = _locked_pending(objection)
        entry, page = objection.entry, objection.page
        if entry is None:
            raise DecisionError(_("该经营者已不在本榜，无需再作处理。"))
        reason = reason.strip() or _("经核实，异议成立，该经营者不再列入本榜。")
        _decided(objection, State.UPHELD, user, reason)
        _drop(
            page,
            entry,
            objection,
            user,
            _("%(name)s提出的异议经核实成立，已从本榜移除：%(reason)s")
            % {"name": entry.name, "reason": reason},
        )
        _new_revision(page, user)
    return objection


def uphold_remove_records(objection, user, disclosures, reason=""):
    """Upheld: the named records no longer count; the entry's figures are counted again, and it
    leaves the list when it no longer meets the rule."""
    disclosures = list(disclosures)
    with transaction.atomic():
        objection = _locked_pending(objection)
        entry, page = objection.entry, objection.page
        if entry is None:
            raise DecisionError(_("该经营者已不在本榜，无需再作处理。"))
        ids = {record.pk for record in disclosures}
        if not disclosures or not ids <= set(entry.record_ids):
            raise DecisionError(_("请选择本榜所依据的投诉记录。"))
        numbers = "、".join(record.complaint_number for record in disclosures)
        reason = reason.strip() or _("经核实，异议成立，相关投诉记录不再计入。")
        _decided(objection, State.UPHELD, user, reason)
        for record in disclosures:
            EntryRemoval.objects.create(
                page=page, credit_code=entry.credit_code, disclosure=record, objection=objection
            )
        before = entry.complaints
        adjustments.refigure(entry, ids)
        if not adjustments.qualifies(page.rule, entry):
            _drop(
                page,
                entry,
                objection,
                user,
                _(
                    "%(name)s提出的异议经核实成立，投诉记录%(numbers)s不再计入；"
                    "该经营者不再符合上榜条件，已从本榜移除。"
                )
                % {"name": entry.name, "numbers": numbers},
            )
        else:
            entry.objection_state = _state_after(entry, EntryObjectionState.UPHELD)
            entry.save()
            rest = adjustments.rerank(list(page.entries.all()), page.rule)
            for other in rest:
                type(other).objects.filter(pk=other.pk).update(rank=other.rank)
            EntryChange.objects.create(
                page=page,
                entry=entry,
                objection=objection,
                made_by=user,
                description=_(
                    "%(name)s提出的异议经核实成立，投诉记录%(numbers)s不再计入，"
                    "窗口内公示投诉由%(before)d件更正为%(after)d件。"
                )
                % {
                    "name": entry.name,
                    "numbers": numbers,
                    "before": before,
                    "after": entry.complaints,
                },
            )
        _new_revision(page, user)
    return objection


def reject(objection, user, reason):
    """Rejected, with the reason, which the list's log shows."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError(_("异议不成立时必须写明理由。"))
    with transaction.atomic():
        objection = _locked_pending(objection)
        _decided(objection, State.REJECTED, user, reason)
        entry, page = objection.entry, objection.page
        EntryChange.objects.create(
            page=page,
            entry=entry,
            objection=objection,
            made_by=user,
            description=_("%(name)s提出的异议经核实不成立：%(reason)s")
            % {"name": objection.name, "reason": reason},
        )
        if entry is not None:
            _set_state(entry, _state_after(entry, EntryObjectionState.REJECTED))
            _new_revision(page, user)
    return objection
