"""Keeping disclosed complaints linked to the pledge merchant with the same credit code.

An import links each record to the merchant registered under its credit code. A merchant
registered later, or whose credit code is corrected, gets its records here, so the scan page
and the merchant's record page do not depend on the order in which the two lists were loaded.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from merchants.models import Merchant

from .models import Disclosure


@receiver(post_save, sender=Merchant, dispatch_uid="disclosures_link_merchant")
def link_disclosures_to_merchant(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loaddata: the fixture says what is linked
    # A corrected credit code: the records of the old code are no longer this merchant's.
    Disclosure.objects.filter(merchant=instance).exclude(credit_code=instance.credit_code).update(
        merchant=None
    )
    if instance.credit_code:
        Disclosure.objects.filter(credit_code=instance.credit_code).exclude(
            merchant=instance
        ).update(merchant=instance)
