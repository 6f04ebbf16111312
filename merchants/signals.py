"""Drop cached scan pages when anything shown on them changes, so an edit shows up at once."""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from . import page_cache
from .models import BusinessDistrict, Merchant, MerchantCode, Pledge, PledgeType


def _now_and_on_commit(function, *args):
    # Now, for this request and tests; again after commit, because a scan served between the
    # save and the commit could have cached the old record.
    function(*args)
    transaction.on_commit(lambda: function(*args))


_deferred = threading.local()


@contextmanager
def invalidation_deferred():
    """Collect the merchants changed inside the block and drop their pages once at the end.

    An import of thousands of merchants would otherwise look up codes and delete cache keys
    for every merchant, pledge and code saved, several times each.
    """
    if getattr(_deferred, "merchant_ids", None) is not None:
        yield  # already deferring: the outer block invalidates
        return
    _deferred.merchant_ids = set()
    try:
        yield
    finally:
        merchant_ids, _deferred.merchant_ids = _deferred.merchant_ids, None
        _now_and_on_commit(page_cache.invalidate_merchants, sorted(merchant_ids))


def _invalidate_merchant(merchant_id):
    pending = getattr(_deferred, "merchant_ids", None)
    if pending is not None:
        pending.add(merchant_id)
    else:
        _now_and_on_commit(page_cache.invalidate_merchant, merchant_id)


def merchant_changed(sender, instance, **kwargs):
    _invalidate_merchant(instance.pk)


def merchant_deleting(sender, instance, **kwargs):
    # Its codes lose their merchant on delete: collect them while they still point at it.
    codes = list(
        MerchantCode.objects.filter(merchant_id=instance.pk).values_list("code", flat=True)
    )
    _now_and_on_commit(page_cache.invalidate_codes, codes)


def pledge_changed(sender, instance, **kwargs):
    if instance.merchant_id:
        _invalidate_merchant(instance.merchant_id)


def code_changed(sender, instance, **kwargs):
    _now_and_on_commit(page_cache.invalidate_codes, [instance.code])
    if instance.merchant_id:
        _invalidate_merchant(instance.merchant_id)


def district_changed(sender, instance, **kwargs):
    ids = list(Merchant.objects.filter(district=instance).values_list("pk", flat=True))
    _now_and_on_commit(page_cache.invalidate_merchants, ids)


def everything_changed(sender, instance, **kwargs):
    # Pledge type names and the bureau's settings appear on every scan page; both change rarely.
    _now_and_on_commit(page_cache.invalidate_all)


def connect():
    from home.models import PortalSettings

    uid = "merchants.scan_page_cache"
    post_save.connect(merchant_changed, sender=Merchant, dispatch_uid=f"{uid}.merchant.save")
    pre_delete.connect(merchant_deleting, sender=Merchant, dispatch_uid=f"{uid}.merchant.pre")
    post_save.connect(pledge_changed, sender=Pledge, dispatch_uid=f"{uid}.pledge.save")
    post_delete.connect(pledge_changed, sender=Pledge, dispatch_uid=f"{uid}.pledge.delete")
    post_save.connect(code_changed, sender=MerchantCode, dispatch_uid=f"{uid}.code.save")
    post_delete.connect(code_changed, sender=MerchantCode, dispatch_uid=f"{uid}.code.delete")
    post_save.connect(district_changed, sender=BusinessDistrict, dispatch_uid=f"{uid}.district")
    post_save.connect(everything_changed, sender=PledgeType, dispatch_uid=f"{uid}.pledge_type")
    post_save.connect(everything_changed, sender=PortalSettings, dispatch_uid=f"{uid}.settings")
