"""What a web process does once its code is loaded: the objects that live as long as it does
are set aside from the garbage collector (``freeze_startup_objects``).

Why: a full collection walks every object the collector tracks, and a Django + Wagtail
process holds about 210,000 once loaded (modules, classes, URL patterns, forms, panels): a
collection took 107 ms, paid by whichever request allocated the object that set it off.
bench/disclosures.py saw it on PostgreSQL as 退货 by relevance's p95 (132 ms against a p50 of
20 ms, in three runs of three sessions); with them frozen, the same collection takes under a
millisecond. ``gc.freeze`` moves them to a generation no collection visits; they are not
garbage to be found (a module's objects live as long as the process), and what a request
allocates is collected as before.
"""

import gc

from django.urls import get_resolver


def freeze_startup_objects():
    """Load the views (the URL patterns and the modules they import, otherwise loaded by the
    first request), collect what is already garbage, then freeze everything left."""
    get_resolver().url_patterns  # noqa: B018 (loading them is the point)
    gc.collect()
    gc.freeze()
