"""Applying validated records: upsert merchants by credit code, pledges by (type, start date).

Planning and writing are separate so ``--dry-run`` can report exactly what a real run would do
without touching the database. A merchant whose fields and pledges already match is not saved
at all, so re-importing a file changes nothing: not ``updated_at``, not the audit log.
Pledges in the database that the file does not mention are left alone (an import only adds or
corrects; ending a pledge is an edit in the admin or an end date in the file).
"""

import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from merchants.models import Merchant, Pledge
from merchants.signals import invalidation_deferred

CHUNK = 500
Status = Merchant.RegistryStatus
NEEDS_REASON = {Status.SUSPENDED: "暂停", Status.REMOVED: "摘牌"}


def default_reason(status):
    # The model requires a reason for 暂停/摘牌; a file that gives none still gets a true one.
    return _("批量导入：状态为%(status)s") % {"status": NEEDS_REASON[status]}


@dataclass
class MerchantPlan:
    record: object
    merchant: Merchant | None
    changes: dict = field(default_factory=dict)
    new_pledges: list = field(default_factory=list)
    changed_pledges: list = field(default_factory=list)  # (Pledge, {field: value})
    unchanged_pledges: int = 0

    @property
    def action(self):
        if self.merchant is None:
            return "create"
        if self.changes or self.new_pledges or self.changed_pledges:
            return "update"
        return "unchanged"


@dataclass
class Plan:
    items: list

    def count(self, action):
        return sum(1 for item in self.items if item.action == action)

    @property
    def pledges_created(self):
        return sum(len(item.new_pledges) for item in self.items)

    @property
    def pledges_updated(self):
        return sum(len(item.changed_pledges) for item in self.items)

    @property
    def pledges_unchanged(self):
        return sum(item.unchanged_pledges for item in self.items)


def _existing(codes):
    found = {}
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        for merchant in Merchant.objects.filter(credit_code__in=chunk).prefetch_related("pledges"):
            found[merchant.credit_code] = merchant
    return found


def _merchant_changes(merchant, fields, today):
    changes = {name: value for name, value in fields.items() if getattr(merchant, name) != value}
    status = changes.get("registry_status")
    if status is not None:
        changes["status_changed_on"] = today
        if status in NEEDS_REASON and "status_reason" not in fields:
            changes["status_reason"] = default_reason(status)
    return changes


def _new_merchant_fields(record):
    fields = {"credit_code": record.credit_code, **record.fields}
    status = fields.get("registry_status", Status.PENDING)
    if status in NEEDS_REASON and not fields.get("status_reason"):
        fields["status_reason"] = default_reason(status)
    return fields


def _pledge_changes(item, merchant, pledges):
    by_key = {}
    for pledge in merchant.pledges.all():
        by_key.setdefault((pledge.pledge_type_id, pledge.starts_on), pledge)
    for record in pledges:
        pledge = by_key.get(record.key)
        if pledge is None:
            item.new_pledges.append(record)
            continue
        changes = {
            name: value for name, value in record.values().items() if getattr(pledge, name) != value
        }
        if changes:
            item.changed_pledges.append((pledge, changes))
        else:
            item.unchanged_pledges += 1


def plan(records):
    """What importing ``records`` would change, without changing anything."""
    today = timezone.localdate()
    existing = _existing([record.credit_code for record in records])
    items = []
    for record in records:
        merchant = existing.get(record.credit_code)
        if merchant is None:
            items.append(
                MerchantPlan(
                    record,
                    None,
                    changes=_new_merchant_fields(record),
                    new_pledges=list(record.pledges),
                )
            )
            continue
        changes = _merchant_changes(merchant, record.fields, today)
        item = MerchantPlan(record, merchant, changes=changes)
        _pledge_changes(item, merchant, record.pledges)
        items.append(item)
    return Plan(items)


def _create_pledges(merchant, records):
    for record in records:
        Pledge.objects.create(merchant=merchant, **record.values())


def apply(import_plan, user=None):
    """Write the plan (inside ``transaction.atomic()``); one audit entry per changed merchant."""
    batch = uuid.uuid4()  # groups this import's entries in the audit log
    # Wagtail re-indexes a merchant's references on every save of it or of a pledge; once per
    # merchant at the end is the same result at a third of the cost.
    with disable_reference_index_auto_update(), invalidation_deferred():
        written = [
            _write(item, user, batch) for item in import_plan.items if item.action != "unchanged"
        ]
    for merchant in written:
        update_reference_index_task.enqueue("merchants", "merchant", str(merchant.pk))


def _write(item, user, batch):
    if item.merchant is None:
        merchant = Merchant.objects.create(**item.changes)
        _create_pledges(merchant, item.new_pledges)
        log(merchant, "wagtail.create", user=user, uuid=batch, content_changed=True)
        return merchant
    merchant = item.merchant
    for name, value in item.changes.items():
        setattr(merchant, name, value)
    merchant.save()  # also when only a pledge changed: the record as a whole was edited
    _create_pledges(merchant, item.new_pledges)
    for pledge, changes in item.changed_pledges:
        for name, value in changes.items():
            setattr(pledge, name, value)
        pledge.save()
    log(merchant, "wagtail.edit", user=user, uuid=batch, content_changed=True)
    return merchant
