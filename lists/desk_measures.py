"""The complaint desk's two measures of each registered merchant for a list window.

Both count the complaints made through the portal (扫码投诉, ``complaints.Complaint``) against a
registered merchant (``merchants.Merchant``, found by its credit code), submitted within the
list's window, and read them as they stood at the end of the period's last day (local time),
so a list computed again later gives the same figures, as the disclosures' "disclosed on or
before the period's last day" does. 举报 items and merged duplicates are left out: the list is
about consumer complaints, and a duplicate would count one matter twice. The rule's category
does not apply (a desk complaint has none).

- First settlement failures (先行和解): of the complaints that entered 先行和解 and whose
  settlement was decided by then (the settlement limit met, or past its due time), those whose
  merchant answered 不同意和解, or gave no answer by the limit's due time (an answer after it
  counts as none). A settlement the unit ended before its due time without an answer (settled
  by phone, or moved on to mediation) is not a failure: the merchant's time had not run out.
- Overdue handling: of the complaints closed by then, those with a late time limit: one met
  after its due time, or still unmet past it (``complaints.figures`` counts late the same way).
  Cancelled limits do not count.

Each is one GROUP BY over every merchant at once; a merchant without such a complaint is absent
(no figure, which is not 0 %).
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from complaints.models import Complaint, Deadline
from complaints.states import Kind, State


def _moment(day):
    """The first moment of ``day``, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def counting_bounds(start, end):
    """The window's first moment and the moment of counting: the end of ``end``."""
    return _moment(start), _moment(end + datetime.timedelta(days=1))


def _desk_complaints(start, end):
    since, until = counting_bounds(start, end)
    return (
        Complaint.objects.filter(
            merchant__isnull=False,
            kind=Kind.COMPLAINT,
            submitted_at__gte=since,
            submitted_at__lt=until,
        )
        .exclude(state=State.MERGED)
        .values("pk")
    )


def settlement_failures(start, end):
    """{merchant credit code: (failed, decided)} for complaints submitted from ``start`` to
    ``end`` (dates, inclusive) that entered 先行和解."""
    _since, until = counting_bounds(start, end)
    not_met_in_time = Q(met_at__isnull=True) | Q(met_at__gt=F("due_at"))
    failed = Q(
        complaint__settlement_answer=Complaint.SettlementAnswer.DECLINE,
        complaint__settlement_answered_at__lt=until,
    ) | (Q(due_at__lt=until) & not_met_in_time)
    rows = (
        Deadline.objects.filter(
            kind=Deadline.Kind.SETTLEMENT,
            cancelled=False,
            complaint__in=_desk_complaints(start, end),
        )
        .filter(Q(met_at__lt=until) | Q(due_at__lt=until))
        .values(code=F("complaint__merchant__credit_code"))
        .annotate(
            decided=Count("complaint", distinct=True),
            failed=Count("complaint", distinct=True, filter=failed),
        )
        .order_by()
    )
    return {row["code"]: (row["failed"], row["decided"]) for row in rows}


def overdue_handlings(start, end):
    """{merchant credit code: (late, closed)} for complaints submitted from ``start`` to
    ``end`` (dates, inclusive) and closed by the end of ``end``."""
    _since, until = counting_bounds(start, end)
    late = Deadline.objects.filter(
        complaint=OuterRef("pk"), cancelled=False, due_at__lt=until
    ).filter(Q(met_at__isnull=True) | Q(met_at__gt=F("due_at")))
    rows = (
        Complaint.objects.filter(pk__in=_desk_complaints(start, end), closed_at__lt=until)
        .annotate(late=Exists(late))
        .values(code=F("merchant__credit_code"))
        .annotate(closed=Count("pk"), late_count=Count("pk", filter=Q(late=True)))
        .order_by()
    )
    return {row["code"]: (row["late_count"], row["closed"]) for row in rows}
