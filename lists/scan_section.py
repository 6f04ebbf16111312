"""The scan page's 红黑榜 section, and keeping the cached scan pages in step with the lists.

A merchant on a list shown now (published, and today on or before its ``listed_until``) has the
listing on its scan page: 红榜 or 黑榜, the period, the rank and a link to the list and its rule.

The scan page is cached whole (``merchants.page_cache``). Publishing or unpublishing a list
drops the pages of every merchant on it; an entry row deleted (a republished list without that
merchant, a list deleted) drops that merchant's. The end of ``listed_until`` needs nothing: the
cache key holds the local date, so the first scan of the next day renders afresh.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.signals import page_published, page_unpublished

from merchants import page_cache
from merchants.models import Merchant
from merchants.scan_sections import SCAN_SECTIONS_HOOK

from . import public
from .models import ListEntry, ListPage


@hooks.register(SCAN_SECTIONS_HOOK)
def listing_section(merchant, today):
    entries = public.current_listings(merchant.credit_code, today)
    if not entries:
        return ""
    return render_to_string("lists/includes/scan_section.html", {"entries": entries})


def drop_scan_pages(credit_codes):
    """Drop the cached scan pages of the merchants with these credit codes, now and again once
    committed (a scan between the change and the commit could cache the old page)."""
    credit_codes = sorted({code for code in credit_codes if code})
    if not credit_codes:
        return

    def drop():
        ids = Merchant.objects.filter(credit_code__in=credit_codes).values_list("pk", flat=True)
        page_cache.invalidate_merchants(list(ids))

    drop()
    transaction.on_commit(drop)


def list_published_or_unpublished(sender, instance, **kwargs):
    drop_scan_pages(
        ListEntry.objects.filter(page_id=instance.pk).values_list("credit_code", flat=True)
    )


def entry_deleted(sender, instance, **kwargs):
    drop_scan_pages([instance.credit_code])


def connect():
    uid = "lists.scan_pages"
    page_published.connect(
        list_published_or_unpublished, sender=ListPage, dispatch_uid=f"{uid}.pub"
    )
    page_unpublished.connect(
        list_published_or_unpublished, sender=ListPage, dispatch_uid=f"{uid}.unpub"
    )
    post_delete.connect(entry_deleted, sender=ListEntry, dispatch_uid=f"{uid}.entry")
