"""Which time limits each step of the handling starts, meets or cancels, and when each is due.

The limits come from the ``HandlingPolicy`` as it stands when the limit starts; a later change
to the policy does not move a running deadline. The cards those deadlines send are issued by
``manage.py complaint_deadlines``.
"""

import datetime

from .models import Deadline, HandlingPolicy
from .states import Action
from .workdays import Calendar, clock_limit, workday_limit

K = Deadline.Kind


def _limits(policy):
    """Each kind's limit: ("workdays", n) or ("clock", timedelta)."""
    return {
        K.NOTIFY: ("clock", datetime.timedelta(hours=policy.notify_hours)),
        K.ACCEPTANCE: ("workdays", policy.acceptance_workdays),
        K.FAST_RESPONSE: ("clock", datetime.timedelta(minutes=policy.fast_response_minutes)),
        K.ON_SITE: ("clock", datetime.timedelta(minutes=policy.on_site_minutes)),
        K.SETTLEMENT: ("workdays", policy.settlement_workdays),
        K.MEDIATION: ("workdays", policy.mediation_workdays),
        K.REPORT_BACK: ("clock", datetime.timedelta(hours=policy.report_back_hours)),
    }


_FAST = [K.FAST_RESPONSE, K.ON_SITE]

# action: (limits it starts, limits it meets, limits it cancels)
STEPS = {
    Action.SUBMIT: ([K.NOTIFY, K.ACCEPTANCE], [], []),
    Action.ACKNOWLEDGE: ([], [K.NOTIFY], []),
    # Mediation ends within its limit counted from acceptance (总局令第20号 art. 29), whether
    # the merchant's first settlement comes first or not: an accepted complaint always has a
    # clock running.
    Action.ACCEPT: ([K.MEDIATION], [K.NOTIFY, K.ACCEPTANCE], []),
    Action.REFUSE: ([], [K.NOTIFY, K.ACCEPTANCE], _FAST),
    # The unit's clocks stop when it returns a complaint; the next unit's start on reassignment.
    Action.RETURN: ([], [K.NOTIFY], [K.ACCEPTANCE, K.MEDIATION, *_FAST]),
    Action.REASSIGN: ([K.NOTIFY, K.ACCEPTANCE], [], []),
    Action.MERGE: ([], [], list(K)),
    Action.START_SETTLEMENT: ([K.SETTLEMENT], [], []),
    Action.MERCHANT_ANSWER: ([], [K.SETTLEMENT], []),
    Action.SETTLE: ([K.REPORT_BACK], [K.SETTLEMENT, K.MEDIATION], _FAST),
    Action.START_MEDIATION: ([], [K.SETTLEMENT], []),
    Action.CLOSE: ([K.REPORT_BACK], [K.MEDIATION], _FAST),
    Action.VISIT: ([], [K.REPORT_BACK], []),
    Action.REOPEN: ([K.MEDIATION], [], []),
    Action.MARK_FAST: (_FAST, [], []),
    Action.RESPOND: ([], [K.FAST_RESPONSE], []),
    Action.ARRIVE: ([], [K.FAST_RESPONSE, K.ON_SITE], []),
}


def due_times(kind, start, policy, calendar=None):
    """(due, remind, urge) of one limit started at ``start`` under ``policy``."""
    measure, amount = _limits(policy)[kind]
    if measure == "workdays":
        return workday_limit(start, amount, calendar)
    return clock_limit(start, amount)


def apply(complaint, action, at, policy=None):
    """Start, meet and cancel the complaint's deadlines for ``action`` taken at ``at``."""
    starts, meets, cancels = STEPS.get(action, ([], [], []))
    open_deadlines = complaint.deadlines.filter(met_at__isnull=True, cancelled=False)
    if meets:
        open_deadlines.filter(kind__in=meets).update(met_at=at)
    if cancels:
        open_deadlines.filter(kind__in=cancels).update(cancelled=True)
    if not starts:
        return []
    policy = policy or HandlingPolicy.load()
    calendar = Calendar()
    # A limit started again (a reopened mediation) replaces the one still running.
    open_deadlines.filter(kind__in=starts).update(cancelled=True)
    created = []
    for kind in starts:
        due, remind, urge = due_times(kind, at, policy, calendar)
        created.append(
            Deadline(
                complaint=complaint,
                kind=kind,
                unit=complaint.unit,
                starts_at=at,
                due_at=due,
                remind_at=remind,
                urge_at=urge,
            )
        )
    return Deadline.objects.bulk_create(created)
