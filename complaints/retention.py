"""Removing a complainant's personal data a set time after the complaint ended
(``HandlingPolicy.personal_data_retention_days``; ``manage.py remove_complaint_personal_data``).

The name, the phone number and the photos go; the last four digits of the phone stay (with the
tracking number they let the complainant still look the complaint up, and they identify no
one), and so do the anonymous record, its audit log and the figures computed from it.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Complaint, ComplaintEvent, ComplaintPhoto, HandlingPolicy
from .states import Action, State

# A complaint in one of these states has ended (a closed one waits for its 回访, and is kept
# only as long as any other once the period has run).
ENDED = [State.CLOSED, State.VISITED, State.REFUSED, State.MERGED]

CHUNK = 500


@dataclass
class Summary:
    complaints: int = 0
    photos: int = 0
    missing_files: int = 0
    dry_run: bool = False


def ended_at():
    """When a complaint ended: its closing time, else the time it entered its present state
    (不予受理, 合并), else (no record of either) when it was submitted."""
    entered = (
        ComplaintEvent.objects.filter(complaint=OuterRef("pk"), to_state=OuterRef("state"))
        .order_by("-at")
        .values("at")[:1]
    )
    return Coalesce("closed_at", Subquery(entered, output_field=DateTimeField()), "submitted_at")


def due(now=None, policy=None):
    """Complaints whose personal data is due for removal at ``now``."""
    now = now or timezone.now()
    policy = policy or HandlingPolicy.load()
    cutoff = now - datetime.timedelta(days=policy.personal_data_retention_days)
    return (
        Complaint.objects.filter(state__in=ENDED, personal_data_removed_at__isnull=True)
        .annotate(ended_at=ended_at())
        .filter(ended_at__lt=cutoff)
    )


def _remove_files(paths):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    missing = 0
    for relative in paths:
        try:
            (root / relative).unlink()
        except FileNotFoundError:
            missing += 1  # already gone: the removal is what was wanted
    return missing


def _remove_chunk(ids, now, summary):
    with transaction.atomic():
        # Claim first, as the first statement: an overlapping run waits, then finds them done.
        Complaint.objects.filter(pk__in=ids, personal_data_removed_at__isnull=True).update(
            complainant_name="", complainant_phone="", personal_data_removed_at=now
        )
        mine = list(
            Complaint.objects.filter(pk__in=ids, personal_data_removed_at=now)
            .exclude(events__action=Action.REMOVE_PERSONAL_DATA)
            .values_list("pk", "state", "unit_id")
        )
        if not mine:
            return
        claimed = [pk for pk, _state, _unit in mine]
        photos = ComplaintPhoto.objects.filter(complaint_id__in=claimed)
        files = list(photos.values_list("file", flat=True))
        photos.delete()
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                complaint_id=pk,
                action=Action.REMOVE_PERSONAL_DATA,
                from_state=state,
                to_state=state,
                at=now,
                actor=ComplaintEvent.Actor.SYSTEM,
                unit_id=unit_id,
                note=_("保存期限已满，已删除投诉人姓名、手机号和照片。"),
            )
            for pk, state, unit_id in mine
        )
        # Last, inside the transaction: a file that cannot be removed undoes the chunk, and
        # the next run tries again, rather than leaving a photo with no row pointing at it.
        summary.missing_files += _remove_files(files)
        summary.complaints += len(mine)
        summary.photos += len(files)


def remove_due(now=None, *, dry_run=False, policy=None):
    """Remove the personal data of every complaint due at ``now``; returns a Summary."""
    now = now or timezone.now()
    candidates = due(now, policy)
    summary = Summary(dry_run=dry_run)
    if dry_run:
        summary.complaints = candidates.count()
        summary.photos = ComplaintPhoto.objects.filter(
            complaint__in=candidates.values("pk")
        ).count()
        return summary
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        _remove_chunk(ids[start : start + CHUNK], now, summary)
    return summary
