"""What upheld objections took off a list, applied to an entry's figures.

An upheld objection removes the whole entry or named records behind it (``EntryRemoval``).
The decision applies that at once (``lists.objections``), and drafting the period again applies
it to the new computation (``lists.drafting``), so a redraft never brings back what was removed.
The figures then follow from the records left: complaints in the window and mediation success;
the previous window and the complaint desk's figures are the computation's and stay.
"""

from fractions import Fraction

from disclosures.models import Disclosure

from . import computing
from .models import EntryRemoval


def removals(page):
    """({credit codes dropped}, {credit code: {record ids removed}}) of a page."""
    dropped, records = set(), {}
    if page.pk is None:
        return dropped, records
    for code, disclosure_id in EntryRemoval.objects.filter(page=page).values_list(
        "credit_code", "disclosure_id"
    ):
        if disclosure_id is None:
            dropped.add(code)
        else:
            records.setdefault(code, set()).add(disclosure_id)
    return dropped, records


def refigure(entry, removed_ids):
    """Take ``removed_ids`` out of ``entry.record_ids`` and count its window figures again from
    the records left. Returns whether anything changed."""
    kept = [pk for pk in entry.record_ids if pk not in removed_ids]
    if len(kept) == len(entry.record_ids):
        return False
    entry.record_ids = kept
    flags = Disclosure.objects.filter(pk__in=kept).values_list(
        "result__counts_as_mediated", "result__is_mediation_success"
    )
    entry.complaints = len(kept)
    entry.mediation_total = sum(1 for mediated, _success in flags if mediated)
    entry.mediation_successes = sum(1 for _mediated, success in flags if success)
    return True


def qualifies(rule, entry):
    """Whether a (re-figured) entry still meets its rule's conditions."""
    figure = computing.Figure

    def optional(numerator, denominator):
        return None if denominator is None else figure(numerator, denominator)

    computed = computing.Entry(
        credit_code=entry.credit_code,
        complaints=entry.complaints,
        previous_complaints=entry.previous_complaints,
        mediation=figure(entry.mediation_successes, entry.mediation_total),
        pledge_days=optional(entry.pledge_days, entry.period_days),
        settlement_failures=optional(entry.settlement_failures, entry.settlement_total),
        overdue=optional(entry.overdue_handlings, entry.handled_total),
    )
    return computing.qualifies(rule, computed)


def rerank(entries, rule):
    """Ranks 1… in the rule's order after a change of figures or a dropped entry."""
    if rule.order == rule.Order.COMPLAINTS:
        entries.sort(
            key=lambda e: (
                -e.complaints,
                Fraction(e.mediation_successes, e.mediation_total) if e.mediation_total else 2,
                e.credit_code,
            )
        )
    else:
        entries.sort(key=lambda e: e.rank)
    for rank, entry in enumerate(entries, 1):
        entry.rank = rank
    return entries
