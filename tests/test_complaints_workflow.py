"""Every step of a complaint's handling, from every state: allowed where the table says, refused
everywhere else with nothing changed and nothing logged."""

import datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from complaints import workflow
from complaints.models import Complaint, ComplaintEvent, Deadline
from complaints.states import (
    TRANSITIONS,
    Action,
    FastResponseReason,
    Result,
    Satisfaction,
    State,
)

from .complaints_fixtures import make_complaint, make_registered_merchant, make_staff, make_units

pytestmark = pytest.mark.django_db

AT = timezone.make_aware(datetime.datetime(2026, 5, 11, 10, 30))  # a Monday, a working day


def details_for(action, complaint):
    """What a clerk gives for ``action`` (the least each step needs)."""
    units = make_units()
    if action in (Action.REFUSE, Action.RETURN):
        return {"reason": "该商家位于芙蓉区，不属于本单位管辖，已退回。"}
    if action == Action.REASSIGN:
        return {"unit": units.furong}
    if action == Action.MERGE:
        return {"target": make_complaint(merchant=complaint.merchant)}
    if action == Action.MERCHANT_ANSWER:
        return {"answer": Complaint.SettlementAnswer.PROPOSE, "text": "同意退货，退还货款699元。"}
    if action == Action.SETTLE:
        return {"result": Result.SETTLED, "amount_recovered": Decimal("699.00")}
    if action == Action.CLOSE:
        return {"result": Result.MEDIATION_SUCCESS, "amount_recovered": Decimal("350.00")}
    if action == Action.VISIT:
        return {"satisfaction": Satisfaction.SATISFIED}
    if action == Action.MARK_FAST:
        return {"fast_reason": FastResponseReason.AT_COUNTER}
    return {}


def complaint_in(state):
    """A complaint of a registered merchant, consenting to contact, put in ``state``."""
    complaint = make_complaint(merchant=make_registered_merchant(), now=AT)
    extra = {}
    if state == State.VISITED:
        # The one way to stand at 已回访 and still be reopenable: 不满意, not yet reopened.
        extra = {"satisfaction": Satisfaction.DISSATISFIED, "reopened": False}
    Complaint.objects.filter(pk=complaint.pk).update(state=state, fast_response=True, **extra)
    complaint.refresh_from_db()
    return complaint


def snapshot(complaint):
    fresh = Complaint.objects.get(pk=complaint.pk)
    return (
        model_to_dict(fresh),
        fresh.events.count(),
        list(fresh.deadlines.values_list("pk", "met_at", "cancelled")),
    )


ALLOWED = [(a, s) for a, t in TRANSITIONS.items() for s in sorted(t.sources)]
REFUSED = [(a, s) for a, t in TRANSITIONS.items() for s in State.values if s not in t.sources]


@pytest.mark.parametrize(("action", "source"), ALLOWED)
def test_each_transition_succeeds_from_each_of_its_sources(action, source):
    complaint = complaint_in(source)
    clerk = make_staff(make_units().yuelu, "yuelu_li")
    at = AT + datetime.timedelta(hours=2)
    details = details_for(action, complaint)
    before = complaint.events.count()

    done = workflow.perform(complaint, action, user=clerk, at=at, **details)

    target = TRANSITIONS[action].target
    assert done.state == (source if target is None else target)
    assert Complaint.objects.get(pk=complaint.pk).state == done.state
    new_events = list(complaint.events.order_by("pk")[before:])
    assert new_events[0].action == action
    assert new_events[0].from_state == source
    for event in new_events:
        assert event.user == clerk
        assert event.at == at
        assert event.actor == ComplaintEvent.Actor.STAFF


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_each_transition_is_refused_from_every_other_state(action, state):
    complaint = complaint_in(state)
    details = details_for(action, complaint)
    before = snapshot(complaint)

    with pytest.raises(workflow.TransitionError) as refused:
        workflow.perform(complaint, action, user=make_staff(make_units().yuelu), **details)

    assert "不能执行" in str(refused.value)
    assert Complaint(state=state).get_state_display() in str(refused.value)
    assert snapshot(complaint) == before


@pytest.mark.parametrize("action", [Action.REFUSE, Action.RETURN])
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_refusing_or_returning_needs_a_reason_the_complainant_can_read(action, reason):
    complaint = complaint_in(State.RECEIVED)
    before = snapshot(complaint)
    with pytest.raises(workflow.TransitionError, match="请填写理由"):
        workflow.perform(complaint, action, user=make_staff(make_units().yuelu), reason=reason)
    assert snapshot(complaint) == before


def test_the_reason_is_what_tracking_may_show():
    complaint = complaint_in(State.RECEIVED)
    reason = "  经核实，该纠纷已由人民法院受理，依法不予受理。 "
    done = workflow.perform(complaint, Action.REFUSE, reason=reason, note="电话核实：王府井店")
    assert done.public_reason == reason.strip()
    event = done.events.get(action=Action.REFUSE)
    assert event.public_note == reason.strip()
    assert event.note == "电话核实：王府井店"


def mediated_and_closed(clerk):
    complaint = complaint_in(State.RECEIVED)
    complaint = workflow.perform(complaint, Action.ACCEPT, user=clerk)
    complaint = workflow.perform(complaint, Action.START_MEDIATION, user=clerk)
    return workflow.perform(complaint, Action.CLOSE, user=clerk, result=Result.MEDIATION_FAILED)


def test_dissatisfied_reopens_the_mediation_once_and_only_once():
    clerk = make_staff(make_units().yuelu)
    complaint = mediated_and_closed(clerk)

    complaint = workflow.perform(
        complaint, Action.VISIT, user=clerk, satisfaction=Satisfaction.DISSATISFIED
    )
    assert complaint.state == State.MEDIATING
    assert complaint.reopened
    assert complaint.events.filter(action=Action.REOPEN, user=clerk).count() == 1
    assert (
        complaint.deadlines.filter(kind=Deadline.Kind.MEDIATION, met_at=None)
        .exclude(cancelled=True)
        .exists()
    )

    complaint = workflow.perform(
        complaint, Action.CLOSE, user=clerk, result=Result.MEDIATION_FAILED
    )
    complaint = workflow.perform(
        complaint, Action.VISIT, user=clerk, satisfaction=Satisfaction.DISSATISFIED
    )
    assert complaint.state == State.VISITED
    before = snapshot(complaint)
    with pytest.raises(workflow.TransitionError, match="只能一次"):
        workflow.perform(complaint, Action.REOPEN, user=clerk)
    assert snapshot(complaint) == before


@pytest.mark.parametrize("satisfaction", [Satisfaction.SATISFIED, Satisfaction.FAIRLY_SATISFIED])
def test_a_satisfied_visit_cannot_be_reopened(satisfaction):
    clerk = make_staff(make_units().yuelu)
    complaint = mediated_and_closed(clerk)
    complaint = workflow.perform(complaint, Action.VISIT, user=clerk, satisfaction=satisfaction)
    assert complaint.state == State.VISITED
    with pytest.raises(workflow.TransitionError, match="回访不满意"):
        workflow.perform(complaint, Action.REOPEN, user=clerk)


def test_merge_needs_another_complaint_still_being_handled_or_closed():
    clerk = make_staff(make_units().yuelu)
    complaint = complaint_in(State.RECEIVED)
    before = snapshot(complaint)
    for bad in [None, complaint, *(complaint_in(s) for s in (State.REFUSED, State.MERGED))]:
        with pytest.raises(workflow.TransitionError, match="合并到"):
            workflow.perform(complaint, Action.MERGE, user=clerk, target=bad)
    visited = complaint_in(State.VISITED)
    with pytest.raises(workflow.TransitionError):
        workflow.perform(complaint, Action.MERGE, user=clerk, target=visited)
    assert snapshot(complaint) == before

    closed = complaint_in(State.CLOSED)
    merged = workflow.perform(complaint, Action.MERGE, user=clerk, target=closed)
    assert merged.state == State.MERGED
    assert merged.merged_into == closed
    assert closed.tracking_number in merged.events.get(action=Action.MERGE).public_note
    # A merged complaint's clocks stop: it is handled as the other one.
    assert not merged.deadlines.filter(met_at=None, cancelled=False).exists()


def test_reassign_needs_another_unit():
    clerk = make_staff(make_units().city)
    complaint = complaint_in(State.RETURNED)
    for unit in (None, complaint.unit):
        with pytest.raises(workflow.TransitionError, match="接收转办"):
            workflow.perform(complaint, Action.REASSIGN, user=clerk, unit=unit)


def test_closing_needs_a_result_of_its_own_kind():
    clerk = make_staff(make_units().yuelu)
    mediating = complaint_in(State.MEDIATING)
    for result in (None, "", Result.SETTLED, "成功"):
        with pytest.raises(workflow.TransitionError, match="办结结果"):
            workflow.perform(mediating, Action.CLOSE, user=clerk, result=result)
    settling = complaint_in(State.SETTLEMENT)
    with pytest.raises(workflow.TransitionError, match="办结结果"):
        workflow.perform(settling, Action.SETTLE, user=clerk, result=Result.MEDIATION_SUCCESS)
