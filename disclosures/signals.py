"""Keeping disclosed complaints linked to merchants, and the search's data version current.

An import links each record to the merchant registered under its credit code. A merchant
registered later, or whose credit code is corrected, gets its records here, so the scan page
and the merchant's record page do not depend on the order in which the two lists were loaded.

A record saved or deleted in the admin changes the data version, so the in-memory search
columns (``snapshot``) reload, and once committed its Elasticsearch sync is queued (a
background task: the save never waits on the cluster) and its merchant's scan page is dropped
from the cache. The importer writes without model saves and does the same itself, once per
file. A category or problem type saved or deleted changes the data version too: the keyword
matches their names.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from merchants import page_cache
from merchants.models import Merchant

from . import engines
from .models import ComplaintCategory, Disclosure, DisclosureDataVersion, ProblemType
from .tasks import queue_index_sync


@receiver(post_save, sender=Merchant, dispatch_uid="disclosures_link_merchant")
def link_disclosures_to_merchant(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loaddata: the fixture says what is linked
    # A corrected credit code: the records of the old code are no longer this merchant's.
    unlinked = Disclosure.objects.filter(merchant=instance).exclude(
        credit_code=instance.credit_code
    )
    linked = Disclosure.objects.filter(credit_code=instance.credit_code).exclude(merchant=instance)
    changed = []
    if engines.elasticsearch_enabled():  # the index holds the link, for its merchant filter
        changed = list(unlinked.values_list("pk", flat=True))
        if instance.credit_code:
            changed += list(linked.values_list("pk", flat=True))
    # updated_at moves too: it is the version the index compares writes by.
    now = timezone.now()
    unlinked.update(merchant=None, updated_at=now)
    if instance.credit_code:
        linked.update(merchant=instance, updated_at=now)
    if changed:
        transaction.on_commit(lambda: queue_index_sync(changed))


@receiver(post_save, sender=ComplaintCategory, dispatch_uid="disclosures_category_saved")
@receiver(post_delete, sender=ComplaintCategory, dispatch_uid="disclosures_category_deleted")
@receiver(post_save, sender=ProblemType, dispatch_uid="disclosures_problem_type_saved")
@receiver(post_delete, sender=ProblemType, dispatch_uid="disclosures_problem_type_deleted")
def reference_names_changed(sender, **kwargs):
    """The keyword matches category and problem type names (``keyword``): the embedded search
    keeps them per data version, so a rename or a new one changes the version."""
    DisclosureDataVersion.bump()


@receiver(post_save, sender=Disclosure, dispatch_uid="disclosures_saved")
@receiver(post_delete, sender=Disclosure, dispatch_uid="disclosures_deleted")
def disclosure_changed(sender, instance, raw=False, **kwargs):
    """An editor's change (an objection upheld, a record withdrawn) shows everywhere at once."""
    DisclosureDataVersion.bump()
    if raw:
        return
    merchant_ids = [instance.merchant_id] if instance.merchant_id else []
    pk = instance.pk

    def publish():
        queue_index_sync([pk])
        page_cache.invalidate_merchants(merchant_ids)

    transaction.on_commit(publish)
