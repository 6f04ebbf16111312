"""Issuing the cards of running time limits: the 提醒卡 at half the limit, the 催办卡 before the
end, and the 逾期升级 to the unit above when a limit has passed (``manage.py complaint_deadlines``).

Each card goes out once per deadline, however often and however concurrently the command runs:
a stage claims its deadlines with one conditional UPDATE (``… SET reminded_at = now WHERE
reminded_at IS NULL``) and creates their cards in the same transaction, so the deadlines this
run stamped and that have no card yet are exactly the ones it claimed. The unique constraint
on (deadline, kind) refuses a second card should anything else slip. Everything is set-based:
one UPDATE, one SELECT and one INSERT … SELECT per stage, whatever the number of complaints.

The e-mail that follows names the complaint by tracking number, merchant and limit, with a link
to the desk, and nothing of the complainant.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Value,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import Card, Deadline, Unit

# One e-mail lists at most this many cards; the desk shows them all.
MAX_CARDS_PER_EMAIL = 200


@dataclass(frozen=True)
class Stage:
    kind: str  # Card.Kind
    stamp: str  # the Deadline field that records the card went out
    when: str  # the Deadline field from which it is due
    lookup: str  # "lte": due once that time has come; "lt": once it has passed
    to_parent: bool  # escalations go to the unit above


# In this order, so a deadline that passed all three while the command was not running gets
# its 提醒卡, 催办卡 and 逾期升级 in the order they were due.
STAGES = [
    Stage(Card.Kind.REMINDER, "reminded_at", "remind_at", "lte", False),
    Stage(Card.Kind.URGE, "urged_at", "urge_at", "lte", False),
    Stage(Card.Kind.ESCALATION, "escalated_at", "due_at", "lt", True),
]


@dataclass
class Summary:
    """What one run did (or, with ``dry_run``, would do)."""

    now: datetime.datetime
    dry_run: bool = False
    issued: dict = field(default_factory=lambda: {stage.kind: 0 for stage in STAGES})
    emails_sent: int = 0
    email_failures: list = field(default_factory=list)  # unit names
    units_without_email: list = field(default_factory=list)  # unit names

    @property
    def total(self):
        return sum(self.issued.values())


def _open_deadlines():
    return Deadline.objects.filter(met_at__isnull=True, cancelled=False)


def _due(stage, now):
    """Open deadlines whose ``stage`` card is due and not yet issued."""
    return _open_deadlines().filter(
        **{f"{stage.stamp}__isnull": True, f"{stage.when}__{stage.lookup}": now}
    )


def _claim_and_issue(stage, now):
    """Stamp the due deadlines and create their cards, in one transaction; returns the cards'
    rows as dicts (for the e-mails)."""
    with transaction.atomic():
        # First statement of the transaction: on SQLite (IMMEDIATE) and PostgreSQL alike, a
        # second run waits here for the first's commit and then finds these rows stamped.
        if not _due(stage, now).update(**{stage.stamp: now}):
            return []
        recipient = (
            Coalesce(F("unit__parent_id"), F("unit_id")) if stage.to_parent else F("unit_id")
        )
        claimed = (
            _open_deadlines()
            .filter(**{stage.stamp: now, f"{stage.when}__{stage.lookup}": now})
            .exclude(Exists(Card.objects.filter(deadline=OuterRef("pk"), kind=stage.kind)))
            .annotate(recipient=recipient)
        )
        rows = list(
            claimed.values(
                "pk",
                "kind",
                "due_at",
                "recipient",
                "complaint_id",
                "complaint__tracking_number",
                "complaint__merchant_name",
            ).order_by("due_at", "pk")
        )
        _insert_cards(claimed, stage.kind, now)
    for row in rows:
        row["card_kind"] = stage.kind
    return rows


def _insert_cards(claimed, kind, now):
    """INSERT … SELECT the cards of the claimed deadlines: one statement for any number of
    rows (a bulk_create of 100,000 model instances spends its time in Python)."""
    rows = claimed.annotate(
        card_kind=Value(kind, output_field=CharField()),
        card_at=Value(now, output_field=DateTimeField()),
        card_emailed=Value(False, output_field=BooleanField()),
    ).values_list("pk", "card_kind", "recipient", "card_at", "card_emailed")
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Card._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Card._meta.get_field(name).column)
        for name in ("deadline", "kind", "unit", "issued_at", "emailed")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)


def complaint_admin_path(complaint_id):
    """The desk's page of a complaint (its address, should the desk not be installed)."""
    try:
        return reverse("complaints_desk:detail", args=[complaint_id])
    except NoReverseMatch:
        return f"/admin/complaints/{complaint_id}/"


def _email_units(rows, summary):
    by_unit = defaultdict(list)
    for row in rows:
        by_unit[row["recipient"]].append(row)
    units = Unit.objects.in_bulk(list(by_unit))
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    deadline_labels = dict(Deadline.Kind.choices)
    card_labels = dict(Card.Kind.choices)
    sent = []
    for unit_id, unit_rows in sorted(by_unit.items()):
        unit = units[unit_id]
        if not unit.email:
            summary.units_without_email.append(unit.name)
            continue
        counts = [
            (card_labels[stage.kind], sum(1 for r in unit_rows if r["card_kind"] == stage.kind))
            for stage in STAGES
        ]
        items = [
            {
                "card": card_labels[row["card_kind"]],
                "limit": deadline_labels[row["kind"]],
                "tracking_number": row["complaint__tracking_number"],
                "merchant_name": row["complaint__merchant_name"],
                "due_at": timezone.localtime(row["due_at"]),
                "url": base + complaint_admin_path(row["complaint_id"]),
            }
            for row in unit_rows[:MAX_CARDS_PER_EMAIL]
        ]
        context = {
            "unit": unit,
            "counts": [(label, n) for label, n in counts if n],
            "items": items,
            "more": len(unit_rows) - len(items),
            "desk_url": base + "/admin/",
        }
        subject = " ".join(render_to_string("complaints/email/cards_subject.txt", context).split())
        body = render_to_string("complaints/email/cards_body.txt", context)
        try:
            send_mail(subject, body, None, [unit.email])
        except Exception:  # noqa: BLE001 — one unit's mail server must not stop the others
            summary.email_failures.append(unit.name)
            continue
        summary.emails_sent += 1
        sent.append(unit_id)
    if sent:
        Card.objects.filter(unit_id__in=sent, issued_at=summary.now, emailed=False).update(
            emailed=True
        )


def issue_due_cards(now=None, *, dry_run=False, email=True):
    """Issue every card that is due at ``now``, e-mail each unit its cards; returns a Summary.

    The bench calls this over 100,000 open complaints; cron calls it through the command.
    """
    now = now or timezone.now()
    summary = Summary(now=now, dry_run=dry_run)
    if dry_run:
        # What a run would issue: a deadline's later stages count even if an earlier one is
        # also due, as a real run would issue them all.
        for stage in STAGES:
            summary.issued[stage.kind] = _due(stage, now).count()
        return summary
    rows = []
    for stage in STAGES:
        issued = _claim_and_issue(stage, now)
        summary.issued[stage.kind] = len(issued)
        rows += issued
    if email and rows:
        _email_units(rows, summary)
    return summary
